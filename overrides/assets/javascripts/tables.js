// Make every plain Markdown table sortable (Material's "sortable tables"
// recipe). `document$` emits on every page load, including instant navigation.
document$.subscribe(function () {
  var tables = document.querySelectorAll("article table:not([class])")
  tables.forEach(function (table) {
    new Tablesort(table)
  })
})
