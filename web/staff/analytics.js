// Draws the analytics page's charts with Chart.js from the figures the page carries (no request of its own).
(function () {
  'use strict';
  var block = document.getElementById('analytics-data');
  if (!block || typeof Chart === 'undefined') return;
  var data = JSON.parse(block.textContent);
  var colours = ['#0f766e', '#1d4ed8', '#067647', '#8a4b00', '#b42318', '#6b21a8'];
  function dataset(d, i) {
    return { label: d.label, data: d.data, borderColor: colours[i], backgroundColor: colours[i], tension: 0.2 };
  }
  var common = { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } };
  new Chart(document.getElementById('traffic-chart'), {
    type: 'line',
    data: { labels: data.labels, datasets: data.datasets.map(dataset) },
    options: common,
  });
  new Chart(document.getElementById('outcomes-chart'), {
    type: 'bar',
    data: { labels: data.labels, datasets: data.outcomes.map(dataset) },
    options: Object.assign({}, common, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }),
  });
})();
