/* 公众号 staff page (wechat/?a=<slug>): one page for every article.
   Loads wechat/<slug>.json (title, 作者, 摘要, 原文链接, warnings) and the fragment
   wechat/<slug>.html written by the build, shows them, and "复制到公众号" puts the preview's
   HTML (and its text) on the clipboard. The preview iframe holds exactly the fragment, so
   what is pasted is what staff see. Browsers without the async clipboard API (or
   ClipboardItem) get the older copy-event route, which also carries text/html. */
(function () {
  "use strict";
  var root = document.querySelector("[data-sb-wx]");
  if (!root) return;
  var view = root.querySelector("[data-sb-wx-view]");
  var notice = root.querySelector("[data-sb-wx-notice]");
  var problem = root.querySelector("[data-sb-wx-problem]");
  var heading = root.querySelector("[data-sb-wx-heading]");
  var button = root.querySelector("[data-sb-wx-copy]");
  var frame = root.querySelector("[data-sb-wx-frame]");
  var status = root.querySelector("[data-sb-wx-status]");
  var PREVIEW_HEAD = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>公众号文章预览</title>' +
    "<style>body{margin:0;padding:20px 16px;background:#fff}</style></head><body>";

  function length(text) { return Array.from(text).length; }  // characters, as the build counts them

  function fail(text) {
    problem.textContent = text;
    problem.hidden = false;
  }

  function field(name, text, count) {
    root.querySelector('[data-sb-wx-field="' + name + '"]').textContent = text;
    root.querySelector('[data-sb-wx-count="' + name + '"]').textContent = count || "";
  }

  function show(meta, fragment) {
    var titleLimit = Number(root.getAttribute("data-title-limit"));
    var summaryLimit = Number(root.getAttribute("data-summary-limit"));
    var n = length(meta.title);
    field("title", meta.title, "（" + n + " 字" + (n > titleLimit ? "，超过 " + titleLimit + " 字）" : "）"));
    field("author", meta.author);
    field("summary", meta.summary, "（" + length(meta.summary) + " 字，上限 " + summaryLimit + "）");
    field("url", meta.url);
    var warnings = root.querySelector("[data-sb-wx-warnings]");
    var list = warnings.querySelector("ul");
    meta.warnings.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    warnings.hidden = meta.warnings.length === 0;
    var download = root.querySelector("[data-sb-wx-download]");
    download.href = meta.fragment;
    download.setAttribute("download", meta.fragment);
    root.querySelector("[data-sb-wx-article]").href = "../" + meta.path;
    heading.textContent = heading.textContent + "：" + meta.title;
    var site = document.title.indexOf(" - ");  // "公众号版本 - 站名"
    document.title = heading.textContent + (site >= 0 ? document.title.slice(site) : "");
    // The button copies what the preview shows: usable once the preview has loaded.
    button.disabled = true;
    frame.addEventListener("load", function () { button.disabled = false; }, { once: true });
    frame.srcdoc = PREVIEW_HEAD + fragment.trim() + "</body></html>";
    notice.hidden = true;
    view.hidden = false;
  }

  function load() {
    var slug = new URLSearchParams(window.location.search).get("a");
    if (slug === null || slug === "") return;  // the page only says how to reach it
    if (!new RegExp(root.getAttribute("data-slug-pattern")).test(slug)) {
      fail("地址中的文章网址别名“" + slug + "”不正确。");
      return;
    }
    function get(name, as) {
      return fetch(encodeURIComponent(slug) + name).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return as === "json" ? response.json() : response.text();
      });
    }
    Promise.all([get(".json", "json"), get(".html", "text")]).then(function (loaded) {
      show(loaded[0], loaded[1]);
    }).catch(function () {
      fail("没有找到网址别名为“" + slug + "”的文章的公众号版本：文章可能还没有发布、发布较早（见下面的说明），或者地址有误。");
    });
  }

  function copyWithEvent(html, text) {
    var done = false;
    function onCopy(event) {
      event.clipboardData.setData("text/html", html);
      event.clipboardData.setData("text/plain", text);
      event.preventDefault();
      done = true;
    }
    document.addEventListener("copy", onCopy);
    try {
      document.execCommand("copy");
    } finally {
      document.removeEventListener("copy", onCopy);
    }
    return done;
  }

  function copyAsync(html, text) {
    return navigator.clipboard.write([new window.ClipboardItem({
      "text/html": new Blob([html], { type: "text/html" }),
      "text/plain": new Blob([text], { type: "text/plain" })
    })]);
  }

  function say(text, failed) {
    status.textContent = text;
    status.classList.toggle("sb-wx-status--failed", !!failed);
  }

  button.addEventListener("click", function () {
    var doc = frame.contentDocument;
    var ready = doc && doc.readyState === "complete" && doc.body && doc.body.firstElementChild;
    if (!ready) {  // rare: clicked before the preview loaded
      say("预览还在加载，请稍后再点一次。", true);
      return;
    }
    var html = doc.body.innerHTML.trim();
    var text = doc.body.innerText.trim();
    // The copy-event route needs the click's user activation, so it runs first when the async API is missing.
    var route = (navigator.clipboard && navigator.clipboard.write && window.ClipboardItem)
      ? copyAsync(html, text)
      : (copyWithEvent(html, text) ? Promise.resolve() : Promise.reject(new Error("copy refused")));
    route.catch(function () {
      if (!copyWithEvent(html, text)) throw new Error("copy refused");
    }).then(function () {
      say("已复制。请到公众号编辑器的正文处粘贴（Ctrl+V 或 ⌘V）。");
    }).catch(function () {
      say("浏览器没有允许复制。请下载 HTML 片段，用浏览器打开后全选复制。", true);
    });
  });

  load();
})();
