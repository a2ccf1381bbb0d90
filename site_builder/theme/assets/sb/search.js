/* Site search with Pagefind. Nothing is downloaded until the reader searches;
   then only the index chunks for the query's character pairs, and the result fragments shown.

   The index holds every run of letters and digits as overlapping character pairs at
   consecutive positions (site_builder/outputs/search/text.py: 市司法局 -> 市司 司法 法局 局). A query is
   cut into the same pairs; a page contains the query exactly when the pairs stand at
   consecutive positions in it. So every page holding the query is found, whatever an index
   segmenter would have made of its words, and only those pages are counted. Each pair is
   looked up on its own (one index chunk each, and only every other pair is needed: 市司 + 法局
   at positions p and p + 2 pin down 市司法局), so results never depend on what was searched
   before. */
(function () {
  "use strict";
  var form = document.querySelector("[data-sb-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var column = form.querySelector("select[name=column]");
  var status = document.querySelector("[data-sb-search-status]");
  var list = document.querySelector("[data-sb-search-results]");
  var more = document.querySelector("[data-sb-search-more]");
  var docs = document.querySelector("[data-sb-search-docs]");
  var docList = document.querySelector("[data-sb-search-doc-results]");
  var docHeading = document.querySelector("[data-sb-search-docs-heading]");
  var othersHeading = document.querySelector("[data-sb-search-others]");
  // This file is assets/sb/search.js; the search index is at pagefind/ from the site root, in the
  // bundles pagefind/bundles.json lists (site_builder/outputs/search/index.py): the base is loaded and the delta, the
  // pages changed since, merged into it (sharing its WebAssembly); the base's results for pages the
  // delta replaces or that are gone are dropped.
  var root = new URL("../../pagefind/", document.currentScript ? document.currentScript.src : location.href);
  var pagefind = null;
  var shared = {}; // result ids that more than one bundle uses: told apart by their page's address
  var hidden = {}; // result ids of the base's pages that are gone or in the delta

  function load() {
    if (!pagefind) {
      pagefind = fetch(new URL("bundles.json", root).href, { cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw new Error("bundles.json: " + response.status);
        return response.json();
      }).then(function (list) {
        list.shared.forEach(function (id) { shared[id] = true; });
        list.hidden.forEach(function (id) { hidden[id] = true; });
        var none = function () { return Promise.resolve({ results: [] }); };
        if (!list.bundles.length) return { search: none, preload: none }; // nothing on the site is searchable
        var first = new URL(list.bundles[0] + "/", root);
        return import(new URL("pagefind.js", first).href).then(function (module) {
          // Results link from the site's own root, wherever it is served from.
          var options = { baseUrl: new URL("../", root).pathname };
          return module.options(options)
            .then(function () { return module.init(); })
            .then(function () {
              return Promise.all(list.bundles.slice(1).map(function (name) {
                return module.mergeIndex(new URL(name + "/", root).href, { baseUrl: options.baseUrl });
              }));
            })
            .then(function () { return module; });
        });
      });
    }
    return pagefind;
  }

  // Results with their key: the id, or for an id that several bundles use, the id and the page's URL.
  function keyed(results) {
    return Promise.all(results.filter(function (r) { return !hidden[r.id]; }).map(function (r) {
      if (!shared[r.id]) { r.key = r.id; return r; }
      return r.data().then(function (d) { r.key = r.id + " " + d.url; return r; });
    }));
  }

  // Results are shown SHOWN at a time ("显示更多" adds the next ones, up to every match); on the
  // first screen a page titled exactly the query comes first. TITLE_WORDS: index words (about one
  // per character) at the start of a page that are most likely its title.
  var SHOWN = 20, CANDIDATES = SHOWN, TITLE_WORDS = 24;
  // The 栏目 of cleanup library documents (site_builder/cleanups/fragments.py, document_page).
  var LIBRARY = "规范性文件库";
  var current = null; // { query, total, queue: results not shown yet, shown }

  // --- The query as the index holds text (mirrors site_builder/search_text.py) ---

  var BRACKETS = "〔〕\\[\\]()（）［］【】";
  var RUN = new RegExp("[\\p{L}\\p{N}]+(?:(?:(?<=\\p{Nd})[" + BRACKETS + "]+|[" + BRACKETS + "]+(?=\\p{Nd}))[\\p{L}\\p{N}]+)*", "gu");
  var BRACKET = new RegExp("[" + BRACKETS + "]", "g");
  var ALNUM = /[\p{L}\p{N}]/u;

  function normal(run) {
    var n = run.normalize("NFKC");
    return (n === run ? run : n.replace(/[^\p{L}\p{N}]/gu, "")).toLowerCase();
  }

  // A query part (no spaces) as its runs: [{ chars, gap }], gap = index words between a run and
  // the next (the punctuation between them: one word in the index).
  function runsOf(part) {
    var runs = [], m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(part))) {
      var chars = Array.from(normal(m[0].replace(BRACKET, "")));
      if (chars.length) runs.push({ chars: chars, gap: 1 });
    }
    return runs;
  }

  // The index words to look up for a run, with their offsets: every other pair and the last.
  function keysOf(run) {
    var c = run.chars, n = c.length, keys = [];
    if (n === 1) return [{ key: c[0], at: 0 }];
    for (var i = 0; i + 1 < n; i += 2) keys.push({ key: c[i] + c[i + 1], at: i });
    if (n % 2 === 1) keys.push({ key: c[n - 2] + c[n - 1], at: n - 2 });
    return keys;
  }

  function squeeze(text) { return normal(String(text || "").replace(/\s+/g, "").replace(BRACKET, "")); }
  function columnOf(item) { return item.filters && item.filters["栏目"] ? item.filters["栏目"][0] : ""; }

  // --- Finding the pages ---

  // Every page containing each space-separated part of the query exactly, most occurrences first.
  function exactly(pf, query, options) {
    var parts = query.split(/\s+/).map(runsOf).filter(function (runs) { return runs.length; });
    if (!parts.length) return Promise.resolve([]);
    // One character alone (or last, after punctuation: "PM2.5") begins an index word it cannot
    // name; it is left to Pagefind's prefix search when it is all there is, otherwise unchecked.
    var checked = parts.filter(function (runs) { return runs.length > 1 || runs[0].chars.length > 1; });
    if (!checked.length) {
      return pf.search(parts[0][0].chars[0], options).then(function (found) { return keyed(found.results); });
    }
    parts = checked;
    var wanted = {};
    parts.forEach(function (runs) {
      runs.forEach(function (run, i) {
        run.keys = i > 0 && i === runs.length - 1 && run.chars.length === 1 ? [] : keysOf(run);
        run.keys.forEach(function (k) { wanted[k.key] = true; });
      });
    });
    var names = Object.keys(wanted);
    // Pagefind 1.4.0 names an index chunk's last word by its shortest distinct prefix (执 for 执法)
    // and then cannot find the chunk holding 执法 for that word; its first character finds it.
    var firsts = {};
    names.forEach(function (key) { firsts[Array.from(key)[0]] = true; });
    return Promise.all(Object.keys(firsts).map(function (c) { return pf.preload(c, options); })).then(function () {
      return Promise.all(names.map(function (key) {
      // A pair is a whole index word (none is longer), in one chunk, the same every time; Pagefind
      // gives all of its positions in a page. A lone character is asked for quoted: that word
      // only, not the pairs it begins (an exact search gives its first position only).
        return pf.search(Array.from(key).length > 1 ? key : '"' + key + '"', options).then(function (found) { return keyed(found.results); });
      }));
    }).then(function (lists) {
      var at = {}, byId = {};
      names.forEach(function (key, i) {
        var pages = at[key] = {};
        lists[i].forEach(function (r) { pages[r.key] = new Set(r.words); byId[r.key] = byId[r.key] || r; });
      });
      var scored = null;
      parts.forEach(function (runs) {
        var first = runs[0].keys[0];
        var found = {};
        Object.keys(at[first.key]).forEach(function (id) {
          if (scored && !scored[id]) return;
          var count = 0, earliest = Infinity;
          at[first.key][id].forEach(function (p) {
            var start = p - first.at;
            if (matchesFrom(runs, at, id, start)) { count++; earliest = Math.min(earliest, start); }
          });
          if (count) found[id] = { count: count + (scored ? scored[id].count : 0), first: Math.min(earliest, scored ? scored[id].first : Infinity) };
        });
        scored = found;
      });
      // Pages holding the query near their start (the title comes first in the index) before the
      // rest, then those holding it most often.
      function early(id) { return scored[id].first < TITLE_WORDS ? 0 : 1; }
      return Object.keys(scored).sort(function (a, b) {
        return early(a) - early(b) || scored[b].count - scored[a].count || scored[a].first - scored[b].first || (a < b ? -1 : 1);
      }).map(function (id) { return byId[id]; });
    });
  }

  function matchesFrom(runs, at, id, start) {
    for (var r = 0; r < runs.length; r++) {
      var keys = runs[r].keys;
      for (var k = 0; k < keys.length; k++) {
        var pages = at[keys[k].key][id];
        if (!pages || !pages.has(start + keys[k].at)) return false;
      }
      start += runs[r].chars.length + runs[r].gap;
    }
    return true;
  }

  // A 文号 (滨政办发〔2006〕4号, in any brackets): the pages carrying it as their own number.
  function docNumber(query) {
    if (!/\d\s*号/.test(query) || !/[〔〕[\]［］【】()（）]/.test(query)) return "";
    return query.replace(/\s+/g, "").replace(/[[［【(（]/g, "〔").replace(/[\]］】)）]/g, "〕");
  }

  function numbered(pf, number, options) {
    if (!number) return Promise.resolve([]);
    return pf.search(null, { filters: Object.assign({ "文号": number }, options.filters) })
      .then(function (found) { return keyed(found.results); });
  }

  // --- Showing them ---

  // The text back from its pairs (市司 司法 法局 局 -> 市司法局), with the query marked. A word
  // ending in "|" (but "|" alone) ended where the page had a space or a block ended: shown
  // as a space (发布日期 2021年…; outputs/search/text.py). The text begins with the page's title,
  // shown above the excerpt already: the query is marked where it is found after the title, in
  // the title only if nowhere else, and a page without it shows what follows the title.
  function readable(content, query, title) {
    var shown = "", key = "", keyAt = [];
    String(content || "").split(/\s+/).forEach(function (word) {
      var m = /^([^\p{L}\p{N}]*)([\p{L}\p{N}])[\p{L}\p{N}]?(.*?)(\|?)$/u.exec(word);
      if (!m) { shown += word.length > 1 && word.slice(-1) === "|" ? word.slice(0, -1) + " " : word; return; } // punctuation between runs
      shown += m[1];
      keyAt.push(shown.length);
      key += m[2].toLowerCase();
      shown += m[2] + m[3] + (m[4] ? " " : "");
    });
    shown = shown.replace(/ $/, "");
    var first = runsOf(query.split(/\s+/).filter(Boolean)[0] || "");
    var wanted = first.map(function (r) { return r.chars.join(""); }).join("");
    var titled = normal(String(title || "")).replace(/[^\p{L}\p{N}]/gu, "");
    var after = titled && key.indexOf(titled) === 0 && titled.length < keyAt.length ? titled.length : 0;
    // The title again further on (a library document's record: "标题 <title> 文号 …") is the title too: the
    // query is marked outside every copy of it; a copy right at the start of the text is skipped.
    var copies = [];
    for (var c = after ? key.indexOf(titled, after) : -1; c >= 0; c = key.indexOf(titled, c + titled.length)) copies.push(c);
    if (copies.length && copies[0] - after <= 4 && copies[0] + titled.length < keyAt.length) after = copies[0] + titled.length;
    var inCopy = function (at) {
      return copies.some(function (c) { return at >= c && at + wanted.length <= c + titled.length; });
    };
    var hit = wanted ? key.indexOf(wanted, after) : -1;
    while (hit >= 0 && inCopy(hit)) hit = key.indexOf(wanted, hit + 1);
    if (hit < 0 && wanted && !copies.length) hit = key.indexOf(wanted); // in the title only: shown there, once
    if (hit < 0) {
      var begin = after ? keyAt[after] : 0, rest = shown.slice(begin);
      // The record's copy of the title is not shown again: the excerpt stops before it and its field name.
      var copy = copies.filter(function (c) { return c >= after; }).map(function (c) { return keyAt[c] - begin; })[0];
      var stop = copy > 0 && copy <= 120 ? cutAt(rest, copy, 0) : cutAt(rest, 120, 80);
      return escapeHtml(rest.slice(0, stop)) + (stop < rest.length ? "……" : "");
    }
    var from = keyAt[hit], to = hit + wanted.length < keyAt.length ? keyAt[hit + wanted.length] : shown.length;
    while (to > from + 1 && shown.charAt(to - 1) === " ") to--; // the mark ends with the query, not its space
    var start = Math.max(0, from - 40), end = Math.min(shown.length, to + 60);
    // From the start of the hit's sentence or field when it is that close ("为进一步提高…", not "…室 索引号 …").
    var lead = shown.slice(start, from), cut = Math.max(lead.lastIndexOf(" "), lead.search(/[。！？；][^。！？；]*$/));
    var whole = cut >= 0 || start === 0;
    if (cut >= 0) start += cut + 1;
    end = Math.min(shown.length, Math.max(end, start + 120));
    end = cutAt(shown, end, Math.max(to, end - 40));
    return (whole ? "" : "……") + escapeHtml(shown.slice(start, from)) + "<mark>" + escapeHtml(shown.slice(from, to)) +
      "</mark>" + escapeHtml(shown.slice(to, end)) + (end < shown.length ? "……" : "");
  }

  // Where an excerpt of `shown` cut short near `end` stops: where a field or block of the page ends, not
  // on the name of the next field ("…停止执行。 标题 ……"). Back to the last space before `end`, and past
  // the short pieces before it (a record's field names: 标题, 文号, 有效性 …), not before `min`; `end`
  // itself when no such place is found there.
  function cutAt(shown, end, min) {
    if (end >= shown.length) return end;
    var at = shown.lastIndexOf(" ", end);
    while (at > min) {
      var before = shown.lastIndexOf(" ", at - 1);
      if (at - before - 1 > 4) return at;
      at = before;
    }
    return end;
  }

  // Pages carrying the queried 文号 first (an article publishing the document before its
  // library entry), then pages titled exactly the query, then titles containing it.
  function titledFirst(data, query, number) {
    var wanted = squeeze(query);
    var tiers = [[], [], [], []];
    data.forEach(function (item) {
      var meta = item.meta || {}, title = squeeze(meta.title), tier = 3;
      if (number && squeeze(meta.docno) === wanted) tier = columnOf(item) === LIBRARY ? 1 : 0;
      else if (wanted && title === wanted) tier = 1;
      else if (wanted && title.indexOf(wanted) !== -1) tier = 2;
      tiers[tier].push(item);
    });
    return [].concat.apply([], tiers);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function item(data, query) {
    var li = document.createElement("li");
    li.className = "sb-item";
    var col = columnOf(data);
    li.innerHTML = '<a class="sb-item__title" href="' + escapeHtml(data.url) + '">' + escapeHtml(data.meta.title || data.url) + "</a>" +
      '<div class="sb-item__meta">' + (col ? '<span class="sb-item__column">' + escapeHtml(col) + "</span>" : "") + "</div>" +
      '<p class="sb-item__summary">' + readable(data.content, query, data.meta.title) + "</p>";
    return li;
  }

  function describe() {
    var s = current, query = s.query;
    var exact = "包含“" + query + "”的信息";
    if (s.documents) {
      status.textContent = "文号为“" + s.number + "”的文件 " + s.documents + " 件" +
        (s.total ? "，另有 " + s.total + " 条" + exact + (s.shown < s.total ? "，显示前 " + s.shown + " 条。" : "。") : "。");
    } else {
      status.textContent = "找到 " + s.total + " 条" + exact + (s.shown < s.total ? "，显示前 " + s.shown + " 条。" : "。");
    }
    more.hidden = s.shown >= s.total;
    if (!more.hidden) more.textContent = "显示更多（还有 " + (s.total - s.shown) + " 条）";
  }

  // Shows the next SHOWN results of the current search, loading the fragments still needed.
  function showNext(search) {
    var next = search.queue.splice(0, SHOWN);
    return Promise.all(next.map(function (r) { return typeof r.data === "function" ? r.data() : r; })).then(function (data) {
      if (search !== current) return null; // a newer search has started meanwhile
      var first = null;
      data.forEach(function (d) {
        var li = item(d, search.query);
        first = first || li;
        list.appendChild(li);
      });
      search.shown += data.length;
      describe();
      return first;
    });
  }

  function reset() {
    list.innerHTML = "";
    docList.innerHTML = "";
    docs.hidden = true;
    othersHeading.hidden = true;
    more.hidden = true;
  }

  function run() {
    var query = input.value.trim();
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (column.value) params.set("column", column.value);
    history.replaceState(null, "", "?" + params.toString());
    reset();
    current = null;
    if (!query) { status.textContent = "请输入要搜索的关键词。"; return; }
    status.textContent = "正在搜索……";
    var number = docNumber(query);
    var search = { query: query, number: number, documents: 0, total: 0, queue: [], shown: 0 };
    current = search;
    load().then(function (pf) {
      return collect(pf, query, column.value).then(function (found) {
        if (search !== current) return null;
        search.documents = found.documents.length;
        search.total = found.others.length;
        if (!search.documents && !search.total) {
          status.textContent = "没有找到包含“" + query + "”的信息，请换个关键词试试。";
          return null;
        }
        var first = found.others.slice(0, CANDIDATES);
        return Promise.all([
          Promise.all(found.documents.map(function (r) { return r.data(); })),
          Promise.all(first.map(function (r) { return r.data(); })),
        ]).then(function (loaded) {
          if (search !== current) return null;
          if (search.documents) {
            docHeading.textContent = "文号为“" + number + "”的文件（" + search.documents + " 件）";
            titledFirst(loaded[0], number, number).forEach(function (d) { docList.appendChild(item(d, query)); });
            docs.hidden = false;
            if (search.total) {
              othersHeading.textContent = "其他包含“" + query + "”的信息（" + search.total + " 条）";
              othersHeading.hidden = false;
            }
          }
          search.queue = titledFirst(loaded[1], query, "").concat(found.others.slice(CANDIDATES));
          return showNext(search);
        });
      });
    }).catch(failed);
  }

  // The pages carrying a queried 文号 as their own, and the other pages containing the query.
  function collect(pf, query, columnName) {
    var options = columnName ? { filters: { "栏目": columnName } } : {};
    return Promise.all([numbered(pf, docNumber(query), options), exactly(pf, query, options)]).then(function (both) {
      var own = {};
      both[0].forEach(function (r) { own[r.key] = true; });
      return { documents: both[0], others: both[1].filter(function (r) { return !own[r.key]; }) };
    });
  }

  // Every page a query finds, as the search page finds them, for checks by scripts and tests (the
  // page shows them SHOWN at a time): { documents: [ids], others: [ids] }, in the page's order
  // from the first CANDIDATES on; an id names the page's pagefind/<bundle>/fragment/<id>.pf_fragment.
  window.sbSearch = function (query, columnName) {
    return load().then(function (pf) { return collect(pf, query, columnName || ""); }).then(function (found) {
      function ids(results) { return results.map(function (r) { return r.id; }); }
      return { documents: ids(found.documents), others: ids(found.others) };
    });
  };

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
