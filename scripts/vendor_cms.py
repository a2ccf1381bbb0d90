#!/usr/bin/env python3
"""Refresh the web editor's vendored files (site_builder/outputs/cms/vendor/) from the npm registry.

Fetches each package of site_builder/outputs/cms/pins.py at its pinned version with `npm pack`,
refuses it unless its sha512 equals the pinned npm integrity hash, and unpacks only the
files the pin lists. To move to a new version: change the version and integrity in pins.py
(`npm view decap-cms@X dist.integrity`), run this script, build, run the browser tests.

Usage:  python scripts/vendor_cms.py [--check]
  --check: fetch and compare with what is committed; exit 1 if anything differs.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.outputs.cms.pins import PINS, Pin  # noqa: E402

VENDOR = ROOT / "site_builder" / "outputs" / "cms" / "vendor"
# decap-cms is MIT licensed (its package.json) but its npm tarball carries no licence file.
MIT = """decap-cms (https://github.com/decaporg/decap-cms), vendored from the npm registry.
License: MIT (as its package.json declares). Copyright (c) Netlify, Inc. and the Decap CMS contributors.
The licences of the libraries bundled into decap-cms.js are in decap-cms.js.LICENSE.txt.

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
USE OR OTHER DEALINGS IN THE SOFTWARE.
"""
OURS = {"VERSION", "LICENSE"}  # written by this script, not taken from the tarball


def fetch(pin: Pin, into: Path) -> dict[str, bytes]:
    out = subprocess.run(
        ["npm", "pack", "--silent", "--pack-destination", str(into), f"{pin.name}@{pin.version}"],
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = into / out.stdout.strip().splitlines()[-1]
    data = tarball.read_bytes()
    got = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != pin.integrity:
        sys.exit(f"{pin.name}@{pin.version}: integrity {got} is not the pinned {pin.integrity}")
    files = {}
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if member.isfile() and any(fnmatch.fnmatch(name, pattern) for pattern in pin.files):
                files[Path(name).name] = archive.extractfile(member).read()
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    differs = False
    with tempfile.TemporaryDirectory() as tmp:
        for pin in PINS:
            files = fetch(pin, Path(tmp))
            target = VENDOR / pin.name
            if args.check:
                have = {p.name: p.read_bytes() for p in target.iterdir() if p.name not in OURS}
                if have != files:
                    print(f"{pin.name}: vendored files differ from {pin.name}@{pin.version}")
                    differs = True
                continue
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for name, data in sorted(files.items()):
                (target / name).write_bytes(data)
            if "LICENSE" not in files:
                (target / "LICENSE").write_text(MIT, encoding="utf-8")
            (target / "VERSION").write_text(f"{pin.name}@{pin.version} {pin.integrity}\n", encoding="utf-8")
            size = sum(len(d) for d in files.values())
            print(f"{pin.name}@{pin.version}: {len(files)} files, {size / 1e6:.1f} MB -> {target.relative_to(ROOT)}")
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())
