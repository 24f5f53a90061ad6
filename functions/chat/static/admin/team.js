/* Team and integrations: people (roles, disable, password reset), API keys, webhooks (test
   event, delivery log), plugins (switch, try one call, add an HTTP plugin), privacy and
   retention, the audit log and the conversation export. */
(function () {
  "use strict";
  var K = window.kefuAdmin, $ = K.$, t = K.t, esc = K.esc, api = K.api, A = K.A, when = K.when;
  var ROLES = ["agent", "admin", "owner"], trying = null, configuring = null, logFor = null, plugins = {};
  function oops(err) { alert(err.message); }
  function empty(cols) { return '<tr><td colspan="' + (cols || 1) + '">' + t("nothing") + "</td></tr>"; }

  function loadTeam() {
    api(A + "/users/").then(function (users) {
      $("users").innerHTML = users.map(function (u) {
        var roles = ROLES.indexOf(u.role) < 0 ? esc(u.role) : '<select data-role="' + u.id + '" aria-label="' + t("change_role") + " " + esc(u.email) + '">' +
          ROLES.map(function (r) { return "<option" + (r === u.role ? " selected" : "") + ">" + r + "</option>"; }).join("") + "</select>";
        return "<tr><td>" + esc(u.email) + "</td><td>" + esc(u.display_name) + "</td><td>" + roles + "</td><td>" + (u.active ? t("active") : t("disabled")) +
          '</td><td class="row"><button type="button" class="secondary" data-toggle="' + u.id + '" data-active="' + u.active + '">' + (u.active ? t("disable") : t("enable")) +
          '</button><button type="button" class="secondary" data-reset="' + u.id + '">' + t("reset_password") + "</button></td></tr>";
      }).join("");
    });
    api(A + "/api-keys/").then(function (keys) {
      $("keys").innerHTML = keys.map(function (k) {
        return "<tr><td>" + esc(k.name) + "</td><td><code>" + esc(k.prefix) + "…</code></td><td>" + esc(k.scopes.join(", ")) + "</td><td>" + when(k.created_at) + "</td><td>" +
          (k.revoked_at ? t("revoked") : '<button type="button" class="danger" data-revoke="' + k.id + '">' + t("revoke") + "</button>") + "</td></tr>";
      }).join("") || empty();
    });
    api(A + "/webhooks/").then(function (hooks) {
      $("hooks").innerHTML = hooks.map(function (h) {
        return "<tr><td>" + esc(h.url) + "</td><td>" + esc(h.events.join(", ")) + "</td><td>" + when(h.created_at) +
          '</td><td class="row"><button type="button" class="secondary" data-ping="' + h.id + '">' + t("send_test") +
          '</button><button type="button" class="secondary" data-log="' + h.id + '" data-url="' + esc(h.url) + '">' + t("show_log") +
          '</button><button type="button" class="danger" data-unhook="' + h.id + '">' + t("delete") + "</button></td></tr>";
      }).join("") || empty();
    });
    api(A + "/plugins/").then(function (list) {
      plugins = {};
      $("plugins").innerHTML = list.map(function (p) {
        plugins[p.name] = p;
        var control = p.kind === "http"
          ? '<button type="button" class="danger" data-unplug="' + esc(p.name) + '">' + t("delete") + "</button>"
          : '<label class="inline"><input type="checkbox" data-plugin="' + esc(p.name) + '"' + (p.enabled ? " checked" : "") + "> " + (p.enabled ? t("on") : t("off")) + "</label>";
        return "<tr><td><b>" + esc(p.name) + "</b> <small>" + esc(p.kind) + "</small><div>" + esc(p.description) + "</div></td><td>" + control +
          '</td><td class="row">' + (p.kind === "http" ? "" : '<button type="button" class="secondary" data-configure="' + esc(p.name) + '">' + t("configure") + "</button>") +
          '<button type="button" class="secondary" data-try="' + esc(p.name) + '">' + t("try_call") + "</button></td></tr>";
      }).join("") || empty();
    });
    K.loadSettings().then(function (s) { $("retention").value = s.settings.retention_days; $("redact").checked = s.settings.redact_pii; });
    api(A + "/audit/?limit=20").then(function (entries) {
      $("audit").innerHTML = entries.map(function (a) {
        return "<tr><td>" + when(a.created_at) + "</td><td>" + esc(a.actor_name) + "</td><td><code>" + esc(a.action) + "</code></td><td>" + esc(a.target) + "</td></tr>";
      }).join("") || empty();
    });
    if (logFor) showLog(logFor.id, logFor.url);
  }

  $("users").addEventListener("click", function (e) {
    var id = e.target.dataset.toggle, reset = e.target.dataset.reset;
    if (id) api(A + "/users/" + id, { active: e.target.dataset.active !== "true" }, "PATCH").then(loadTeam).catch(oops);
    if (reset) {
      var pw = prompt(t("new_password"));
      if (pw) api(A + "/users/" + reset, { password: pw }, "PATCH").then(loadTeam).catch(oops);
    }
  });
  $("users").addEventListener("change", function (e) {
    if (e.target.dataset.role) api(A + "/users/" + e.target.dataset.role, { role: e.target.value }, "PATCH").then(loadTeam).catch(function (err) { oops(err); loadTeam(); });
  });
  $("keys").addEventListener("click", function (e) {
    if (e.target.dataset.revoke) api(A + "/api-keys/" + e.target.dataset.revoke, undefined, "DELETE").then(loadTeam).catch(oops);
  });

  /* Webhooks: a test event, then its delivery log (state, attempts, last error), refreshed. */
  function showLog(id, url) {
    logFor = { id: id, url: url };
    $("deliveries").hidden = false;
    $("deliveries-title").textContent = t("show_log") + ": " + url;
    api(A + "/webhooks/" + id + "/deliveries?limit=20").then(function (rows) {
      $("delivery-rows").innerHTML = rows.map(function (d) {
        return "<tr><td><code>" + esc(d.event) + "</code></td><td>" + K.badge(d.state, t("state_" + d.state)) + '</td><td class="num">' + d.attempts +
          "</td><td>" + esc(d.last_error) + "</td><td>" + when(d.delivered_at || d.created_at) + "</td></tr>";
      }).join("") || empty(5);
      if (rows.some(function (d) { return d.state === "pending"; })) setTimeout(function () { if (logFor && logFor.id === id) showLog(id, url); }, 1500);
    });
  }
  $("hooks").addEventListener("click", function (e) {
    var d = e.target.dataset;
    if (d.ping) api(A + "/webhooks/" + d.ping + "/test", {}).then(function () { showLog(d.ping, e.target.closest("tr").firstChild.textContent); }).catch(oops);
    if (d.log) showLog(d.log, d.url);
    if (d.unhook) api(A + "/webhooks/" + d.unhook, undefined, "DELETE").then(function () { logFor = null; $("deliveries").hidden = true; loadTeam(); }).catch(oops);
  });

  /* Plugins */
  $("plugins").addEventListener("change", function (e) {
    var name = e.target.dataset.plugin;
    if (!name) return;  // its configuration goes back as it is: only the switch changes
    api(A + "/plugins/" + name, { enabled: e.target.checked, config: plugins[name].config }, "PUT")
      .then(loadTeam).catch(function (err) { oops(err); loadTeam(); });
  });
  $("plugins").addEventListener("click", function (e) {
    if (e.target.dataset.configure) {
      var p = plugins[e.target.dataset.configure], c = p.config || {}, f = $("config-form");
      configuring = p.name;
      f.hidden = false; $("config-title").textContent = t("configure") + ": " + p.name;
      f.url.value = c.url || ""; f.method.value = c.method || "GET"; f.response_template.value = c.response_template || "";
      f.source.value = c.source || ""; f.timeout_s.value = c.timeout_s || ""; f.secret.value = "";
      f.url.focus();
      return;
    }
    if (e.target.dataset.unplug) { api(A + "/plugins/" + e.target.dataset.unplug, undefined, "DELETE").then(loadTeam).catch(oops); return; }
    if (!e.target.dataset.try) return;
    trying = e.target.dataset.try;
    $("try-form").hidden = false; $("try-title").textContent = t("try_call") + ": " + trying; $("try-result").hidden = true;
    $("try-args").focus();
  });
  K.onSubmit("config-form", function (f) {
    var config = { method: f.method.value };
    ["url", "response_template", "source"].forEach(function (k) { if (f[k].value.trim()) config[k] = f[k].value.trim(); });
    if (f.timeout_s.value) config.timeout_s = parseFloat(f.timeout_s.value);
    var name = configuring, body = { enabled: plugins[name].enabled, config: config };
    if (f.secret.value) body.secret = f.secret.value;  // empty: the stored secret stays
    return api(A + "/plugins/" + name, body, "PUT").then(function () {
      // Kept here at once: switching the plugin on before the list reloads sends this config,
      // not the one the list had (which would put the old one back).
      plugins[name].config = config;
      K.flash(f, t("saved")); loadTeam();
    });
  });
  K.onSubmit("try-form", function (f) {
    var args;
    try { args = JSON.parse(f.arguments.value || "{}"); } catch (err) { throw new Error(t("bad_json")); }
    return api(A + "/plugins/" + trying + "/try", { arguments: args, language: K.lang() }).then(function (r) {
      $("try-result").hidden = false;
      $("try-result").textContent = (r.outcome === "ok" ? r.text + (r.source ? "\n— " + r.source : "") : r.outcome + (r.detail ? ": " + r.detail : "")) +
        "\n(" + r.latency_ms + " ms)";
    }).catch(function (err) { $("try-result").hidden = false; $("try-result").textContent = err.message; });
  });
  K.onSubmit("plugin-form", function (f) {
    var parameters;
    try { parameters = JSON.parse(f.parameters.value || "{}"); } catch (err) { throw new Error(t("bad_json")); }
    var patterns = f.patterns.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    return api(A + "/plugins/", {
      name: f.name.value, description: f.description.value,
      spec: { url: f.url.value, method: f.method.value, parameters: parameters, response_template: f.response_template.value, triggers: { patterns: patterns } }
    }).then(function () { f.reset(); K.flash(f, ""); loadTeam(); });
  });

  K.onSubmit("privacy-form", function (f) {
    return K.saveSettings(function (st) {
      st.retention_days = parseInt($("retention").value, 10) || 0;
      st.redact_pii = $("redact").checked;
    }).then(function () { K.flash(f, t("saved")); });
  });

  function teamForm(id, path, body, done) {
    K.onSubmit(id, function (f) {
      return api(A + path, body(f)).then(function (r) { f.reset(); K.flash(f, ""); if (done) done(r); loadTeam(); });
    });
  }
  teamForm("user-form", "/users/", function (f) { return { email: f.email.value, display_name: f.display_name.value, password: f.password.value, role: f.role.value }; });
  teamForm("key-form", "/api-keys/", function (f) { return { name: f.name.value, scopes: f.scopes.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean) }; },
    function (r) { $("new-key").textContent = t("key_once") + r.key; });
  teamForm("hook-form", "/webhooks/", function (f) {
    return { url: f.url.value, events: Array.prototype.filter.call(f.querySelectorAll("input[name=events]"), function (i) { return i.checked; }).map(function (i) { return i.value; }) };
  }, function (r) { $("new-hook").textContent = t("secret_once") + r.secret; });
  $("export").addEventListener("click", function (e) {
    e.preventDefault();
    fetch(e.target.href, { headers: K.staff.headers(false) }).then(function (r) { return r.blob(); }).then(function (blob) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob); a.download = "conversations.csv"; a.click();
    });
  });

  K.view("team", loadTeam);
})();
