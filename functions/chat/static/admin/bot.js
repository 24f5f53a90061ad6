/* The bot (persona, handoff phrases and rules, business hours, how sure before answering, model
   knobs; the model — the deployment's or the owner's own server — with a connection test; test questions and their score) and
   the widget's look (with a live preview and the embed snippet). */
(function () {
  "use strict";
  var K = window.kefuAdmin, $ = K.$, t = K.t, esc = K.esc, api = K.api, A = K.A;
  var DAYS = [0, 1, 2, 3, 4, 5, 6];
  function number(id) { return $(id).value === "" ? null : parseFloat($(id).value); }
  function shown(value) { return value == null ? "" : value; }

  function loadBot() {
    K.filling("bot-form", function () { return K.loadSettings().then(function (s) {
      var st = s.settings, h = st.handoff, bh = h.business_hours;
      document.querySelectorAll("#bot-form input[name=languages]").forEach(function (box) { box.checked = st.languages.indexOf(box.value) >= 0; });
      $("persona").value = st.persona; $("phrases").value = h.phrases.join("\n"); $("ungrounded").value = h.ungrounded_limit;
      $("hours-on").checked = !!bh; $("hours-fields").hidden = !bh;
      $("tz").value = bh ? bh.timezone : Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
      $("open").value = bh ? bh.open : "09:00"; $("close").value = bh ? bh.close : "18:00";
      $("hours-days").innerHTML = DAYS.map(function (d) {
        var on = bh ? bh.days.indexOf(d) >= 0 : d < 5;
        return '<label class="inline"><input type="checkbox" value="' + d + '"' + (on ? " checked" : "") + "> " + t("days")[d] + "</label>";
      }).join("");
      $("assign-auto").checked = st.assignment.auto; $("assign-max").value = st.assignment.max_per_agent;
      $("min-coverage").value = shown(st.answering.min_coverage); $("min-similarity").value = shown(st.answering.min_similarity);
      $("temperature").value = shown(st.model.temperature); $("max-tokens").value = shown(st.model.max_tokens);
    }); });
    api(A + "/model/").then(showModel);
    loadChecks();
  }
  function showModel(m) {
    var rows = [["source", t("source_" + m.source)], ["engine", m.engine === "retrieval" ? t("engine_retrieval") : m.engine], ["endpoint", m.endpoint || "–"],
      ["model_name", m.model || "–"], ["embedder", m.embedder], ["tools_label", m.tools ? t("yes") : t("no")]];
    $("min-coverage").placeholder = m.min_coverage;
    $("min-similarity").placeholder = m.min_similarity == null ? "–" : m.min_similarity;
    $("model-info").innerHTML = rows.map(function (r) { return "<tr><th>" + t(r[0]) + "</th><td>" + esc(r[1]) + "</td></tr>"; }).join("");
    /* Owners may point their tenant at their own server where the deployment allows it. */
    $("own-model-form").hidden = !m.own_allowed;
    $("model-hint").textContent = m.own_allowed ? "" : t("model_hint");
    var own = m.own || { url: "", model: "", tools: "native", api_key_set: false };
    $("own-url").value = own.url; $("own-model").value = own.model; $("own-tools").value = own.tools;
    $("own-key").value = ""; $("own-key").placeholder = own.api_key_set ? t("api_key_kept") : "";
    $("own-clear").hidden = !m.own;
  }
  K.onSubmit("own-model-form", function (f) {
    var body = { url: $("own-url").value.trim(), model: $("own-model").value.trim(), tools: $("own-tools").value };
    if ($("own-key").value) body.api_key = $("own-key").value;
    return api(A + "/model/endpoint", body, "PUT").then(function (m) { showModel(m); K.flash(f, t("saved")); });
  });
  $("own-clear").addEventListener("click", function () {
    var f = $("own-model-form");
    api(A + "/model/endpoint", undefined, "DELETE").then(function (m) { showModel(m); K.flash(f, t("saved")); })
      .catch(function (err) { K.flash(f, err.message, true); });
  });
  $("hours-on").addEventListener("change", function (e) { $("hours-fields").hidden = !e.target.checked; });
  K.onSubmit("bot-form", function (f) {
    return K.saveSettings(function (st) {
      st.persona = $("persona").value;
      st.languages = Array.prototype.filter.call(document.querySelectorAll("#bot-form input[name=languages]"), function (b) { return b.checked; })
        .map(function (b) { return b.value; });
      st.handoff.phrases = $("phrases").value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
      st.handoff.ungrounded_limit = parseInt($("ungrounded").value, 10) || 2;
      st.handoff.business_hours = $("hours-on").checked ? {
        timezone: $("tz").value.trim() || "UTC", open: $("open").value, close: $("close").value,
        days: Array.prototype.filter.call($("hours-days").querySelectorAll("input"), function (i) { return i.checked; }).map(function (i) { return +i.value; })
      } : null;
      st.answering = { min_coverage: number("min-coverage"), min_similarity: number("min-similarity") };
      st.assignment = { auto: $("assign-auto").checked, max_per_agent: parseInt($("assign-max").value, 10) || 5 };
      st.model.temperature = number("temperature");
      st.model.max_tokens = $("max-tokens").value === "" ? null : parseInt($("max-tokens").value, 10);
    }).then(function () { K.flash(f, t("saved")); });
  });
  $("model-test").addEventListener("click", function (e) {
    e.target.disabled = true;
    $("model-result").className = ""; $("model-result").textContent = t("testing");
    api(A + "/model/test", {}).then(function (r) {
      $("model-result").className = r.ok ? "ok" : "error";
      $("model-result").textContent = r.ok ? t("connected", { ms: r.latency_ms }) + " — " + r.reply : t("not_connected", { e: r.error + (r.reply ? ": " + r.reply : "") });
    }).catch(function (err) { $("model-result").className = "error"; $("model-result").textContent = err.message; })
      .then(function () { e.target.disabled = false; });
  });

  /* Test questions: each expects a document (or a decline); all run after every KB change. */
  function loadChecks() {
    api(A + "/kb/checks/runs/latest").then(function (run) {
      $("checks").innerHTML = "<p><b>" + t("checks_score", { ok: Math.round(run.score * run.cases), n: run.cases, pct: K.pct(run.score), v: run.kb_version }) +
        "</b> " + K.when(run.created_at) + "</p>" +
        (run.failures.length ? "<ul>" + run.failures.map(function (x) { return '<li class="error">' + esc(x.question) + "</li>"; }).join("") + "</ul>" : "");
    }).catch(function () { $("checks").textContent = t("no_checks"); });
    api(A + "/kb/checks").then(function (checks) {
      $("check-list").innerHTML = checks.map(function (c) {
        var expect = c.expect ? t("expect_doc") + " " + c.expect.map(function (e) { return e.document + (e.section ? " › " + e.section : ""); }).join(", ") : t("must_decline");
        return "<tr><td>" + esc(c.question) + "</td><td>" + esc(expect) + '</td><td><button type="button" class="danger" data-uncheck="' + c.id + '">' + t("delete") + "</button></td></tr>";
      }).join("");
    });
    api(A + "/kb/documents").then(function (docs) {
      $("check-expect").innerHTML = '<option value="">' + esc(t("must_decline")) + "</option>" +
        docs.map(function (d) { return '<option value="' + esc(d.source || d.title) + '">' + esc(d.title) + "</option>"; }).join("");
    });
  }
  $("run-checks").addEventListener("click", function () { api(A + "/kb/checks/run", {}).then(loadChecks).catch(function (err) { $("checks").textContent = err.message; }); });
  $("check-list").addEventListener("click", function (e) {
    if (e.target.dataset.uncheck) api(A + "/kb/checks/" + e.target.dataset.uncheck, undefined, "DELETE").then(loadChecks);
  });
  K.onSubmit("check-form", function (f) {
    var doc = f.expect.value;
    return api(A + "/kb/checks", { question: f.question.value, expect: doc ? [{ document: doc }] : null }).then(function () { f.reset(); K.flash(f, ""); loadChecks(); });
  });

  /* Widget */
  function preview() {
    var w = $("w-preview"), avatar = $("w-avatar").value.trim();
    w.style.setProperty("--pv-color", $("w-color").value);
    w.classList.toggle("left", $("w-position").value === "left");
    $("pv-title").textContent = $("w-title").value || "kefu";
    $("pv-greeting").textContent = $("w-greeting").value || "…";
    $("pv-avatar").hidden = !/^https:\/\//.test(avatar);
    if (!$("pv-avatar").hidden) $("pv-avatar").src = avatar;
  }
  function loadWidget() {
    K.filling("widget-form", function () { return K.loadSettings().then(function (s) {
      var w = s.settings.widget;
      $("w-title").value = w.title; $("w-color").value = w.color; $("w-color-text").value = w.color;
      $("w-position").value = w.position; $("w-greeting").value = w.greeting; $("w-avatar").value = w.avatar || "";
      $("w-origins").value = s.settings.allowed_origins.join("\n");
      $("snippet").value = '<script src="' + location.origin + '/widget.js" data-widget-key="' + s.widget_key + '" async></' + "script>";
      preview();
    }); });
  }
  ["w-title", "w-position", "w-greeting", "w-avatar"].forEach(function (id) { $(id).addEventListener("input", preview); });
  $("w-color").addEventListener("input", function () { $("w-color-text").value = $("w-color").value; preview(); });
  $("w-color-text").addEventListener("input", function () {
    if (/^#[0-9a-f]{6}$/i.test($("w-color-text").value)) { $("w-color").value = $("w-color-text").value; preview(); }
  });
  K.onSubmit("widget-form", function (f) {
    return K.saveSettings(function (st) {
      st.widget = { title: $("w-title").value, color: $("w-color-text").value, position: $("w-position").value,
                    greeting: $("w-greeting").value, avatar: $("w-avatar").value.trim() };
      st.allowed_origins = $("w-origins").value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
    }).then(function () { K.flash(f, t("saved")); });
  });
  $("copy-snippet").addEventListener("click", function (e) {
    $("snippet").select();
    (navigator.clipboard ? navigator.clipboard.writeText($("snippet").value) : Promise.resolve(document.execCommand("copy")))
      .then(function () { e.target.nextElementSibling.textContent = t("copied"); });
  });

  K.view("bot", loadBot);
  K.view("widget", loadWidget);
})();
