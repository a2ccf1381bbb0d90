/* Site search with Pagefind. Nothing is downloaded until the reader searches;
   then only the index chunks for the query words, and the result fragments shown. */
(function () {
  "use strict";
  var form = document.querySelector("[data-sb-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var column = form.querySelector("select[name=column]");
  var status = document.querySelector("[data-sb-search-status]");
  var list = document.querySelector("[data-sb-search-results]");
  var more = document.querySelector("[data-sb-search-more]");
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

  // Results are shown SHOWN at a time ("显示更多" adds the next ones, up to every match);
  // the first CANDIDATES are loaded at once so the exact 文号 can be moved to the top.
  var SHOWN = 20, CANDIDATES = 50;
  // The 栏目 of cleanup library documents (site_builder/cleanups/fragments.py, document_page).
  var LIBRARY = "规范性文件库";
  var current = null; // { query, total, queue: Pagefind results or loaded data not shown yet, shown }

  function squeeze(text) { return String(text || "").replace(/\s+/g, ""); }
  function columnOf(item) { return item.filters && item.filters["栏目"] ? item.filters["栏目"][0] : ""; }

  // The page whose 文号 is the query first (articles and library documents mark it with
  // data-pagefind-meta="docno"; an article publishing the document before its library entry),
  // then pages titled exactly the query, then pages containing it, then the rest, each in
  // Pagefind's order.
  function exactFirst(data, query) {
    var wanted = squeeze(query);
    var tiers = [[], [], [], [], []];
    data.forEach(function (item) {
      var meta = item.meta || {}, title = squeeze(meta.title), tier = 4;
      if (wanted && squeeze(meta.docno) === wanted) tier = columnOf(item) === LIBRARY ? 1 : 0;
      else if (wanted && title === wanted) tier = 2;
      else if (wanted && (title + squeeze(item.content)).indexOf(wanted) !== -1) tier = 3;
      tiers[tier].push(item);
    });
    return [].concat.apply([], tiers);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "sb-item";
    var col = columnOf(data);
    li.innerHTML = '<a class="sb-item__title" href="' + escapeHtml(data.url) + '">' + escapeHtml(data.meta.title || data.url) + "</a>" +
      '<div class="sb-item__meta">' + (col ? '<span class="sb-item__column">' + escapeHtml(col) + "</span>" : "") + "</div>" +
      '<p class="sb-item__summary">' + data.excerpt + "</p>";
    return li;
  }

  function describe() {
    var query = current.query, total = current.total, shown = current.shown;
    status.textContent = "找到 " + total + " 条与“" + query + "”相关的信息" +
      (shown < total ? "，显示前 " + shown + " 条。" : "。");
    more.hidden = shown >= total;
    if (!more.hidden) more.textContent = "显示更多（还有 " + (total - shown) + " 条）";
  }

  // Shows the next SHOWN results of the current search, loading the fragments still needed.
  function showNext(search) {
    var next = search.queue.splice(0, SHOWN);
    return Promise.all(next.map(function (r) { return typeof r.data === "function" ? r.data() : r; })).then(function (data) {
      if (search !== current) return null; // a newer search has started meanwhile
      var first = null;
      data.forEach(function (d) {
        var li = item(d);
        first = first || li;
        list.appendChild(li);
      });
      search.shown += data.length;
      describe();
      return first;
    });
  }

  // Pagefind 1.4 looks a query up as one word (the index is segmented, the query is not). That
  // finds every short word, but ranks a long query, such as a full 文号 or a document's title, by
  // its first characters only. So such a query is also searched split into its words (every word
  // must occur): a 文号 at its brackets (滨政办发〔2006〕4号 -> 滨政办发 2006 4号), other text as the
  // browser segments it. Those pages come first; the whole-query results follow, so nothing is
  // lost where the browser's segmentation and the index's disagree.
  var LONG = 6;
  var BRACKETS = /[〔〕[\]［］【】()（）]/g;

  function words(query, shortest) {
    if (!window.Intl || !Intl.Segmenter) return "";
    var parts = [];
    Array.from(new Intl.Segmenter("zh", { granularity: "word" }).segment(query)).forEach(function (s) {
      if (s.isWordLike && s.segment.length >= shortest) parts.push(s.segment);
    });
    return parts.length > 1 ? parts.join(" ") : "";
  }

  function find(pf, query, options) {
    function results(text) {
      return text ? pf.search(text, options).then(function (found) { return found.results; }) : Promise.resolve([]);
    }
    var whole = results(query);
    var split;
    if (/\d号/.test(query) && /[〔〕[\]［］【】()（）]/.test(query)) {
      // Pagefind drops brackets from a query (滨政办发2014269号), so the pages carrying the 文号
      // are looked up in its 文号 filter, written as the site writes it: 滨政办发〔2014〕269号.
      var docno = query.replace(/\s+/g, "").replace(/[[［【(（]/g, "〔").replace(/[\]］】)）]/g, "〕");
      var exact = pf.search(null, { filters: Object.assign({ "文号": docno }, options.filters) })
        .then(function (found) { return found.results; });
      var parts = results(query.replace(BRACKETS, " ").replace(/\s+/g, " ").trim());
      split = Promise.all([exact, parts]).then(function (both) { return both[0].concat(both[1]); });
    } else if (query.length >= LONG && !/\s/.test(query)) {
      // Single characters are where the browser's and the index's segmentations disagree most.
      split = results(words(query, 1)).then(function (found) { return found.length ? found : results(words(query, 2)); });
    } else {
      return whole;
    }
    return Promise.all([split, whole]).then(function (both) {
      var seen = {};
      return both[0].concat(both[1]).filter(function (r) { return seen[r.id] ? false : (seen[r.id] = true); });
    });
  }

  function run() {
    var query = input.value.trim();
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (column.value) params.set("column", column.value);
    history.replaceState(null, "", "?" + params.toString());
    list.innerHTML = "";
    more.hidden = true;
    current = null;
    if (!query) { status.textContent = "请输入要搜索的关键词。"; return; }
    status.textContent = "正在搜索……";
    var search = { query: query, total: 0, queue: [], shown: 0 };
    current = search;
    load().then(function (pf) {
      var options = column.value ? { filters: { "栏目": column.value } } : {};
      return find(pf, query, options).then(function (results) {
        if (search !== current) return null;
        search.total = results.length;
        if (!search.total) {
          status.textContent = "没有找到与“" + query + "”相关的信息，请换个关键词试试。";
          return null;
        }
        // Pagefind ranks by words, so a full 文号 such as 滨政规〔2021〕6号 can land below
        // pages that merely share "2021". Pages holding the exact query come first.
        var first = results.slice(0, CANDIDATES);
        return Promise.all(first.map(function (r) { return r.data(); })).then(function (data) {
          search.queue = exactFirst(data, query).concat(results.slice(CANDIDATES));
          return showNext(search);
        });
      });
    }).catch(failed);
  }

  function failed(error) {
    if (window.console) console.error("site search failed:", error);
    status.textContent = "搜索暂时无法使用，请稍后再试。";
    more.hidden = true;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  more.addEventListener("click", function () {
    if (!current) return;
    more.disabled = true;
    showNext(current).then(function (first) {
      // Keyboard and screen reader users continue at the first result just added.
      var link = first && first.querySelector("a");
      if (link) link.focus();
    }).catch(failed).then(function () { more.disabled = false; });
  });
  var params = new URLSearchParams(location.search);
  if (params.get("column")) column.value = params.get("column");
  if (params.get("q")) { input.value = params.get("q"); run(); }
})();
