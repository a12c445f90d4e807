/*
 * Search: the box in Material's header, over the Pagefind index.
 *
 * Pagefind (site/pagefind/, built by `python -m pagefind` after `mkdocs build`)
 * loads its small entry files when the box is first used, then only the index
 * chunks a query needs: no page downloads an index that grows with the
 * catalog. Results are compact cards built here with DOM methods: every value
 * from the index is set as text, never as HTML (the highlights are <mark>
 * elements made here). The card's markup is not a <template> in the header
 * because the header is on every page.
 *
 * Keys: "/" or "s" focus the box; the arrow keys move through the results;
 * Enter opens the focused result (in the box: the first one); Escape closes.
 * browse.js (the Browse page) reuses what this file exports as PaperIndexSearch.
 */
(function () {
  "use strict"

  var box = document.querySelector("[data-pi-search]")
  if (!box) return
  var root = new URL((box.getAttribute("data-pi-root") || ".") + "/", location.href)
  var toggle = document.getElementById("__search")
  var form = box.querySelector("form")
  var input = box.querySelector(".md-search__input")
  var list = box.querySelector(".pi-results")
  var status = box.querySelector(".md-search-result__meta")
  var more = null
  var none = null
  var LIMIT = 8
  var pause = null

  /* How long typing must pause before a search runs. Every search fetches the
     index chunks its words start, and Pagefind runs them one after the other, so a
     search per keystroke makes the last one wait for all the others. A query of
     one or two characters matches the start of thousands of words, and would
     fetch a large part of the index: it waits for a real pause. */
  function pauseFor(query) {
    return query.length < 3 ? 350 : 60
  }
  var loading = null
  var sequence = 0
  var idle = status.textContent

  /* Pagefind, loaded once, on first use. */
  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        // noWorker: Pagefind runs on the page instead of in a Web Worker, which saves
        // loading and starting the worker (40 KB) before the first result.
        return pf.options({ baseUrl: root.pathname, noWorker: true }).then(function () {
          pf.init()
          return pf
        })
      })
      loading.catch(function () { loading = null })
    }
    return loading
  }

  /* The excerpt: words of the abstract around the first match in it, the matched
     words marked; or, when the query matched only the title, authors or topics,
     the abstract's first sentence. Built from the page's indexed text (plain text,
     split on whitespace, which Pagefind's `locations` index into) rather than from
     Pagefind's ready-made excerpt, which would often just repeat the title. */
  var EXCERPT_WORDS = 28

  function excerptOf(data) {
    var meta = data.meta || {}
    var anchor = (data.anchors || []).filter(function (a) { return a.id === "abstract-text" })[0]
    var words = (data.content || "").trim().split(/\s+/)
    var start = anchor ? anchor.location : words.length
    var hits = (data.locations || []).filter(function (at) { return at >= start }).sort(function (a, b) { return a - b })
    if (!hits.length) return document.createTextNode(meta.teaser || "")
    var from = Math.max(start, hits[0] - 5)
    var to = Math.min(words.length, from + EXCERPT_WORDS)
    var out = document.createDocumentFragment()
    var text = from > start ? "… " : ""
    for (var at = from; at < to; at++) {
      if (hits.indexOf(at) >= 0) {
        out.appendChild(document.createTextNode(text))
        out.appendChild(el("mark", null, words[at]))
        text = " "
      } else {
        text += words[at] + " "
      }
    }
    out.appendChild(document.createTextNode(to < words.length ? text + "…" : text.trimEnd()))
    return out
  }

  /* An element with a class and, optionally, text or children. */
  function el(tag, className, content) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (typeof content === "string") node.textContent = content
    else if (content) content.forEach(function (child) { if (child) node.appendChild(child) })
    return node
  }

  /* An icon from the icon stylesheet (theme/partials/icon.html). */
  function icon(name) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg")
    svg.setAttribute("class", "pi-i pi-i--" + name.replace("/", "-"))
    svg.setAttribute("aria-hidden", "true")
    return svg
  }

  /* A result: the title links to the paper; year, topics, a code marker, and an
     excerpt of at most two lines (CSS) with the query's words marked. */
  /* What Pagefind is asked. Hyphens become spaces: Pagefind indexes
     "super-resolution" as "super", "resolution" and "superresolution", but reads a
     hyphenated query as one word, so without this "super-resolution" would miss
     papers that write "super resolution". */
  function normalize(query) {
    return query.replace(/[\u2010-\u2015-]+/g, " ").replace(/\s+/g, " ").trim()
  }

  function card(data) {
    var meta = data.meta || {}
    var link = el("a", "pi-card__title", meta.title || data.url)
    link.href = data.url
    var code = null
    if (meta.code) {
      code = el("span", "pi-card__code", [icon("material/github"), document.createTextNode("Code")])
      code.title = "Code: " + meta.code
    }
    var facts = el("p", "pi-card__meta", [
      meta.date ? el("span", "pi-card__year", meta.date.slice(0, 4)) : null,
      meta.topics ? el("span", "pi-card__topics", meta.topics) : null,
      code,
    ])
    return el("li", "pi-card", [link, facts, el("p", "pi-card__excerpt", [excerptOf(data)])])
  }

  /* The line under the results: nothing found (with a way on), or all results. */
  function footer() {
    if (none) return
    var topics = el("a", null, "browse the topics")
    topics.href = new URL("topics/", root).href
    none = el("p", "pi-noresults", [document.createTextNode("Nothing matches "), el("q"),
      document.createTextNode(". Try fewer or other words, or "), topics, document.createTextNode(".")])
    more = el("a", "pi-search__more", [el("span"), icon("material/arrow-right")])
    none.hidden = more.hidden = true
    list.after(none, more)
  }

  function plural(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s")
  }

  function browseUrl(query) {
    var url = new URL("browse/", root)
    if (query) url.searchParams.set("q", query)
    return url.href
  }

  function links() {
    return Array.prototype.slice.call(box.querySelectorAll(".pi-card__title, .pi-search__more:not([hidden])"))
  }

  function show(query) {
    var mine = ++sequence
    footer()
    if (!query) {
      list.replaceChildren()
      more.hidden = none.hidden = true
      status.textContent = idle
      return
    }
    pagefind().then(function (pf) {
      return pf.search(normalize(query)).then(function (search) {
        if (mine !== sequence) return  // typed on meanwhile: skip fetching these results
        var shown = search.results.slice(0, LIMIT)
        var total = search.results.length
        // The best match shows as soon as its own record arrives; the rest, the count
        // and the way on to Browse follow together.
        var done = false
        if (shown.length) {
          shown[0].data().then(function (data) {
            if (mine === sequence && !done) list.replaceChildren(card(data))
          })
        }
        return Promise.all(shown.map(function (r) { return r.data() })).then(function (data) {
          done = true
          if (mine !== sequence) return
          list.replaceChildren.apply(list, data.map(card))
          status.textContent = total ? plural(total, "paper") + " found" : "No papers found"
          none.hidden = total > 0
          none.querySelector("q").textContent = query
          more.hidden = total <= shown.length
          more.href = browseUrl(query)
          more.querySelector("span").textContent = "All " + plural(total, "result") + ", with filters and sorting"
        })
      })
    }).catch(function () {
      if (mine !== sequence) return
      status.textContent = "Search is unavailable here: serve the site over http (see README)."
    })
  }

  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true
      toggle.dispatchEvent(new Event("change"))
    }
  }

  function close() {
    if (toggle && toggle.checked) {
      toggle.checked = false
      toggle.dispatchEvent(new Event("change"))
    }
    input.blur()
  }

  input.addEventListener("focus", function () { open(); pagefind() })
  input.addEventListener("input", function () {
    var query = input.value.trim()
    clearTimeout(pause)
    sequence++  // whatever was on its way is out of date
    if (!query) show(query)
    else pause = setTimeout(function () { show(query) }, pauseFor(query))
  })
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) input.focus()
    })
  }
  form.addEventListener("reset", function () {
    setTimeout(function () { show(""); input.focus() })
  })
  form.addEventListener("submit", function (event) {
    var first = box.querySelector(".pi-card__title")
    if (first) {
      event.preventDefault()
      location.href = first.href
    }
  })

  box.addEventListener("keydown", function (event) {
    var items = links()
    var at = items.indexOf(document.activeElement)
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) return
      event.preventDefault()
      var next = event.key === "ArrowDown" ? at + 1 : at - 1
      if (next < 0) input.focus()
      else items[Math.min(next, items.length - 1)].focus()
    } else if (event.key === "Escape") {
      event.preventDefault()
      close()
    } else if (at >= 0 && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      input.focus()  // keep typing: the key goes to the box
    }
  })

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
    var target = event.target
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    if (!typing && (event.key === "/" || event.key === "s")) {
      event.preventDefault()
      open()
      input.focus()
    }
  })

  window.PaperIndexSearch = { pagefind: pagefind, normalize: normalize, pauseFor: pauseFor, card: card, el: el,
                              plural: plural, root: root }
})()
