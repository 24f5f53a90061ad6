/* kefu chat widget: <script src="https://your-kefu/widget.js" data-widget-key="demo" async></script>
 * No dependencies. Live events over Server-Sent Events (EventSource reconnects and resumes by
 * itself with Last-Event-ID); messages go by POST with a client_msg_id, so a retry never doubles.
 * The conversation survives reloads (localStorage); every message is rendered once, by id.
 * A message the visitor sends is kept (localStorage "outbox") until the server has stored it:
 * while the server can't be reached it says so, retries by itself and offers "retry now". */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-widget-key]");
  if (!script) return;
  var KEY = script.getAttribute("data-widget-key") || "demo";
  var BASE = (script.getAttribute("data-api") || new URL(script.src, location.href).origin).replace(/\/$/, "");
  // en, zh, or zh-Hant (traditional characters: zh-TW, zh-HK, zh-MO, zh-Hant), from data-lang or the browser.
  var LANG = (function (tag) {
    tag = String(tag || "en").toLowerCase().replace("_", "-");
    if (tag.indexOf("zh") !== 0) return "en";
    return /^zh-(tw|hk|mo|hant)\b/.test(tag) && tag.indexOf("hans") < 0 ? "zh-Hant" : "zh";
  })(script.getAttribute("data-lang") || navigator.language);
  var T = {
    en: { title: "Chat with us", placeholder: "Type your question…", send: "Send", human: "Talk to a human",
          sources: "Sources", bot: "Assistant", agent: "Agent", typing: "typing…", offline: "Reconnecting…",
          queued: "Waiting for an agent", withAgent: "You're chatting with an agent", closed: "Conversation closed",
          greeting: "Hi! Ask me anything about our shop. A person can take over whenever you like.",
          close: "Close chat", sending: "Sending…", notSent: "Not sent yet, retrying", retry: "Retry now", failed: "Not sent",
          ended: "This conversation has ended.", restart: "Start a new conversation", rate: "How was this conversation?",
          comment: "Anything to add? (optional)", rateSend: "Send rating", thanks: "Thank you for your rating!", star: "star", stars: "stars",
          unread: "unread messages", leaveEmail: "Leave your email and we'll reply there if you've gone:", emailSave: "Save",
          emailSaved: "We'll email our reply to {email}." },
    zh: { title: "在线客服", placeholder: "请输入您的问题…", send: "发送", human: "转人工",
          sources: "来源", bot: "智能助手", agent: "人工客服", typing: "正在输入…", offline: "正在重新连接…",
          queued: "正在等待人工客服", withAgent: "人工客服为您服务中", closed: "会话已结束",
          greeting: "您好！关于本店的问题都可以问我，随时可以转人工客服。",
          close: "关闭聊天", sending: "发送中…", notSent: "暂未发送，正在重试", retry: "立即重试", failed: "未发送",
          ended: "本次会话已结束。", restart: "开始新的会话", rate: "您对本次服务满意吗？",
          comment: "还有什么想说的？（选填）", rateSend: "提交评价", thanks: "感谢您的评价！", star: "星", stars: "星",
          unread: "条未读消息", leaveEmail: "留下邮箱，您离开后我们会把回复发到邮箱：", emailSave: "保存",
          emailSaved: "我们会把回复发送到 {email}。" },
    "zh-Hant": { title: "在線客服", placeholder: "請輸入您的問題…", send: "發送", human: "轉人工",
          sources: "來源", bot: "智能助手", agent: "人工客服", typing: "正在輸入…", offline: "正在重新連接…",
          queued: "正在等待人工客服", withAgent: "人工客服為您服務中", closed: "會話已結束",
          greeting: "您好！關於本店的問題都可以問我，隨時可以轉人工客服。",
          close: "關閉聊天", sending: "發送中…", notSent: "暫未發送，正在重試", retry: "立即重試", failed: "未發送",
          ended: "本次會話已結束。", restart: "開始新的會話", rate: "您對本次服務滿意嗎？",
          comment: "還有什麼想說的？（選填）", rateSend: "提交評價", thanks: "感謝您的評價！", star: "星", stars: "星",
          unread: "條未讀消息", leaveEmail: "留下郵箱，您離開後我們會把回覆發到郵箱：", emailSave: "保存",
          emailSaved: "我們會把回覆發送到 {email}。" }
  }[LANG];
  var STORE = "kefu:" + KEY, OUTBOX = STORE + ":outbox", PREVIOUS = STORE + ":previous";
  var state = JSON.parse(localStorage.getItem(STORE) || "null");
  var outbox = JSON.parse(localStorage.getItem(OUTBOX) || "[]");  // [{id, text}] not yet stored
  var rendered = {};       // message id -> element (each message once)
  var drafts = {};         // bot message id -> element being streamed
  var pending = {};        // client_msg_id -> element not yet confirmed
  var source = null, unread = 0, status = "bot";

  var host = document.createElement("div");
  host.id = "kefu-widget";
  document.body.appendChild(host);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.innerHTML =
    "<style>" +
    ":host{all:initial;--kefu-color:#1f6feb}*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Noto Sans CJK SC',sans-serif}" +
    ".bubble{position:fixed;right:24px;bottom:24px;width:60px;height:60px;border-radius:50%;border:0;background:var(--kefu-color);color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 6px 20px rgba(0,0,0,.25);z-index:2147483000}" +
    ".unread{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;border-radius:11px;background:#cf222e;color:#fff;font-size:12px;font-weight:700;display:flex;align-items:center;justify-content:center;padding:0 6px;border:2px solid #fff}.unread[hidden]{display:none}" +
    ".panel{position:fixed;right:24px;bottom:96px;width:370px;max-width:calc(100vw - 32px);height:540px;max-height:calc(100vh - 120px);background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;z-index:2147483001}" +
    ".panel.open{display:flex}.head{background:var(--kefu-color);color:#fff;padding:14px 16px;display:flex;gap:10px;align-items:center}.avatar{width:34px;height:34px;border-radius:50%;object-fit:cover;background:#fff}.avatar[hidden]{display:none}" +
    ".head b{font-size:16px}.head .who-box{flex:1}.x{background:none;border:0;color:#fff;font-size:24px;line-height:1;cursor:pointer;padding:2px 6px;border-radius:6px}.x:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid rgba(31,111,235,.5);outline-offset:1px}" +
    ".status{font-size:12px;opacity:.9}.list{flex:1;overflow-y:auto;padding:12px;background:#f6f8fa}" +
    ".msg{max-width:82%;margin:6px 0;padding:9px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;font-size:14px;line-height:1.45}" +
    ".visitor{margin-left:auto;background:var(--kefu-color);color:#fff;border-bottom-right-radius:4px}.bot,.agent{background:#fff;border:1px solid #e1e4e8;border-bottom-left-radius:4px}" +
    ".agent{border-color:#2da44e}.system{margin:8px auto;background:none;color:#57606a;font-size:12px;text-align:center;max-width:95%}.pending{opacity:.75}" +
    ".who{font-size:11px;color:#57606a;margin-bottom:2px}.src{margin-top:6px;font-size:11px;color:#57606a;border-top:1px dashed #d0d7de;padding-top:4px}" +
    ".meta{font-size:11px;opacity:.75;margin-top:3px;text-align:right}.system .meta{text-align:center}.meta button{background:#fff;color:#cf222e;border:0;border-radius:6px;font-size:11px;padding:1px 6px;margin-left:6px;cursor:pointer}" +
    ".failed{outline:2px solid #cf222e;opacity:1}" +
    ".typing{font-size:12px;color:#57606a;padding:0 14px 4px;min-height:18px}.foot{display:flex;gap:6px;padding:10px;border-top:1px solid #e1e4e8}.foot[hidden]{display:none}" +
    ".foot input{flex:1;border:1px solid #d0d7de;border-radius:8px;padding:9px 10px;font-size:14px}.foot button,.human,.ended button{border:0;border-radius:8px;background:var(--kefu-color);color:#fff;padding:0 14px;cursor:pointer;font-size:14px}" +
    ".human{background:#fff;color:var(--kefu-color);border:1px solid var(--kefu-color);margin:0 10px 8px;padding:6px;font-size:13px}.human[hidden]{display:none}" +
    ".ended{padding:10px 12px;border-top:1px solid #e1e4e8;font-size:13px;color:#24292f}.ended[hidden]{display:none}.ended p{margin:0 0 6px}.ended button{padding:8px 12px}" +
    ".stars{display:flex;gap:2px;margin:4px 0}.stars button{background:none;border:0;font-size:24px;color:#d0d7de;cursor:pointer;padding:0 2px}.stars button.on{color:#bf8700}" +
    ".ended textarea{width:100%;border:1px solid #d0d7de;border-radius:8px;padding:6px 8px;font-size:13px;resize:none;height:44px;margin-bottom:6px}.ended .row{display:flex;gap:6px;flex-wrap:wrap}.ended .restart{background:#fff;color:var(--kefu-color);border:1px solid var(--kefu-color)}" +
    ".contact{padding:8px 12px;border-top:1px solid #e1e4e8;font-size:13px;background:#fffbe6}.contact[hidden]{display:none}.contact form{display:flex;gap:6px;margin-top:4px}" +
    ".contact input{flex:1;border:1px solid #d0d7de;border-radius:8px;padding:6px 8px;font-size:13px}.contact button{border:0;border-radius:8px;background:var(--kefu-color);color:#fff;padding:0 10px;cursor:pointer}" +
    ".left .bubble,.left .panel{left:24px;right:auto}" +
    "@media (max-width:480px){.panel{inset:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}.panel.open~.bubble,.panel.open+.bubble{display:none}}" +
    "</style><div class='frame'>" +
    "<div class='panel' role='dialog' aria-label='" + T.title + "'><div class='head'><img class='avatar' alt='' hidden><div class='who-box'><b>" + T.title + "</b><div class='status'></div></div>" +
    "<button class='x' type='button' aria-label='" + T.close + "'>×</button></div>" +
    "<div class='list' aria-live='polite'></div><div class='typing'></div>" +
    "<button class='human'>" + T.human + "</button>" +
    "<form class='foot'><input name='q' autocomplete='off' maxlength='4000' aria-label='" + T.placeholder + "' placeholder='" + T.placeholder + "'><button type='submit'>" + T.send + "</button></form>" +
    "<div class='contact' hidden><span class='contact-note'>" + T.leaveEmail + "</span><form><input type='email' name='email' required maxlength='254' aria-label='email' autocomplete='email'><button type='submit'>" + T.emailSave + "</button></form></div>" +
    "<div class='ended' hidden><p class='ended-note'>" + T.ended + "</p><form class='rating'><p>" + T.rate + "</p><div class='stars' role='radiogroup' aria-label='" + T.rate + "'>" +
    [1, 2, 3, 4, 5].map(function (n) { return "<button type='button' role='radio' aria-checked='false' data-score='" + n + "' aria-label='" + n + " " + (n === 1 ? T.star : T.stars) + "'>★</button>"; }).join("") +
    "</div><textarea name='comment' maxlength='1000' aria-label='" + T.comment + "' placeholder='" + T.comment + "'></textarea></form>" +
    "<div class='row'><button type='button' class='rate-send'>" + T.rateSend + "</button><button type='button' class='restart'>" + T.restart + "</button></div></div></div>" +
    "<button class='bubble' aria-label='" + T.title + "'><svg width='28' height='28' viewBox='0 0 24 24' fill='none' stroke='#fff' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'><path d='M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z'/></svg><span class='unread' hidden></span></button></div>";
  var $ = function (sel) { return root.querySelector(sel); };
  var list = $(".list"), statusEl = $(".status"), typingEl = $(".typing"), humanBtn = $(".human"), panel = $(".panel");

  function save() { if (state) localStorage.setItem(STORE, JSON.stringify(state)); else localStorage.removeItem(STORE); }
  function saveOutbox() { localStorage.setItem(OUTBOX, JSON.stringify(outbox)); }
  function uuid() { return (crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(16).slice(2)); }
  function scroll() { list.scrollTop = list.scrollHeight; }
  function api(path, body) {
    return fetch(BASE + path, {
      method: body === undefined ? "GET" : "POST",
      headers: Object.assign({ "content-type": "application/json" }, state ? { authorization: "Bearer " + state.token } : {}),
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (j) { if (!r.ok) { var e = new Error(j.detail || r.status); e.code = j.code; e.status = r.status; e.retryAfter = +r.headers.get("retry-after") || 0; throw e; } return j; }); });
  }
  function clock(iso) {
    var d = iso ? new Date(iso) : new Date(), today = new Date().toDateString() === d.toDateString();
    var opts = today ? { hour: "2-digit", minute: "2-digit" } : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
    return d.toLocaleString({ zh: "zh-CN", "zh-Hant": "zh-TW" }[LANG] || "en-GB", opts);
  }
  function setStatus(s) {
    status = s;
    statusEl.textContent = s === "queued" ? T.queued : s === "agent" ? T.withAgent : s === "closed" ? T.closed : "";
    humanBtn.hidden = s !== "bot";
    $(".contact").hidden = s !== "queued" || !state;
    if (state && state.email) { $(".contact-note").textContent = T.emailSaved.replace("{email}", state.email); $(".contact form").hidden = true; }
    $(".foot").hidden = s === "closed";
    $(".ended").hidden = s !== "closed";
  }
  function bubble(role, text, iso) {
    var el = document.createElement("div");
    el.className = "msg " + role;
    if (role === "bot" || role === "agent") {
      var who = document.createElement("div"); who.className = "who"; who.textContent = role === "bot" ? T.bot : T.agent;
      el.appendChild(who);
    }
    var body = document.createElement("div"); body.className = "text"; body.textContent = text || "";
    el.appendChild(body);
    var meta = document.createElement("div"); meta.className = "meta";
    if (iso !== null) meta.innerHTML = "<time>" + clock(iso) + "</time>";
    el.appendChild(meta);
    list.appendChild(el);
    return el;
  }
  function markUnread(m) {
    if (panel.classList.contains("open") || (m.role !== "bot" && m.role !== "agent") || !state || m.seq <= (state.seen || 0)) return;
    unread += 1;
    $(".unread").hidden = false; $(".unread").textContent = unread;
    $(".bubble").setAttribute("aria-label", T.title + " (" + unread + " " + T.unread + ")");
  }
  function seenAll() {
    unread = 0; $(".unread").hidden = true; $(".bubble").setAttribute("aria-label", T.title);
    var last = 0;
    Object.keys(rendered).forEach(function (id) { last = Math.max(last, +rendered[id].dataset.seq || 0); });
    if (state && last > (state.seen || 0)) { state.seen = last; save(); }
  }
  function render(m) {
    if (rendered[m.id]) return;
    var el = (m.client_msg_id && pending[m.client_msg_id]) || drafts[m.id] || null;
    if (el) {
      el.classList.remove("pending", "failed"); el.querySelector(".text").textContent = m.content;
      if (m.client_msg_id) { delete pending[m.client_msg_id]; settled(m.client_msg_id); }
      delete drafts[m.id];
    } else { el = bubble(m.role, m.content, m.created_at); }
    if (m.role === "bot") {
      // A stored answer ends every answer still being written: one whose replica stopped
      // mid-way was answered again, whole, under another id.
      Object.keys(drafts).forEach(function (id) { drafts[id].remove(); delete drafts[id]; });
    }
    el.querySelector(".meta").innerHTML = "<time datetime='" + m.created_at + "'>" + clock(m.created_at) + "</time>";
    el.dataset.seq = m.seq;
    if (m.citations && m.citations.length) {
      var src = document.createElement("div"); src.className = "src";
      src.textContent = T.sources + ": " + m.citations.map(function (c) { return c.title.split(" > ").pop(); }).join(" · ");
      el.insertBefore(src, el.querySelector(".meta"));
    }
    rendered[m.id] = el;
    if (m.role !== "visitor") typingEl.textContent = "";
    markUnread(m);
    if (panel.classList.contains("open")) seenAll();
    scroll();
  }
  function onEvent(e) {
    var ev = JSON.parse(e.data);
    if (ev.type === "message") render(ev.message);
    else if (ev.type === "delta" && !rendered[ev.message_id]) {
      var d = drafts[ev.message_id] || (drafts[ev.message_id] = bubble("bot", "", null));
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
  var starting = null, identity = null;
  function forget() {
    if (source) source.close();
    source = null; state = null; save(); localStorage.removeItem(PREVIOUS);
    outbox = []; saveOutbox();
    rendered = {}; drafts = {}; pending = {}; list.innerHTML = ""; greet(); setStatus("bot");
  }
  function identify(who) {
    identity = who && who.user_id ? who : null;
    var was = state ? state.user_id || null : null, now = identity ? identity.user_id : null;
    if (!state || was === now) return;
    if (!was && now) {
      // Signed in mid-conversation: the conversation becomes theirs (verified by the server).
      var asked = state;
      api("/api/v1/conversations/" + asked.id + "/identify", identity).then(function (c) {
        if (state !== asked) return;
        state.token = c.visitor_token; state.user_id = now; save();
      }).catch(function (e) { if (e.status && state === asked) forget(); });
      return;
    }
    forget(); // another person on this browser must never see the last one's conversation
  }
  function ensureConversation() {
    if (state) return Promise.resolve(state);
    if (!starting) {
      // The token of the visitor's last conversation says it is them again (agents see their history).
      var visitor = { page: location.href, language: LANG, referrer: document.referrer, title: document.title };
      var body = { widget_key: KEY, visitor: visitor, previous_token: identity ? null : localStorage.getItem(PREVIOUS) };
      if (identity) body.identity = identity;
      starting = api("/api/v1/visitor/conversations", body)
        .then(function (c) {
          state = { id: c.conversation_id, token: c.visitor_token, seen: 0, user_id: identity ? identity.user_id : null }; save();
          localStorage.setItem(PREVIOUS, c.visitor_token); connect(); return state;
        })
        .then(function (s) { starting = null; return s; }, function (err) { starting = null; throw err; });
    }
    return starting;
  }

  /* Sending: every message stays in the outbox until the server has it. */
  function settled(clientId) {
    outbox = outbox.filter(function (m) { return m.id !== clientId; });
    saveOutbox();
  }
  function showProblem(el, text, clientId, message) {
    var meta = el.querySelector(".meta");
    meta.textContent = message;
    var again = document.createElement("button");
    again.type = "button"; again.textContent = T.retry;
    again.addEventListener("click", function () { clearTimeout(el.retryTimer); send(clientId, text, el, 0); });
    meta.appendChild(again);
  }
  function send(clientId, text, el, attempt) {
    clearTimeout(el.retryTimer);
    el.classList.remove("failed");
    if (attempt === 0) el.querySelector(".meta").textContent = T.sending;
    ensureConversation()
      .then(function () { return api("/api/v1/conversations/" + state.id + "/messages", { content: text, client_msg_id: clientId }); })
      .then(function (m) { render(m); })
      .catch(function (err) {
        if (err.code === "conversation_closed") {
          // The conversation ended while this was on its way: nothing is lost, it goes back
          // into the box, to be sent in a new conversation.
          el.remove(); delete pending[clientId]; settled(clientId);
          $("input").value = text; setStatus("closed");
          return;
        }
        if (err.status && err.status < 500 && err.status !== 429) {
          el.classList.add("failed");
          showProblem(el, text, clientId, T.failed + ": " + err.message);
          return;
        }
        // Unreachable, 5xx or rate-limited: the same id again later, so never doubled.
        showProblem(el, text, clientId, T.notSent);
        var wait = err.retryAfter ? err.retryAfter * 1000 : Math.min(15000, 1000 * Math.pow(2, attempt));
        el.retryTimer = setTimeout(function () { send(clientId, text, el, attempt + 1); }, wait);
      });
  }
  function queue(text, clientId) {
    var el = bubble("visitor", text, null);
    el.classList.add("pending"); pending[clientId] = el; scroll();
    send(clientId, text, el, 0);
  }

  function openPanel() {
    panel.classList.add("open");
    seenAll();
    if (status === "closed") $(".restart").focus(); else { ensureConversation().catch(function () {}); $("input").focus(); }
  }
  function closePanel() { panel.classList.remove("open"); $(".bubble").focus(); }
  $(".bubble").addEventListener("click", function () { if (panel.classList.contains("open")) closePanel(); else openPanel(); });
  $(".x").addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.stopPropagation(); closePanel(); } });
  $(".foot").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = $("input"), text = input.value.trim();
    if (!text) return;
    input.value = "";
    var clientId = uuid();
    outbox.push({ id: clientId, text: text }); saveOutbox();
    queue(text, clientId);
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

  /* Waiting for a person: leave an email address for a reply that finds the visitor gone. */
  $(".contact form").addEventListener("submit", function (e) {
    e.preventDefault();
    var email = e.target.email.value.trim();
    api("/api/v1/conversations/" + state.id + "/contact", { email: email }).then(function () {
      state.email = email; save(); setStatus(status);
    }).catch(function (err) { $(".contact-note").textContent = err.message; });
  });

  /* A closed conversation: rate it, and start a new one. */
  var score = 0;
  $(".stars").addEventListener("click", function (e) {
    var n = +e.target.dataset.score;
    if (!n) return;
    score = n;
    root.querySelectorAll(".stars button").forEach(function (b) {
      var on = +b.dataset.score <= n;
      b.classList.toggle("on", on); b.setAttribute("aria-checked", String(+b.dataset.score === n));
    });
  });
  $(".rate-send").addEventListener("click", function () {
    if (!score || !state) return;
    api("/api/v1/conversations/" + state.id + "/rating", { score: score, comment: $(".rating textarea").value })
      .then(function () { $(".rating").hidden = true; $(".rate-send").hidden = true; $(".ended-note").textContent = T.thanks; })
      .catch(function (err) { $(".ended-note").textContent = err.message; });
  });
  $(".restart").addEventListener("click", function () {
    if (source) source.close();
    source = null; state = null; save();
    rendered = {}; drafts = {}; pending = {}; score = 0;
    list.innerHTML = ""; greet();
    $(".rating").hidden = false; $(".rate-send").hidden = false; $(".ended-note").textContent = T.ended;
    root.querySelectorAll(".stars button").forEach(function (b) { b.classList.remove("on"); b.setAttribute("aria-checked", "false"); });
    $(".rating textarea").value = "";
    $(".contact form").hidden = false; $(".contact-note").textContent = T.leaveEmail;
    setStatus("bot");
    ensureConversation().catch(function () {});
    $("input").focus();
  });

  // The greeting opens every conversation (the tenant's own, else a default); it is not a
  // stored message.
  var greeting = T.greeting;
  function greet() { var g = bubble("bot", greeting, null); g.classList.add("greeting"); g.querySelector(".text").className = "greeting-text"; }
  greet();
  // The tenant's look (admin settings: widget title, color, greeting, side, avatar).
  fetch(BASE + "/api/v1/visitor/widget?widget_key=" + encodeURIComponent(KEY)).then(function (r) { return r.ok ? r.json() : null; }).then(function (look) {
    if (!look) return;
    host.style.setProperty("--kefu-color", look.color);
    if (look.title) { $(".head b").textContent = look.title; }
    if (look.avatar) { $(".avatar").src = look.avatar; $(".avatar").hidden = false; }
    if (look.position === "left") { $(".frame").classList.add("left"); }
    if (look.greeting) { greeting = look.greeting; root.querySelectorAll(".greeting .greeting-text").forEach(function (g) { g.textContent = greeting; }); }
  }).catch(function () {});
  if (window.kefuSettings && window.kefuSettings.identity) identify(window.kefuSettings.identity);
  if (state) { connect(); }
  setStatus("bot");
  // Messages a reload interrupted are sent again, once (same client_msg_id).
  outbox.forEach(function (m) { queue(m.text, m.id); });
  window.kefu = {
    open: openPanel,
    // A signed-in user of the site: {user_id, user_hash (HMAC-SHA256 of user_id under the
    // identity secret, made by the site's server), name, email, attributes}.
    identify: function (who) { identify(who); },
    // Signed out: forget the conversation and who it was (the next visitor starts afresh).
    reset: function () { forget(); }
  };
})();
