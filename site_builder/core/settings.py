"""Site settings (content/site.yml): what every page's footer and head must carry."""

from __future__ import annotations

import re
from pathlib import Path

from site_builder.core import fields as f
from site_builder.core import wechat_settings
from site_builder.core.checks.levels import CONFIGURABLE
from site_builder.core.cms_settings import read_cms
from site_builder.core.frontmatter import Value, parse_mapping
from site_builder.core.model import Category, Contact, Settings
from site_builder.core.problems import Problem, problem
from site_builder.core.slugs import SLUG_RE
from site_builder.core.textfile import read_text

SETTINGS_FILE = "site.yml"

# The site's origin and path prefix: printed into every page, feed and sitemap, so only the
# characters a host name and a plain path use (no quotes, angle brackets, query or user name).
_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
_ORIGIN = rf"^https?://{_HOST}(?::\d{{1,5}})?(?:/[A-Za-z0-9._~%-]*)*\Z"
_LINK = rf"^https?://{_HOST}(?::\d{{1,5}})?(?:/[A-Za-z0-9._~%!$&*+,;=:@/?-]*)?\Z"

# field -> (label, required, pattern, what a correct value looks like)
_TEXT_FIELDS: dict[str, tuple[str, bool, str | None, str]] = {
    "name": ("站名", True, None, ""),
    "url": (
        "网站地址",
        True,
        _ORIGIN,
        "写成 http:// 或 https:// 加域名的网址，例如 https://fzb.binjiang.gov.cn/；"
        "网站在子目录中时加上路径，例如 https://www.binjiang.gov.cn/fzb/。不能含引号、尖括号、空格、“?”或“#”",
    ),
    "sponsor": ("主办单位", True, None, ""),
    "site_code": (
        "网站标识码",
        True,
        r"^(\d{10}|bm\d{8})$",
        '网站标识码是 10 位数字（部委为 bm 加 8 位数字），请加英文引号，例如 "4210000021"',
    ),
    "icp": (
        "ICP备案号",
        True,
        r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP备\d+号(-\d+)?$",
        "写成工信部备案系统中的形式，例如 鄂ICP备12345678号-1",
    ),
    "police_record": (
        "公安机关备案号",
        True,
        r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]公网安备\s?\d{14}号$",
        "写成“鄂公网安备 42118202000001号”的形式（14 位数字）",
    ),
    "short_name": ("简称", False, None, ""),
    "description": ("网站简介", False, None, ""),
    "organizer": ("承办单位", False, None, ""),
    "conac_url": ("党政机关网站标识链接", False, _LINK, "写成 https:// 开头的完整网址，不能含引号、尖括号或空格"),
    "accessibility": ("无障碍说明页面", False, None, ""),
}
# The page every page's 无障碍说明 link points to when site.yml names none and it exists.
DEFAULT_ACCESSIBILITY = "about/accessibility.md"
_OTHER_FIELDS = {
    "contact": "联系方式",
    "categories": "栏目",
    "page_size": "每页条数",
    "home_items": "首页每栏条数",
    "feed_items": "订阅条数",
}
_OTHER_FIELDS["wechat"] = "公众号版本"
_OTHER_FIELDS["checks"] = "内容检查级别"
_OTHER_FIELDS["freshness"] = "栏目更新周期"
_OTHER_FIELDS["issuers"] = "文号代字对应的发文机关"
_OTHER_FIELDS["xxgk"] = "政府信息公开专栏"  # read by site_builder/core/xxgk/load.py
_OTHER_FIELDS["cms"] = "网页编辑"  # read by site_builder/core/cms_settings.py
_KINDS = {"news": "动态类", "notice": "通知公告类", "policy": "政策文件类"}


def load_settings(content: Path, rel_root: str = "content") -> tuple[Settings | None, list[Problem]]:
    rel = f"{rel_root}/{SETTINGS_FILE}"
    path = content / SETTINGS_FILE
    if not path.is_file():
        return None, [problem("E401", rel)]
    file = read_text(path, rel)
    if isinstance(file, Problem):
        return None, [file]
    values, found = parse_mapping(file.text.split("\n"), 1, rel)
    if any(p.code in {"E203", "E207"} for p in found):
        return None, found
    known = {**{k: v[0] for k, v in _TEXT_FIELDS.items()}, **_OTHER_FIELDS}
    for name, value in values.items():
        if name not in known:
            found.append(
                problem(
                    "E405",
                    rel,
                    value.line,
                    field=name,
                    suggestion=f.suggest(name, {k: f"{k}（{v}）" for k, v in known.items()}),
                )
            )
    data = {name: _text(values, name, rel, found) for name in _TEXT_FIELDS}
    contact = _contact(values.get("contact"), rel, found)
    categories = _categories(values.get("categories"), rel, found)
    page_size = _number(values, "page_size", 15, rel, found)
    home_items = _number(values, "home_items", 6, rel, found)
    wechat = wechat_settings.from_setting(values.get("wechat"), file.text.split("\n"), rel, found)
    feed_items = _number(values, "feed_items", 50, rel, found)
    check_levels = _check_levels(values.get("checks"), rel, found)
    freshness = _freshness(values.get("freshness"), rel, found)
    accessibility = _accessibility(content, data["accessibility"], values.get("accessibility"), rel, found)
    issuers = _issuers(values.get("issuers"), rel, found)
    cms = read_cms(values.get("cms"), rel, found)
    if any(p.is_error for p in found):
        return None, found
    url = data["url"] if data["url"].endswith("/") else data["url"] + "/"
    settings = Settings(
        name=data["name"],
        url=url,
        sponsor=data["sponsor"],
        site_code=data["site_code"],
        icp=data["icp"],
        police_record=data["police_record"],
        categories=categories,
        short_name=data["short_name"] or data["name"],
        description=data["description"],
        organizer=data["organizer"],
        conac_url=data["conac_url"],
        accessibility_url=accessibility,
        contact=contact,
        page_size=page_size,
        home_items=home_items,
        wechat=wechat,
        feed_items=feed_items,
        check_levels=check_levels,
        freshness=freshness,
        issuers=issuers,
        cms=cms,
    )
    return settings, found


def _accessibility(content: Path, written: str, value: Value | None, rel: str, found: list[Problem]) -> str:
    """The 无障碍说明 page's site-relative URL; "" when the site has none (its links are left out)."""
    page = written.replace("\\", "/").removeprefix("./") if written else DEFAULT_ACCESSIBILITY
    if not (content / page).is_file() or not page.endswith(".md") or ".." in page.split("/") or page.startswith("/"):
        if written:
            found.append(problem("E770", rel, value.line if value else 1, value=written))
        return ""
    page = page.removesuffix(".md")
    return "" if page == "index" else page.removesuffix("/index") + "/"


def _text(values: dict[str, Value], name: str, rel: str, found: list[Problem]) -> str:
    label, required, pattern, expected = _TEXT_FIELDS[name]
    value = values.get(name)
    if value is None or value.value is None or not str(value.raw if value.raw is not None else value.value).strip():
        if required:
            found.append(problem("E402", rel, value.line if value else 1, field=name, label=label))
        return ""
    text = str(value.raw if value.raw is not None else value.value).strip()
    if pattern and not re.match(pattern, text):
        found.append(problem("E403", rel, value.line, field=name, value=text, expected=expected))
    return text


def _number(values: dict[str, Value], name: str, default: int, rel: str, found: list[Problem]) -> int:
    value = values.get(name)
    if value is None:
        return default
    if isinstance(value.value, int) and not isinstance(value.value, bool) and 1 <= value.value <= 200:
        return value.value
    found.append(
        problem(
            "E403", rel, value.line, field=name, value=str(value.value), expected="写一个 1 到 200 之间的整数，例如 15"
        )
    )
    return default


def _contact(value: Value | None, rel: str, found: list[Problem]) -> Contact:
    if value is None or not isinstance(value.value, dict):
        found.append(
            problem("E402", rel, value.line if value else 1, field="contact", label="联系方式：地址、电话或邮箱")
        )
        return Contact()
    raw = {k: str(v).strip() for k, v in value.value.items() if v is not None}
    unknown = set(raw) - {"address", "phone", "email", "postcode"}
    for name in sorted(unknown):
        found.append(
            problem(
                "E405",
                rel,
                value.line,
                field=f"contact.{name}",
                suggestion="联系方式可写 address、phone、email、postcode。",
            )
        )
    if not (raw.get("phone") or raw.get("email")):
        found.append(problem("E402", rel, value.line, field="contact.phone", label="联系电话或 contact.email 电子邮箱"))
    return Contact(**{k: raw.get(k, "") for k in ("address", "phone", "email", "postcode")})


def _categories(value: Value | None, rel: str, found: list[Problem]) -> tuple[Category, ...]:
    if value is None or not isinstance(value.value, list) or not value.value:
        found.append(problem("E402", rel, value.line if value else 1, field="categories", label="栏目列表"))
        return ()
    result: list[Category] = []
    for index, entry in enumerate(value.value):
        line = value.items[index] if index < len(value.items) else value.line
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            found.append(
                problem(
                    "E403",
                    rel,
                    line,
                    field="categories",
                    value=str(entry),
                    expected="每个栏目写成“- name: 栏目名称”，下一行“  slug: 拼音网址”",
                )
            )
            continue
        name = str(entry["name"]).strip()
        slug = str(entry.get("slug") or "").strip()
        kind = str(entry.get("kind") or "news").strip()
        if not SLUG_RE.match(slug) or slug in {"page", "tags", "archive"}:
            found.append(
                problem(
                    "E403",
                    rel,
                    line,
                    field=f"categories（{name}）.slug",
                    value=slug or "（空）",
                    expected="slug 只能用小写字母、数字和“-”，不能是 page、tags、archive，例如 gongzuo-dongtai",
                )
            )
        if kind not in _KINDS:
            found.append(
                problem(
                    "E403",
                    rel,
                    line,
                    field=f"categories（{name}）.kind",
                    value=kind,
                    expected="kind 可写 news（动态类）、notice（通知公告类）或 policy（政策文件类）",
                )
            )
        for what, key in (("名称", name), ("slug", slug)):
            if any((c.name if what == "名称" else c.slug) == key for c in result):
                found.append(problem("E404", rel, line, what=what, value=key))
        result.append(
            Category(name=name, slug=slug, kind=kind, description=str(entry.get("description") or "").strip())
        )
    return tuple(result)


_LEVELS = {"error": "错误", "warning": "警告", "off": "不检查"}


def _check_levels(value: Value | None, rel: str, found: list[Problem]) -> tuple[tuple[str, str], ...]:
    """site.yml ``checks:``: the level of each content check, e.g. ``W712: off``."""
    if value is None:
        return ()
    if not isinstance(value.value, dict):
        found.append(
            problem("E403", rel, value.line, field="checks", value=str(value.value), expected="写成“代码: 级别”的列表")
        )
        return ()
    result = []
    for code, level in value.value.items():
        code, level = str(code).strip().upper(), str(level).strip().lower() if level is not None else ""
        if level in {"false", "no"}:  # YAML reads a bare `off` as false
            level = "off"
        if code not in CONFIGURABLE or level not in _LEVELS:
            found.append(
                problem(
                    "E403",
                    rel,
                    value.line,
                    field=f"checks.{code}",
                    value=level or "（空）",
                    expected="checks 中每行写“代码: error”“代码: warning”或“代码: off”，代码为 E7xx、W7xx 或 E511–E515",
                )
            )
            continue
        result.append((code, level))
    return tuple(sorted(result))


def _freshness(value: Value | None, rel: str, found: list[Problem]) -> tuple[tuple[str, int], ...]:
    """site.yml ``freshness:``: days a 栏目 of each kind may go without a new article."""
    default = Settings.__dataclass_fields__["freshness"].default
    if value is None:
        return default
    days = dict(default)
    entries = value.value.items() if isinstance(value.value, dict) else [("freshness", value.value)]
    for kind, number in entries:
        if kind not in _KINDS or isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 3650:
            found.append(
                problem(
                    "E403",
                    rel,
                    value.line,
                    field=f"freshness.{kind}",
                    value=str(number),
                    expected="freshness 中写 news、notice、policy 各自的天数（1 到 3650），例如 news: 14",
                )
            )
            continue
        days[kind] = number
    return tuple(days.items())


def _issuers(value: Value | None, rel: str, found: list[Problem]) -> tuple[tuple[str, str], ...]:
    """site.yml ``issuers:``: 文号代字 -> 发文机关, e.g. ``滨政发: 市政府``."""
    if value is None:
        return ()
    entries = value.value.items() if isinstance(value.value, dict) else [("issuers", value.value)]
    result = []
    for prefix, issuer in entries:
        prefix, issuer = str(prefix).strip(), str(issuer or "").strip()
        if not re.fullmatch(r"[\u4e00-\u9fff]{1,12}", prefix) or not issuer:
            expected = "issuers 中每行写“文号代字: 发文机关”，例如 滨政发: 市政府、滨政办发: 市政府办公室"
            found.append(
                problem("E403", rel, value.line, field=f"issuers.{prefix}", value=issuer or "（空）", expected=expected)
            )
            continue
        result.append((prefix, issuer))
    return tuple(sorted(result))
