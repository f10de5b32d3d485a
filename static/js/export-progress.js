/* Export job page: poll the job's JSON status, move the progress bar, and reload the page
   when the job is finished so that the server shows the download link or the reason of
   failure. No inline script: the page carries the status URL in a data attribute. */
(function () {
  "use strict";
  var section = document.getElementById("export-job");
  if (!section || section.dataset.finished === "1") { return; }
  var url = section.dataset.statusUrl;
  var bar = document.getElementById("export-progress");
  var label = document.getElementById("export-status");
  var percent = document.getElementById("export-percent");
  var delay = 1000;

  function show(data) {
    if (label) { label.textContent = data.status_label; }
    if (bar) {
      bar.value = data.progress;
      bar.textContent = data.progress_label;
    }
    if (percent) { percent.textContent = data.progress_label; }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // Network hiccup or server restart: back off, keep trying.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, 500);
})();
