/* kefu owner's workspace: every view reads and writes through /api/v1/admin (no second source of
   truth); every string through the zh/en table T; every time shown in the reader's locale. */
(function () {
  "use strict";
  var staff = window.kefuStaff, api = staff.api;
  var A = "/api/v1/admin";
  var $ = function (id) { return document.getElementById(id); };
  var T = {
    signin_title: ["kefu admin", "kefu 管理后台"], email: ["Email", "邮箱"], password: ["Password", "密码"],
    signin: ["Sign in", "登录"], signout: ["Sign out", "退出"], admin: ["admin", "管理后台"], lang: ["中文", "English"],
    nav_kb: ["Knowledge base", "知识库"], nav_playground: ["Playground", "调试台"], nav_bot: ["Bot", "机器人"],
    nav_widget: ["Widget", "聊天窗口"], nav_analytics: ["Analytics", "数据分析"], nav_team: ["Team & integrations", "团队与集成"],
    upload_title: ["Upload files", "上传文件"], drop_hint: ["Drop files here, or press to choose (Markdown, text, HTML, PDF, DOCX)", "把文件拖到这里，或点击选择（Markdown、文本、HTML、PDF、DOCX）"],
    paste_title: ["Paste text", "粘贴文本"], qa_title: ["Add a question and answer", "添加问答"], title: ["Title", "标题"], text: ["Text", "正文"],
    question: ["Question", "问题"], answer: ["Answer", "回答"], add: ["Add", "添加"], added: ["Added.", "已添加。"],
    documents: ["Documents", "文档"], reindex: ["Re-index all", "全部重建索引"], source: ["Source", "来源"], passages: ["Passages", "段落"],
    updated: ["Updated", "更新时间"], view: ["View", "查看"], delete: ["Delete", "删除"], close: ["Close", "关闭"],
    confirm_delete: ["Delete this document? The bot stops citing it at once.", "删除这个文档？机器人将立即停止引用它。"],
    uploading: ["Uploading", "上传中"], indexing: ["Indexing…", "正在建立索引…"], indexed: ["Indexed: {n} passages", "已建索引：{n} 个段落"],
    reindexed: ["Re-indexed: {n} passages", "已重建索引：{n} 个段落"],
    play_question: ["Ask as a visitor would", "像访客一样提问"], play_history: ["Earlier visitor message (optional, for a follow-up)", "访客之前的消息（可选，用于追问）"],
    ask: ["Ask", "提问"], passages_found: ["Passages found", "找到的段落"],
    outcome_answer: ["Answers", "回答"], outcome_decline: ["Declines", "不回答"], outcome_handoff: ["Hands off to a person", "转人工"], outcome_refuse: ["Refuses", "拒绝"],
    score: ["score", "得分"], coverage: ["words", "词覆盖"], similarity: ["meaning", "语义"], grounded: ["grounds the answer", "可作依据"], cited: ["cited", "已引用"],
    persona: ["Persona", "人设"], persona_hint: ["How the bot introduces itself and speaks (used with a model).", "机器人如何介绍自己、用什么语气（接入模型时使用）。"],
    handoff_phrases: ["Handoff phrases", "转人工关键词"], phrases_hint: ["One per line: a visitor writing one goes straight to a person.", "每行一个：访客说出任意一个就直接转人工。"],
    ungrounded_limit: ["Offer a person after this many unanswered questions in a row", "连续多少次答不上来后转人工"],
    hours: ["Business hours", "营业时间"], hours_on: ["Agents keep business hours", "客服按营业时间上班"], timezone: ["Time zone", "时区"],
    opens: ["Opens", "上班"], closes: ["Closes", "下班"], temperature: ["Temperature", "温度"], max_tokens: ["Longest answer (tokens)", "最长回答（token）"],
    save: ["Save", "保存"], saved: ["Saved.", "已保存。"], days: [["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]],
    checks_title: ["Test questions", "测试问题"], run_checks: ["Run now", "立即运行"],
    checks_hint: ["Your test questions run after every knowledge-base change (kefu kb eval, or the API).", "每次知识库变更后都会运行测试问题（kefu kb eval 或 API）。"],
    no_checks: ["No test questions yet.", "还没有测试问题。"], checks_score: ["{ok} of {n} right ({pct}) on knowledge-base version {v}", "{n} 个中答对 {ok} 个（{pct}），知识库版本 {v}"],
    widget_title: ["Title", "标题"], color: ["Colour", "主题色"], position: ["Position", "位置"], right: ["Bottom right", "右下角"], left: ["Bottom left", "左下角"],
    greeting: ["Greeting", "欢迎语"], origins: ["Allowed sites", "允许的网站"], origins_hint: ["One origin per line (https://shop.example.com); empty: any site.", "每行一个来源（https://shop.example.com）；留空表示任何网站。"],
    preview: ["Live preview", "实时预览"], open_demo: ["Open the demo shop page", "打开演示商店页面"], embed: ["Embed snippet", "嵌入代码"], copy: ["Copy", "复制"], copied: ["Copied.", "已复制。"],
    period: ["Days", "天数"], conversations: ["Conversations", "会话"], messages: ["Messages", "消息"], contained: ["Answered by the bot", "机器人独立解决"],
    handed_off: ["Handed off", "转人工"], per_day: ["Conversations per day", "每日会话"], unanswered: ["Questions the bot could not answer", "机器人答不上来的问题"],
    unanswered_hint: ["Grouped by meaning, in any language. Answer a group once: it becomes a knowledge-base entry, and the next visitor gets that answer.", "按语义分组，不分语言。回答一次即可：回答会成为知识库条目，下一位访客就能得到这个答案。"],
    none_unanswered: ["Nothing unanswered in this period.", "这段时间没有答不上来的问题。"], asked_times: ["asked {n}×", "被问 {n} 次"],
    write_answer: ["Your answer", "您的回答"], answer_to_kb: ["Add to knowledge base", "加入知识库"], answered: ["Added to the knowledge base.", "已加入知识库。"],
    handoff_reasons: ["Why conversations were handed off", "转人工原因"], response_times: ["Agents' response times", "客服响应时间"],
    first_response: ["First response", "首次响应"], resolution: ["Resolution", "解决"], top_questions: ["Top questions", "热门问题"],
    busiest_hours: ["Busiest hours", "最忙时段"], ratings: ["Answer ratings", "回答评价"], helpful: ["helpful", "有帮助"], not_helpful: ["not helpful", "没帮助"],
    reason_visitor_asked: ["Visitor asked", "访客要求"], reason_ungrounded: ["Bot could not answer", "机器人答不上来"], reason_tenant_rule: ["Handoff phrase", "转人工关键词"],
    reason_plugin: ["Plugin", "插件"], reason_other: ["Other", "其他"], nothing: ["Nothing yet.", "暂无数据。"],
    users: ["People", "成员"], name: ["Name", "姓名"], role: ["Role", "角色"], status: ["Status", "状态"], active: ["active", "启用"], disabled: ["disabled", "已停用"],
    disable: ["Disable", "停用"], enable: ["Enable", "启用"], reset_password: ["Reset password", "重置密码"], new_password: ["New password (8+ characters)", "新密码（至少 8 位）"],
    add_user: ["Add person", "添加成员"], api_keys: ["API keys", "API 密钥"], create_key: ["Create key", "创建密钥"], revoke: ["Revoke", "吊销"], revoked: ["revoked", "已吊销"],
    key_once: ["Copy this key now, it is shown once: ", "请立即复制密钥，只显示这一次："], webhooks: ["Webhooks", "Webhook"],
    secret_once: ["Signing secret (shown once): ", "签名密钥（只显示一次）："], deliveries: ["Deliveries", "投递记录"],
    why_grounded: ["Grounded in the passages marked.", "依据标记为“已引用”的段落作答。"],
    why_no_passage: ["No passage in the knowledge base.", "知识库里还没有段落。"],
    why_far: ["The best passage's meaning is only {s} close to the question's (at least {f} is needed).", "最佳段落与问题的语义相似度只有 {s}（至少需要 {f}）。"],
    why_no_grounding: ["The best passage holds {c} of the question's words (needs {nc}) and its meaning is {s} close (needs {ns}).", "最佳段落只包含问题中 {c} 的词（需要 {nc}），语义相似度 {s}（需要 {ns}）。"],
    why_model_declined: ["The model read the passages and found no answer in them.", "模型读了这些段落，认为其中没有答案。"],
    why_model_failed: ["The model failed; visitors would be told to try again or ask for a person.", "模型出错；访客会被告知稍后再试或转人工。"],
    why_tenant_rule: ["It contains one of your handoff phrases.", "包含您设置的转人工关键词。"],
    why_visitor_asked: ["The visitor asks for a person.", "访客要求人工客服。"],
    why_steering: ["It tries to steer the bot off its job: a polite refusal.", "试图让机器人偏离职责：礼貌拒绝。"],
    audit: ["Audit log", "审计日志"], export: ["Export conversations (CSV)", "导出会话（CSV）"]
  };
  var lang = localStorage.getItem("kefu:lang") || (/^zh/i.test(navigator.language) ? "zh" : "en");
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
    return '<time datetime="' + d.toISOString() + '">' + d.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short" }) + "</time>";
  }
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function flash(form, text, isError) {
    var ok = form.querySelector(".ok"), err = form.querySelector(".error");
    if (ok) ok.textContent = isError ? "" : text;
    if (err) err.textContent = isError ? text : "";
  }
  function pct(x) { return Math.round(x * 100) + "%"; }

  /* sign-in, language, routing */
  document.querySelectorAll(".lang-toggle").forEach(function (b) {
    b.addEventListener("click", function () { lang = lang === "zh" ? "en" : "zh"; localStorage.setItem("kefu:lang", lang); applyLanguage(); route(); });
  });
  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    staff.login(e.target.email.value, e.target.password.value).then(start).catch(function (err) { $("login-error").textContent = err.message; });
  });
  $("logout").addEventListener("click", staff.logout);
  var settings = null;
  function start() {
    var me = staff.claims();
    if (["owner", "admin", "superadmin"].indexOf(me.role) < 0) { $("login-error").textContent = "owners and admins only"; staff.auth = null; return; }
    $("login").hidden = true; $("app").hidden = false;
    $("who").textContent = me.email + " · " + me.role;
    route();
  }
  var views = { kb: loadKb, playground: function () { $("play-question").focus(); }, bot: loadBot, widget: loadWidget, analytics: loadAnalytics, team: loadTeam };
  function route() {
    if (!staff.auth) return;
    var name = (location.hash || "#kb").slice(1);
    if (!views[name]) name = "kb";
    Object.keys(views).forEach(function (v) { $("view-" + v).hidden = v !== name; });
    document.querySelectorAll("nav.side a").forEach(function (a) {
      if (a.getAttribute("href") === "#" + name) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    views[name]();
  }
  window.addEventListener("hashchange", route);
  function loadSettings() { return api(A + "/settings/").then(function (s) { settings = s; return s; }); }
  function saveSettings(change) {
    var next = JSON.parse(JSON.stringify(settings.settings));
    change(next);
    return api(A + "/settings/", next, "PUT").then(function (s) { settings = s; return s; });
  }

  /* knowledge base */
  function loadKb() {
    api(A + "/kb/documents").then(function (docs) {
      $("documents").innerHTML = docs.map(function (d) {
        return "<tr><td>" + esc(d.title) + "</td><td>" + esc(d.source) + '</td><td class="num">' + d.chunks + "</td><td>" + when(d.updated_at) +
          '</td><td class="row"><button type="button" class="secondary" data-view="' + d.id + '">' + t("view") + '</button><button type="button" class="danger" data-delete="' + d.id + '">' + t("delete") + "</button></td></tr>";
      }).join("") || '<tr><td colspan="5">' + t("nothing") + "</td></tr>";
    });
  }
  $("documents").addEventListener("click", function (e) {
    var id = e.target.dataset.view, gone = e.target.dataset.delete;
    if (id) api(A + "/kb/documents/" + id).then(function (d) {
      $("doc-view").hidden = false; $("doc-view-title").textContent = d.title; $("doc-view-body").textContent = d.content; $("doc-view-close").focus();
    });
    if (gone && confirm(t("confirm_delete"))) api(A + "/kb/documents/" + gone, undefined, "DELETE").then(loadKb);
  });
  $("doc-view-close").addEventListener("click", function () { $("doc-view").hidden = true; });
  $("reindex").addEventListener("click", function (e) {
    e.target.disabled = true;
    api(A + "/kb/reindex", {}).then(function (r) { e.target.disabled = false; alert(t("reindexed", { n: r.chunks })); loadKb(); });
  });
  function upload(file) {
    var row = document.createElement("div");
    row.className = "passage";
    row.innerHTML = "<b></b> <span role=status></span><progress max=100 value=0></progress>";
    row.querySelector("b").textContent = file.name;
    $("uploads").prepend(row);
    var status = row.querySelector("span"), bar = row.querySelector("progress");
    var send = function () {
      var xhr = new XMLHttpRequest(), body = new FormData();
      body.append("file", file);
      xhr.open("POST", A + "/kb/upload");
      xhr.setRequestHeader("authorization", "Bearer " + staff.auth.access_token);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { bar.value = Math.round(e.loaded / e.total * 100); status.textContent = t("uploading") + " " + bar.value + "%"; }
        if (e.loaded === e.total) status.textContent = t("indexing");
      };
      xhr.onload = function () {
        if (xhr.status === 401) { staff.refresh().then(send); return; }
        var j = JSON.parse(xhr.responseText || "{}");
        bar.value = 100;
        if (xhr.status === 201) { status.className = "ok"; status.textContent = t("indexed", { n: j.chunks }); loadKb(); }
        else { status.className = "error"; status.textContent = j.detail || xhr.statusText; }
      };
      xhr.onerror = function () { status.className = "error"; status.textContent = "network error"; };
      xhr.send(body);
    };
    send();
  }
  $("file").addEventListener("change", function (e) { Array.prototype.forEach.call(e.target.files, upload); e.target.value = ""; });
  ["dragenter", "dragover"].forEach(function (n) { $("drop").addEventListener(n, function (e) { e.preventDefault(); $("drop").classList.add("over"); }); });
  ["dragleave", "drop"].forEach(function (n) { $("drop").addEventListener(n, function () { $("drop").classList.remove("over"); }); });
  $("drop").addEventListener("drop", function (e) { e.preventDefault(); Array.prototype.forEach.call(e.dataTransfer.files, upload); });
  $("drop").addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file").click(); } });
  $("drop").tabIndex = 0;
  function addForm(id, path, body) {
    $(id).addEventListener("submit", function (e) {
      e.preventDefault();
      var f = e.target;
      api(path, body(f)).then(function () { f.reset(); flash(f, t("added")); loadKb(); }).catch(function (err) { flash(f, err.message, true); });
    });
  }
  addForm("paste-form", A + "/kb/documents", function (f) { return { title: f.title.value, content: f.content.value, content_type: "text/plain" }; });
  addForm("qa-form", A + "/kb/qa", function (f) { return { question: f.question.value, answer: f.answer.value }; });

  /* playground */
  $("play-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target, history = f.history.value.trim();
    api(A + "/kb/playground", { question: f.question.value, history: history ? [history] : [] }).then(function (p) {
      $("play-result").hidden = false;
      $("play-outcome").className = "badge " + p.outcome;
      $("play-outcome").textContent = t("outcome_" + p.outcome);
      $("play-explanation").textContent = explain(p);
      $("play-answer").textContent = p.answer;
      $("play-passages").innerHTML = p.passages.map(function (x) {
        return '<div class="passage' + (x.cited ? " cited" : "") + '"><b>' + esc(x.heading || x.title) + "</b> " +
          (x.cited ? '<span class="badge yes">' + t("cited") + "</span> " : "") + (x.grounded ? '<span class="badge">' + t("grounded") + "</span>" : "") +
          "<br><small>" + t("score") + " " + x.score.toFixed(2) + " · " + t("coverage") + " " + pct(x.coverage) + " · " + t("similarity") + " " + x.similarity.toFixed(2) +
          "</small><div>" + esc(x.text.slice(0, 400)) + "</div></div>";
      }).join("") || t("nothing");
    }).catch(function (err) { alert(err.message); });
  });

  function explain(p) {
    var best = p.passages[0], n = p.needs;
    if (p.reason !== "no_grounding") return T["why_" + p.reason] ? t("why_" + p.reason) : p.explanation;
    if (!best) return t("why_no_passage");
    if (best.similarity && best.similarity < n.floor) return t("why_far", { s: best.similarity.toFixed(2), f: n.floor.toFixed(2) });
    return t("why_no_grounding", { c: pct(best.coverage), nc: pct(n.coverage), s: best.similarity.toFixed(2), ns: n.similarity.toFixed(2) });
  }

  /* bot */
  var DAYS = [0, 1, 2, 3, 4, 5, 6];
  function loadBot() {
    loadSettings().then(function (s) {
      var st = s.settings, h = st.handoff, bh = h.business_hours;
      $("persona").value = st.persona; $("phrases").value = h.phrases.join("\n"); $("ungrounded").value = h.ungrounded_limit;
      $("hours-on").checked = !!bh; $("hours-fields").hidden = !bh;
      $("tz").value = bh ? bh.timezone : Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
      $("open").value = bh ? bh.open : "09:00"; $("close").value = bh ? bh.close : "18:00";
      $("hours-days").innerHTML = DAYS.map(function (d) {
        var on = bh ? bh.days.indexOf(d) >= 0 : d < 5;
        return '<label class="inline"><input type="checkbox" value="' + d + '"' + (on ? " checked" : "") + "> " + t("days")[d] + "</label>";
      }).join("");
      $("temperature").value = st.model.temperature == null ? "" : st.model.temperature;
      $("max-tokens").value = st.model.max_tokens == null ? "" : st.model.max_tokens;
    });
    loadChecks();
  }
  $("hours-on").addEventListener("change", function (e) { $("hours-fields").hidden = !e.target.checked; });
  $("bot-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target;
    saveSettings(function (st) {
      st.persona = $("persona").value;
      st.handoff.phrases = $("phrases").value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
      st.handoff.ungrounded_limit = parseInt($("ungrounded").value, 10) || 2;
      st.handoff.business_hours = $("hours-on").checked ? {
        timezone: $("tz").value.trim() || "UTC", open: $("open").value, close: $("close").value,
        days: Array.prototype.filter.call($("hours-days").querySelectorAll("input"), function (i) { return i.checked; }).map(function (i) { return +i.value; })
      } : null;
      st.model.temperature = $("temperature").value === "" ? null : parseFloat($("temperature").value);
      st.model.max_tokens = $("max-tokens").value === "" ? null : parseInt($("max-tokens").value, 10);
    }).then(function () { flash(f, t("saved")); }).catch(function (err) { flash(f, err.message, true); });
  });
  function loadChecks() {
    api(A + "/kb/checks/runs/latest").then(function (run) {
      $("checks").innerHTML = "<p><b>" + t("checks_score", { ok: Math.round(run.score * run.cases), n: run.cases, pct: pct(run.score), v: run.kb_version }) + "</b> " + when(run.created_at) + "</p>" +
        (run.failures.length ? "<ul>" + run.failures.map(function (x) { return "<li>" + esc(x.question) + "</li>"; }).join("") + "</ul>" : "");
    }).catch(function () { $("checks").textContent = t("no_checks"); });
  }
  $("run-checks").addEventListener("click", function () { api(A + "/kb/checks/run", {}).then(loadChecks).catch(function (err) { $("checks").textContent = err.message; }); });

  /* widget */
  function preview() {
    var w = $("w-preview");
    w.style.setProperty("--pv-color", $("w-color").value);
    w.classList.toggle("left", $("w-position").value === "left");
    $("pv-title").textContent = $("w-title").value || "kefu";
    $("pv-greeting").textContent = $("w-greeting").value || "…";
  }
  function loadWidget() {
    loadSettings().then(function (s) {
      var w = s.settings.widget;
      $("w-title").value = w.title; $("w-color").value = w.color; $("w-color-text").value = w.color;
      $("w-position").value = w.position; $("w-greeting").value = w.greeting;
      $("w-origins").value = s.settings.allowed_origins.join("\n");
      $("snippet").value = '<script src="' + location.origin + '/widget.js" data-widget-key="' + s.widget_key + '" async></' + "script>";
      preview();
    });
  }
  ["w-title", "w-position", "w-greeting"].forEach(function (id) { $(id).addEventListener("input", preview); });
  $("w-color").addEventListener("input", function () { $("w-color-text").value = $("w-color").value; preview(); });
  $("w-color-text").addEventListener("input", function () { if (/^#[0-9a-f]{6}$/i.test($("w-color-text").value)) { $("w-color").value = $("w-color-text").value; preview(); } });
  $("widget-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target;
    saveSettings(function (st) {
      st.widget = { title: $("w-title").value, color: $("w-color-text").value, position: $("w-position").value, greeting: $("w-greeting").value };
      st.allowed_origins = $("w-origins").value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
    }).then(function () { flash(f, t("saved")); }).catch(function (err) { flash(f, err.message, true); });
  });
  $("copy-snippet").addEventListener("click", function (e) {
    $("snippet").select();
    (navigator.clipboard ? navigator.clipboard.writeText($("snippet").value) : Promise.resolve(document.execCommand("copy")))
      .then(function () { e.target.nextElementSibling.textContent = t("copied"); });
  });

  /* analytics */
  function bars(el, values, split) {
    var max = Math.max.apply(null, values.map(function (v) { return v[0]; }).concat([1]));
    el.innerHTML = values.map(function (v) {
      var title = esc(v[2] || "");
      if (!split) return '<div style="height:' + (v[0] / max * 100) + '%" title="' + title + '"></div>';
      return '<div style="height:' + (v[0] / max * 100) + '%;background:linear-gradient(to top,#f0883e ' + (v[1] / Math.max(v[0], 1) * 100) + '%,var(--kefu-accent) 0)" title="' + title + '"></div>';
    }).join("");
  }
  function loadAnalytics() {
    var days = $("period").value, zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    var q = "?days=" + days;
    api(A + "/analytics/overview" + q + "&tz=" + encodeURIComponent(zone)).catch(function () { return api(A + "/analytics/overview" + q); }).then(function (o) {
      var share = o.conversations ? pct(o.contained / o.conversations) : "–";
      $("stats").innerHTML = [["conversations", o.conversations], ["messages", o.messages], ["contained", share], ["handed_off", o.handed_off]].map(function (s) {
        return '<div class="stat"><b>' + s[1] + "</b><span>" + t(s[0]) + "</span></div>";
      }).join("");
      var byDay = {}, series = [];
      o.per_day.forEach(function (d) { byDay[d.day] = d; });
      for (var i = o.days - 1; i >= 0; i--) {
        var day = new Date(Date.now() - i * 864e5).toLocaleDateString("sv-SE", { timeZone: o.timezone });
        var d = byDay[day] || { conversations: 0, handed_off: 0 };
        series.push([d.conversations, d.handed_off, day + ": " + d.conversations]);
      }
      bars($("per-day"), series, true);
      $("per-day").setAttribute("aria-label", t("per_day"));
      $("per-day-axis").innerHTML = "<span>" + series[0][2].split(":")[0] + "</span><span>" + series[series.length - 1][2].split(":")[0] + "</span>";
      var reasons = Object.keys(o.handoff_reasons);
      $("reasons").innerHTML = reasons.map(function (r) { return "<tr><td>" + t("reason_" + r) + '</td><td class="num">' + o.handoff_reasons[r] + "</td></tr>"; }).join("") || "<tr><td>" + t("nothing") + "</td></tr>";
    });
    api(A + "/analytics/response-times" + q).then(function (r) {
      var fmt = function (s) { return s == null ? "–" : s < 90 ? Math.round(s) + " s" : s < 5400 ? Math.round(s / 60) + " min" : (s / 3600).toFixed(1) + " h"; };
      $("times").innerHTML = [["first_response", r.first_response], ["resolution", r.resolution]].map(function (x) {
        return "<tr><td>" + t(x[0]) + '</td><td class="num">p50 ' + fmt(x[1].p50_s) + '</td><td class="num">p90 ' + fmt(x[1].p90_s) + "</td></tr>";
      }).join("");
    });
    api(A + "/analytics/top-questions" + q).then(function (top) {
      $("top").innerHTML = top.map(function (x) { return "<tr><td>" + esc(x.question) + '</td><td class="num">' + x.count + "</td></tr>"; }).join("") || "<tr><td>" + t("nothing") + "</td></tr>";
    });
    api(A + "/analytics/busiest-hours" + q + "&tz=" + encodeURIComponent(zone)).catch(function () { return []; }).then(function (hours) {
      var by = new Array(24).fill(0);
      hours.forEach(function (h) { by[h.hour] += h.conversations; });
      bars($("hours"), by.map(function (n, i) { return [n, 0, i + ":00 " + n]; }), false);
      $("hours").setAttribute("aria-label", t("busiest_hours"));
    });
    api(A + "/analytics/answer-ratings" + q).then(function (r) {
      $("ratings").innerHTML = '<p><span class="badge yes">' + r.helpful + " " + t("helpful") + '</span> <span class="badge no">' + r.not_helpful + " " + t("not_helpful") + "</span></p>" +
        "<ul>" + r.recent_not_helpful.slice(0, 5).map(function (x) { return "<li>" + esc(x.content.slice(0, 160)) + " " + when(x.rated_at) + "</li>"; }).join("") + "</ul>";
    });
    loadUnanswered();
  }
  $("period").addEventListener("change", loadAnalytics);
  var groups = [];
  function loadUnanswered() {
    api(A + "/analytics/unanswered?days=" + $("period").value).then(function (list) {
      groups = list;
      $("unanswered").innerHTML = list.map(function (g, i) {
        return '<form class="group" data-group="' + i + '"><q>' + esc(g.question) + '</q> <span class="badge">' + t("asked_times", { n: g.count }) + "</span> " + when(g.last_asked_at) +
          "<ul>" + g.examples.map(function (x) { return "<li>" + esc(x) + "</li>"; }).join("") + "</ul>" +
          '<label for="ua-' + i + '">' + t("write_answer") + '</label><textarea id="ua-' + i + '" name="answer" required></textarea>' +
          '<p><button type="submit">' + t("answer_to_kb") + '</button> <span class="ok" role="status"></span><span class="error" role="alert"></span></p></form>';
      }).join("") || "<p>" + t("none_unanswered") + "</p>";
    });
  }
  $("unanswered").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target, g = groups[+f.dataset.group];
    api(A + "/analytics/unanswered/answer", { question: g.question, answer: f.answer.value, question_ids: g.question_ids })
      .then(function () { flash(f, t("answered")); f.querySelector("button").disabled = true; setTimeout(loadUnanswered, 1500); })
      .catch(function (err) { flash(f, err.message, true); });
  });

  /* team & integrations */
  function loadTeam() {
    api(A + "/users/").then(function (users) {
      $("users").innerHTML = users.map(function (u) {
        return "<tr><td>" + esc(u.email) + "</td><td>" + esc(u.display_name) + "</td><td>" + esc(u.role) + "</td><td>" + (u.active ? t("active") : t("disabled")) +
          '</td><td class="row"><button type="button" class="secondary" data-toggle="' + u.id + '" data-active="' + u.active + '">' + (u.active ? t("disable") : t("enable")) +
          '</button><button type="button" class="secondary" data-reset="' + u.id + '">' + t("reset_password") + "</button></td></tr>";
      }).join("");
    });
    api(A + "/api-keys/").then(function (keys) {
      $("keys").innerHTML = keys.map(function (k) {
        return "<tr><td>" + esc(k.name) + "</td><td><code>" + esc(k.prefix) + "…</code></td><td>" + esc(k.scopes.join(", ")) + "</td><td>" + when(k.created_at) + "</td><td>" +
          (k.revoked_at ? t("revoked") : '<button type="button" class="danger" data-revoke="' + k.id + '">' + t("revoke") + "</button>") + "</td></tr>";
      }).join("") || "<tr><td>" + t("nothing") + "</td></tr>";
    });
    api(A + "/webhooks/").then(function (hooks) {
      $("hooks").innerHTML = hooks.map(function (h) {
        return "<tr><td>" + esc(h.url) + "</td><td>" + esc(h.events.join(", ")) + "</td><td>" + when(h.created_at) + '</td><td><button type="button" class="danger" data-unhook="' + h.id + '">' + t("delete") + "</button></td></tr>";
      }).join("") || "<tr><td>" + t("nothing") + "</td></tr>";
    });
    api(A + "/audit/?limit=20").then(function (entries) {
      $("audit").innerHTML = entries.map(function (a) {
        return "<tr><td>" + when(a.created_at) + "</td><td>" + esc(a.actor_name) + "</td><td><code>" + esc(a.action) + "</code></td><td>" + esc(a.target) + "</td></tr>";
      }).join("");
    });
  }
  $("users").addEventListener("click", function (e) {
    var id = e.target.dataset.toggle, reset = e.target.dataset.reset;
    if (id) api(A + "/users/" + id, { active: e.target.dataset.active !== "true" }, "PATCH").then(loadTeam).catch(function (err) { alert(err.message); });
    if (reset) { var pw = prompt(t("new_password")); if (pw) api(A + "/users/" + reset, { password: pw }, "PATCH").then(loadTeam).catch(function (err) { alert(err.message); }); }
  });
  $("keys").addEventListener("click", function (e) { if (e.target.dataset.revoke) api(A + "/api-keys/" + e.target.dataset.revoke, undefined, "DELETE").then(loadTeam); });
  $("hooks").addEventListener("click", function (e) { if (e.target.dataset.unhook) api(A + "/webhooks/" + e.target.dataset.unhook, undefined, "DELETE").then(loadTeam); });
  function teamForm(id, path, body, done) {
    $(id).addEventListener("submit", function (e) {
      e.preventDefault();
      var f = e.target;
      api(A + path, body(f)).then(function (r) { f.reset(); flash(f, ""); if (done) done(r); loadTeam(); }).catch(function (err) { flash(f, err.message, true); });
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
    fetch(e.target.href, { headers: staff.headers(false) }).then(function (r) { return r.blob(); }).then(function (blob) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob); a.download = "conversations.csv"; a.click();
    });
  });

  applyLanguage();
  if (staff.auth) start(); else $("login").hidden = false;
})();
