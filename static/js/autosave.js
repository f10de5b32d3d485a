/* Autosave for the answering page.

   - One request at a time: a change made while a save is on its way is sent right
     after it, with the revisions that save returned, so the page never races itself.
   - The server checks revisions. On a conflict saving stops on this page until the
     user chooses, per indicator, whether to keep their value or the saved one.
   - Signed out (JSON 401, a redirect to the login or second-factor page) or a
     refused CSRF token (JSON 403): the typing is kept in localStorage, the user is
     told, and saving resumes when they come back to the tab, type or press "Try
     saving again"; a page loaded later offers the kept typing again.
   - Offline (the request fails): the typing is kept in localStorage and sent again with a
     back-off, at once when the browser says the link is back ("online").
   - Leaving the page while something is unsaved asks first.
   All text comes from Django's JavaScript catalog (jsi18n, loaded by the page before
   this file): gettext() and interpolate(); makemessages -d djangojs finds it here. */
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !form.dataset.autosaveUrl) { return; }
  var url = form.dataset.autosaveUrl;
  var storageKey = form.dataset.storageKey;
  var status = document.getElementById("autosave-status");
  var retryButton = document.getElementById("autosave-retry");
  var panel = document.getElementById("conflicts");
  var rows = document.getElementById("conflict-rows");
  var rowTemplate = document.getElementById("conflict-row-template");
  var codes = Array.prototype.map.call(
    form.querySelectorAll('input[type="hidden"][name$="-revision"]'),
    function (input) { return input.name.slice(0, -"-revision".length); }
  );

  var timer = null;
  var dirty = false;        // the page holds typing the server has not acknowledged
  var inFlight = null;      // the values of the save on its way, by indicator
  var acked = {};           // the values the server holds, as far as this page knows
  var conflicts = {};       // indicator code -> saved values, until the user chooses
  var signedOut = false;
  var rejected = false;     // the server refused the last save (invalid, or not allowed)
  var submitting = false;
  var failures = 0;

  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, key) { return values[key]; });
  };
  var MESSAGES = {
    msgSaving: gettext("Saving…"),
    msgSaved: gettext("Saved at %(time)s"),
    msgConflict: gettext("Not saved: someone else changed %(codes)s. Saving is paused until you choose which version to keep."),
    msgInvalid: gettext("Not saved: please check the highlighted answers and press Save."),
    msgRefused: gettext("Not saved: you can no longer change these answers. Reload the page to see why."),
    msgOffline: gettext("Not saved: no connection. Will retry."),
    msgError: gettext("Not saved: the server could not save just now. Will retry."),
    msgSignedOut: gettext("You were signed out — sign in again in another tab; your typing is kept here."),
    msgRestored: gettext("Your unsaved typing from this browser was put back into the page."),
    msgUnsaved: gettext("Some of your typing is not saved yet.")
  };
  function msg(name, values) {
    return interpolate(MESSAGES[name] || "", values || {}, true);
  }
  function say(text) { if (status) { status.textContent = text; } }

  // --- Reading and writing one indicator's fields ---------------------------------
  function field(code, name) { return form.elements[code + "-" + name]; }
  function revisionInput(code) { return form.querySelector('input[name="' + code + '-revision"]'); }

  function valuesOf(code) {
    var checked = form.querySelector('input[name="' + code + '-choice"]:checked');
    var tags = Array.prototype.map.call(
      form.querySelectorAll('input[name="' + code + '-tag_codes"]:checked'),
      function (box) { return box.value; }
    ).sort();
    var evidence = field(code, "evidence");
    var other = field(code, "other_tags");
    return {
      choice: checked ? checked.value : "",
      evidence: evidence ? evidence.value : "",
      tag_codes: tags,
      other_tags: other ? other.value : "",
      revision: parseInt(revisionInput(code).value, 10) || 0
    };
  }
  function snapshot() {
    var all = {};
    codes.forEach(function (code) { all[code] = valuesOf(code); });
    return all;
  }
  function sameValues(a, b) {
    return !!a && !!b && a.choice === b.choice && a.evidence === b.evidence &&
      a.other_tags === b.other_tags &&
      (a.tag_codes || []).slice().sort().join("\n") === (b.tag_codes || []).slice().sort().join("\n");
  }
  function setValues(code, values) {
    Array.prototype.forEach.call(form.querySelectorAll('input[name="' + code + '-choice"]'), function (radio) {
      radio.checked = radio.value === values.choice;
    });
    Array.prototype.forEach.call(form.querySelectorAll('input[name="' + code + '-tag_codes"]'), function (box) {
      box.checked = (values.tag_codes || []).indexOf(box.value) !== -1;
    });
    if (field(code, "evidence")) { field(code, "evidence").value = values.evidence || ""; }
    if (field(code, "other_tags")) { field(code, "other_tags").value = values.other_tags || ""; }
  }
  function setRevision(code, revision) {
    // Every form of the page that carries it (the answers and copy-forward).
    Array.prototype.forEach.call(document.querySelectorAll('input[name="' + code + '-revision"]'), function (input) {
      input.value = revision;
    });
  }
  function summary(values) {
    var text = values.choice || "—";
    return values.evidence ? text + " — " + values.evidence : text;
  }

  // --- Typing kept in this browser (localStorage), per response and dimension -------
  function baseRevisions() {
    /* The revisions the next save may claim. While a save is on its way, an answer it
       changes will be one revision further once it lands: a save sent as the tab
       closes, or typing kept now, then never conflicts with the page's own save. */
    var bases = {};
    codes.forEach(function (code) {
      var revision = parseInt(revisionInput(code).value, 10) || 0;
      if (inFlight && !conflicts[code] && !sameValues(inFlight[code], acked[code])) { revision += 1; }
      bases[code] = revision;
    });
    return bases;
  }
  function keep() {
    if (!storageKey) { return; }
    try {
      var answers = snapshot();
      var bases = baseRevisions();
      codes.forEach(function (code) { answers[code].revision = bases[code]; });
      window.localStorage.setItem(storageKey, JSON.stringify({ kept_at: Date.now(), answers: answers }));
    } catch (e) { /* storage full or disabled: the page still holds the typing */ }
  }
  function forget() {
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* nothing kept */ }
  }
  function kept() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
  }

  // --- Conflicts: one row per indicator, "keep mine" or "keep theirs" ---------------
  function addConflict(code, yours, saved) {
    conflicts[code] = saved;
    var row = rows.querySelector('tr[data-indicator="' + code + '"]');
    if (!row) {
      row = rowTemplate.content.firstElementChild.cloneNode(true);
      row.dataset.indicator = code;
      rows.appendChild(row);
    }
    var slots = { code: code, yours: summary(yours), saved: summary(saved),
                  by: [saved.updated_by || "—", saved.updated_at || ""].join(", ") };
    Object.keys(slots).forEach(function (slot) {
      var cell = row.querySelector('[data-slot="' + slot + '"]');
      if (cell) { cell.textContent = slots[slot]; }
    });
    Array.prototype.forEach.call(row.querySelectorAll('[data-slot="code-label"]'), function (label) {
      label.textContent = " (" + code + ")";  // each button's name says which indicator
    });
    panel.hidden = false;
  }
  function resolve(code, choice) {
    var saved = conflicts[code];
    if (!saved) { return; }
    if (choice === "theirs") { setValues(code, saved); }
    // Either way the page now builds on the version the user was shown.
    setRevision(code, saved.revision);
    acked[code] = saved;
    delete conflicts[code];
    var row = rows.querySelector('tr[data-indicator="' + code + '"]');
    if (row) { row.parentNode.removeChild(row); }
    if (!Object.keys(conflicts).length) {
      panel.hidden = true;
      changed(0);
    } else {
      keep();
    }
  }
  if (panel && rows) {
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-keep]");
      if (!button) { return; }
      event.preventDefault();
      resolve(button.closest("tr").dataset.indicator, button.dataset.keep);
    });
  }

  // --- Saving ---------------------------------------------------------------------
  function csrfToken() {
    var name = (form.dataset.csrfCookie || "csrftoken") + "=";
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf(name) === 0; })[0];
    // After signing in again (another tab) the cookie holds the new token, the page the old.
    return found ? decodeURIComponent(found.slice(name.length)) : null;
  }
  function payload() {
    var data = new FormData(form);
    var bases = baseRevisions();
    codes.forEach(function (code) { data.set(code + "-revision", String(bases[code])); });
    var token = csrfToken();
    if (token) { data.set("csrfmiddlewaretoken", token); }
    return data;
  }
  function blocked() { return signedOut || Object.keys(conflicts).length > 0; }

  function showSignedOut() {
    signedOut = true;
    keep();
    say(msg("msgSignedOut"));
    if (retryButton) { retryButton.hidden = false; }
  }

  function save(keepalive) {
    timer = null;
    if (!dirty || blocked() || submitting) { return; }
    if (inFlight) { return; }  // sent again when the one on its way returns
    var sending = snapshot();
    var data = payload();
    dirty = false;
    inFlight = sending;
    say(msg("msgSaving"));
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      keepalive: keepalive === true,  // outlives the page when it is closing
      redirect: "manual",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      if (response.type === "opaqueredirect") {
        return { code: 401, body: { reason: "redirected" } };  // login or second factor
      }
      return response.json().then(
        function (body) { return { code: response.status, body: body }; },
        function () { return { code: response.status, body: {} }; }
      );
    }).then(function (result) {
      inFlight = null;
      var body = result.body || {};
      if (result.code === 200) {
        failures = 0;
        rejected = false;
        signedOut = false;
        if (retryButton) { retryButton.hidden = true; }
        Object.keys(body.revisions || {}).forEach(function (code) {
          setRevision(code, body.revisions[code]);
        });
        codes.forEach(function (code) { acked[code] = sending[code]; });
        if (dirty) { keep(); } else { forget(); }
        say(msg("msgSaved", { time: new Date().toLocaleTimeString(document.documentElement.lang || undefined) }));
      } else if (result.code === 409) {
        dirty = true;
        (body.conflicts || []).forEach(function (code) {
          addConflict(code, sending[code], body.saved[code]);
        });
        keep();
        say(msg("msgConflict", { codes: (body.conflicts || []).join(", ") }));
      } else if (result.code === 401 || (result.code === 403 && body.reason === "csrf_failed")) {
        dirty = true;
        showSignedOut();
      } else if (result.code === 400) {
        rejected = true;  // waits for the user to correct it
        say(msg("msgInvalid"));
      } else if (result.code === 403 || result.code === 404) {
        rejected = true;  // no longer allowed (the assessment moved on): retrying won't help
        keep();
        say(msg("msgRefused"));
      } else {
        dirty = true;
        keep();
        failures += 1;
        say(msg("msgError"));
        schedule(Math.min(60000, 5000 * Math.pow(2, failures)));
      }
    }).catch(function () {
      inFlight = null;
      dirty = true;
      keep();
      failures += 1;
      say(msg("msgOffline"));
      schedule(Math.min(60000, 5000 * Math.pow(2, failures)));
    }).then(function () {
      if (dirty && !blocked() && !timer) { schedule(0); }
    });
  }

  function schedule(delay) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, delay);
  }
  function changed(delay) {
    dirty = true;
    rejected = false;
    keep();
    if (signedOut) { signedOut = false; }  // typing is a good moment to try again
    if (!blocked()) { schedule(typeof delay === "number" ? delay : 2000); }
  }

  form.addEventListener("input", function () { changed(); });
  form.addEventListener("change", function () { changed(); });
  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.dataset.keep) { return; }  // handled above
    submitting = true;
    if (timer) { clearTimeout(timer); }
  });
  if (retryButton) {
    retryButton.addEventListener("click", function () { signedOut = false; failures = 0; schedule(0); });
  }
  function comeBack() {
    if (signedOut && dirty) { signedOut = false; schedule(0); }
  }
  window.addEventListener("focus", comeBack);
  // The link is back (a team site's connection drops for hours): send the kept typing now
  // rather than at the end of the back-off; the server's revisions still decide conflicts.
  window.addEventListener("online", function () {
    if (dirty && !inFlight && !blocked()) { failures = 0; schedule(0); }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      comeBack();
    } else if (dirty && !inFlight && !blocked() && !submitting) {
      save(true);  // hidden, perhaps for good: save now (a save on its way sends the rest)
    }
  });

  window.addEventListener("pagehide", function () {
    if (!dirty || blocked() || submitting) { return; }
    keep();
    if (!inFlight) { save(true); return; }
    // Closing while a save is on its way: this last one cannot wait for it, so it claims
    // the revisions that save will have made (baseRevisions); if that save failed, this
    // one is refused and the typing kept here is offered on the next visit.
    fetch(url, {
      method: "POST", body: payload(), credentials: "same-origin", keepalive: true,
      redirect: "manual", headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).catch(function () { /* kept in localStorage */ });
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !(dirty || inFlight || rejected || blocked())) { return; }
    event.preventDefault();
    event.returnValue = msg("msgUnsaved");
    return event.returnValue;
  });

  // --- On load: the server's values, conflicts shown by the server, kept typing ----
  codes.forEach(function (code) { acked[code] = valuesOf(code); });
  if (rows) {
    Array.prototype.forEach.call(rows.querySelectorAll("tr[data-indicator]"), function (row) {
      var code = row.dataset.indicator;
      conflicts[code] = JSON.parse(row.dataset.saved);
      acked[code] = conflicts[code];
    });
  }
  if (Object.keys(conflicts).length) {
    dirty = true;  // the page shows the user's values, not the saved ones
    keep();
  } else {
    var stash = kept();
    if (stash && stash.answers) {
      var restored = false;
      Object.keys(stash.answers).forEach(function (code) {
        if (codes.indexOf(code) === -1) { return; }
        var mine = stash.answers[code];
        var server = valuesOf(code);
        if (sameValues(mine, server)) { return; }
        setValues(code, mine);
        if (mine.revision === server.revision) {
          restored = true;  // nobody saved since: the kept typing simply goes on
        } else {
          // Saved again since the typing was kept: never overwrite it silently.
          setRevision(code, mine.revision);
          server.updated_by = "";
          addConflict(code, mine, server);
        }
        dirty = true;
      });
      if (Object.keys(conflicts).length) {
        say(msg("msgConflict", { codes: Object.keys(conflicts).join(", ") }));
        keep();
      } else if (restored) {
        say(msg("msgRestored"));
        schedule(0);
      } else {
        forget();
      }
    }
  }
})();
