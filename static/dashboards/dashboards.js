/* imp-assess dashboards: draw the Plotly figures embedded as JSON (json_script), and keep the
   filter URLs short. No inline script anywhere, so a strict CSP can forbid them. */
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-figure"));
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(container, figure.data, figure.layout, {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d"]
    });
  }

  // Empty filters are left out of the URL, so a bookmarked view reads clearly.
  function dropEmptyParameters(form) {
    form.addEventListener("formdata", function (event) {
      var empty = [];
      event.formData.forEach(function (value, key) {
        if (value === "") {
          empty.push(key);
        }
      });
      empty.forEach(function (key) {
        if (event.formData.getAll(key).every(function (value) { return value === ""; })) {
          event.formData.delete(key);
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-figure]").forEach(draw);
    document.querySelectorAll("form.js-dash-filters").forEach(dropEmptyParameters);
  });
})();
