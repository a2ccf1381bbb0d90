/* Site search with Pagefind. Nothing is downloaded until the reader searches;
   then only the index chunks for the query words. */
(function () {
  "use strict";
  var form = document.querySelector("[data-sb-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var column = form.querySelector("select[name=column]");
  var status = document.querySelector("[data-sb-search-status]");
  var list = document.querySelector("[data-sb-search-results]");
  // This file is assets/sb/search.js; Pagefind writes its bundle to pagefind/ at the site root.
  var bundle = new URL("../../pagefind/pagefind.js", document.currentScript ? document.currentScript.src : location.href);
  var pagefind = null;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle.href).then(function (module) {
        // Results link from the site's own root, wherever it is served from.
        return module.options({ baseUrl: new URL("../", bundle).pathname })
          .then(function () { return module.init(); })
          .then(function () { return module; });
      });
    }
    return pagefind;
  }

  var SHOWN = 20, CANDIDATES = 50;

  function squeeze(text) { return String(text || "").replace(/\s+/g, ""); }

  // The article that carries the queried 文号 first (its metadata block marks it with
  // data-pagefind-meta="docno", see article_header in site_builder/fragments.py), then pages
  // containing the exact query, then the rest, each in Pagefind's order.
  function exactFirst(data, query) {
    var wanted = squeeze(query);
    var tiers = [[], [], []];
    data.forEach(function (item) {
      var text = squeeze(item.content);
      var tier = !wanted ? 2 : item.meta && squeeze(item.meta.docno) === wanted ? 0
        : (squeeze(item.meta && item.meta.title) + text).indexOf(wanted) !== -1 ? 1 : 2;
      tiers[tier].push(item);
    });
    return tiers[0].concat(tiers[1], tiers[2]);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function render(results, data, query) {
    list.innerHTML = "";
    if (!results.length) {
      status.textContent = "没有找到与“" + query + "”相关的信息，请换个关键词试试。";
      return;
    }
    status.textContent = "找到 " + results.length + " 条与“" + query + "”相关的信息" + (results.length > data.length ? "，显示前 " + data.length + " 条。" : "。");
    data.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "sb-item";
      var col = item.filters && item.filters["栏目"] ? item.filters["栏目"][0] : "";
      li.innerHTML = '<a class="sb-item__title" href="' + escapeHtml(item.url) + '">' + escapeHtml(item.meta.title || item.url) + "</a>" +
        '<div class="sb-item__meta">' + (col ? '<span class="sb-item__column">' + escapeHtml(col) + "</span>" : "") + "</div>" +
        '<p class="sb-item__summary">' + item.excerpt + "</p>";
      list.appendChild(li);
    });
  }

  function run() {
    var query = input.value.trim();
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (column.value) params.set("column", column.value);
    history.replaceState(null, "", "?" + params.toString());
    if (!query) { status.textContent = "请输入要搜索的关键词。"; list.innerHTML = ""; return; }
    status.textContent = "正在搜索……";
    load().then(function (pf) {
      var options = column.value ? { filters: { "栏目": column.value } } : {};
      return pf.search(query, options).then(function (search) {
        // Pagefind ranks by words, so a full 文号 such as 滨政规〔2021〕6号 can land below
        // pages that merely share "2021". Pages holding the exact query come first.
        var first = search.results.slice(0, CANDIDATES);
        return Promise.all(first.map(function (r) { return r.data(); })).then(function (data) {
          render(search.results, exactFirst(data, query).slice(0, SHOWN), query);
        });
      });
    }).catch(function (error) {
      if (window.console) console.error("site search failed:", error);
      status.textContent = "搜索暂时无法使用，请稍后再试。";
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  var params = new URLSearchParams(location.search);
  if (params.get("column")) column.value = params.get("column");
  if (params.get("q")) { input.value = params.get("q"); run(); }
})();
