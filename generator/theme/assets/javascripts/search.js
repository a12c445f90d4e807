/*
 * Search: the box in Material's header, over the Pagefind index.
 *
 * Pagefind's index (site/pagefind/, built from the catalog by `python -m generator
 * index`, generator/site/search_index.py) loads its small entry files when the box
 * is first used, then only the index chunks a query needs: no page downloads an
 * index that grows with the catalog. Results are compact cards built here with DOM methods: every value
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

  /* How much a match counts where. Each record's text is the abstract (and the
     curator's note); the title, authors and topics are its metadata, which Pagefind
     searches with these weights: a title match outweighs any number of matches in the
     abstract, an author or topic outweighs the abstract's, and the teaser (the
     abstract's first sentence again) and the year do not count twice. */
  var RANKING = { metaWeights: { title: 8, authors: 3, topics: 3, code: 1, teaser: 0, year: 0 } }

  /* Pagefind, loaded once, on first use, with the bundles the index is split into
     past BUNDLE_PAPERS papers (bundles.json; generator/site/search_index.py), merged into
     one search in the order listed. `first()` is the first bundle alone: past one
     bundle, the header search shows its matches while the others load (every bundle
     holds a like share of every year and topic), so a cold search does not wait for
     every bundle's metadata, about 7 bytes a paper. */
  var base = new URL("pagefind/", root)
  var options = { baseUrl: root.pathname, ranking: RANKING }
  var starting = null
  var rest = []  // the other bundles' folders, from bundles.json

  function first() {
    if (!starting) {
      // Pagefind starts loading its own files as soon as it is in, without waiting for
      // the list of bundles, which only merging needs.
      starting = Promise.all([
        import(new URL("pagefind.js", base).href).then(function (pf) {
          // noWorker: Pagefind runs on the page instead of in a Web Worker, which saves
          // loading and starting the worker (40 KB) before the first result.
          return pf.options(Object.assign({ noWorker: true }, options)).then(function () {
            pf.init()
            return ready(pf)
          })
        }),
        fetch(new URL("bundles.json", base).href, { cache: "no-cache" }).then(function (response) {
          return response.ok ? response.json() : { merge: [] }
        }),
      ]).then(function (loaded) {
        rest = loaded[1].merge || []
        return loaded[0]
      })
      starting.catch(function () { starting = null })
    }
    return starting
  }

  /* Resolves to `pf` once Pagefind can search. Until its WebAssembly and metadata are
     in, Pagefind makes a search wait in steps of 50 ms, so a search asked for early
     starts up to 50 ms after it could; empty searches, which return as soon as Pagefind
     is ready, asked for 10 ms apart, find that moment to within 10 ms. */
  function ready(pf) {
    return new Promise(function (resolve, reject) {
      for (var i = 0; i < 5; i++) {
        setTimeout(function () { pf.search("").then(function () { resolve(pf) }, reject) }, 10 * i)
      }
    })
  }

  function pagefind() {
    if (!loading) {
      loading = first().then(function (pf) {
        return Promise.all(rest.map(function (path) {
          return pf.mergeIndex(new URL(path, base).pathname, options)
        })).then(function () { return pf })
      })
      loading.catch(function () { loading = null })
    }
    return loading
  }

  /* Browse's orders over the index: relevance is Pagefind's score; "newest" is the
     catalog's order (places); "upvoted" is every upvote count's papers, newest first,
     from the highest count down (upvote counts are a filter of the index, so a page
     of results needs one search per count it spans). */
  var SORTS = { newest: true, upvoted: true }
  var placing = null

  /* Each paper's place in the catalog, newest first (result id -> place), read once.
     The index holds the papers newest first, dealt out in turn to its bundles (bundle
     b holds places b, b + K, b + 2K...), and a search for nothing lists every paper,
     bundle after bundle, each in its own order: no sort key is needed for it. */
  function places(pf) {
    if (!placing) {
      placing = pf.search(null).then(function (all) {
        var total = all.results.length
        var place = {}
        var at = 0
        var bundles = 1 + rest.length
        for (var b = 0; b < bundles; b++) {
          var size = Math.ceil((total - b) / bundles)
          for (var i = 0; i < size; i++) place[all.results[at + i].id] = i * bundles + b
          at += size
        }
        return place
      })
      placing.catch(function () { placing = null })
    }
    return placing
  }

  function byPlace(results, place) {
    return results.slice().sort(function (a, b) { return place[a.id] - place[b.id] })
  }

  /* A search in one of Browse's orders: resolves to the number of results, the
     facet counts, and slice(from, to), which resolves to those results in order. */
  function find(pf, query, filters, order) {
    return Promise.all([pf.search(query, { filters: filters }), order in SORTS ? places(pf) : null])
      .then(function (found) {
        var search = found[0]
        var results = found[1] ? byPlace(search.results, found[1]) : search.results
        var slice = function (from, to) { return Promise.resolve(results.slice(from, to)) }
        if (order === "upvoted") slice = byUpvotes(pf, query, filters, (search.filters || {}).upvotes || {}, found[1])
        return { total: results.length, filters: search.filters || {}, slice: slice }
      })
  }

  function byUpvotes(pf, query, filters, counts, place) {
    var values = Object.keys(counts).filter(function (v) { return counts[v] > 0 })
      .sort(function (a, b) { return Number(b) - Number(a) })
    return function (from, to) {
      var parts = []
      var at = 0
      values.forEach(function (value) {
        var n = counts[value]
        if (at < to && at + n > from) {
          var range = [Math.max(0, from - at), Math.min(n, to - at)]
          parts.push(pf.search(query, { filters: Object.assign({}, filters, { upvotes: value }) })
            .then(function (search) { return byPlace(search.results, place).slice(range[0], range[1]) }))
        }
        at += n
      })
      return Promise.all(parts).then(function (lists) { return [].concat.apply([], lists) })
    }
  }

  /* The excerpt: words of the abstract around the first match in it, the matched
     words marked; or, when the query matched only the title, authors or topics,
     the abstract's first sentence. Built from the record's text (the abstract and
     the note, split on whitespace, which Pagefind's `locations` index into) rather
     than from Pagefind's ready-made excerpt. */
  var EXCERPT_WORDS = 28

  function excerptOf(data) {
    var meta = data.meta || {}
    var words = (data.content || "").trim().split(/\s+/)
    var hits = (data.locations || []).slice().sort(function (a, b) { return a - b })
    if (!hits.length) return document.createTextNode(meta.teaser || "")
    var from = Math.max(0, hits[0] - 5)
    var to = Math.min(words.length, from + EXCERPT_WORDS)
    var out = document.createDocumentFragment()
    var text = from > 0 ? "… " : ""
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
      meta.year ? el("span", "pi-card__year", meta.year) : null,
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

  /* Searching. Only the latest query is searched: a search runs when typing has paused
     for pauseFor(query), Pagefind is ready and no other search is running, and by then
     the box may hold more; a search once started cannot be stopped, and each one makes
     the next wait. Results that arrive for a query the box no longer holds are not shown. */
  var wanted = ""
  var typedAt = 0
  var running = false

  function schedule() {
    clearTimeout(pause)
    var query = wanted
    if (!query) return show("")
    if (running) return  // the running search schedules the next when it ends
    var wait = typedAt + pauseFor(query) - Date.now()
    if (wait > 0) pause = setTimeout(schedule, wait)
    else show(query)
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
    running = true
    var ended = false
    var end = function () {
      if (ended) return
      ended = true
      running = false
      if (wanted !== query) schedule()
    }
    var search = function (pf) {
      return mine === sequence ? pf.search(normalize(query)) : null
    }
    // Before the other bundles are merged (past one bundle), the first one's matches
    // show at once; the others load once its best match is shown; then every bundle's.
    var early = loading ? Promise.resolve(null) : first().then(function (pf) {
      return rest.length && !loading ? search(pf) : null
    })
    early.then(function (found) {
      end()
      if (found) return render(found, mine, query, false).shown
    }).then(function () {
      return mine === sequence ? pagefind() : null
    }).then(function (pf) {
      if (!pf || mine !== sequence) return
      running = true
      ended = false
      return search(pf)
    }).then(function (found) {
      end()
      if (found) return render(found, mine, query, true).done
    }).catch(function () {
      end()
      if (mine !== sequence) return
      status.textContent = "Search is unavailable here: serve the site over http (see README)."
    })
  }

  /* Show a search's best matches: the best one as soon as its own record arrives (the
     others' records are fetched after it), then the rest, the count and the way on to
     Browse together. `whole` is false for the first bundle's matches alone, shown while
     the others load. Returns promises of the first card shown (`shown`) and of all. */
  var shownFor = 0
  var wholeFor = 0

  function render(search, mine, query, whole) {
    if (mine !== sequence) return { shown: null, done: null }  // typed on meanwhile: skip fetching these results
    var shown = search.results.slice(0, LIMIT)
    var total = search.results.length
    var done = false
    var best = shown.length ? shown[0].data() : Promise.resolve(null)
    var firstShown = best.then(function (data) {
      if (data && mine === sequence && !done && shownFor !== mine) list.replaceChildren(card(data))
    })
    var all = best.then(function () {
      return Promise.all(shown.map(function (r) { return r.data() }))
    }).then(function (data) {
      done = true
      if (mine !== sequence || (!whole && wholeFor === mine)) return
      list.replaceChildren.apply(list, data.map(card))
      shownFor = mine
      if (whole) wholeFor = mine
      if (!whole) {
        status.textContent = "Searching every paper\u2026"
        none.hidden = more.hidden = true
        return
      }
      status.textContent = total ? plural(total, "paper") + " found" : "No papers found"
      none.hidden = total > 0
      none.querySelector("q").textContent = query
      more.hidden = total <= shown.length
      more.href = browseUrl(query)
      more.querySelector("span").textContent = "All " + plural(total, "result") + ", with filters and sorting"
    })
    return { shown: firstShown, done: all }
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

  input.addEventListener("focus", function () { open(); first() })
  input.addEventListener("input", function () {
    wanted = input.value.trim()
    typedAt = Date.now()
    sequence++  // whatever was on its way is out of date
    schedule()
  })
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) input.focus()
    })
  }
  form.addEventListener("reset", function () {
    setTimeout(function () { wanted = ""; sequence++; schedule(); input.focus() })
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

  window.PaperIndexSearch = { pagefind: pagefind, find: find, sorts: SORTS, normalize: normalize,
                              pauseFor: pauseFor, card: card, el: el, plural: plural, root: root }
})()
