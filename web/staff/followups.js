// Draws the follow-ups page's bar chart with Chart.js from the figures the page carries (no request of its own).
(function () {
  'use strict';
  var block = document.getElementById('followups-data');
  if (!block || typeof Chart === 'undefined') return;
  var data = JSON.parse(block.textContent);
  var colours = ['#8a4b00', '#067647'];
  new Chart(document.getElementById('followups-chart'), {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (d, i) {
        return { label: d.label, data: d.data, backgroundColor: colours[i], borderColor: colours[i] };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
