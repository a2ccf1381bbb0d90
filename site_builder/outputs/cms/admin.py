"""Write the web editor into the built site's admin/ folder.

Everything the page loads is in that folder or is the site's own stylesheet: the vendored
Decap CMS bundle, js-yaml, our format and preview (static/site-cms.js) and config.yml, which is
generated from the field tables on each build (config.py). The page loads nothing from other
hosts; only the Git server named in site.yml is contacted, when a staff member logs in.
"""

from __future__ import annotations

import html
import json
import os
import shutil
from pathlib import Path

from site_builder.core.news.articles import FIELDS
from site_builder.outputs.built import Built
from site_builder.outputs.cms import config as cms_config

DIR = "admin"
HERE = Path(__file__).parent
VENDOR = HERE / "vendor"
STATIC = HERE / "static"
# site-builder cms sets this for the preview it starts: the local proxy's API address.
PROXY_ENV = "SITE_BUILDER_CMS_PROXY"


def wanted(settings, serving: bool) -> bool:
    """A build has /admin/ when site.yml names a Git server; so does the preview of ``site-builder cms``
    (which sets PROXY_ENV), unless site.yml says ``cms: off``."""
    cms = settings.cms
    return cms.enabled and (bool(cms.backend) or (serving and bool(os.environ.get(PROXY_ENV))))


def write(built: Built) -> list[str]:
    """The outputs list's entry point (outputs/all.py): admin/ when the site wants the editor."""
    if not wanted(built.site.settings, built.serving) or built.content_dir is None:
        return []
    return write_admin(built.site_dir, built.site, built.content_dir, built.serving)


def write_admin(site_dir: Path, site, content: Path, serving: bool) -> list[str]:
    """Write admin/; return the files written, relative to site_dir (the build's outputs)."""
    target = site_dir / DIR
    target.mkdir(parents=True, exist_ok=True)
    written: list[str] = []

    def put(name: str, data: bytes) -> None:
        path = target / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(f"{DIR}/{name}")

    proxy = os.environ.get(PROXY_ENV, "") if serving else ""
    inputs = cms_config.inputs_of(site, content, content.name)
    put("config.yml", cms_config.dump(cms_config.build_config(inputs, local_proxy=proxy)).encode())
    put("site-cms.js", script(_styles(site_dir)).encode())
    put("index.html", _page(site.settings.name).encode())
    for folder in sorted(VENDOR.iterdir()):
        for path in sorted(folder.iterdir()):
            if path.name == "VERSION":
                continue
            name = path.name if path.name != "LICENSE" else f"{folder.name}.LICENSE.txt"
            dest = target / name
            if not dest.is_file() or dest.stat().st_size != path.stat().st_size:
                shutil.copyfile(path, dest)
            written.append(f"{DIR}/{name}")
    return written


def script(styles: list[str]) -> str:
    """Our additions to the editor, told the field table's order and the site's stylesheets."""
    data = {"order": list(FIELDS), "styles": styles}
    text = (STATIC / "site-cms.js").read_text(encoding="utf-8")
    return text.replace("/*SITE_CMS_DATA*/ { order: [], styles: [] }", json.dumps(data, ensure_ascii=False))


def _styles(site_dir: Path) -> list[str]:
    """The site's stylesheets as pages link them, relative to admin/ (Material's carry a hash)."""
    found = sorted(p.name for p in (site_dir / "assets/stylesheets").glob("main.*.min.css"))
    styles = [f"../assets/stylesheets/{name}" for name in found]
    return styles + [f"../assets/sb/{name}" for name in ("site.css", "cleanups.css", "xxgk.css")]


def _page(site_name: str) -> str:
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>网页编辑 - {html.escape(site_name)}</title>
<link rel="icon" href="../assets/sb/favicon.svg" type="image/svg+xml">
<link rel="cms-config-url" type="text/yaml" href="config.yml">
</head>
<body>
<noscript>网页编辑需要启用浏览器的 JavaScript。</noscript>
<script src="js-yaml.min.js"></script>
<script src="site-cms.js"></script>
<script src="decap-cms.js"></script>
</body>
</html>
"""
