"""The web editor's pinned npm packages: one place for versions and integrity hashes.

The editor (Decap CMS) and the YAML reader our front-matter format uses (js-yaml) are
committed under ``site_builder/outputs/cms/vendor/`` as package data, so a pip-installed tool builds
``/admin/`` offline, on an intranet, with nothing fetched at build time and nothing loaded
from other hosts by the browser. ``scripts/vendor_cms.py`` refreshes them from the npm
registry at exactly these versions and refuses a tarball whose hash is not the one below.

The local proxy (decap-server) is a Node.js program, not a browser file: ``site-builder cms``
installs it on first use with ``npm ci`` from ``site_builder/outputs/cms/server/package-lock.json``,
which pins it and every dependency with their integrity hashes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    integrity: str  # npm's dist.integrity of the tarball (sha512, base64)
    files: tuple[str, ...]  # what is kept from the tarball (globs under package/)


DECAP = Pin(
    name="decap-cms",
    version="3.16.3",
    integrity="sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
    # The bundle, the chunks it loads on demand, its WebAssembly (image compression) and the
    # licences of what it bundles; not the source maps or the duplicate cms.js build.
    files=("dist/decap-cms.js", "dist/*.decap-cms.js", "dist/*.wasm", "dist/decap-cms.js.LICENSE.txt"),
)
JS_YAML = Pin(
    name="js-yaml",
    version="4.1.0",
    integrity="sha512-wpxZs9NoxZaJESJGIZTyDEaYpl0FKSA+FB9aJiyemKhMwkxQg63h4T1KJgUGHpTqPDNRcmmYLugrRjJlBtWvRA==",
    files=("dist/js-yaml.min.js", "LICENSE"),
)
PINS = (DECAP, JS_YAML)

DECAP_SERVER_VERSION = "3.11.3"  # must match site_builder/outputs/cms/server/package.json
