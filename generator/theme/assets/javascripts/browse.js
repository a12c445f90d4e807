/*
 * The Browse page (theme/browse.html): every paper, narrowed by facets and
 * searched and sorted over the Pagefind index, a page of results at a time.
 *
 * The whole view is the URL: ?q=...&topic=...&year=...&kind=...&code=yes&sort=...&page=N,
 * where a facet's values repeat, and `not-` before a facet's name excludes a value:
 * ?topic=vision&not-topic=speech is "vision, but not speech". A shared URL reopens the
 * same view; every change is a history entry, so Back steps through them. Typing
 * replaces the entry it started, so Back does not step through single letters.
 *
 * Within a facet, the included values are alternatives (any of them) and the excluded
 * ones are all left out (Pagefind's `any` and `none`); facets combine (all). A value is
 * off, included or excluded, never both: checking one of its two boxes clears the other.
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
  var FACETS = ["topic", "year", "kind", "code"]
  var NOT = "not-"
  var EXCLUDED = "pi-facet__option--excluded"
  var SORTS = api.sorts
  var sequence = 0
  var typing = false
  var current = null

  /* --- state <-> URL <-> form ------------------------------------------- */

  /* A facet's values, each once; an excluded value is not also included. */
  function facetsOf(state, values) {
    FACETS.forEach(function (name) {
      var out = unique(values(NOT + name))
      state[NOT + name] = out
      state[name] = unique(values(name)).filter(function (v) { return out.indexOf(v) < 0 })
    })
    return state
  }

  function offered(name, value) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
      return box.name === name && box.value === value
    })
  }

  function unique(values) {
    return values.filter(function (v, i) { return v && values.indexOf(v) === i })
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search)
    var state = { q: (params.get("q") || "").trim(), sort: params.get("sort") || "",
                  page: parseInt(params.get("page"), 10) || 1 }
    // Only values this page offers: a value from an old or mistyped address (a topic
    // since renamed, a year with no papers any more) would silently match nothing.
    facetsOf(state, function (name) { return params.getAll(name).filter(function (value) {
      return offered(name, value)
    }) })
    if (!(state.sort in SORTS) && state.sort !== "relevance") state.sort = ""
    if (state.page < 1) state.page = 1
    return state
  }

  /* The form's view. The sort is the one chosen last in the menu: the menu only
     shows the default (relevance with a query, newest without) until then. */
  function fromForm(page, sortChosen) {
    var data = new FormData(form)
    var state = { q: (data.get("q") || "").trim(),
                  sort: sortChosen ? sortSelect.value : (current && current.sort) || "", page: page || 1 }
    facetsOf(state, function (name) { return data.getAll(name) })
    // The default sort never goes in the URL.
    if (state.sort === (state.q ? "relevance" : "newest")) state.sort = ""
    return state
  }

  function toUrl(state) {
    var params = new URLSearchParams()
    if (state.q) params.set("q", state.q)
    FACETS.forEach(function (name) {
      ;[name, NOT + name].forEach(function (key) {
        state[key].forEach(function (value) { params.append(key, value) })
      })
    })
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
      box.checked = (state[box.name] || []).indexOf(box.value) >= 0
      if (box.name.indexOf(NOT) === 0) box.closest(".pi-facet__option").classList.toggle(EXCLUDED, box.checked)
    })
    sortSelect.value = effectiveSort(state)
    sortSelect.querySelector("option[value=relevance]").disabled = !state.q
  }

  /* --- searching --------------------------------------------------------- */

  function filtersOf(state) {
    var filters = {}
    FACETS.forEach(function (name) {
      var filter = {}
      if (state[name].length) filter.any = state[name]
      if (state[NOT + name].length) filter.none = state[NOT + name]
      if (filter.any || filter.none) filters[name] = filter
    })
    return filters
  }

  /* How many papers each excluded value leaves out: its count with that exclusion
     lifted and everything else as it is (one more search each; Pagefind counts a
     value within the results, where an excluded one has none). */
  function hiddenCounts(pf, query, state) {
    var asks = []
    FACETS.forEach(function (name) {
      state[NOT + name].forEach(function (value) {
        var lifted = Object.assign({}, state)
        lifted[NOT + name] = state[NOT + name].filter(function (v) { return v !== value })
        asks.push(pf.search(query, { filters: filtersOf(lifted) }).then(function (search) {
          return [name, value, ((search.filters || {})[name] || {})[value] || 0]
        }))
      })
    })
    return Promise.all(asks)
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

  /* Each value's count of papers among the results; an excluded value's, of the
     papers it leaves out ("12 hidden"). */
  function counts(filters, hidden) {
    var out = {}
    hidden.forEach(function (h) { out[h[0] + "\n" + h[1]] = h[2] })
    form.querySelectorAll(".pi-facet__count").forEach(function (span) {
      var key = span.getAttribute("data-facet") + "\n" + span.getAttribute("data-value")
      var excluded = key in out
      var values = filters[span.getAttribute("data-facet")] || {}
      var n = excluded ? out[key] : values[span.getAttribute("data-value")] || 0
      span.textContent = n.toLocaleString("en") + (excluded ? " hidden" : "")
      span.closest(".pi-facet__option").classList.toggle("pi-facet__option--empty", n === 0 && !excluded)
    })
  }

  var retried = false

  function render(state) {
    var mine = ++sequence
    current = state
    toForm(state)
    form.setAttribute("aria-busy", "true")
    api.pagefind().then(function (pf) {
      var query = api.normalize(state.q) || null
      return pf.filters().then(function () {
        return api.find(pf, query, filtersOf(state), effectiveSort(state))
      }).then(function (search) {
        var total = search.total
        var last = Math.max(1, Math.ceil(total / PAGE))
        if (state.page > last) state.page = last
        var shown = search.slice((state.page - 1) * PAGE, state.page * PAGE).then(function (slice) {
          return Promise.all(slice.map(function (r) { return r.data() }))
        })
        return Promise.all([shown, hiddenCounts(pf, query, state)]).then(function (done) {
          if (mine !== sequence) return
          var data = done[0]
          list.replaceChildren.apply(list, data.map(api.card))
          list.start = (state.page - 1) * PAGE + 1
          var from = total ? (state.page - 1) * PAGE + 1 : 0
          status.textContent = total > PAGE
            ? api.plural(total, "paper") + ", " + from + "–" + (from + data.length - 1) + " shown"
            : api.plural(total, "paper")
          none.hidden = total > 0
          paginate(state, total)
          counts(search.filters, done[1])
          form.removeAttribute("aria-busy")
        })
      })
    }).catch(function () {
      if (mine !== sequence) return
      // One more try before giving up: a bundle that failed to load once (a busy
      // connection, a request cut short) usually loads the second time.
      if (!retried) {
        retried = true
        setTimeout(function () { if (mine === sequence) render(state) }, 250)
        return
      }
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
    var box = event.target
    if (box.type === "checkbox" && box.checked) {  // included or excluded: not both
      var other = box.name.indexOf(NOT) === 0 ? box.name.slice(NOT.length) : NOT + box.name
      form.querySelectorAll("input[type=checkbox]").forEach(function (b) {
        if (b.name === other && b.value === box.value) b.checked = false
      })
    }
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
  go(fromUrl(), false)  // the address without the values dropped, in the same history entry
})()
