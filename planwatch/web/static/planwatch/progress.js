// Polls an import's progress while the background worker reads the file.
(function () {
  var script = document.currentScript;
  var url = script.getAttribute("data-url");
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        document.getElementById("rows").textContent = data.rows;
        if (data.done) { window.location.reload(); } else { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
