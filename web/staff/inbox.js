// Keeps the inbox and a conversation live: polls the console for changes and updates the page in place.
// Each poll also tells the bot this agent is at the inbox (presence). The HTML it inserts is built and
// escaped by the console itself.
(function () {
  'use strict';
  var REFRESH_EVERY = 30; // polls: the list is fetched again anyway so wait times move on
  var status = document.getElementById('live-status');

  function live(ok) {
    if (status) status.hidden = ok;
  }

  function poller(intervalMs, url, apply) {
    var running = false;
    function tick() {
      if (running) return;
      running = true;
      fetch(url(), { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
        .then(function (res) {
          if (res.status === 401) {
            window.location.reload();
            return undefined;
          }
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.json().then(apply);
        })
        .then(
          function () {
            live(true);
          },
          function () {
            live(false);
          },
        )
        .then(function () {
          running = false;
          window.setTimeout(tick, document.hidden ? Math.max(intervalMs, 10000) : intervalMs);
        });
    }
    window.setTimeout(tick, intervalMs);
  }

  var list = document.getElementById('inbox-list');
  if (list) {
    var polls = 0;
    poller(
      Number(list.getAttribute('data-poll-ms')) || 2000,
      function () {
        polls += 1;
        var since = polls % REFRESH_EVERY === 0 ? '-1' : list.getAttribute('data-version');
        return list.getAttribute('data-updates') + '&since=' + encodeURIComponent(since);
      },
      function (data) {
        list.setAttribute('data-version', String(data.version));
        if (!data.changed) return;
        list.innerHTML = data.list;
        Object.keys(data.counts || {}).forEach(function (tab) {
          var count = document.querySelector('[data-count="' + tab + '"]');
          if (count) count.textContent = String(data.counts[tab]);
        });
      },
    );
  }

  var transcript = document.getElementById('transcript');
  if (transcript) {
    var reply = document.getElementById('reply-text');
    var changed = document.getElementById('state-changed');
    var flags = document.getElementById('red-flags');
    poller(
      Number(transcript.getAttribute('data-poll-ms')) || 2000,
      function () {
        return transcript.getAttribute('data-messages') + '?after=' + transcript.getAttribute('data-after');
      },
      function (data) {
        if (data.items) {
          transcript.insertAdjacentHTML('beforeend', data.items);
          transcript.lastElementChild && transcript.lastElementChild.scrollIntoView({ block: 'nearest' });
        }
        transcript.setAttribute('data-after', String(data.after));
        if (flags && flags.getAttribute('data-count') !== String(data.redFlagCount)) {
          flags.setAttribute('data-count', String(data.redFlagCount));
          flags.innerHTML = data.redFlags;
          var count = document.getElementById('red-flag-count');
          if (count) count.textContent = String(data.redFlagCount);
        }
        if (data.state !== transcript.getAttribute('data-state')) {
          // Claimed by someone, resolved or cancelled: the page's buttons are out of date.
          if (reply && reply.value.trim() !== '') {
            if (changed) changed.hidden = false;
          } else {
            window.location.reload();
          }
        }
      },
    );
  }

  // A ready-made reply fills the reply box, where staff can still change it before sending.
  var canned = document.querySelector('select[data-fill]');
  if (canned) {
    canned.addEventListener('change', function () {
      var box = document.getElementById(canned.getAttribute('data-fill'));
      var option = canned.options[canned.selectedIndex];
      if (box && option && option.value !== '') {
        box.value = option.textContent.trim();
        box.focus();
      }
    });
  }
})();
