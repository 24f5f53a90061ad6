/* kefu owner's workspace, the frame: sign-in, language, sections, the tenant a superadmin
   manages, and the helpers every section uses. Every section reads and writes through
   /api/v1/admin (no second source of truth); every string comes from kefuAdminText. */
(function () {
  "use strict";
  var staff = window.kefuStaff, T = window.kefuAdminText;
  var $ = function (id) { return document.getElementById(id); };
  var lang = localStorage.getItem("kefu:lang") || (/^zh/i.test(navigator.language) ? "zh" : "en");
  var views = {}, settings = null;

  function t(key, vars) {
    var s = (T[key] || [key, key])[lang === "zh" ? 1 : 0];
    if (vars) Object.keys(vars).forEach(function (k) { s = s.replace("{" + k + "}", vars[k]); });
    return s;
  }
  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-t]").forEach(function (el) { el.textContent = t(el.dataset.t); });
    document.querySelectorAll("[data-tp]").forEach(function (el) { el.placeholder = t(el.dataset.tp); });
    document.querySelectorAll(".lang-toggle").forEach(function (el) { el.textContent = t("lang"); });
    document.title = "kefu · " + t("admin");
  }
  function when(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    return '<time datetime="' + d.toISOString() + '">' +
      d.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short" }) + "</time>";
  }
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function flash(form, text, isError) {
    var ok = form.querySelector(".ok"), err = form.querySelector(".error");
    if (ok) ok.textContent = isError ? "" : text;
    if (err) err.textContent = isError ? text : "";
  }
  function pct(x) { return Math.round(x * 100) + "%"; }
  function badge(kind, text) { return '<span class="badge ' + esc(kind) + '">' + esc(text) + "</span>"; }
  function onSubmit(id, send) {
    $(id).addEventListener("submit", function (e) {
      e.preventDefault();
      var form = e.target, button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      Promise.resolve().then(function () { return send(form); })
        .catch(function (err) { flash(form, err.message, true); })
        .then(function () { if (button) button.disabled = false; });
    });
  }
  /* A form filled from the server is closed until its values arrive: typing before then would be
     overwritten by the fill (or saved over settings never read). A load that fails says why. */
  function filling(id, load) {
    var form = $(id), closed = Array.prototype.filter.call(form.elements, function (el) { return !el.disabled; });
    closed.forEach(function (el) { el.disabled = true; });
    form.setAttribute("aria-busy", "true");
    return Promise.resolve().then(load)
      .catch(function (err) { flash(form, err.message, true); })
      .then(function () { closed.forEach(function (el) { el.disabled = false; }); form.removeAttribute("aria-busy"); });
  }
  function loadSettings() { return staff.api(A + "/settings/").then(function (s) { settings = s; return s; }); }
  function saveSettings(change) {
    var next = JSON.parse(JSON.stringify(settings.settings));
    change(next);
    return staff.api(A + "/settings/", next, "PUT").then(function (s) { settings = s; return s; });
  }
  var A = "/api/v1/admin";

  function route() {
    if (!staff.auth || $("app").hidden) return;
    var name = (location.hash || "#kb").slice(1);
    if (!views[name]) name = "kb";
    Object.keys(views).forEach(function (v) { $("view-" + v).hidden = v !== name; });
    document.querySelectorAll("nav.side a").forEach(function (a) {
      if (a.getAttribute("href") === "#" + name) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    views[name]();
  }

  /* A superadmin manages one tenant at a time: the X-Kefu-Tenant header names it. */
  function pickTenant(me) {
    if (me.role !== "superadmin") return Promise.resolve();
    return staff.api(A + "/tenants/").then(function (tenants) {
      var select = $("tenant-switch"), chosen = sessionStorage.getItem("kefu:tenant");
      if (!tenants.some(function (x) { return x.id === chosen; })) chosen = tenants.length ? tenants[0].id : "";
      select.innerHTML = tenants.map(function (x) {
        return '<option value="' + x.id + '"' + (x.id === chosen ? " selected" : "") + ">" + esc(x.name) + "</option>";
      }).join("");
      select.hidden = false;
      staff.tenant(chosen);
      select.onchange = function () { staff.tenant(select.value); route(); };
    });
  }
  function start() {
    var me = staff.claims();
    if (["owner", "admin", "superadmin"].indexOf(me.role) < 0) {
      $("login-error").textContent = t("owners_only");
      staff.auth = null;
      $("login").hidden = false;
      return;
    }
    $("login").hidden = true; $("app").hidden = false;
    $("who").textContent = me.email + " · " + me.role;
    pickTenant(me).then(route);
  }

  window.kefuAdmin = {
    A: A, $: $, api: staff.api, staff: staff, t: t, when: when, esc: esc, flash: flash, pct: pct, badge: badge,
    onSubmit: onSubmit, filling: filling, loadSettings: loadSettings, saveSettings: saveSettings,
    lang: function () { return lang; },
    view: function (name, load) { views[name] = load; },
    boot: function () {
      document.querySelectorAll(".lang-toggle").forEach(function (b) {
        b.addEventListener("click", function () { lang = lang === "zh" ? "en" : "zh"; localStorage.setItem("kefu:lang", lang); applyLanguage(); route(); });
      });
      $("login").addEventListener("submit", function (e) {
        e.preventDefault();
        staff.login(e.target.email.value, e.target.password.value).then(start)
          .catch(function (err) { $("login-error").textContent = err.message; });
      });
      $("logout").addEventListener("click", staff.logout);
      window.addEventListener("hashchange", route);
      applyLanguage();
      if (staff.auth) start(); else $("login").hidden = false;
    }
  };
})();
