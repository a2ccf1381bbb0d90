"""Article front matter: the field table and the checks of a single article."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path, PurePosixPath

from site_builder.core import fields as f
from site_builder.core.checks.levels import CONFIGURABLE
from site_builder.core.dates import has_time
from site_builder.core.frontmatter import FrontMatter, Value
from site_builder.core.model import Article, Attachment, Settings
from site_builder.core.news import redirects
from site_builder.core.problems import Problem, problem
from site_builder.core.slugs import ARTICLE_SLUG_RE, slugify

# Content-relative file reference: what `cover` and `attachments` hold.
ContentPath = str


def _path(value: Value, spec: f.Spec, name: str) -> ContentPath:
    return f.text(value, spec, name)


def _attachments(value: Value, spec: f.Spec, name: str) -> list[tuple[str, str]]:
    raw = value.value
    entries = raw if isinstance(raw, list) else [raw]
    result = []
    for entry in entries:
        if isinstance(entry, str) and entry.strip():
            result.append((entry.strip(), ""))
        elif isinstance(entry, dict) and isinstance(entry.get("file"), str) and entry["file"].strip():
            result.append((entry["file"].strip(), str(entry.get("title") or "").strip()))
        else:
            raise f.FieldError(
                "E305",
                field=name,
                label=spec.label,
                expected="附件列表",
                value=str(entry),
                example="每个附件写两行：“- file: files/2021/附件.pdf”和“  title: 附件标题”。",
            )
    return result


def _allow(value: Value, spec: f.Spec, name: str) -> dict[str, str]:
    """``allow: {W704: 理由}``: a check this article may break, and why (the reason is required)."""
    if not isinstance(value.value, dict):
        raise f.FieldError("E709", value=str(value.value), detail="不是“代码: 理由”的形式。")
    result = {}
    for code, reason in value.value.items():
        code = str(code).strip().upper()
        if code not in CONFIGURABLE:
            raise f.FieldError("E709", value=code, detail="不是可以豁免的检查代码。")
        if not isinstance(reason, str) or not reason.strip():
            raise f.FieldError("E709", value=code, detail="没有写理由。")
        result[code] = reason.strip()
    return result


def _aliases(value: Value, spec: f.Spec, name: str) -> list[str]:
    """``aliases: [/news/2019/t20190102_123456.html, …]``: old addresses of this article."""
    raw = value.value
    items = raw if isinstance(raw, list) else [raw]
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise f.FieldError(
                "E305",
                field=name,
                label=spec.label,
                expected="旧网址的列表",
                value=str(item),
                example="写成“aliases: [/news/2019/t20190102_123456.html]”，每个旧网址以 / 开头。",
            )
    return [item.strip() for item in items]


# wechat/<slug>.html sits beside the one staff page, wechat/index.html: never let a slug take its name.
RESERVED_SLUGS = frozenset({"index"})
MAX_SLUG_CHARS = 100
MAX_TAG_CHARS = 30  # the pinyin of 30 characters stays well inside a file name's 255 bytes

FIELDS: dict[str, f.Spec] = {
    "title": f.Spec("标题", f.text, required=True, example="关于开展……的通知", aliases=("标题",)),
    "date": f.Spec(
        "发布日期", f.moment, required=True, example="2021-05-08 15:30", aliases=("日期", "发布日期", "时间")
    ),
    "category": f.Spec("栏目", f.text, required=True, example="工作动态", aliases=("栏目", "分类")),
    "source": f.Spec("来源", f.text, required=True, example="滨江市人民政府法制办公室", aliases=("来源", "发布机构")),
    "slug": f.Spec("网址别名", f.text, example="fazhi-tuijinhui-2021", aliases=("网址",)),
    "tags": f.Spec("标签", f.text_list, example="依法行政, 行政复议", aliases=("标签",)),
    "summary": f.Spec("摘要", f.text, example="一两句话概括全文。", aliases=("摘要", "description")),
    "author": f.Spec("作者", f.text, example="张明", aliases=("作者",)),
    "cover": f.Spec("封面图", _path, example="images/covers/a.png", aliases=("封面", "封面图", "image")),
    "attachments": f.Spec("附件", _attachments, example="files/2021/附件.pdf", aliases=("附件",)),
    "index_no": f.Spec("索引号", f.text, example="011283765/2021-00012", aliases=("索引号",)),
    "doc_no": f.Spec("文号", f.text, example="滨政规〔2021〕6号", aliases=("文号", "发文字号")),
    # 政府信息公开 metadata (site_builder/xxgk): the day the document was signed, and its 体裁
    "written": f.Spec("成文日期", f.moment, example="2021-05-06", aliases=("成文日期",)),
    "genre": f.Spec("体裁分类", f.text, example="通知", aliases=("体裁分类", "体裁")),
    "keywords": f.Spec("关键词", f.text_list, example="法治政府, 依法行政", aliases=("关键词",)),
    "draft": f.Spec("草稿", f.boolean, example="true", aliases=("草稿",)),
    "updated": f.Spec("更新日期", f.moment, example="2021-06-02 10:00", aliases=("更新日期", "修改日期")),
    "aliases": f.Spec(
        "旧网址", _aliases, example="/news/2019/t20190102_123456.html", aliases=("旧网址", "redirect_from")
    ),
    "allow": f.Spec("检查豁免", _allow, example="{W704: 转载2020年的报告，标题年份无误}", aliases=("豁免",)),
}

_SUGGESTIONS = {name: f"{name}（{spec.label}）" for name, spec in FIELDS.items()}
_SUGGESTIONS.update({alias: f"{name}（{spec.label}）" for name, spec in FIELDS.items() for alias in spec.aliases})
_MEANT = {name: name for name in FIELDS} | {alias: name for name, spec in FIELDS.items() for alias in spec.aliases}


def read_fields(front: FrontMatter, rel: str) -> tuple[dict[str, object], list[Problem]]:
    """Convert every known field; report unknown and missing ones."""
    values: dict[str, object] = {}
    found: list[Problem] = []
    meant: set[str] = set()  # fields an unknown name was taken for: not reported missing as well
    for name, value in front.fields.items():
        spec = FIELDS.get(name)
        if spec is None:
            guess = f.closest(name, _SUGGESTIONS)
            if guess is not None:
                meant.add(_MEANT[guess])
            found.append(problem("E302", rel, value.line, field=name, suggestion=f.suggest(name, _SUGGESTIONS)))
            continue
        if not spec.required and _blank(value):
            continue  # an optional field left empty (as in the `site-builder new` template) means "not given"
        try:
            values[name] = spec.convert(value, spec, name)
        except f.FieldError as error:
            found.append(problem(error.code, rel, value.line, **error.values))
    for name, spec in FIELDS.items():
        if spec.required and name not in front.fields and name not in meant:
            found.append(problem("E301", rel, 1, field=name, label=spec.label, example=spec.example))
    return values, found


def _blank(value: Value) -> bool:
    return value.value is None or (isinstance(value.value, str) and not value.value.strip())


def safe_content_path(value: str) -> PurePosixPath | None:
    """A path inside content/, or None if it would leave it (.., drive, absolute)."""
    cleaned = value.replace("\\", "/").lstrip("/")
    path = PurePosixPath(cleaned)
    if not cleaned or ".." in path.parts or re.match(r"^[a-zA-Z]:", cleaned) or "\0" in cleaned:
        return None
    return path


def _reference(value: str, name: str, line: int, content: Path, rel: str, found: list[Problem]) -> Path | None:
    label = FIELDS[name].label
    path = safe_content_path(value)
    if path is None:
        found.append(problem("E312", rel, line, field=name, label=label, value=value))
        return None
    target = content / path
    if not target.is_file():
        found.append(problem("E308", rel, line, field=name, label=label, value=value, value_hint=path.as_posix()))
        return None
    return target


def _default_slug(src: str, values: dict[str, object]) -> str:
    stem = PurePosixPath(src).stem.lower()
    if ARTICLE_SLUG_RE.match(stem):
        return stem
    slug = slugify(stem)
    if slug:
        return slug[:60].rstrip("-")
    return "a-" + hashlib.sha1(src.encode()).hexdigest()[:10]


def unique_keys(front: FrontMatter, src: str) -> dict[str, tuple[str, int]]:
    """The slug and index_no an article will use, with their lines, for the cross-file
    duplicate checks. Read from the header alone, so they run even when the article has
    other errors (a duplicate must not show up only after the first problem is fixed)."""
    keys: dict[str, tuple[str, int]] = {}
    for name in ("slug", "index_no"):
        value = front.fields.get(name)
        if value is None:
            continue
        try:
            keys[name] = (f.text(value, FIELDS[name], name), value.line)
        except f.FieldError:
            continue
    if "slug" not in keys and "slug" not in front.fields:
        keys["slug"] = (_default_slug(src, {}), 1)
    return keys


def _has_time(front: FrontMatter, name: str) -> bool:
    value = front.fields.get(name)
    if value is None:
        return True
    return has_time(value.raw if value.raw is not None else value.value)


def references(front: FrontMatter, rel: str) -> tuple[tuple[str, str | None], ...]:
    """The paths ``build_article`` looks up on disk (cover, attachments), as it reads them, each with
    where it is under content/ (None: outside it, ``safe_content_path``): the loader keys its cached
    result by what is found there."""
    values, _ = read_fields(front, rel)
    paths = [str(values["cover"])] if "cover" in values else []
    paths += (file for file, _title in values.get("attachments", []))
    return tuple((value, None if (safe := safe_content_path(value)) is None else str(safe)) for value in paths)


def found_on_disk(content: str, paths: tuple[tuple[str, str | None], ...]) -> tuple[tuple[str, int], ...]:
    """Each path of ``references`` with its size, -1 where ``_reference`` finds no file. Strings, not
    Paths: asked for every article on each of the preview's edits."""
    result = []
    for value, path in paths:
        try:
            info = os.stat(f"{content}/{path}") if path is not None else None
        except (OSError, ValueError):
            info = None
        result.append((value, info.st_size if info is not None and stat.S_ISREG(info.st_mode) else -1))
    return tuple(result)


def build_article(
    front: FrontMatter, src: str, rel: str, content: Path, settings: Settings
) -> tuple[Article | None, list[Problem]]:
    """Validate one article's header and references; None when it cannot be published."""
    values, found = read_fields(front, rel)
    lines = {name: value.line for name, value in front.fields.items()}

    category = None
    if "category" in values:
        category = settings.category(str(values["category"]))
        if category is None:
            names = [c.name for c in settings.categories]
            close = f.suggest(str(values["category"]), {n: f"“{n}”" for n in names})
            found.append(
                problem(
                    "E304", rel, lines["category"], value=values["category"], suggestion=close, choices="、".join(names)
                )
            )

    slug = str(values.get("slug") or _default_slug(src, values))
    if "slug" in values and slug != slug.lower() and ARTICLE_SLUG_RE.match(slug.lower()):
        found.append(problem("E334", rel, lines.get("slug", 1), value=slug, lower=slug.lower()))
    elif ("slug" in values and not ARTICLE_SLUG_RE.match(slug)) or slug in RESERVED_SLUGS:
        found.append(problem("E309", rel, lines.get("slug", 1), value=slug))
    elif len(slug) > MAX_SLUG_CHARS:  # news/<slug>/ and wechat/<slug>.json are file names (255 bytes at most)
        found.append(problem("E314", rel, lines.get("slug", 1), length=len(slug), limit=MAX_SLUG_CHARS))
    for name in ("tags", "keywords"):
        for item in values.get(name, ()):
            if len(item) > MAX_TAG_CHARS:  # a tag is a page: tags/<pinyin of the tag>/
                label = FIELDS[name].label
                found.append(
                    problem(
                        "E313",
                        rel,
                        lines[name],
                        label=label,
                        value=item[:20] + "……",
                        length=len(item),
                        limit=MAX_TAG_CHARS,
                    )
                )

    aliases = []
    alias_lines = front.fields["aliases"].items if "aliases" in front.fields else ()
    for index, typed in enumerate(values.get("aliases", [])):
        line = alias_lines[index] if index < len(alias_lines) else lines["aliases"]
        path, why = redirects.normalise(typed, settings)
        if path is None:
            found.append(problem("E335", rel, line, value=typed, why=why))
        elif path not in aliases:
            aliases.append(path)

    cover = ""
    if "cover" in values and _reference(str(values["cover"]), "cover", lines["cover"], content, rel, found):
        cover = safe_content_path(str(values["cover"])).as_posix()

    attachments = []
    item_lines = front.fields["attachments"].items if "attachments" in front.fields else ()
    for index, (file, title) in enumerate(values.get("attachments", [])):
        line = item_lines[index] if index < len(item_lines) else lines["attachments"]
        target = _reference(file, "attachments", line, content, rel, found)
        if target is not None:
            path = safe_content_path(file).as_posix()
            attachments.append(
                Attachment(file=path, title=title or PurePosixPath(path).stem, size=target.stat().st_size)
            )

    # Body images and links (E310, E711, E33x) are resolved by checks.links, as the build resolves them.

    written = values.get("written")
    if written is not None and "date" in values and written.date() > values["date"].date():
        found.append(
            problem("W903", rel, lines["written"], written=f"{written:%Y-%m-%d}", date=f"{values['date']:%Y-%m-%d}")
        )

    if any(p.is_error for p in found) or category is None:
        return None, found
    article = Article(
        src=src,
        title=str(values["title"]),
        date=values["date"],
        category=category,
        source=str(values["source"]),
        slug=slug,
        body=front.body,
        body_line=front.body_line,
        tags=values.get("tags", ()),
        summary=str(values.get("summary", "")),
        author=str(values.get("author", "")),
        cover=cover,
        attachments=tuple(attachments),
        index_no=str(values.get("index_no", "")),
        doc_no=str(values.get("doc_no", "")),
        written=values["written"].date() if "written" in values else None,
        genre=str(values.get("genre", "")),
        keywords=values.get("keywords", ()),
        draft=bool(values.get("draft", False)),
        updated=values.get("updated"),
        date_has_time=_has_time(front, "date"),
        updated_has_time=_has_time(front, "updated"),
        allow=values.get("allow", {}),
        aliases=tuple(aliases),
        lines=lines,
    )
    return article, found
