/* kefu chat widget: <script src="https://your-kefu/widget.js" data-widget-key="demo" async></script>
 * No dependencies. Live events over Server-Sent Events (EventSource reconnects and resumes by
 * itself with Last-Event-ID); messages go by POST with a client_msg_id, so a retry never doubles.
 * The conversation survives reloads (localStorage); every message is rendered once, by id. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-widget-key]");
  if (!script) return;
  var KEY = script.getAttribute("data-widget-key") || "demo";
  var BASE = (script.getAttribute("data-api") || new URL(script.src, location.href).origin).replace(/\/$/, "");
  var LANG = script.getAttribute("data-lang") || ((navigator.language || "en").toLowerCase().indexOf("zh") === 0 ? "zh" : "en");
  var T = {
    en: { title: "Chat with us", placeholder: "Type your question…", send: "Send", human: "Talk to a human",
          sources: "Sources", bot: "Assistant", agent: "Agent", typing: "typing…", offline: "Reconnecting…",
          queued: "Waiting for an agent", withAgent: "You're chatting with an agent", closed: "Conversation closed" },
    zh: { title: "在线客服", placeholder: "请输入您的问题…", send: "发送", human: "转人工",
          sources: "来源", bot: "智能助手", agent: "人工客服", typing: "正在输入…", offline: "正在重新连接…",
          queued: "正在等待人工客服", withAgent: "人工客服为您服务中", closed: "会话已结束" }
  }[LANG === "zh" ? "zh" : "en"];
  var STORE = "kefu:" + KEY;
  var state = JSON.parse(localStorage.getItem(STORE) || "null");
  var rendered = {};       // message id -> element (each message once)
  var drafts = {};         // bot message id -> element being streamed
  var pending = {};        // client_msg_id -> element not yet confirmed
  var source = null;

  var host = document.createElement("div");
  host.id = "kefu-widget";
  document.body.appendChild(host);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.innerHTML =
    "<style>" +
    ":host{all:initial;--kefu-color:#1f6feb}*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Noto Sans CJK SC',sans-serif}" +
    ".bubble{position:fixed;right:24px;bottom:24px;width:60px;height:60px;border-radius:50%;border:0;background:var(--kefu-color);color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 6px 20px rgba(0,0,0,.25);z-index:2147483000}" +
    ".panel{position:fixed;right:24px;bottom:96px;width:370px;max-width:calc(100vw - 32px);height:540px;max-height:calc(100vh - 120px);background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;z-index:2147483000}" +
    ".panel.open{display:flex}.head{background:var(--kefu-color);color:#fff;padding:14px 16px;display:flex;gap:10px;align-items:center}.avatar{width:34px;height:34px;border-radius:50%;object-fit:cover;background:#fff}.avatar[hidden]{display:none}" +
    ".head b{font-size:16px}.status{font-size:12px;opacity:.9}.list{flex:1;overflow-y:auto;padding:12px;background:#f6f8fa}" +
    ".msg{max-width:82%;margin:6px 0;padding:9px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;font-size:14px;line-height:1.45}" +
    ".visitor{margin-left:auto;background:var(--kefu-color);color:#fff;border-bottom-right-radius:4px}.bot,.agent{background:#fff;border:1px solid #e1e4e8;border-bottom-left-radius:4px}" +
    ".agent{border-color:#2da44e}.system{margin:8px auto;background:none;color:#57606a;font-size:12px;text-align:center;max-width:95%}.pending{opacity:.6}" +
    ".who{font-size:11px;color:#57606a;margin-bottom:2px}.src{margin-top:6px;font-size:11px;color:#57606a;border-top:1px dashed #d0d7de;padding-top:4px}" +
    ".typing{font-size:12px;color:#57606a;padding:0 14px 4px;min-height:18px}.foot{display:flex;gap:6px;padding:10px;border-top:1px solid #e1e4e8}" +
    ".foot input{flex:1;border:1px solid #d0d7de;border-radius:8px;padding:9px 10px;font-size:14px}.foot button,.human{border:0;border-radius:8px;background:var(--kefu-color);color:#fff;padding:0 14px;cursor:pointer;font-size:14px}" +
    ".human{background:#fff;color:var(--kefu-color);border:1px solid var(--kefu-color);margin:0 10px 8px;padding:6px;font-size:13px}.human[hidden]{display:none}" +
    ".left .bubble,.left .panel{left:24px;right:auto}" +
    "</style><div class='frame'>" +
    "<button class='bubble' aria-label='" + T.title + "'><svg width='28' height='28' viewBox='0 0 24 24' fill='none' stroke='#fff' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'><path d='M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z'/></svg></button>" +
    "<div class='panel' role='dialog' aria-label='" + T.title + "'><div class='head'><img class='avatar' alt='' hidden><div><b>" + T.title + "</b><div class='status'></div></div></div>" +
    "<div class='list' aria-live='polite'></div><div class='typing'></div>" +
    "<button class='human'>" + T.human + "</button>" +
    "<form class='foot'><input name='q' autocomplete='off' maxlength='4000' placeholder='" + T.placeholder + "'><button type='submit'>" + T.send + "</button></form></div></div>";
  var $ = function (sel) { return root.querySelector(sel); };
  var list = $(".list"), statusEl = $(".status"), typingEl = $(".typing"), humanBtn = $(".human");

  function save() { localStorage.setItem(STORE, JSON.stringify(state)); }
  function uuid() { return (crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(16).slice(2)); }
  function scroll() { list.scrollTop = list.scrollHeight; }
  function api(path, body) {
    return fetch(BASE + path, {
      method: body === undefined ? "GET" : "POST",
      headers: Object.assign({ "content-type": "application/json" }, state ? { authorization: "Bearer " + state.token } : {}),
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (j) { if (!r.ok) { var e = new Error(j.detail || r.status); e.code = j.code; e.status = r.status; e.retryAfter = +r.headers.get("retry-after") || 0; throw e; } return j; }); });
  }
  function setStatus(s) {
    statusEl.textContent = s === "queued" ? T.queued : s === "agent" ? T.withAgent : s === "closed" ? T.closed : "";
    humanBtn.hidden = s !== "bot";
  }
  function bubble(role, text) {
    var el = document.createElement("div");
    el.className = "msg " + role;
    if (role === "bot" || role === "agent") {
      var who = document.createElement("div"); who.className = "who"; who.textContent = role === "bot" ? T.bot : T.agent;
      el.appendChild(who);
    }
    var body = document.createElement("div"); body.className = "text"; body.textContent = text || "";
    el.appendChild(body);
    list.appendChild(el);
    return el;
  }
  function render(m) {
    if (rendered[m.id]) return;
    var el = (m.client_msg_id && pending[m.client_msg_id]) || drafts[m.id] || null;
    if (el) { el.classList.remove("pending"); el.querySelector(".text").textContent = m.content; delete pending[m.client_msg_id]; delete drafts[m.id]; }
    else { el = bubble(m.role, m.content); }
    el.dataset.seq = m.seq;
    if (m.citations && m.citations.length) {
      var src = document.createElement("div"); src.className = "src";
      src.textContent = T.sources + ": " + m.citations.map(function (c) { return c.title.split(" > ").pop(); }).join(" · ");
      el.appendChild(src);
    }
    rendered[m.id] = el;
    if (m.role !== "visitor") typingEl.textContent = "";
    scroll();
  }
  function onEvent(e) {
    var ev = JSON.parse(e.data);
    if (ev.type === "message") render(ev.message);
    else if (ev.type === "delta" && !rendered[ev.message_id]) {
      var d = drafts[ev.message_id] || (drafts[ev.message_id] = bubble("bot", ""));
      d.querySelector(".text").textContent += ev.delta; typingEl.textContent = ""; scroll();
    } else if (ev.type === "status") {
      setStatus(ev.status);
      if (ev.status !== "bot") { Object.keys(drafts).forEach(function (id) { drafts[id].remove(); delete drafts[id]; }); }
    } else if (ev.type === "typing" && ev.role !== "visitor") {
      typingEl.textContent = ev.typing ? (ev.role === "bot" ? T.bot : T.agent) + " " + T.typing : "";
    }
  }
  function connect() {
    if (source) source.close();
    source = new EventSource(BASE + "/api/v1/conversations/" + state.id + "/events?token=" + encodeURIComponent(state.token) + "&after_seq=0");
    source.onmessage = onEvent;
    source.onerror = function () { statusEl.textContent = T.offline; };
    source.onopen = function () { api("/api/v1/conversations/" + state.id + "/messages?limit=1").then(function (p) { setStatus(p.status); }).catch(function () {}); };
  }
  function ensureConversation() {
    if (state) return Promise.resolve(state);
    return api("/api/v1/visitor/conversations", { widget_key: KEY, visitor: { page: location.href, language: LANG } })
      .then(function (c) { state = { id: c.conversation_id, token: c.visitor_token }; save(); connect(); return state; });
  }
  function post(text, clientId, el, attempt) {
    api("/api/v1/conversations/" + state.id + "/messages", { content: text, client_msg_id: clientId })
      .catch(function (err) {
        if (err.status && err.status < 500 && err.status !== 429) { el.classList.remove("pending"); el.title = err.message; el.style.borderColor = "#cf222e"; return; }
        var wait = err.retryAfter ? err.retryAfter * 1000 : Math.min(8000, 500 * Math.pow(2, attempt));
        setTimeout(function () { post(text, clientId, el, attempt + 1); }, wait);  // same id: never doubled
      });
  }
  $(".bubble").addEventListener("click", function () {
    $(".panel").classList.toggle("open");
    if ($(".panel").classList.contains("open")) { ensureConversation(); $("input").focus(); }
  });
  $(".foot").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = $("input"), text = input.value.trim();
    if (!text) return;
    input.value = "";
    ensureConversation().then(function () {
      var clientId = uuid(), el = bubble("visitor", text);
      el.classList.add("pending"); pending[clientId] = el; scroll();
      post(text, clientId, el, 0);
    });
  });
  var typingSent = 0;
  $("input").addEventListener("input", function () {
    if (!state || Date.now() - typingSent < 3000) return;
    typingSent = Date.now();
    api("/api/v1/conversations/" + state.id + "/typing", { typing: true }).catch(function () {});
  });
  humanBtn.addEventListener("click", function () {
    ensureConversation().then(function () { return api("/api/v1/conversations/" + state.id + "/handoff", {}); }).then(function (r) { setStatus(r.status); });
  });
  // The tenant's look (admin settings: widget title, color, greeting, side).
  fetch(BASE + "/api/v1/visitor/widget?widget_key=" + encodeURIComponent(KEY)).then(function (r) { return r.ok ? r.json() : null; }).then(function (look) {
    if (!look) return;
    host.style.setProperty("--kefu-color", look.color);
    if (look.title) { $(".head b").textContent = look.title; }
    if (look.avatar) { $(".avatar").src = look.avatar; $(".avatar").hidden = false; }
    if (look.position === "left") { $(".frame").classList.add("left"); }
    if (look.greeting && !list.children.length) { bubble("bot", look.greeting).classList.add("greeting"); }
  }).catch(function () {});
  if (state) { connect(); }
  setStatus("bot");
  window.kefu = { open: function () { $(".panel").classList.add("open"); ensureConversation(); } };
})();
