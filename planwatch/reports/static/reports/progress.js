// Follows a report build run by the background worker; reloads the page when it is done.
(function () {
  var script = document.currentScript;
  var url = script.getAttribute("data-url");
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        document.getElementById("report-status").textContent = data.status_label;
        document.getElementById("report-stage").textContent = data.stage;
        document.getElementById("report-percent").textContent = data.progress + "%";
        document.getElementById("report-bar").style.width = data.progress + "%";
        if (data.done) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 800);
})();
