"""The authoring guide is the promise behind every code staff see."""

from __future__ import annotations

import re

from site_builder.core.codes import CATALOGUE
from site_builder.core.news.articles import FIELDS
from tests.conftest import ROOT

GUIDE = (ROOT / "docs/authoring-guide.md").read_text(encoding="utf-8")


def test_every_code_is_documented_in_the_guide():
    documented = set(re.findall(r"^\| (E\d{3}|W\d{3}) \|", GUIDE, flags=re.M))
    assert documented == set(CATALOGUE)


def test_every_article_field_is_documented_in_the_guide():
    documented = set(re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| (?:是|否) \|", GUIDE, flags=re.M))
    assert set(FIELDS) <= documented
