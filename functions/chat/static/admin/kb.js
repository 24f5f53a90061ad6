/* Knowledge base (uploads with progress, pasted text, Q&A pairs, websites, documents with their
   passages, editing) and the playground (what the bot would answer, from which passages, or why
   it would not). */
(function () {
  "use strict";
  var K = window.kefuAdmin, $ = K.$, t = K.t, esc = K.esc, api = K.api, A = K.A;
  var sitesTimer = null, openDoc = null;

  function loadKb() { loadDocuments(); loadSites(); }
  function loadDocuments() {
    api(A + "/kb/documents").then(function (docs) {
      $("documents").innerHTML = docs.map(function (d) {
        return "<tr><td>" + esc(d.title) + "</td><td>" + esc(d.source) + '</td><td class="num" data-label="' + t("passages") + '">' + d.chunks + "</td><td>" +
          K.badge(d.status, t("status_" + d.status)) + "</td><td>" + K.when(d.updated_at) +
          '</td><td class="row"><button type="button" class="secondary" data-view="' + d.id + '">' + t("view") +
          '</button><button type="button" class="danger" data-delete="' + d.id + '">' + t("delete") + "</button></td></tr>";
      }).join("") || '<tr><td colspan="6">' + t("nothing") + "</td></tr>";
    });
  }
  function showDocument(id) {
    Promise.all([api(A + "/kb/documents/" + id), api(A + "/kb/documents/" + id + "/passages")]).then(function (got) {
      var doc = got[0], passages = got[1];
      openDoc = doc;
      $("doc-view").hidden = false; $("doc-edit-form").hidden = true; $("doc-passages").hidden = false;
      $("doc-view-title").textContent = doc.title;
      $("doc-passages").innerHTML = passages.map(function (p) {
        return '<div class="passage"><b>' + esc(p.heading) + "</b> <small>#" + (p.ordinal + 1) + " · " +
          (p.embedded ? t("embedded") : t("words_only")) + "</small><div>" + esc(p.text) + "</div></div>";
      }).join("") || t("nothing");
      $("doc-view").focus();
    });
  }
  $("documents").addEventListener("click", function (e) {
    var id = e.target.dataset.view, gone = e.target.dataset.delete;
    if (id) showDocument(id);
    if (gone && confirm(t("confirm_delete"))) {
      api(A + "/kb/documents/" + gone, undefined, "DELETE").then(function () { $("doc-view").hidden = true; loadDocuments(); });
    }
  });
  $("doc-view-close").addEventListener("click", function () { $("doc-view").hidden = true; });
  $("doc-edit").addEventListener("click", function () {
    $("doc-passages").hidden = true; $("doc-edit-form").hidden = false;
    $("doc-edit-title").value = openDoc.title; $("doc-edit-content").value = openDoc.content;
    $("doc-edit-content").focus();
  });
  K.onSubmit("doc-edit-form", function (f) {
    return api(A + "/kb/documents/" + openDoc.id, { title: f.title.value, content: f.content.value }, "PUT").then(function (d) {
      K.flash(f, t("saved")); loadDocuments(); showDocument(d.id);
    });
  });
  $("reindex").addEventListener("click", function (e) {
    e.target.disabled = true;
    api(A + "/kb/reindex", {}).then(function (r) { alert(t("reindexed", { n: r.chunks })); loadDocuments(); })
      .then(function () { e.target.disabled = false; });
  });

  /* Uploads: XHR for its upload progress; "indexing" once the bytes are sent, until stored. */
  function upload(file) {
    var row = document.createElement("div");
    row.className = "passage";
    row.innerHTML = "<b></b> <span role=status></span><progress max=100 value=0></progress>";
    row.querySelector("b").textContent = file.name;
    $("uploads").prepend(row);
    var status = row.querySelector("span"), bar = row.querySelector("progress");
    var send = function () {
      var xhr = new XMLHttpRequest(), body = new FormData(), headers = K.staff.headers(false);
      body.append("file", file);
      xhr.open("POST", A + "/kb/upload");
      Object.keys(headers).forEach(function (h) { xhr.setRequestHeader(h, headers[h]); });
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { bar.value = Math.round(e.loaded / e.total * 100); status.textContent = t("uploading") + " " + bar.value + "%"; }
        if (e.loaded === e.total) status.textContent = t("indexing");
      };
      xhr.onload = function () {
        if (xhr.status === 401) { K.staff.refresh().then(send); return; }
        var j = {};
        try { j = JSON.parse(xhr.responseText || "{}"); } catch (err) { j = { detail: xhr.statusText }; }
        bar.value = 100;
        if (xhr.status === 201) { status.className = "ok"; status.textContent = t("indexed", { n: j.chunks }); loadDocuments(); }
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

  function added(f) { f.reset(); K.flash(f, t("added")); loadDocuments(); }
  K.onSubmit("paste-form", function (f) {
    return api(A + "/kb/documents", { title: f.title.value, content: f.content.value, content_type: "text/plain" }).then(function () { added(f); });
  });
  K.onSubmit("qa-form", function (f) {
    return api(A + "/kb/qa", { question: f.question.value, answer: f.answer.value }).then(function () { added(f); });
  });

  /* Websites: polled while a sync runs. */
  function loadSites() {
    api(A + "/kb/sites").then(function (sites) {
      $("sites").innerHTML = sites.map(function (s) {
        var skipped = s.skipped.length ? "<details><summary>" + t("skipped_n", { n: s.skipped.length }) + "</summary><ul>" +
          s.skipped.map(function (x) { return "<li>" + esc(x.url) + " — " + esc(x.why) + "</li>"; }).join("") + "</ul></details>" : "";
        return "<tr><td>" + esc(s.url) + skipped + (s.last_error ? '<div class="error">' + esc(s.last_error) + "</div>" : "") + "</td><td>" +
          K.badge(s.state, t("state_" + s.state)) + "</td><td>" + t("pages_n", { n: s.pages }) + "</td><td>" + K.when(s.synced_at) +
          '</td><td class="row"><button type="button" class="secondary" data-sync="' + s.id + '">' + t("resync") +
          '</button><button type="button" class="danger" data-unsite="' + s.id + '">' + t("remove") + "</button></td></tr>";
      }).join("");
      clearTimeout(sitesTimer);
      if (sites.some(function (s) { return s.state === "syncing"; })) sitesTimer = setTimeout(loadKb, 1500);
    });
  }
  K.onSubmit("site-form", function (f) {
    return api(A + "/kb/sites", { url: f.url.value }).then(function () { f.reset(); K.flash(f, ""); loadSites(); });
  });
  $("sites").addEventListener("click", function (e) {
    var id = e.target.dataset.sync, gone = e.target.dataset.unsite;
    if (id) api(A + "/kb/sites/" + id + "/sync", {}).then(loadSites);
    if (gone && confirm(t("confirm_remove_site"))) api(A + "/kb/sites/" + gone, undefined, "DELETE").then(loadKb);
  });

  /* Playground */
  function explain(p) {
    var best = p.passages[0], n = p.needs;
    if (p.reason === "unknown_name") return t("why_unknown_name", { names: p.unknown_names.join(", ") });
    /* It answers one ask and says the one about a name never mentioned went unanswered. */
    if (p.reason === "grounded" && p.unknown_names.length) return t("why_grounded_also_unknown", { names: p.unknown_names.join(", ") });
    /* The best passage stands out too little from the rest of the knowledge base. */
    if (p.reason === "not_distinct") return t("why_not_distinct", { z: best.standing.toFixed(1), n: n.stands_out.toFixed(1) });
    if (p.reason !== "no_grounding") return T("why_" + p.reason) ? t("why_" + p.reason) : p.explanation;
    if (!best) return t("why_no_passage");
    /* A passage in the other language is held to bars lowered by n.across. */
    var shift = best.across ? n.across || 0 : 0;
    if (best.similarity && best.similarity < n.floor - shift) return t("why_far", { s: best.similarity.toFixed(2), f: (n.floor - shift).toFixed(2) });
    return t("why_no_grounding", { c: K.pct(best.coverage), nc: K.pct(n.coverage), s: best.similarity.toFixed(2), ns: (n.similarity - shift).toFixed(2) });
  }
  function T(key) { return window.kefuAdminText[key]; }
  K.onSubmit("play-form", function (f) {
    var history = f.history.value.trim();
    return api(A + "/kb/playground", { question: f.question.value, history: history ? [history] : [] }).then(function (p) {
      $("play-result").hidden = false;
      $("play-outcome").className = "badge " + p.outcome;
      $("play-outcome").textContent = t("outcome_" + p.outcome);
      $("play-explanation").textContent = explain(p);
      $("play-answer").textContent = p.answer;
      $("play-passages").innerHTML = p.passages.map(function (x) {
        return '<div class="passage' + (x.cited ? " cited" : "") + '"><b>' + esc(x.heading || x.title) + "</b> " +
          (x.cited ? K.badge("yes", t("cited")) + " " : "") + (x.grounded ? K.badge("", t("grounded")) : "") +
          "<br><small>" + t("score") + " " + x.score.toFixed(2) + " · " + t("coverage") + " " + K.pct(x.coverage) + " · " +
          t("similarity") + " " + x.similarity.toFixed(2) +
          (x.standing == null ? "" : " · " + t("standing") + " " + x.standing.toFixed(1) + "σ") + "</small><div>" + esc(x.text.slice(0, 400)) + "</div></div>";
      }).join("") || t("nothing");
    });
  });

  K.view("kb", loadKb);
  K.view("playground", function () { $("play-question").focus(); });
})();
