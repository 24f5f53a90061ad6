/* Staff sign-in shared by the agent console and the owner's admin: tokens kept for the tab,
   refreshed once on a 401, and one JSON API helper whose errors carry the API's stable code. */
(function () {
  "use strict";
  var KEY = "kefu:auth";
  var staff = {
    auth: JSON.parse(sessionStorage.getItem(KEY) || "null"),
    keep: function (pair) { staff.auth = pair; sessionStorage.setItem(KEY, JSON.stringify(pair)); },
    logout: function () { sessionStorage.removeItem(KEY); sessionStorage.removeItem("kefu:tenant"); location.reload(); },
    claims: function () {
      var part = staff.auth.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(decodeURIComponent(escape(atob(part))));
    },
    /* The tenant a superadmin acts on (the X-Kefu-Tenant header); staff of a tenant act on theirs. */
    tenant: function (id) { if (id) sessionStorage.setItem("kefu:tenant", id); else sessionStorage.removeItem("kefu:tenant"); },
    headers: function (json) {
      var h = json ? { "content-type": "application/json" } : {};
      if (staff.auth) h.authorization = "Bearer " + staff.auth.access_token;
      var tenant = sessionStorage.getItem("kefu:tenant");
      if (tenant) h["x-kefu-tenant"] = tenant;
      return h;
    },
    refresh: function () {
      return fetch("/api/v1/auth/refresh", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refresh_token: staff.auth.refresh_token }) })
        .then(function (r) { if (!r.ok) { staff.logout(); throw new Error("session expired"); } return r.json(); })
        .then(staff.keep);
    },
    api: function (path, body, method) {
      return fetch(path, {
        method: method || (body === undefined ? "GET" : "POST"),
        headers: staff.headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body)
      }).then(function (r) {
        if (r.status === 401 && staff.auth && path !== "/api/v1/auth/refresh") {
          return staff.refresh().then(function () { return staff.api(path, body, method); });
        }
        if (r.status === 204) return null;
        return r.json().then(function (j) { if (!r.ok) { var e = new Error(j.detail || r.statusText); e.code = j.code; throw e; } return j; });
      });
    },
    login: function (email, password) {
      return staff.api("/api/v1/auth/login", { email: email, password: password }).then(function (pair) { staff.keep(pair); return pair; });
    }
  };
  window.kefuStaff = staff;
})();
