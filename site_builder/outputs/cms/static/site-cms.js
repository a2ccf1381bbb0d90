/* The web editor's additions to Decap CMS (vendored in this folder), loaded before it.
 *
 * 1. The "site-md" format: how an article file is read and written. Decap's own front-matter
 *    format re-serialises the whole header with its YAML library (fields reordered, `tags: [a, b]`
 *    turned into a block list, comments dropped), so editing one field would rewrite the file.
 *    Here every header line a staff member did not change is written back exactly as it was
 *    read; changed and new fields are written the way staff and `site-builder new` write them:
 *    the tool's field order, dates as 2021-05-08 15:30, Chinese as characters, quotes only
 *    when YAML needs them, and no field nobody filled in.
 * 2. The preview: the site's own stylesheets and the article page's layout.
 *
 * SITE is filled in by site_builder/outputs/cms/admin.py: the field order and the stylesheets' paths.
 */
(function () {
  "use strict";
  var SITE = /*SITE_CMS_DATA*/ { order: [], styles: [] };
  var ORIGINAL = "__sb_original"; // the file as read, carried in the entry's data until it is saved
  var DATE_KEYS = { date: true, updated: true };

  window.CMS_MANUAL_INIT = true;

  function split(text) {
    var eol = text.indexOf("\r\n") >= 0 ? "\r\n" : "\n";
    var lf = text.replace(/\r\n/g, "\n");
    var bom = lf.charAt(0) === "\ufeff" ? "\ufeff" : "";
    if (bom) lf = lf.slice(1);
    var m = /^---[ \t]*\n([\s\S]*?\n)?---[ \t]*(\n|$)/.exec(lf);
    if (!m) return { eol: eol, bom: bom, front: null, body: lf };
    var closing = m[0].slice(m[0].lastIndexOf("---"));
    return { eol: eol, bom: bom, front: m[1] || "", opening: m[0], closing: closing, body: lf.slice(m[0].length) };
  }

  var LIST_SPLIT = /\s*[,，、;；]\s*/;

  function normalise(key, value) {
    if (value === null || value === undefined) return value;
    if ((key === "tags" || key === "keywords") && typeof value === "string") {
      return value.split(LIST_SPLIT).filter(function (t) { return t; });
    }
    if (typeof value === "number" && key !== "draft") return String(value);
    return value;
  }

  function parse(text) {
    var parts = split(text);
    var data = {};
    if (parts.front !== null) {
      var loaded = window.jsyaml.load(parts.front, { schema: window.jsyaml.CORE_SCHEMA });
      if (loaded && typeof loaded === "object" && !Array.isArray(loaded)) data = loaded;
    }
    Object.keys(data).forEach(function (k) { data[k] = normalise(k, data[k]); });
    data.body = parts.body;
    return { parts: parts, data: data };
  }

  function isEmpty(v) {
    if (v === null || v === undefined || v === "" || v === false) return true;
    if (Array.isArray(v)) return v.length === 0;
    if (typeof v === "object") return Object.keys(v).length === 0;
    return false;
  }

  function same(a, b) {
    return JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b);
  }

  // Quotes only where YAML would read the text as something else (as PyYAML's safe_dump decides).
  function scalar(v, key, flow) {
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return String(v);
    var s = String(v);
    if (DATE_KEYS[key] && /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(s)) return s;
    var plain =
      s !== "" &&
      !/^\s|\s$/.test(s) &&
      !/^[-?:,\[\]{}#&*!|>'"%@`]/.test(s) &&
      !/: |:$| #|[\t\n\r]/.test(s) &&
      !/^(true|false|yes|no|on|off|null|y|n|~)$/i.test(s) &&
      !/^[-+]?(\.?\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.inf|\.nan|0x[0-9a-f]+|0o[0-7]+)$/i.test(s) &&
      !/^\d{4}-\d{1,2}-\d{1,2}/.test(s) &&
      !(flow && /[,\[\]{}]/.test(s));
    return plain ? s : JSON.stringify(s);
  }

  function field(key, v) {
    if (Array.isArray(v)) {
      if (v.every(function (x) { return x === null || typeof x !== "object"; })) {
        return key + ": [" + v.map(function (x) { return scalar(x, key, true); }).join(", ") + "]\n";
      }
      return key + ":\n" + v.map(function (item) {
        var keys = Object.keys(item).filter(function (k) { return !isEmpty(item[k]); });
        return keys.map(function (k, i) {
          return (i === 0 ? "  - " : "    ") + k + ": " + scalar(item[k], k, false) + "\n";
        }).join("");
      }).join("");
    }
    if (v && typeof v === "object") {
      return key + ":\n" + Object.keys(v).map(function (k) {
        return "  " + k + ": " + scalar(v[k], k, false) + "\n";
      }).join("");
    }
    return key + ": " + scalar(v, key, false) + "\n";
  }

  // The header's top-level entries, each with its lines (continuations and comments after it).
  function blocks(front) {
    var out = [];
    var lines = front.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    lines.forEach(function (line) {
      var m = /^([^\s#:][^:]*?)\s*:(\s|$)/.exec(line);
      if (m && !/^-/.test(line)) out.push({ key: m[1].replace(/^["']|["']$/g, ""), text: line + "\n" });
      else if (out.length && /^(\s|-)/.test(line)) out[out.length - 1].text += line + "\n";
      else out.push({ key: null, text: line + "\n" });
    });
    return out;
  }

  function rank(key) {
    var i = SITE.order.indexOf(key);
    return i < 0 ? SITE.order.length : i;
  }

  function toFile(data) {
    var values = {};
    Object.keys(data).forEach(function (k) {
      if (k !== ORIGINAL && k !== "body") values[k] = data[k];
    });
    var body = data.body === undefined || data.body === null ? "" : String(data.body);
    var source = data[ORIGINAL];
    if (!source) return fresh(values, body);
    var before = parse(source);
    var parts = before.parts;
    var old = before.data;
    var out = parts.front === null ? [] : blocks(parts.front);
    var seen = {};
    out = out.filter(function (b) {
      if (b.key === null) return true;
      seen[b.key] = true;
      if (!(b.key in values) || same(values[b.key], old[b.key])) return true;
      if (isEmpty(values[b.key]) && b.key !== "draft") return false; // cleared in the form
      b.text = field(b.key, values[b.key]);
      return true;
    });
    Object.keys(values)
      .filter(function (k) { return !seen[k] && !isEmpty(values[k]); })
      .sort(function (a, b) { return rank(a) - rank(b); })
      .forEach(function (k) {
        var at = 0;
        out.forEach(function (b, i) { if (b.key !== null && rank(b.key) <= rank(k)) at = i + 1; });
        out.splice(at, 0, { key: k, text: field(k, values[k]) });
      });
    var head = out.map(function (b) { return b.text; }).join("");
    var bodyText = body === old.body ? parts.body : keepUntouchedBlocks(old.body, body);
    var text;
    if (parts.front !== null) text = parts.opening.split("\n")[0] + "\n" + head + parts.closing + bodyText;
    else if (out.length) text = "---\n" + head + "---\n" + (/^\n/.test(bodyText) ? "" : "\n") + bodyText;
    else text = bodyText;
    return parts.bom + (parts.eol === "\n" ? text : text.replace(/\n/g, parts.eol));
  }

  // The body after an edit in the rich-text editor, which writes the whole body anew (a table's
  // alignment row, list bullets, escapes): every block (the text between blank lines) that reads the
  // same as one of the original's, in order, is kept exactly as it was written; only the blocks the
  // staff member changed come from the editor.
  function normalised(block) {
    return block
      .replace(/\\([\\`*_{}\[\]()#+\-.!|>~])/g, "$1")
      .replace(/^(\s*)[*+-]\s+/gm, "$1-")
      .replace(/^\|?[\s:|-]+\|?$/gm, function (row) { return /-/.test(row) && /\|/.test(row) ? "|-|" : row; })
      .replace(/__/g, "**")
      .replace(/\s+/g, "");
  }

  function blocksOf(text) {
    var pieces = text.split(/(\n[ \t]*\n\s*)/);
    var blocks = [];
    var gaps = [];
    for (var i = 0; i < pieces.length; i += 2) {
      blocks.push(pieces[i]);
      if (i + 1 < pieces.length) gaps.push(pieces[i + 1]);
    }
    return { blocks: blocks, gaps: gaps };
  }

  function keepUntouchedBlocks(before, after) {
    var lead = /^\s*/.exec(before)[0];
    var trail = /\s*$/.exec(before)[0] || "\n";
    var old = blocksOf(before.slice(lead.length, before.length - trail.length || undefined));
    var now = blocksOf(after.replace(/^\s+|\s+$/g, ""));
    var keys = old.blocks.map(normalised);
    var from = [];
    var next = 0;
    var out = now.blocks.map(function (block, k) {
      var key = normalised(block);
      for (var i = next; i < keys.length; i++) {
        if (keys[i] === key) {
          next = i + 1;
          from[k] = i;
          return old.blocks[i];
        }
      }
      from[k] = -1;
      return block;
    });
    var text = out[0] || "";
    for (var k = 1; k < out.length; k++) {
      var kept = from[k] >= 0 && from[k - 1] >= 0 && from[k] === from[k - 1] + 1;
      text += (kept ? old.gaps[from[k] - 1] : "\n\n") + out[k];
    }
    return (lead || "\n") + text + trail;
  }

  function tidy(body) {
    return body.replace(/^\n+/, "").replace(/\s+$/, "") + "\n";
  }

  function fresh(values, body) {
    var keys = Object.keys(values)
      .filter(function (k) { return !isEmpty(values[k]); })
      .sort(function (a, b) { return rank(a) - rank(b); });
    var head = keys.map(function (k) { return field(k, values[k]); }).join("");
    return "---\n" + head + "---\n\n" + tidy(body);
  }

  function fromFile(text) {
    var data = parse(text).data;
    data[ORIGINAL] = text;
    return data;
  }

  // ---- the preview: the article page as the site renders it (fragments.article_header) ----
  function preview(withMeta) {
    return window.createClass({
      render: function () {
        var h = window.h;
        var entry = this.props.entry;
        var get = function (k) {
          var v = entry.getIn(["data", k]);
          return v && v.toJS ? v.toJS() : v;
        };
        var rows = [];
        if (withMeta) {
          [["date", "发布日期"], ["source", "来源"], ["author", "作者"], ["index_no", "索引号"], ["doc_no", "文号"]]
            .forEach(function (r) {
              var v = get(r[0]);
              if (v) rows.push(h("div", { key: r[0] }, h("dt", null, r[1]), h("dd", null, String(v))));
            });
        }
        var files = withMeta ? get("attachments") || [] : [];
        var tags = withMeta ? get("tags") || [] : [];
        return h(
          "div",
          { className: "md-main__inner md-grid sb-cms-preview", style: { padding: "0 1.2rem" } },
          h(
            "div",
            { className: "md-content" },
            h(
              "article",
              { className: "md-content__inner md-typeset" },
              h(
                "div",
                { className: "sb-article" },
                h("h1", null, get("title") || ""),
                get("draft") ? h("p", { className: "sb-status sb-status--draft", role: "note" }, "草稿：仅在本地预览中显示，不会发布。") : null,
                rows.length ? h("dl", { className: "sb-meta" }, rows) : null,
                h("div", { className: "sb-article__body" }, this.props.widgetFor("body")),
                files.length
                  ? h(
                      "section",
                      { className: "sb-attachments" },
                      h("h2", null, "附件"),
                      h("ol", null, files.map(function (a, i) {
                        return h("li", { key: i }, h("a", { href: "#" }, (a && a.title) || (a && a.file) || ""));
                      }))
                    )
                  : null,
                tags.length
                  ? h("div", { className: "sb-tags" }, h("span", null, "标签："), h("ul", null, tags.map(function (t) {
                      return h("li", { key: t }, h("a", { href: "#" }, t));
                    })))
                  : null
              )
            )
          )
        );
      },
    });
  }

  // Body images as the guide asks: ![图片说明](../../images/photos/x.png), the description required
  // (screen readers read it; check reports an image without one). Replaces Decap's English "Image".
  var IMAGE = {
    id: "image",
    label: "图片",
    fields: [
      { name: "image", label: "图片", widget: "image", required: true, choose_url: false },
      { name: "alt", label: "图片说明（供读屏软件朗读，必填）", widget: "string", required: true },
    ],
    pattern: /^!\[([^\]]*)\]\(([^)\s]+)\)$/,
    fromBlock: function (m) { return { alt: m[1], image: m[2] }; },
    toBlock: function (d) { return "![" + (d.alt || "") + "](" + (d.image || "") + ")"; },
    toPreview: function (d, getAsset, fields) {
      var field = fields && fields.find && fields.find(function (f) { return f.get("widget") === "image"; });
      var src = d.image && getAsset ? getAsset(d.image, field) : d.image;
      return window.h("img", { src: src ? String(src) : "", alt: d.alt || "" });
    },
  };

  // The review queue in the office's words: 草稿 → 待审核 (初审、复审) → 待发布 (终审通过) → 发布.
  function wordTheReview(CMS) {
    var zh = CMS.getLocale && CMS.getLocale("zh_Hans");
    if (!zh || !zh.editor || !zh.workflow) return;
    var bar = zh.editor.editorToolbar;
    bar.inReview = "待审核";
    bar.ready = "待发布（终审通过）";
    bar.onPublishingNotReady = "请先把状态改为“待发布（终审通过）”再发布";
    var list = zh.workflow.workflowList;
    list.inReviewHeader = "待审核（初审、复审）";
    list.readyHeader = "待发布（终审通过）";
    list.onPublishingNotReadyEntry = "只有“待发布”一列中终审通过的稿件才能发布，请先把卡片拖到这一列";
    zh.workflow.workflow.newPost = "新建文章";
    zh.workflow.workflow.description = "%{smart_count} 篇待审核、%{readyCount} 篇待发布 |||| %{smart_count} 篇待审核、%{readyCount} 篇待发布";
    CMS.registerLocale("zh_Hans", zh);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var CMS = window.CMS;
    CMS.registerEditorComponent(IMAGE);
    wordTheReview(CMS);
    CMS.registerCustomFormat("site-md", "md", { fromFile: fromFile, toFile: toFile });
    SITE.styles.forEach(function (href) { CMS.registerPreviewStyle(href); });
    CMS.registerPreviewTemplate("articles", preview(true));
    ["pages", "xxgk"].forEach(function (name) { CMS.registerPreviewTemplate(name, preview(false)); });
    CMS.init();
  });

  // For the unit tests of the format (tests/browser/test_cms_browser.py runs them in Chromium).
  window.siteCmsFormat = { fromFile: fromFile, toFile: toFile };
})();
