// Sortable paper tables (generator/site/templates/_table.md): each column header
// gets a real <button>, so the keyboard reaches it, and the header says how the
// table is sorted with aria-sort. A header's `data-pi-sort` says what its cells
// hold: "date" and "number" sort newest or largest first on the first press,
// text sorts A-Z; empty cells always go last, and equal cells keep the order the
// table came in (newest first). `document$` emits on every page load.
document$.subscribe(function () {
  document.querySelectorAll("table[data-pi-sortable]").forEach(function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells)
    var body = table.tBodies[0]
    var rows = Array.prototype.slice.call(body.rows)
    rows.forEach(function (row, i) { row.piIndex = i })
    headers.forEach(function (th, column) {
      if (th.querySelector("button")) return  // already set up
      var button = document.createElement("button")
      button.type = "button"
      while (th.firstChild) button.appendChild(th.firstChild)
      th.appendChild(button)
      button.addEventListener("click", function () {
        var kind = th.getAttribute("data-pi-sort") || "text"
        var current = th.getAttribute("aria-sort")
        var descending = current ? current === "ascending" : kind !== "text"
        sort(column, kind, descending)
        headers.forEach(function (other) { other.removeAttribute("aria-sort") })
        th.setAttribute("aria-sort", descending ? "descending" : "ascending")
      })
    })

    function value(row, column, kind) {
      var text = row.cells[column].textContent.trim()
      if (!text) return null
      return kind === "number" ? parseFloat(text) : kind === "date" ? text : text.toLocaleLowerCase()
    }

    function sort(column, kind, descending) {
      var keyed = rows.map(function (row) { return { row: row, key: value(row, column, kind) } })
      keyed.sort(function (a, b) {
        if (a.key === null || b.key === null) {
          if (a.key === b.key) return a.row.piIndex - b.row.piIndex
          return a.key === null ? 1 : -1
        }
        var order = typeof a.key === "number" ? a.key - b.key : a.key.localeCompare(b.key)
        if (descending) order = -order
        return order || a.row.piIndex - b.row.piIndex
      })
      keyed.forEach(function (item) { body.appendChild(item.row) })
    }
  })
})
