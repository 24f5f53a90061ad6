/* kefu agent console: sign in, queue, my conversations, live view, claim / release / transfer /
   close; English and Chinese; times on messages; every conversation reachable by keyboard; a
   phone layout; and when a visitor queues or writes while the agent looks elsewhere: a count in
   the tab's title, a sound, and a browser notification (once the agent allows them). */
(function () {
  "use strict";
  var staff = window.kefuStaff, api = staff.api, refresh = staff.refresh;
  var me = null, current = null, socket = null, seen = {}, drafts = {}, agents = [];
  var known = null, attention = 0, unreadBy = {}, canned = [], visitorName = "", labels = [];
  var $ = function (id) { return document.getElementById(id); };
  var TEXT = {
    console: ["kefu console", "kefu 客服工作台"], email: ["Email", "邮箱"], password: ["Password", "密码"], signin: ["Sign in", "登录"],
    signout: ["Sign out", "退出"], lang: ["中文", "English"], online: ["Online", "在线"], away: ["Away", "离开"],
    enable_alerts: ["Enable alerts", "开启提醒"], alerts_on: ["Alerts on", "提醒已开启"], queue: ["Queue", "排队中"], mine: ["My conversations", "我的会话"],
    back: ["← Back", "← 返回"], pick: ["Select a conversation", "选择一个会话"], claim: ["Claim", "接入"], transfer: ["Transfer", "转接"],
    release: ["Release to bot", "交还机器人"], close: ["Close", "结束会话"], send: ["Send", "发送"], reply: ["Reply to the visitor…", "回复访客…"],
    visitor: ["Visitor", "访客"], bot: ["bot", "机器人"], agent: ["agent", "客服"], typing: ["Visitor is typing…", "访客正在输入…"],
    status_bot: ["with the bot", "机器人接待中"], status_queued: ["queued", "排队中"], status_agent: ["with an agent", "人工接待中"], status_closed: ["closed", "已结束"],
    reason_visitor_asked: ["asked for a person", "要求人工"], reason_ungrounded: ["bot could not answer", "机器人答不上来"],
    reason_tenant_rule: ["handoff phrase", "转人工关键词"], reason_plugin: ["plugin", "插件"], reason_asked_again: ["asked the same again", "重复提问"],
    about_visitor: ["About the visitor", "访客信息"], earlier: ["Earlier conversations", "历史会话"], none: ["none", "无"],
    f_name: ["Name", "称呼"], f_user: ["Customer id", "客户编号"], verified: ["verified by the site", "网站已验证"], f_email: ["Email (replies are emailed when they have gone)", "邮箱（访客离开后回复会发到邮箱）"], f_page: ["Page", "当前页面"], f_referrer: ["Came from", "来源"], f_language: ["Language", "语言"],
    f_device: ["Browser and system", "浏览器和系统"], f_first_seen: ["First seen", "首次访问"],
    asked_bot: ["What the visitor asked the bot", "访客问过机器人的问题"], suggested: ["Suggested reply", "建议回复"],
    use_suggestion: ["Use this reply", "使用这条回复"], answered_from: ["answered from", "已回答，来自"], not_answered: ["not answered", "未回答"],
    closed_list: ["Closed", "已结束"], search: ["Search messages…", "搜索消息…"], results: ["Found", "搜索结果"], no_results: ["Nothing found.", "没有找到。"], filter_label: ["Filter by label", "按标签筛选"],
    add_note: ["Add note", "添加备注"], note_placeholder: ["Internal note: only agents see it…", "内部备注：只有客服能看到…"], note: ["Note", "备注"],
    saved_replies: ["Saved replies (type / in a reply)", "快捷回复（回复框输入 /）"], save_reply: ["Save", "保存"], add_label: ["+ label", "+ 标签"],
    remove: ["remove", "移除"],
    new_visitor: ["A visitor is waiting", "有访客在排队"], new_message: ["New message from a visitor", "访客发来新消息"], is_online: ["online", "在线"]
  };
  var lang = localStorage.getItem("kefu:lang") || (/^zh/i.test(navigator.language) ? "zh" : "en");
  function t(key) { return (TEXT[key] || [key, key])[lang === "zh" ? 1 : 0]; }
  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-t]").forEach(function (el) { if (!(el.id === "chat-title" && current)) el.textContent = t(el.dataset.t); });
    document.querySelectorAll(".lang-toggle").forEach(function (el) { el.textContent = t("lang"); });
    $("reply").content.placeholder = t("reply");
    $("note-form").content.placeholder = t("note_placeholder");
    $("label-filter").placeholder = t("filter_label");
    $("search").placeholder = t("search");
    $("presence-label").textContent = $("online").checked ? t("online") : t("away");
    if ("Notification" in window && Notification.permission === "granted") $("notify").textContent = t("alerts_on");
    showTitle();
  }
  function clock(iso) {
    var d = new Date(iso), today = new Date().toDateString() === d.toDateString();
    return d.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", today ? { hour: "2-digit", minute: "2-digit" } : { dateStyle: "medium", timeStyle: "short" });
  }
  function stamp(iso) { return '<time datetime="' + new Date(iso).toISOString() + '">' + clock(iso) + "</time>"; }

  /* Attention: the title counts what waits; a sound and a notification when it arrives. */
  function showTitle() { document.title = (attention ? "(" + attention + ") " : "") + t("console"); }
  function chime() {
    try {
      var ctx = chime.ctx || (chime.ctx = new (window.AudioContext || window.webkitAudioContext)());
      var osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.08;
      osc.connect(gain); gain.connect(ctx.destination); osc.start(); osc.stop(ctx.currentTime + 0.15);
      window.__kefuChimes = (window.__kefuChimes || 0) + 1;
    } catch (e) { /* no audio: the title and the notification still tell */ }
  }
  function alertAgent(text, conversationId) {
    var looking = document.visibilityState === "visible" && document.hasFocus() && current === conversationId;
    if (looking) return;
    attention += 1; showTitle(); chime();
    if ("Notification" in window && Notification.permission === "granted") {
      var n = new Notification(t("console"), { body: text, tag: "kefu-" + conversationId });
      n.onclick = function () { window.focus(); open(conversationId); n.close(); };
    }
  }
  window.addEventListener("focus", function () { attention = 0; showTitle(); });
  $("notify").addEventListener("click", function () {
    if (!("Notification" in window)) return;
    Notification.requestPermission().then(function (p) { if (p === "granted") $("notify").textContent = t("alerts_on"); });
  });

  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target;
    staff.login(f.email.value, f.password.value).then(start).catch(function (err) { $("login-error").textContent = err.message; });
  });
  $("logout").addEventListener("click", function () { if (socket) { socket.onclose = null; socket.close(); } staff.logout(); });
  document.querySelectorAll(".lang-toggle").forEach(function (b) {
    b.addEventListener("click", function () { lang = lang === "zh" ? "en" : "zh"; localStorage.setItem("kefu:lang", lang); applyLanguage(); refreshLists(); if (current) load(current); });
  });

  function start() {
    me = staff.claims();
    $("login").hidden = true; $("app").hidden = false;
    $("me").textContent = me.email;
    connect(); refreshLists();
    api("/api/v1/agent/agents").then(function (list) { agents = list; });
    loadCanned();
  }
  function connect() {
    socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/api/v1/agent/ws?token=" + encodeURIComponent(staff.auth.access_token));
    socket.onmessage = function (e) {
      var ev = JSON.parse(e.data);
      if (ev.type === "conversation") { refreshSoon(); if (current === ev.conversation_id) setStatus(ev.status, ev.assigned_agent); }
      else if (ev.type === "conversation_event" && ev.conversation_id === current) onConversationEvent(ev.event);
      else if (ev.type === "note" && ev.conversation_id === current) showNote(ev.note);
      else if (ev.type === "visitor_message" && ev.conversation_id !== current) visitorWrote(ev); else if (ev.type === "error" && ev.code === "token_expired") refresh().then(connect);
    };
    socket.onopen = function () { if (current) socket.send(JSON.stringify({ type: "watch", conversation_id: current })); };
    socket.onclose = function () { setTimeout(function () { refresh().then(connect).catch(function () {}); }, 1500); };
  }
  /* A visitor wrote in a conversation that isn't open: mark it unread and update its preview
     where it is listed (re-read the lists only when it isn't there yet). */
  function visitorWrote(ev) {
    var b = document.querySelector("#mine button[data-id='" + ev.conversation_id + "'], #queue button[data-id='" + ev.conversation_id + "']");
    unreadBy[ev.conversation_id] = (unreadBy[ev.conversation_id] || 0) + 1;
    if (!b) { refreshSoon(); return; }
    if (b.closest("#mine")) alertAgent(t("new_message") + ": " + ev.preview.slice(0, 80), ev.conversation_id);
    var p = b.querySelector(".preview");
    if (!p) { p = document.createElement("span"); p.className = "preview"; b.appendChild(p); }
    p.textContent = ev.preview;
    var u = b.querySelector(".unread");
    if (!u) { u = document.createElement("span"); u.className = "unread"; b.prepend(u); }
    u.textContent = unreadBy[ev.conversation_id];
  }
  function item(c) {
    var li = document.createElement("li"), b = document.createElement("button");
    li.className = c.conversation_id === current ? "active" : "";
    b.type = "button"; b.dataset.id = c.conversation_id;
    var reason = c.handoff_reason ? " · " + t("reason_" + c.handoff_reason) : "";
    b.innerHTML = "<b></b><small></small>";
    b.querySelector("b").textContent = t("visitor") + " " + c.conversation_id.slice(0, 8);
    b.querySelector("small").textContent = t("status_" + c.status) + reason + " · " + clock(c.updated_at || c.queued_at || Date.now());
    if (c.preview) {
      var p = document.createElement("span"); p.className = "preview";
      p.textContent = (!c.preview_role || c.preview_role === "visitor" ? "" : t(c.preview_role) + ": ") + c.preview; b.appendChild(p);
    }
    (c.labels || []).forEach(function (l) { var tag = document.createElement("span"); tag.className = "tag"; tag.textContent = l; b.appendChild(tag); });
    if (unreadBy[c.conversation_id]) {
      var u = document.createElement("span"); u.className = "unread"; u.textContent = unreadBy[c.conversation_id]; b.prepend(u);
    }
    b.addEventListener("click", function () { open(c.conversation_id); });
    li.appendChild(b);
    return li;
  }
  /* A busy tenant changes its lists many times a second: re-read them at most once a second
     (the last change always shows), so the console stays responsive with hundreds open. */
  var refreshTimer = null, lastRefresh = 0;
  function refreshSoon() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () { refreshTimer = null; refreshLists(); }, Math.max(0, 1000 - (Date.now() - lastRefresh)));
  }
  function refreshLists() {
    lastRefresh = Date.now();
    api("/api/v1/agent/queue?limit=1000").then(function (q) {
      if (known !== null) {
        q.filter(function (c) { return !known[c.conversation_id]; }).forEach(function (c) { alertAgent(t("new_visitor"), c.conversation_id); });
      }
      known = {};
      q.forEach(function (c) { known[c.conversation_id] = true; });
      $("queue").replaceChildren.apply($("queue"), q.map(item)); $("queue-count").textContent = q.length; $("queue-count").classList.toggle("zero", !q.length);
    });
    var label = $("label-filter").value.trim(), only = label ? "&label=" + encodeURIComponent(label) : "";
    api("/api/v1/agent/conversations?status=agent&limit=500" + only).then(function (m) { $("mine").replaceChildren.apply($("mine"), m.map(item)); });
    api("/api/v1/agent/conversations?status=closed&limit=30" + only).then(function (m) { $("closed").replaceChildren.apply($("closed"), m.map(item)); });
  }
  var searchTimer = null;
  function runSearch() {
    var q = $("search").value.trim();
    $("results-box").hidden = !q; $("lists-box").hidden = !!q;
    if (!q) return;
    api("/api/v1/agent/conversations?q=" + encodeURIComponent(q)).then(function (found) {
      if ($("search").value.trim() !== q) return;
      $("results").replaceChildren.apply($("results"), found.map(item));
      if (!found.length) $("results").innerHTML = "<li><small>" + t("no_results") + "</small></li>";
    });
  }
  $("search").addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 250); });
  var filterTimer = null;
  $("label-filter").addEventListener("input", function () { clearTimeout(filterTimer); filterTimer = setTimeout(refreshLists, 250); });
  function bubble(role, text, cls, iso) {
    var el = document.createElement("div");
    el.className = "msg " + role + (cls ? " " + cls : "");
    if (role !== "system") { var w = document.createElement("div"); w.className = "who"; w.textContent = t(role); el.appendChild(w); }
    var body = document.createElement("div"); body.className = "text"; body.textContent = text; el.appendChild(body);
    if (iso) el.insertAdjacentHTML("beforeend", stamp(iso));
    $("messages").appendChild(el); $("messages").scrollTop = $("messages").scrollHeight;
    return el;
  }
  function render(m) {
    if (seen[m.id]) return;
    seen[m.id] = true;
    if (drafts[m.id]) { drafts[m.id].remove(); delete drafts[m.id]; }
    if (m.role === "bot") Object.keys(drafts).forEach(function (id) { drafts[id].remove(); delete drafts[id]; });
    bubble(m.role, m.content, "", m.created_at);
    $("typing").textContent = "";
  }
  function onConversationEvent(ev) {
    if (ev.type === "message") {
      render(ev.message);
      if (ev.message.role === "visitor") alertAgent(t("new_message") + ": " + ev.message.content.slice(0, 80), current);
    } else if (ev.type === "delta" && !seen[ev.message_id]) {
      var d = drafts[ev.message_id] || (drafts[ev.message_id] = bubble("bot", "", "draft"));
      d.querySelector(".text").textContent += ev.delta;
    } else if (ev.type === "status") { setStatus(ev.status); refreshSoon(); }
    else if (ev.type === "typing" && ev.role === "visitor") $("typing").textContent = ev.typing ? t("typing") : "";
    else if (ev.type === "resync") load(current);
  }
  function setStatus(status, assigned) {
    $("chat-status").textContent = t("status_" + status);
    var mine = status === "agent" && (assigned === undefined || assigned === null || assigned === me.sub);
    $("claim").hidden = !(status === "queued" || status === "bot");
    var others = agents.filter(function (a) { return a.id !== me.sub; });
    $("release").hidden = !(status === "agent");
    $("transfer").hidden = $("transfer-to").hidden = !(status === "agent" && others.length);
    $("close").hidden = status === "closed";
    $("reply").hidden = status !== "agent" || !mine;
    var sel = $("transfer-to");
    sel.replaceChildren.apply(sel, others.map(function (a) {
      var o = document.createElement("option"); o.value = a.id; o.textContent = a.display_name + (a.online ? " (" + t("is_online") + ")" : ""); return o;
    }));
  }
  function showContext(id) {
    api("/api/v1/agent/conversations/" + id).then(function (d) {
      if (current !== id) return;
      var v = d.visitor;
      visitorName = v.name;
      var facts = [["f_name", v.name + (v.verified ? " ✓ " + t("verified") : "")], ["f_user", v.user_id], ["f_email", v.email], ["f_page", v.page], ["f_referrer", v.referrer], ["f_language", v.language],
        ["f_device", [v.browser, v.os, v.device].filter(Boolean).join(" · ")], ["f_first_seen", clock(v.first_seen)]];
      Object.keys(v.attributes || {}).forEach(function (k) { facts.push([k, String(v.attributes[k])]); });
      $("context-facts").replaceChildren();
      facts.filter(function (f) { return f[1]; }).forEach(function (f) {
        var dt = document.createElement("dt"), dd = document.createElement("dd");
        dt.textContent = t(f[0]); dd.textContent = f[1];
        $("context-facts").append(dt, dd);
      });
      $("earlier").replaceChildren.apply($("earlier"), v.previous.map(function (c) {
        var li = document.createElement("li"), b = document.createElement("button");
        b.type = "button"; b.dataset.id = c.conversation_id;
        b.innerHTML = "<b></b><small></small>";
        b.querySelector("b").textContent = c.first_message || t("visitor") + " " + c.conversation_id.slice(0, 8);
        b.querySelector("small").textContent = t("status_" + c.status) + " · " + clock(c.created_at);
        b.addEventListener("click", function () { open(c.conversation_id); });
        li.appendChild(b); return li;
      }));
      if (!v.previous.length) $("earlier").innerHTML = "<li><small>" + t("none") + "</small></li>";
      $("context").hidden = false;
    }).catch(function () { $("context").hidden = true; });
  }
  /* At handoff: what the visitor asked the bot, and a reply drafted from the knowledge base. */
  function showAssist(id, status) {
    $("assist").hidden = true;
    if (status !== "queued" && status !== "agent") return;
    api("/api/v1/agent/conversations/" + id + "/assist").then(function (a) {
      if (current !== id || (!a.asked.length && !a.suggestion)) return;
      $("asked").replaceChildren.apply($("asked"), a.asked.map(function (q) {
        var li = document.createElement("li"), note = document.createElement("small");
        li.textContent = q.question + " ";
        note.className = q.answered ? "yes" : "no";
        note.textContent = "(" + (q.answered ? t("answered_from") + " " + q.source : t("not_answered")) + ")";
        li.appendChild(note); return li;
      }));
      $("suggestion-box").hidden = !a.suggestion;
      $("suggestion").textContent = a.suggestion;
      $("suggestion-sources").textContent = a.suggestion_sources.join(" · ");
      $("assist").hidden = false;
    });
  }
  $("use-suggestion").addEventListener("click", function () {
    $("reply").content.value = $("suggestion").textContent; $("reply").content.focus();
  });
  function load(id) {
    seen = {}; drafts = {}; $("messages").replaceChildren();
    showContext(id);
    $("note-form").hidden = false;
    return api("/api/v1/agent/conversations/" + id + "/messages?limit=200").then(function (page) {
      page.messages.forEach(render); setStatus(page.status);
      loadLabels(id); showAssist(id, page.status);
      return api("/api/v1/agent/conversations/" + id + "/notes").then(function (notes) { if (current === id) notes.forEach(showNote); });
    });
  }
  /* Narrow screens keep the visitor's context behind a button, shown over the chat. */
  $("context-toggle").addEventListener("click", function () { $("app").classList.add("show-context"); $("context-close").focus(); });
  $("context-close").addEventListener("click", function () { $("app").classList.remove("show-context"); $("context-toggle").focus(); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && $("app").classList.contains("show-context")) $("context-close").click();
  });
  function open(id) {
    if (current && socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "unwatch", conversation_id: current }));
    current = id;
    delete unreadBy[id];
    $("app").classList.add("reading"); $("app").classList.remove("show-context");
    $("context-toggle").hidden = false;
    $("chat-title").textContent = t("visitor") + " " + id.slice(0, 8);
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "watch", conversation_id: id }));
    /* Once loaded, to the reply box (or Claim) — unless the agent has moved on meanwhile (typing
       a search, opening another): focus never jumps out from under their keys. */
    var opener = document.activeElement;
    load(id).then(function () {
      var still = document.activeElement === opener || document.activeElement === document.body;
      if (current !== id || !still) return;
      if (!$("reply").hidden) $("reply").content.focus(); else $("claim").focus();
    });
    /* Mark it in the lists as it stands (no re-read: hundreds may be listed). */
    document.querySelectorAll("#queue li, #mine li, #closed li, #results li").forEach(function (li) {
      var b = li.querySelector("button"), here = !!b && b.dataset.id === id;
      li.className = here ? "active" : "";
      if (here && b.querySelector(".unread")) b.querySelector(".unread").remove();
    });
  }
  /* Internal notes: in the timeline, marked, never sent to the visitor. */
  function showNote(n) {
    if ($("messages").querySelector('[data-note="' + n.id + '"]')) return; /* already shown (ours, live) */
    var el = document.createElement("div");
    el.className = "msg note"; el.dataset.note = n.id;
    el.innerHTML = '<div class="who"></div><div class="text"></div>' + stamp(n.created_at);
    el.querySelector(".who").textContent = t("note") + " · " + n.author_name;
    el.querySelector(".text").textContent = n.content;
    var later = Array.prototype.find.call($("messages").querySelectorAll(".msg time"), function (tm) { return new Date(tm.dateTime) > new Date(n.created_at); });
    if (later) $("messages").insertBefore(el, later.closest(".msg")); else $("messages").appendChild(el);
    $("messages").scrollTop = $("messages").scrollHeight;
  }
  $("note-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = e.target.content, text = input.value.trim();
    if (!text || !current) return;
    input.value = "";
    api("/api/v1/agent/conversations/" + current + "/notes", { content: text }).then(showNote).catch(function (err) { input.value = text; alert(err.message); });
  });

  /* Labels: chips in the header; Enter adds one, × removes it. */
  function drawLabels() {
    var box = $("labels");
    box.replaceChildren();
    labels.forEach(function (l) {
      var chip = document.createElement("span"), x = document.createElement("button");
      chip.className = "chip"; chip.textContent = l;
      x.type = "button"; x.textContent = "×"; x.setAttribute("aria-label", t("remove") + " " + l);
      x.addEventListener("click", function () { saveLabels(labels.filter(function (o) { return o !== l; })); });
      chip.appendChild(x); box.appendChild(chip);
    });
    var input = document.createElement("input");
    input.placeholder = t("add_label"); input.setAttribute("aria-label", t("add_label")); input.maxLength = 40;
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && input.value.trim()) { e.preventDefault(); saveLabels(labels.concat([input.value.trim()])); }
    });
    box.appendChild(input);
    box.hidden = false;
  }
  function loadLabels(id) { api("/api/v1/agent/conversations/" + id + "/labels").then(function (r) { if (current === id) { labels = r.labels; drawLabels(); } }); }
  function saveLabels(next) {
    api("/api/v1/agent/conversations/" + current + "/labels", { labels: next }, "PUT").then(function (r) { labels = r.labels; drawLabels(); $("labels").querySelector("input").focus(); })
      .catch(function (err) { alert(err.message); });
  }

  /* Canned responses: "/" + shortcut in the reply box, arrows to choose, Enter or Tab to insert. */
  function loadCanned() {
    api("/api/v1/agent/canned-responses").then(function (list) {
      canned = list;
      $("canned-list").replaceChildren.apply($("canned-list"), list.map(function (c) {
        var li = document.createElement("li"), x = document.createElement("button");
        li.innerHTML = "<span><b></b> <small></small></span>";
        li.querySelector("b").textContent = "/" + c.shortcut; li.querySelector("small").textContent = c.content.slice(0, 60);
        x.type = "button"; x.className = "link"; x.textContent = "×"; x.setAttribute("aria-label", t("remove") + " /" + c.shortcut);
        x.addEventListener("click", function () { api("/api/v1/agent/canned-responses/" + c.id, undefined, "DELETE").then(loadCanned); });
        li.appendChild(x); return li;
      }));
    });
  }
  $("canned-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target;
    api("/api/v1/agent/canned-responses", { shortcut: f.shortcut.value, content: f.content.value })
      .then(function () { f.reset(); f.querySelector(".error").textContent = ""; loadCanned(); })
      .catch(function (err) { f.querySelector(".error").textContent = err.message; });
  });
  function fill(text) {
    var mine = agents.find(function (a) { return a.id === me.sub; });
    return text.replace(/\{\{\s*visitor\.name\s*\}\}/g, visitorName || t("visitor"))
      .replace(/\{\{\s*agent\.name\s*\}\}/g, mine ? mine.display_name : me.email);
  }
  var choice = 0;
  function matches() {
    var v = $("reply").content.value;
    if (v.charAt(0) !== "/") return [];
    var q = v.slice(1).toLowerCase();
    return canned.filter(function (c) { return c.shortcut.indexOf(q) === 0 || c.content.toLowerCase().indexOf(q) >= 0; }).slice(0, 8);
  }
  function drawMenu() {
    var found = matches(), menu = $("canned-menu");
    menu.hidden = !found.length;
    choice = Math.min(choice, Math.max(0, found.length - 1));
    menu.replaceChildren.apply(menu, found.map(function (c, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option"); li.setAttribute("aria-selected", String(i === choice));
      li.innerHTML = "<b></b><span></span>";
      li.querySelector("b").textContent = "/" + c.shortcut; li.querySelector("span").textContent = c.content.slice(0, 80);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); use(c); });
      return li;
    }));
  }
  function use(c) { $("reply").content.value = fill(c.content); $("canned-menu").hidden = true; $("reply").content.focus(); }
  $("reply").content.addEventListener("input", function () { choice = 0; drawMenu(); });
  $("reply").content.addEventListener("keydown", function (e) {
    var found = matches();
    if ($("canned-menu").hidden || !found.length) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") { e.preventDefault(); choice = (choice + (e.key === "ArrowDown" ? 1 : found.length - 1)) % found.length; drawMenu(); }
    else if (e.key === "Enter" || e.key === "Tab") { e.preventDefault(); use(found[choice]); }
    else if (e.key === "Escape") { $("canned-menu").hidden = true; }
  });

  $("back").addEventListener("click", function () { $("app").classList.remove("reading"); var b = document.querySelector(".convs button[data-id='" + current + "']"); if (b) b.focus(); });
  function act(action, body) {
    return api("/api/v1/agent/conversations/" + current + "/" + action, body || {})
      .then(function (r) { setStatus(r.status, me.sub); refreshLists(); if (action === "claim") $("reply").content.focus(); })
      .catch(function (err) { alert(err.message); refreshLists(); });
  }
  $("claim").addEventListener("click", function () { act("claim"); });
  $("release").addEventListener("click", function () { act("release"); });
  $("close").addEventListener("click", function () { act("close"); });
  $("transfer").addEventListener("click", function () { act("transfer", { to_agent_id: $("transfer-to").value }); });
  $("online").addEventListener("change", function (e) {
    $("presence-label").textContent = e.target.checked ? t("online") : t("away");
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "presence", status: e.target.checked ? "online" : "away" }));
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
      .catch(function (err) { input.value = text; alert(err.message); });
  });
  applyLanguage();
  if (staff.auth) start(); else $("login").hidden = false;
})();
