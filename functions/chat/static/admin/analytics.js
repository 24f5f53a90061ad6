/* Analytics: the numbers of a period (in the reader's time zone) and the loop no one else
   closes: questions the bot could not answer, grouped by meaning, answered into the KB here. */
(function () {
  "use strict";
  var K = window.kefuAdmin, $ = K.$, t = K.t, esc = K.esc, api = K.api, A = K.A, when = K.when, pct = K.pct;
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
    Promise.all([api(A + "/analytics/answer-ratings" + q), api(A + "/analytics/conversation-ratings" + q)]).then(function (got) {
      var r = got[0], c = got[1];
      var stars = [5, 4, 3, 2, 1].map(function (k) {
        var n = c.distribution[k], share = c.count ? n / c.count : 0;
        return "<tr><td>" + k + ' ★</td><td style="width:70%"><div style="background:var(--kefu-accent);height:10px;border-radius:3px;width:' +
          (share * 100) + '%"></div></td><td class="num">' + n + "</td></tr>";
      }).join("");
      $("ratings").innerHTML = "<h3>" + t("answers_rated") + '</h3><p><span class="badge yes">' + r.helpful + " " + t("helpful") + '</span> <span class="badge no">' +
        r.not_helpful + " " + t("not_helpful") + "</span></p><ul>" +
        r.recent_not_helpful.slice(0, 5).map(function (x) { return "<li>" + esc(x.content.slice(0, 160)) + " " + when(x.rated_at) + "</li>"; }).join("") + "</ul>" +
        "<h3>" + t("conversations_rated") + "</h3><p>" + (c.count ? t("average_of", { avg: c.average.toFixed(1), n: c.count }) : t("nothing")) + "</p>" +
        (c.count ? "<table><tbody>" + stars + "</tbody></table>" : "") +
        "<ul>" + c.recent.slice(0, 5).map(function (x) { return "<li>" + x.score + " ★ " + esc(x.comment) + " " + when(x.rated_at) + "</li>"; }).join("") + "</ul>";
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
      .then(function () { K.flash(f, t("answered")); f.querySelector("button").disabled = true; setTimeout(loadUnanswered, 1500); })
      .catch(function (err) { K.flash(f, err.message, true); });
  });


  K.view("analytics", loadAnalytics);
})();
