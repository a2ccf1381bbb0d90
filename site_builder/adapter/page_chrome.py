"""The page chrome (header, tabs, menu, footer) rendered once, not once per page.

Adapter code (it knows Jinja and MkDocs' pages), used by the plugin. Material renders
its navigation partials for every page: ~1.5 ms each, which made them the largest
single cost of a build. Their output depends only on
- the page's folder, because links are made relative to the page (MkDocs' ``url``
  filter); two pages in one folder get the same relative link to any target that is
  neither of them nor inside either of them;
- which navigation entries are active (only pages in the navigation activate any).

So a part is rendered once per (folder, active entries), and every link target it
asked the ``url`` filter for is remembered: the cached text is reused for a page only
when none of those targets is the page itself or inside it. Everything else renders
as before, and tests compare the output byte for byte with uncached rendering.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


class PageChrome:
    """A Jinja call block: ``{% call sb_once("nav") %}{% include … %}{% endcall %}``."""

    def __init__(self, url_filter: Callable) -> None:
        self._url_filter = url_filter
        self._cache: dict[tuple, tuple[Markup, frozenset[str]]] = {}
        self._recording: list[set[str]] | None = None
        self._active_of: tuple | None = None  # (page, nav, its active entries) for the page being rendered
        # Set SITE_BUILDER_UNCACHED_CHROME=1 to render every page in full (tests compare the two).
        self.enabled = os.environ.get("SITE_BUILDER_UNCACHED_CHROME") != "1"

    def url(self, context: Context, value: str) -> str:
        """MkDocs' ``url`` filter, noting targets while a cached part is first rendered."""
        if self._recording is not None:
            self._recording[-1].add(str(value))
        return self._url_filter(context, value)

    def once(self, context: Context, name: str, caller: Callable[[], str]) -> Markup:
        page = context.get("page")
        if not self.enabled or page is None or page.url is None:
            return Markup(caller())
        folder = (page.url.endswith("/"), posixpath.dirname(page.url.rstrip("/")))
        key = (name, folder, self._active(page, context.get("nav")))
        cached = self._cache.get(key)
        if cached is not None and not _inside(page.url, cached[1]):
            return cached[0]
        targets: set[str] = set()
        self._recording = [*(self._recording or []), targets]
        try:
            html = Markup(caller())
        finally:
            self._recording.pop()
            if not self._recording:
                self._recording = None
        normalised = frozenset(map(_norm, targets))
        if cached is None and not _inside(page.url, normalised):
            self._cache[key] = (html, normalised)
        return html

    def _active(self, page, nav) -> tuple[int, ...]:
        """The active entries, once per page: they stay as they are while one page is rendered."""
        if self._active_of is None or self._active_of[0] is not page or self._active_of[1] is not nav:
            self._active_of = (page, nav, _active(nav))
        return self._active_of[2]

    def install(self, env) -> None:
        env.filters["url"] = pass_context(lambda context, value: self.url(context, value))
        env.globals["sb_once"] = pass_context(lambda context, name, caller: self.once(context, name, caller))


def _inside(page_url: str, targets: frozenset[str]) -> bool:
    """Whether a target (normalised, ``_norm``) is the page or below it: only then do two pages' links differ."""
    return any(t.startswith(page_url) for t in targets)


def _norm(target: str) -> str:
    return target.split("#", 1)[0].split("?", 1)[0].lstrip("/")


def _active(nav) -> tuple[int, ...]:
    """Positions of the active navigation entries (pages in the nav activate their sections)."""
    found: list[int] = []
    if nav is None:
        return ()
    stack = list(enumerate(nav.items))
    counter = 0
    while stack:
        _, item = stack.pop()
        counter += 1
        if getattr(item, "active", False):
            found.append(counter)
        stack.extend(enumerate(getattr(item, "children", None) or []))
    return tuple(found)
