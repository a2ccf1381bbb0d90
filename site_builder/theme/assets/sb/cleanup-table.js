/* Cleanup tables: filter by the selects, search title or 文号, sort by a column.
   A batch page has one table per 清理结果 under one set of controls (C-1).
   Progressive enhancement: every row is in the HTML already (readable and printable
   without this script). Work per change is one pass over the rows, toggling `hidden`
   only on rows whose state changes, so 5,000 rows stay quick; typing is debounced. */
(function () {
  "use strict";

  var LOOKALIKE = /[［\[【（(﹝〖]/g;
  var LOOKALIKE_CLOSE = /[］\]】）)﹞〗]/g;
  var collator = window.Intl && Intl.Collator ? new Intl.Collator("zh-CN", { numeric: true }) : null;

  /* What people type and what the table says compare equal: case, spaces, bracket look-alikes. */
  function normalise(text) {
    return (text || "").toLowerCase().replace(/\s+/g, "").replace(LOOKALIKE, "〔").replace(LOOKALIKE_CLOSE, "〕");
  }

  function setup(root) {
    var form = root.querySelector("[data-sb-table-tools]");
    var status = root.querySelector("[data-sb-table-status]");
    var empty = root.querySelector("[data-sb-table-empty]");
    var tables = Array.prototype.slice.call(root.querySelectorAll("table")).filter(function (t) {
      return t.tBodies.length && t.tHead;
    });
    if (!form || !tables.length) return;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var search = form.querySelector("[data-search]");
    /* A batch page has one table per 清理结果 (each in its own section); the library has one. */
    var groups = tables.map(function (table) {
      var section = table.closest("[data-sb-annex]");
      var link = section ? root.querySelector('[data-sb-annex-link="' + section.id + '"]') : null;
      return { table: table, section: section, link: link, items: [], count: 0 };
    });
    var items = [];
    groups.forEach(function (group) {
      var heads = Array.prototype.slice.call(group.table.tHead.rows[0].cells);
      var searchCols = [];
      heads.forEach(function (th, i) {
        if (/文件名称|信息名称|索引号|文号/.test(th.textContent)) searchCols.push(i);
      });
      Array.prototype.slice.call(group.table.tBodies[0].rows).forEach(function (row, index) {
        var text = searchCols.map(function (i) { return row.cells[i] ? row.cells[i].textContent : ""; }).join("\u0001");
        var item = { row: row, index: index, group: group, text: normalise(text), data: row.dataset, shown: !row.hidden };
        group.items.push(item);
        items.push(item);
      });
      sortable(group, heads);
    });
    var total = items.length;

    function apply() {
      var wanted = selects
        .filter(function (s) { return s.value; })
        .map(function (s) { return [s.getAttribute("data-filter"), s.value]; });
      var query = normalise(search ? search.value : "");
      var count = 0;
      groups.forEach(function (group) { group.count = 0; });
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        var show = query === "" || item.text.indexOf(query) !== -1;
        for (var j = 0; show && j < wanted.length; j++) {
          if (item.data[wanted[j][0]] !== wanted[j][1]) show = false;
        }
        if (show !== item.shown) {
          item.row.hidden = !show;
          item.shown = show;
        }
        if (show) {
          count++;
          item.group.count++;
        }
      }
      /* A table left with no matching row disappears, with its heading and its link. */
      groups.forEach(function (group) {
        if (!group.section) return;
        group.section.hidden = group.count === 0;
        if (group.link) group.link.hidden = group.count === 0;
      });
      var filtered = wanted.length || query;
      /* 件文件 in the cleanup tables, 条信息 in the 信息公开目录 (data-unit, data-noun on the status line) */
      var unit = status.getAttribute("data-unit") || "件", noun = status.getAttribute("data-noun") || "文件";
      status.textContent = "共 " + total + " " + unit + noun + (filtered ? "，符合条件的有 " + count + " " + unit + "。" : "。");
      if (empty) empty.hidden = count !== 0;
    }

    var timer = null;
    function later() {
      clearTimeout(timer);
      timer = setTimeout(apply, 150);
    }

    selects.forEach(function (s) { s.addEventListener("change", apply); });
    if (search) search.addEventListener("input", later);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });

    form.hidden = false;
    apply();
  }

  /* Sorting: a button in each sortable header; aria-sort tells screen readers the order. */
  function sortable(group, heads) {
    var tbody = group.table.tBodies[0];
    var keys = {};
    function keyOf(column, type) {
      if (!keys[column]) {
        keys[column] = group.items.map(function (item) {
          var cell = item.row.cells[column];
          if (!cell) return "";
          if (type === "number") return parseFloat(cell.textContent) || 0;
          if (type === "date") return cell.getAttribute("data-sort") || "";
          return cell.textContent.trim();
        });
      }
      return keys[column];
    }
    heads.forEach(function (th, column) {
      var type = th.getAttribute("data-sort-type");
      if (!type) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sb-sort";
      button.innerHTML = th.innerHTML + '<span class="sb-sort__icon" aria-hidden="true"></span>';
      button.setAttribute("aria-label", th.textContent + "：点击排序");
      th.innerHTML = "";
      th.appendChild(button);
      th.classList.add("sb-sortable");  /* phones show only these headers, as a row of sort buttons */
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var values = keyOf(column, type);
        var order = group.items.slice().sort(function (a, b) {
          var x = values[a.index], y = values[b.index], c;
          if (type === "text" && collator) c = collator.compare(x, y);
          else c = x < y ? -1 : x > y ? 1 : 0;
          return (ascending ? c : -c) || a.index - b.index;
        });
        var fragment = document.createDocumentFragment();
        order.forEach(function (item) { fragment.appendChild(item.row); });
        tbody.appendChild(fragment);
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-sb-table]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
