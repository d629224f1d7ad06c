// vote.js: keeps "Đã bỏ phiếu: 7/9" on a meeting's page up to date while a
// round is open, and reloads the page once it is closed (its results then
// appear). Served as /static/vote.js: the Content-Security-Policy allows no
// inline script. Without it the page works the same, refreshed by hand.
(function () {
  var p = document.getElementById('vote-count');
  if (!p || !p.dataset.countUrl || !window.fetch)
    return;
  function tick() {
    fetch(p.dataset.countUrl, { credentials: 'same-origin', cache: 'no-store' })
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
  }
  setInterval(tick, 3000);
})();
