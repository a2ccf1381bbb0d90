/* 公众号 staff page: "复制到公众号" puts the preview's HTML (and its text) on the clipboard.
   The preview iframe holds exactly the fragment site/wechat/<slug>.html, so what is pasted is
   what staff see. Browsers without the async clipboard API (or ClipboardItem) get the older
   copy-event route, which also carries text/html. */
(function () {
  "use strict";
  var button = document.querySelector("[data-sb-wx-copy]");
  var frame = document.querySelector("[data-sb-wx-frame]");
  var status = document.querySelector("[data-sb-wx-status]");
  if (!button || !frame || !status) return;
  button.hidden = false;

  function preview() {
    var doc = frame.contentDocument;
    if (doc && doc.readyState === "complete" && doc.body && doc.body.firstElementChild) {
      return Promise.resolve(doc);
    }
    return new Promise(function (resolve) {
      frame.addEventListener("load", function () { resolve(frame.contentDocument); }, { once: true });
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
    if (!(navigator.clipboard && navigator.clipboard.write && window.ClipboardItem)) {
      return Promise.reject(new Error("no async clipboard"));
    }
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
      preview();
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
})();
