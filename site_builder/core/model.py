"""The content model: plain data, knowing nothing of MkDocs or HTML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Category:
    """A 栏目. ``kind`` (news / notice / policy) decides how fresh it must stay."""

    name: str
    slug: str
    kind: str = "news"
    description: str = ""

    @property
    def url(self) -> str:
        return f"news/{self.slug}/"


@dataclass(frozen=True)
class Contact:
    address: str = ""
    phone: str = ""
    email: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class CmsSettings:
    """The web editor at /admin/ (site.yml ``cms:``, read by site_builder/core/cms_settings.py).

    ``backend`` empty: only the local editor (``site-builder cms``), no /admin/ in a build.
    """

    enabled: bool = True
    backend: str = ""  # gitlab | github | gitea
    repo: str = ""  # owner/name on the Git server
    branch: str = "main"
    base_url: str = ""  # the self-hosted GitLab/Gitea, or GitHub's OAuth gateway
    app_id: str = ""  # the OAuth application's id (GitLab, Gitea)
    review: bool = True  # 初审/终审: Decap's editorial workflow (branches cms/…, merge requests); not on Gitea


@dataclass(frozen=True)
class WechatStyle:
    """site.yml ``wechat:``: the one 公众号 theme (light palette only), and which articles get a copy."""

    color: str = "#1f5fa8"  # 主色: headings, borders, reference numbers
    font_size: int = 16  # px, 14-18 like the WeChat editor's own choices
    indent: bool = True  # 首行缩进 2em
    justify: bool = True  # 两端对齐
    # The build makes copies of the articles dated within this many days of the newest published
    # article (core/wechat_settings.py: from the content, never the clock); `site-builder wechat` any.
    recent_days: int = 365


@dataclass(frozen=True)
class Settings:
    """Site settings from content/site.yml."""

    name: str
    url: str  # always ends with "/"
    sponsor: str  # 主办单位
    site_code: str  # 网站标识码
    icp: str  # ICP备案号
    police_record: str  # 公安机关备案号
    categories: tuple[Category, ...]
    short_name: str = ""
    description: str = ""
    organizer: str = ""  # 承办单位
    conac_url: str = ""
    accessibility_url: str = ""  # the 无障碍说明 page (site-relative), "" when the site has none
    contact: Contact = field(default_factory=Contact)
    page_size: int = 15
    home_items: int = 6
    wechat: WechatStyle = field(default_factory=WechatStyle)
    feed_items: int = 50  # newest items in each feed
    # Content checks (site_builder/checks): code -> "error" | "warning" | "off", and
    # category kind -> days without a new article before a 栏目 counts as stale.
    check_levels: tuple[tuple[str, str], ...] = ()
    freshness: tuple[tuple[str, int], ...] = (("news", 14), ("notice", 183), ("policy", 183))
    # 文号代字 -> 发文机关 (滨政发 -> 市政府): import-cleanup fills 发文机关 from each 文号 with it.
    issuers: tuple[tuple[str, str], ...] = ()
    cms: CmsSettings = field(default_factory=CmsSettings)

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)

    @property
    def domain(self) -> str:
        return self.url.split("://", 1)[-1].split("/", 1)[0]

    @property
    def police_record_code(self) -> str:
        """The 14 digits that the 公安 record link needs."""
        return "".join(ch for ch in self.police_record if ch.isdigit())


@dataclass(frozen=True)
class Attachment:
    file: str  # posix path relative to content/
    title: str
    size: int  # bytes

    @property
    def extension(self) -> str:
        return self.file.rsplit(".", 1)[-1].upper() if "." in self.file else "文件"

    @property
    def size_label(self) -> str:
        """（PDF，235 KB）: what government sites must state beside a download."""
        if self.size >= 1024 * 1024:
            amount = f"{self.size / (1024 * 1024):.1f} MB"
        else:
            amount = f"{max(1, round(self.size / 1024))} KB"
        return f"（{self.extension}，{amount}）"


PUBLISHED = "published"  # Article.status of one the public sees


@dataclass
class Article:
    """One news article, validated; ``src`` is its path relative to content/."""

    src: str
    title: str
    date: dt.datetime
    category: Category
    source: str
    slug: str
    body: str
    body_line: int = 1
    tags: tuple[str, ...] = ()
    summary: str = ""
    author: str = ""
    cover: str = ""
    attachments: tuple[Attachment, ...] = ()
    index_no: str = ""
    doc_no: str = ""
    written: dt.date | None = None  # 成文日期 (政府信息公开 metadata); the 发布日期 stands in when absent
    genre: str = ""  # 体裁分类 (通知, 决定, 报告 …), a 信息公开目录 filter when any item has one
    keywords: tuple[str, ...] = ()
    draft: bool = False
    updated: dt.datetime | None = None
    # False when staff wrote a date alone (2021-05-08): pages then show no "00:00"
    date_has_time: bool = True
    updated_has_time: bool = True
    allow: dict[str, str] = field(default_factory=dict)  # check code -> why this article may break it
    aliases: tuple[str, ...] = ()  # old addresses redirecting here: site paths, no leading / (redirects.py)
    lines: dict[str, int] = field(default_factory=dict)  # header field -> line, for messages

    @property
    def url(self) -> str:
        return f"articles/{self.slug}/"

    @property
    def modified(self) -> dt.datetime:
        return self.updated or self.date

    def sort_key(self) -> tuple:
        """Newest first; ties broken by slug so order never depends on the file system."""
        return (-self.date.timestamp(), self.slug)

    def status(self, now: dt.datetime) -> str:
        if self.draft:
            return "draft"
        if self.date > now:
            return "scheduled"
        return PUBLISHED


@dataclass
class Site:
    """Everything loaded from content/, with what is published decided by ``now``."""

    settings: Settings
    articles: list[Article]  # every valid article, drafts and scheduled included
    now: dt.datetime
    # what each kind of content loaded, by kind name (core/kinds.py, core/kind_list.py)
    sections: dict[str, object] = field(default_factory=dict)

    @property
    def cleanups(self) -> list:
        """The 规范性文件清理 batches (core/cleanups/model.Batch), oldest first."""
        return self.sections.get("cleanups") or []

    @property
    def xxgk(self):
        """The 政府信息公开 section (core/xxgk/load.Section), when site.yml has one, else None."""
        return self.sections.get("xxgk")

    # published()'s answers: the plan, the checks and the outputs each ask (the preview on every edit)
    _published: dict[bool, list[Article]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def published(self, include_unpublished: bool = False) -> list[Article]:
        """Newest first; a new list on each call (callers may change theirs), sorted once per Site:
        ``articles`` and ``now`` are fixed once loaded."""
        found = self._published.get(include_unpublished)
        if found is None:
            if include_unpublished:
                found = sorted(self.articles, key=Article.sort_key)
            else:  # the same order as sorting them: taken from every article sorted, sorted once
                found = [a for a in self.published(True) if a.status(self.now) == PUBLISHED]
            self._published[include_unpublished] = found
        return list(found)
