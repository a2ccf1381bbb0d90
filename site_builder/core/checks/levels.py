"""Which codes the site may re-level or an article may waive, and applying both.

Only content checks are negotiable: a missing title or an unreadable file is always
an error, but whether an outbound link is worth a warning is the office's call.
"""

from __future__ import annotations

import dataclasses

from site_builder.core import codes
from site_builder.core.problems import ERROR, WARNING, Problem

DOCNO_CODES = frozenset({"E511", "E512", "E513", "E514", "E515"})  # 文号 rules, shared with cleanup data
# Never negotiable: a broken word list, a broken waiver, and everything unsafe (E72x).
FIXED = frozenset({"E708", "E709", "E720", "E721", "E722", "E723", "E724", "E725", "E750", "E751"})
CONFIGURABLE = frozenset(c for c in codes.CATALOGUE if c[1] == "7" and c not in FIXED) | DOCNO_CODES
CONFIGURABLE |= {"W901"}  # 政府信息公开年报 deadline (site_builder/xxgk): a sample or archive site turns it off
OFF = "off"


def apply(found: list[Problem], levels: dict[str, str], allow: dict[str, dict[str, str]]) -> list[Problem]:
    """The site's level for each code; drop what is off or waived for that file.

    ``allow`` maps a problem's path (as shown) to that article's ``allow:`` field.
    """
    result = []
    for item in found:
        if item.code in allow.get(item.path, {}):
            continue
        level = levels.get(item.code)
        if level == OFF:
            continue
        if level in (ERROR, WARNING) and level != item.level:
            item = dataclasses.replace(item, level=level)
        result.append(item)
    return result
