"""Every output, in the order the build writes them.

Adding an output is a module with ``write(built: Built) -> list[str]`` (outputs/built.py)
and one line here: what it returns is recorded, so the next build removes its files once it
stops writing them, and build.json lists them with every other file of site/.

The search index is not in this list: it is fed page by page while MkDocs renders (the
adapter streams it), and build.json is written after all of these.
"""

from __future__ import annotations

from site_builder.outputs import sitemap
from site_builder.outputs.cms import admin as cms_admin
from site_builder.outputs.feeds import write as feeds
from site_builder.outputs.wechat import copy as wechat

OUTPUTS = (
    wechat,  # wechat/<slug>.html and .json: the 公众号 copies and what the staff page shows
    feeds,  # feeds/: RSS, Atom and JSON Feed, all news, each 栏目, cleanup batches
    sitemap,  # robots.txt and sitemap.xml.gz
    cms_admin,  # admin/: the web editor, when site.yml names a Git server or site-builder cms previews
)
