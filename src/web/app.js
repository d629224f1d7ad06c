// app.js: the little script that enhances the server-rendered pages; every
// page works the same without it. Served as /static/app.js (the
// Content-Security-Policy allows no inline script).
//  - A meeting's page: keeps "Đã bỏ phiếu: 7/9" up to date while a round
//    is open, and reloads once it is closed (its results then appear).
//  - My review (Mẫu 02): when a level or the self-rating changes, asks the
//    server for the engine's verdict on the form as it stands (POST with
//    "preview", which writes nothing) and shows it in place.
(function () {
  'use strict';
  if (!window.fetch)
    return;

  var count = document.getElementById('vote-count');
  if (count && count.dataset.countUrl) {
    setInterval(function () {
      fetch(count.dataset.countUrl, { credentials: 'same-origin', cache: 'no-store' })
        .then(function (x) { return x.ok ? x.json() : null; })
        .then(function (s) {
          if (!s)
            return;
          if (!s.open) {
            location.reload();
            return;
          }
          document.getElementById('vote-cast').textContent = s.cast;
          document.getElementById('vote-eligible').textContent = s.eligible;
        })
        .catch(function () {});
    }, 3000);
  }

  var verdict = document.getElementById('verdict');
  var form = verdict && document.querySelector('form[action="/review"]');
  if (form) {
    var pending = 0;
    form.addEventListener('change', function (e) {
      if (!e.target || e.target.type !== 'radio')
        return;
      var body = new URLSearchParams(new FormData(form));
      body.delete('action');
      body.set('preview', '1');
      var mine = ++pending;
      fetch('/review', { method: 'POST', credentials: 'same-origin', body: body })
        .then(function (x) { return x.ok ? x.text() : null; })
        .then(function (html) {
          if (html === null || mine !== pending)
            return;
          var box = document.getElementById('verdict');
          var tmp = document.createElement('div');
          tmp.innerHTML = html;   // the server's own escaped markup
          var fresh = tmp.querySelector('#verdict');
          if (box && fresh)
            box.replaceWith(fresh);
        })
        .catch(function () {});
    });
  }
})();
