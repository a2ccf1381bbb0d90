"""Placeholders left from a template or last year's copy: XX, ××, 某某, 待定, TODO, （此处…）."""

from __future__ import annotations

import re

from site_builder.core.checks.text import Document
from site_builder.core.model import Article
from site_builder.core.problems import Problem, problem

# Surnames before 某某 make an anonymised party (王某某 in a 复议 case), not a placeholder.
SURNAMES = frozenset(
    # Common surnames, minus those that are also everyday words before a noun (于, 向, 万, 方…).
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶苏魏吕丁沈姚卢姜崔钟谭陆汪范廖贾夏韦邹孟熊秦邱尹薛闫段雷侯陶黎贺顾毛郝龚邵钱严覃戴莫孔汤"
)
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:X{2,}|x{2,}|Ｘ{2,}|TODO)(?![A-Za-z])|×{2,}|某某|待定|[（(]此处[^）)\n]{0,40}[）)]"
)
# What `site-builder new` writes for staff to replace (scaffold.TEMPLATE uses these very strings):
# left as written, the article would publish the tool's instructions.
TEMPLATE_BODY = "在这里写正文。段落之间空一行；小标题用“## 小标题”。"
TEMPLATE_MARK = "在这里写正文"  # enough of the body line to recognise it after a partial edit
TEMPLATE_VALUES = frozenset({"一两句话的摘要", "作者姓名", "附件标题"})  # its commented-out examples
FIELDS = {
    "title": "标题（title）",
    "summary": "摘要（summary）",
    "source": "来源（source）",
    "author": "作者（author）",
    "doc_no": "文号（doc_no）",
    "index_no": "索引号（index_no）",
}


def _hits(text: str) -> list[re.Match[str]]:
    result = []
    for match in PLACEHOLDER.finditer(text):
        if match[0] == "某某" and match.start() > 0 and text[match.start() - 1] in SURNAMES:
            continue
        result.append(match)
    return result


def check_fields(article: Article, rel: str) -> list[Problem]:
    found = []
    for name, where in FIELDS.items():
        value = getattr(article, name)
        if value.strip() in TEMPLATE_VALUES:
            found.append(problem("E701", rel, article.lines.get(name, 1), where=where, value=value.strip()))
        for match in _hits(value):
            found.append(problem("E701", rel, article.lines.get(name, 1), where=where, value=match[0]))
    for name, values in (("tags", article.tags), ("keywords", article.keywords)):
        for match in (m for v in values for m in _hits(v)):
            found.append(problem("E701", rel, article.lines.get(name, 1), where=name, value=match[0]))
    for attachment in article.attachments:
        if attachment.title.strip() in TEMPLATE_VALUES:
            where, value = "附件标题", attachment.title.strip()
            found.append(problem("E701", rel, article.lines.get("attachments", 1), where=where, value=value))
        for match in _hits(attachment.title):
            found.append(problem("E701", rel, article.lines.get("attachments", 1), where="附件标题", value=match[0]))
    return found


def check(doc: Document) -> list[Problem]:
    found = [problem("E701", doc.rel, doc.line(m.start()), where="正文", value=m[0]) for m in _hits(doc.masked)]
    at = doc.masked.find(TEMPLATE_MARK)
    if at >= 0:  # the `site-builder new` template's body, left in
        line_end = doc.masked.find("\n", at)
        value = doc.masked[at : line_end if line_end >= 0 else len(doc.masked)].strip()
        found.append(problem("E701", doc.rel, doc.line(at), where="正文（新建文章模板的说明文字）", value=value))
    if doc.article is not None:
        found += check_fields(doc.article, doc.rel)
    return found
