// Filters a table's rows as staff type (in the page only: the search never goes into a link or a log).
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  document.querySelectorAll('input[data-filter-table]').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-filter-table'));
    if (!table) return;
    input.addEventListener('input', function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      table.querySelectorAll('tbody tr').forEach(function (row) {
        var text = row.getAttribute('data-search') || row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) {
          return text.indexOf(w) >= 0;
        });
      });
    });
  });
})();
