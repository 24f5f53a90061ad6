/* kefu agent console: login, queue, my conversations, live view, claim / release / transfer / close. */
(function () {
  "use strict";
  var staff = window.kefuStaff, api = staff.api, refresh = staff.refresh;
  var me = null, current = null, socket = null, seen = {}, drafts = {}, agents = [];
  var $ = function (id) { return document.getElementById(id); };

  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target;
    staff.login(f.email.value, f.password.value)
      .then(start)
      .catch(function (err) { $("login-error").textContent = err.message; });
  });

  function start() {
    me = staff.claims();
    $("login").hidden = true; $("app").hidden = false;
    $("me").textContent = me.email;
    connect(); refreshLists();
    api("/api/v1/agent/agents").then(function (list) { agents = list; });
  }
  function connect() {
    socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/api/v1/agent/ws?token=" + encodeURIComponent(staff.auth.access_token));
    socket.onmessage = function (e) {
      var ev = JSON.parse(e.data);
      if (ev.type === "conversation") { refreshLists(); if (current === ev.conversation_id) setStatus(ev.status, ev.assigned_agent); }
      else if (ev.type === "conversation_event" && ev.conversation_id === current) onConversationEvent(ev.event);
      else if (ev.type === "error" && ev.code === "token_expired") refresh().then(connect);
    };
    socket.onopen = function () { if (current) socket.send(JSON.stringify({ type: "watch", conversation_id: current })); };
    socket.onclose = function () { setTimeout(function () { refresh().then(connect).catch(function () {}); }, 1500); };
  }
  function li(c) {
    var el = document.createElement("li");
    el.dataset.id = c.conversation_id;
    el.className = c.conversation_id === current ? "active" : "";
    el.innerHTML = "<b></b><small></small>";
    el.querySelector("b").textContent = "Visitor " + c.conversation_id.slice(0, 8);
    el.querySelector("small").textContent = c.status + (c.handoff_reason ? " · " + c.handoff_reason.replace("_", " ") : "");
    el.addEventListener("click", function () { open(c.conversation_id); });
    return el;
  }
  function refreshLists() {
    api("/api/v1/agent/queue").then(function (q) {
      $("queue").replaceChildren.apply($("queue"), q.map(li)); $("queue-count").textContent = q.length;
    });
    api("/api/v1/agent/conversations").then(function (m) { $("mine").replaceChildren.apply($("mine"), m.map(li)); });
  }
  function bubble(role, text, cls) {
    var el = document.createElement("div");
    el.className = "msg " + role + (cls ? " " + cls : "");
    if (role !== "system") { var w = document.createElement("div"); w.className = "who"; w.textContent = role; el.appendChild(w); }
    var t = document.createElement("div"); t.className = "text"; t.textContent = text; el.appendChild(t);
    $("messages").appendChild(el); $("messages").scrollTop = $("messages").scrollHeight;
    return el;
  }
  function render(m) {
    if (seen[m.id]) return;
    seen[m.id] = true;
    if (drafts[m.id]) { drafts[m.id].remove(); delete drafts[m.id]; }
    bubble(m.role, m.content);
    $("typing").textContent = "";
  }
  function onConversationEvent(ev) {
    if (ev.type === "message") render(ev.message);
    else if (ev.type === "delta" && !seen[ev.message_id]) {
      var d = drafts[ev.message_id] || (drafts[ev.message_id] = bubble("bot", "", "draft"));
      d.querySelector(".text").textContent += ev.delta;
    } else if (ev.type === "status") { setStatus(ev.status); refreshLists(); }
    else if (ev.type === "typing" && ev.role === "visitor") $("typing").textContent = ev.typing ? "Visitor is typing…" : "";
    else if (ev.type === "resync") load(current);
  }
  function setStatus(status, assigned) {
    $("chat-status").textContent = status;
    var mine = status === "agent" && (assigned === undefined || assigned === null || assigned === me.sub);
    $("claim").hidden = !(status === "queued" || status === "bot");
    var others = agents.filter(function (a) { return a.id !== me.sub; });
    $("release").hidden = !(status === "agent");
    $("transfer").hidden = $("transfer-to").hidden = !(status === "agent" && others.length);
    $("close").hidden = status === "closed";
    $("reply").hidden = status !== "agent" || !mine;
    var sel = $("transfer-to");
    sel.replaceChildren.apply(sel, others.map(function (a) {
      var o = document.createElement("option"); o.value = a.id; o.textContent = a.display_name + (a.online ? " (online)" : ""); return o;
    }));
  }
  function load(id) {
    seen = {}; drafts = {}; $("messages").replaceChildren();
    return api("/api/v1/agent/conversations/" + id + "/messages?limit=200").then(function (page) {
      page.messages.forEach(render); setStatus(page.status);
    });
  }
  function open(id) {
    if (current && socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "unwatch", conversation_id: current }));
    current = id;
    $("chat-title").textContent = "Visitor " + id.slice(0, 8);
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "watch", conversation_id: id }));
    load(id); refreshLists();
  }
  function act(action, body) {
    return api("/api/v1/agent/conversations/" + current + "/" + action, body || {})
      .then(function (r) { setStatus(r.status, me.sub); refreshLists(); })
      .catch(function (err) { alert(err.message); refreshLists(); });
  }
  $("claim").addEventListener("click", function () { act("claim"); });
  $("release").addEventListener("click", function () { act("release"); });
  $("close").addEventListener("click", function () { act("close"); });
  $("transfer").addEventListener("click", function () { act("transfer", { to_agent_id: $("transfer-to").value }); });
  $("online").addEventListener("change", function (e) {
    var status = e.target.checked ? "online" : "away";
    $("presence-label").textContent = e.target.checked ? "Online" : "Away";
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "presence", status: status }));
  });
  var typingTimer = null;
  $("reply").addEventListener("input", function () {
    if (typingTimer || !socket || socket.readyState !== 1) return;
    socket.send(JSON.stringify({ type: "typing", conversation_id: current, typing: true }));
    typingTimer = setTimeout(function () { typingTimer = null; }, 2000);
  });
  $("reply").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = e.target.content, text = input.value.trim();
    if (!text) return;
    input.value = "";
    api("/api/v1/agent/conversations/" + current + "/messages", { content: text, client_msg_id: String(Date.now()) + Math.random() })
      .catch(function (err) { alert(err.message); });
  });
  if (staff.auth) start();
})();
