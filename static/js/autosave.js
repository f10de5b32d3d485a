/* Autosave for the answering page: a few seconds after typing stops, and when
   the tab is hidden or closed. The server checks revisions, so a stale page
   never overwrites someone else's answer; the user is told instead. */
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !form.dataset.autosaveUrl) { return; }
  var url = form.dataset.autosaveUrl;
  var status = document.getElementById("autosave-status");
  var timer = null;
  var dirty = false;
  var stopped = false;

  function say(text) { if (status) { status.textContent = text; } }

  function applyRevisions(revisions) {
    Object.keys(revisions || {}).forEach(function (code) {
      var input = form.querySelector('input[name="' + code + '-revision"]');
      if (input) { input.value = revisions[code]; }
    });
  }

  function save() {
    timer = null;
    if (!dirty || stopped) { return; }
    dirty = false;
    say(form.dataset.msgSaving || "Saving…");
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (body) { return { code: response.status, body: body }; });
    }).then(function (result) {
      if (result.code === 200) {
        applyRevisions(result.body.revisions);
        say("Saved at " + new Date().toLocaleTimeString());
      } else if (result.code === 409) {
        stopped = true;
        say("Not saved: someone else changed " + result.body.conflicts.join(", ") +
            ". Press Save to compare.");
      } else {
        say("Not saved: please check the highlighted answers and press Save.");
      }
    }).catch(function () {
      dirty = true;
      say("Not saved: no connection. Will retry.");
      schedule(10000);
    });
  }

  function schedule(delay) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, delay);
  }

  function changed() { dirty = true; schedule(2000); }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { stopped = true; if (timer) { clearTimeout(timer); } });

  function flush() {
    if (dirty && !stopped && navigator.sendBeacon) {
      dirty = false;
      navigator.sendBeacon(url, new FormData(form));
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
  });
  window.addEventListener("pagehide", flush);
})();
