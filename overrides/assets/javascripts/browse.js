/*
 * The Browse page (overrides/browse.html): every paper, narrowed by facets and
 * searched and sorted over the Pagefind index, a page of results at a time.
 *
 * The whole view is the URL: ?q=...&topic=...&year=...&code=yes&kind=...&sort=...&page=N
 * (topic, year and kind repeat). A shared URL reopens the same view; every change
 * is a history entry, so Back steps through them. Typing replaces the entry it
 * started, so Back does not step through single letters.
 *
 * Within a facet, values are alternatives (any of them); facets combine (all).
 */
(function () {
  "use strict"

  var form = document.querySelector("[data-pi-browse]")
  var api = window.PaperIndexSearch
  if (!form || !api) return
  var input = form.querySelector("input[name=q]")
  var sortSelect = form.querySelector("select[name=sort]")
  var list = document.getElementById("pi-browse-results")
  var status = document.getElementById("pi-browse-status")
  var none = document.getElementById("pi-browse-none")
  var pages = document.getElementById("pi-browse-pages")
  var facets = form.querySelector(".pi-facets")
  var PAGE = 20
  var MULTI = ["topic", "year", "kind"]
  var SORTS = api.sorts
  var sequence = 0
  var typing = false
  var current = null

  /* --- state <-> URL <-> form ------------------------------------------- */

  function fromUrl() {
    var params = new URLSearchParams(location.search)
    var state = { q: (params.get("q") || "").trim(), code: params.get("code") === "yes",
                  sort: params.get("sort") || "", page: parseInt(params.get("page"), 10) || 1 }
    MULTI.forEach(function (name) { state[name] = params.getAll(name) })
    if (!(state.sort in SORTS) && state.sort !== "relevance") state.sort = ""
    if (state.page < 1) state.page = 1
    return state
  }

  /* The form's view. The sort is the one chosen last in the menu: the menu only
     shows the default (relevance with a query, newest without) until then. */
  function fromForm(page, sortChosen) {
    var data = new FormData(form)
    var state = { q: (data.get("q") || "").trim(), code: data.get("code") === "yes",
                  sort: sortChosen ? sortSelect.value : (current && current.sort) || "", page: page || 1 }
    MULTI.forEach(function (name) { state[name] = data.getAll(name) })
    // The default sort never goes in the URL.
    if (state.sort === (state.q ? "relevance" : "newest")) state.sort = ""
    return state
  }

  function toUrl(state) {
    var params = new URLSearchParams()
    if (state.q) params.set("q", state.q)
    MULTI.forEach(function (name) {
      state[name].forEach(function (value) { params.append(name, value) })
    })
    if (state.code) params.set("code", "yes")
    if (state.sort) params.set("sort", state.sort)
    if (state.page > 1) params.set("page", String(state.page))
    var query = params.toString()
    return location.pathname + (query ? "?" + query : "")
  }

  function effectiveSort(state) {
    if (state.sort === "relevance" && !state.q) return "newest"
    return state.sort || (state.q ? "relevance" : "newest")
  }

  function toForm(state) {
    input.value = state.q
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = box.name === "code" ? state.code : state[box.name].indexOf(box.value) >= 0
    })
    sortSelect.value = effectiveSort(state)
    sortSelect.querySelector("option[value=relevance]").disabled = !state.q
  }

  /* --- searching --------------------------------------------------------- */

  function filtersOf(state) {
    var filters = {}
    MULTI.forEach(function (name) {
      if (state[name].length) filters[name] = { any: state[name] }
    })
    if (state.code) filters.code = "yes"
    return filters
  }

  function pageLink(state, page, label, current) {
    var link = document.createElement("a")
    link.className = "pi-pages__link"
    link.href = toUrl(Object.assign({}, state, { page: page }))
    link.textContent = label
    if (current) link.setAttribute("aria-current", "page")
    link.addEventListener("click", function (event) {
      event.preventDefault()
      go(Object.assign({}, state, { page: page }), true)
      status.scrollIntoView({ block: "nearest" })
    })
    return link
  }

  function paginate(state, count) {
    var last = Math.max(1, Math.ceil(count / PAGE))
    pages.replaceChildren()
    pages.hidden = last === 1
    if (last === 1) return
    if (state.page > 1) pages.appendChild(pageLink(state, state.page - 1, "Previous"))
    var shown = {}
    ;[1, state.page - 2, state.page - 1, state.page, state.page + 1, state.page + 2, last].forEach(function (n) {
      if (n >= 1 && n <= last) shown[n] = true
    })
    var previous = 0
    Object.keys(shown).map(Number).sort(function (a, b) { return a - b }).forEach(function (n) {
      if (n > previous + 1) {
        var gap = document.createElement("span")
        gap.className = "pi-pages__gap"
        gap.textContent = "…"
        pages.appendChild(gap)
      }
      pages.appendChild(pageLink(state, n, String(n), n === state.page))
      previous = n
    })
    if (state.page < last) pages.appendChild(pageLink(state, state.page + 1, "Next"))
  }

  function counts(filters) {
    form.querySelectorAll(".pi-facet__count").forEach(function (span) {
      var values = filters[span.getAttribute("data-facet")] || {}
      var n = values[span.getAttribute("data-value")] || 0
      span.textContent = n.toLocaleString("en")
      span.closest(".pi-facet__option").classList.toggle("pi-facet__option--empty", n === 0)
    })
  }

  function render(state) {
    var mine = ++sequence
    current = state
    toForm(state)
    form.setAttribute("aria-busy", "true")
    api.pagefind().then(function (pf) {
      return pf.filters().then(function () {
        return api.find(pf, api.normalize(state.q) || null, filtersOf(state), effectiveSort(state))
      }).then(function (search) {
        var total = search.total
        var last = Math.max(1, Math.ceil(total / PAGE))
        if (state.page > last) state.page = last
        return search.slice((state.page - 1) * PAGE, state.page * PAGE).then(function (slice) {
          return Promise.all(slice.map(function (r) { return r.data() }))
        }).then(function (data) {
          if (mine !== sequence) return
          list.replaceChildren.apply(list, data.map(api.card))
          list.start = (state.page - 1) * PAGE + 1
          var from = total ? (state.page - 1) * PAGE + 1 : 0
          status.textContent = total > PAGE
            ? api.plural(total, "paper") + ", " + from + "–" + (from + data.length - 1) + " shown"
            : api.plural(total, "paper")
          none.hidden = total > 0
          paginate(state, total)
          counts(search.filters)
          form.removeAttribute("aria-busy")
        })
      })
    }).catch(function () {
      if (mine !== sequence) return
      form.removeAttribute("aria-busy")
      status.textContent = "Search is unavailable here: serve the site over http (see README)."
    })
  }

  /* A new view: a history entry (push), or the same entry while typing (replace). */
  function go(state, push) {
    var url = toUrl(state)
    if (url !== location.pathname + location.search) {
      if (push) history.pushState(null, "", url)
      else history.replaceState(null, "", url)
    }
    render(state)
  }

  form.addEventListener("change", function (event) {
    if (event.target === input) return
    flushTyping()
    typing = false
    go(fromForm(1, event.target === sortSelect), true)
  })
  /* As in the header (search.js), a search runs when typing pauses. */
  var pause = null
  var pending = null  // the search typing is waiting to run
  var pushNext = false  // the first change of a typing run gets its own history entry
  function flushTyping() {
    clearTimeout(pause)
    if (pending) pending()
  }
  input.addEventListener("input", function () {
    if (!typing) pushNext = true
    typing = true
    clearTimeout(pause)
    form.setAttribute("aria-busy", "true")
    pending = function () {
      pending = null
      go(fromForm(1), pushNext)
      pushNext = false
    }
    var query = input.value.trim()
    pause = setTimeout(pending, query ? api.pauseFor(query) : 0)
  })
  form.addEventListener("submit", function (event) {
    event.preventDefault()
    flushTyping()
    typing = false
  })
  form.addEventListener("reset", function () {
    clearTimeout(pause)
    pending = null
    setTimeout(function () {
      typing = false
      go(fromForm(1), true)
    })
  })
  window.addEventListener("popstate", function () {
    clearTimeout(pause)
    pending = null
    typing = false
    render(fromUrl())
  })

  if (facets && window.matchMedia("(max-width: 59.9375em)").matches) facets.open = false
  render(fromUrl())
})()
