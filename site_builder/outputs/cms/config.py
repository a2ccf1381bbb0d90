"""The web editor's config.yml, generated from the tool's own tables on every build.

Never kept by hand: the fields, their Chinese labels, what is required and the 栏目 come from
``articles.FIELDS`` (the table the authoring guide documents and ``check`` enforces) and
content/site.yml, so the form cannot drift from what ``site-builder check`` accepts. Patterns
are the checks' own regular expressions (slugs.py), written for the browser's RegExp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import yaml

from site_builder.core.model import CmsSettings, Settings
from site_builder.core.news.articles import FIELDS
from site_builder.core.slugs import ARTICLE_SLUG_RE

# The name of our front-matter format (site_builder/outputs/cms/static/site-cms.js): it writes
# headers as staff write them and leaves every line an editor did not touch as it was.
FORMAT = "site-md"
DATE_FORMAT = "YYYY-MM-DD HH:mm"  # how `site-builder new` and the samples write dates
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$"
DOC_NO_PATTERN = r"^\S+〔\d{4}〕\d+号$"

# What the form adds to the field table: the widget, and a hint where a staff member needs one
# beyond the label. Fields not listed (aliases, allow, keywords) are the maintainer's and are
# kept untouched in the file when staff edit an article.
_FORM: dict[str, tuple[str, str]] = {
    "title": ("string", ""),
    "date": ("datetime", "按北京时间；日期在将来的文章到时自动发布。"),
    "category": ("select", ""),
    "source": ("string", "发布机构的全称。"),
    "slug": (
        "string",
        "文章网址和文件名：标题的拼音或英文，小写字母、数字、“-”和“_”，例如 {example}。发布后不要再改。",
    ),
    "tags": ("select", "可选多个。新标签请联系网站管理员添加。"),
    "summary": ("text", "一两句话，显示在列表中。"),
    "author": ("string", ""),
    "cover": ("image", "封面图保存到 content/images/covers/。"),
    "attachments": ("list", "PDF、Word、Excel 等，保存到 content/files/。"),
    "index_no": ("string", "政府信息公开索引号，全站不能重复，例如 {example}。不填时自动编号。"),
    "doc_no": ("string", "例如 {example}，年份用六角括号〔〕。"),
    "updated": ("datetime", "文章修改后填写。"),
    "draft": ("boolean", "打开后只在本机预览中显示，不会发布。"),
}
_PAGE_FIELDS = {"title": "标题", "summary": "摘要"}  # a plain page's header (markdown_pages.py)


@dataclass(frozen=True)
class Inputs:
    """What the config depends on: settings, the tags already in use, the pages staff edit."""

    settings: Settings
    tags: tuple[str, ...]
    pages: tuple[str, ...]  # content-relative plain pages, e.g. about/accessibility.md
    xxgk_parts: tuple[tuple[str, str], ...]  # (key, title) of the 政府信息公开 Markdown parts
    index_rule: str = ""
    content_dir: str = "content"  # content/ relative to the Git repository's root
    page_titles: dict[str, str] = dataclass_field(default_factory=dict)  # plain page -> its title, as the list shows it


def inputs_of(site, content: Path | None, content_dir: str = "content") -> Inputs:
    """The Inputs of a loaded Site (loader.load_site)."""
    from site_builder.core.xxgk.load import PAGE_PARTS

    tags = sorted({t for a in site.articles for t in a.tags})
    pages = tuple(sorted(_plain_pages(content))) if content else ()
    xxgk = site.xxgk
    parts = tuple((p.key, p.title) for p in xxgk.parts if p.key in PAGE_PARTS) if xxgk else ()
    titles = {rel: _title(content / rel) for rel in pages} if content else {}
    return Inputs(site.settings, tuple(tags), pages, parts, xxgk.index_rule if xxgk else "", content_dir, titles)


def _title(path: Path) -> str:
    """A plain page's ``title:`` as written (the list shows it; the file stays the truth)."""
    match = re.search(r"\A(?:\ufeff)?---\s*\n(?:.*\n)*?title:[ \t]*(.+?)[ \t]*\n", path.read_text(encoding="utf-8"))
    return match.group(1).strip("\"'") if match else ""


def _plain_pages(content: Path) -> list[str]:
    found = []
    for path in content.rglob("*.md"):
        rel = path.relative_to(content).as_posix()
        if rel.startswith(("news/", "xxgk/")) or any(part.startswith(("_", ".")) for part in rel.split("/")):
            continue
        found.append(rel)
    return found


def build_config(inputs: Inputs, local_proxy: str = "") -> dict:
    """Decap CMS's configuration. ``local_proxy``: decap-server's URL (``site-builder cms``)."""
    s, cms = inputs.settings, inputs.settings.cms
    c = inputs.content_dir
    config: dict = {"locale": "zh_Hans"}
    if local_proxy:  # the working copy, through decap-server: saving writes the file, no review queue
        config["backend"] = {"name": "proxy", "proxy_url": local_proxy, "branch": cms.branch}
    else:
        config["backend"] = _backend(cms)
        if cms.review:
            config["publish_mode"] = "editorial_workflow"
    config |= {
        "site_url": s.url,
        "display_url": s.url,
        "media_folder": f"{c}/images",
        "public_folder": "../../images",  # as written in an article's body: content/news/<年>/
        # Uploaded files keep their Chinese names (ASCII slugs would turn 培训通知.pdf into .pdf); an
        # article's file name is its 网址别名, which the form already limits to ASCII.
        "slug": {"encoding": "unicode", "clean_accents": False},
        "collections": [_articles(inputs)],
    }
    if inputs.pages:
        config["collections"].append(_pages(inputs))
    if inputs.xxgk_parts:
        config["collections"].append(_xxgk(inputs))
    return config


def _backend(cms: CmsSettings) -> dict:
    backend = {"name": cms.backend, "repo": cms.repo, "branch": cms.branch}
    if cms.backend in {"gitlab", "gitea"}:
        backend["auth_type"] = "pkce"
        backend["app_id"] = cms.app_id
        if cms.base_url:
            backend["base_url"] = cms.base_url
            backend["api_root"] = cms.base_url + ("/api/v4" if cms.backend == "gitlab" else "/api/v1")
            if cms.backend == "gitlab":
                backend["auth_endpoint"] = "oauth/authorize"
    elif cms.base_url:  # GitHub: the office's OAuth gateway
        backend["base_url"] = cms.base_url
    # Staff's commits read as what they did, in Chinese ({{collection}} is the label_singular).
    backend["commit_messages"] = {
        "create": "新建{{collection}}：{{path}}",
        "update": "修改{{collection}}：{{path}}",
        "delete": "删除{{collection}}：{{path}}",
        "uploadMedia": "上传文件：{{path}}",
        "deleteMedia": "删除文件：{{path}}",
    }
    if cms.review:
        backend["cms_label_prefix"] = "cms/"
        backend["squash_merges"] = True
    return backend


def _field(name: str, inputs: Inputs) -> dict:
    spec = FIELDS[name]
    widget, hint = _FORM[name]
    field: dict = {"name": name, "label": spec.label, "widget": widget, "required": spec.required}
    if hint:
        field["hint"] = hint.format(example=spec.example)
    if widget == "datetime":
        field |= {"format": DATE_FORMAT, "date_format": "YYYY-MM-DD", "time_format": "HH:mm"}
        field["pattern"] = [DATE_PATTERN, f"写成 2021-05-08 15:30 的形式（{spec.label}）"]
        if name == "date":
            field["default"] = "{{now}}"
    if name == "category":
        field["options"] = [c.name for c in inputs.settings.categories]
    if name == "tags":
        field |= {"options": list(inputs.tags), "multiple": True}
        if not inputs.tags:
            field |= {"widget": "list"}
            del field["options"], field["multiple"]
    if name == "source":
        field["default"] = inputs.settings.sponsor
    if name == "slug":
        field["required"] = True  # it names the file (see _articles)
        field["pattern"] = [_js(ARTICLE_SLUG_RE), "只能用小写字母、数字、“-”和“_”，以字母或数字开头"]
    if name == "index_no":
        field["pattern"] = [_index_pattern(inputs.index_rule), f"写成 {spec.example} 的形式"]
    if name == "doc_no":
        field["pattern"] = [DOC_NO_PATTERN, f"写成 {spec.example} 的形式"]
    if name == "draft":
        field["default"] = False
    if widget == "image":  # a path relative to content/, as `cover` is written by hand
        field |= {"media_folder": f"/{inputs.content_dir}/images/covers", "public_folder": "images/covers"}
        field["choose_url"] = False
    if name == "attachments":
        field |= {
            "label_singular": "附件",
            "collapsed": False,
            "summary": "{{fields.title}}",
            "fields": [
                {
                    "name": "file",
                    "label": "文件",
                    "widget": "file",
                    "required": True,
                    "choose_url": False,
                    "media_folder": f"/{inputs.content_dir}/files",
                    "public_folder": "files",
                },
                {"name": "title", "label": "附件名称", "widget": "string", "required": True},
            ],
        }
    return field


def _articles(inputs: Inputs) -> dict:
    names = [c.name for c in inputs.settings.categories]
    fields = [_field(name, inputs) for name in FIELDS if name in _FORM]
    fields.append(_body())
    return {
        "name": "articles",
        "label": "文章",
        "label_singular": "文章",
        "description": "各栏目的文章，保存在 content/news/<年份>/ 中。",
        "folder": f"{inputs.content_dir}/news",
        "path": "{{year}}/{{slug}}",
        # The file name is the 网址别名 staff type: Decap cannot turn a Chinese title into pinyin
        # (its ASCII slugs drop every Chinese character), so the form asks for it.
        "slug": "{{fields.slug}}",
        "identifier_field": "title",
        "create": True,
        "format": FORMAT,
        "extension": "md",
        "media_folder": f"/{inputs.content_dir}/images/photos",
        "public_folder": "../../images/photos",
        "summary": "{{title}}（{{category}}，{{date}}）",
        "sortable_fields": [{"field": "date", "label": "发布日期", "default_sort": "desc"}, "title", "category"],
        "view_filters": [{"label": n, "field": "category", "pattern": f"^{re.escape(n)}$"} for n in names],
        "view_groups": [{"label": "年份", "field": "date", "pattern": r"\d{4}"}],
        "fields": fields,
    }


def _pages(inputs: Inputs) -> dict:
    files = []
    for rel in inputs.pages:
        name = re.sub(r"[^a-z0-9]+", "-", rel.removesuffix(".md").lower()).strip("-") or "page"
        files.append(
            {
                "name": name,
                "label": inputs.page_titles.get(rel) or rel.removesuffix(".md"),
                "file": f"{inputs.content_dir}/{rel}",
                "format": FORMAT,
                "fields": [
                    {"name": "title", "label": _PAGE_FIELDS["title"], "widget": "string", "required": True},
                    {"name": "summary", "label": _PAGE_FIELDS["summary"], "widget": "text", "required": False},
                    _body(),
                ],
            }
        )
    return {"name": "pages", "label": "普通页面", "description": "网站的说明页面。", "files": files}


def _xxgk(inputs: Inputs) -> dict:
    files = [
        {
            "name": key,
            "label": title,
            "file": f"{inputs.content_dir}/xxgk/{key}.md",
            "format": FORMAT,
            "fields": [_body()],
        }
        for key, title in inputs.xxgk_parts
    ]
    return {"name": "xxgk", "label": "政府信息公开", "description": "政府信息公开专栏的页面。", "files": files}


def _body() -> dict:
    """The Markdown editor: the toolbar's buttons, and only our 图片 block (site-cms.js)."""
    return {
        "name": "body",
        "label": "正文",
        "widget": "markdown",
        "required": True,
        "buttons": [
            "bold",
            "italic",
            "link",
            "heading-two",
            "heading-three",
            "quote",
            "bulleted-list",
            "numbered-list",
        ],
        "editor_components": ["image"],
        "modes": ["rich_text", "raw"],
    }


def _js(pattern: re.Pattern) -> str:
    """A Python regex as JavaScript's RegExp reads it (ours use no Python-only syntax but \\Z)."""
    return pattern.pattern.replace(r"\Z", "$")


def _index_pattern(rule: str) -> str:
    """The 索引号 shape: site.yml's index_rule when there is one, else 代码/年份-序号."""
    if not rule:
        return r"^[0-9A-Za-z]+/\d{4}-\d+$"
    out, pos = "^", 0
    for match in re.finditer(r"\{(\w+)(?::0?(\d+)d)?\}", rule):
        out += re.escape(rule[pos : match.start()])
        name, width = match.group(1), match.group(2)
        out += {"year": r"\d{4}", "seq": rf"\d{{{width or 1},}}"}.get(name, "[0-9A-Za-z]+")
        pos = match.end()
    return out + re.escape(rule[pos:]) + "$"


def dump(config: dict) -> str:
    head = "# 由 site-builder 根据 content/site.yml 和文章字段表生成，请勿手改。\n"
    return head + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
