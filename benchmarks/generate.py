"""Deterministic, realistic Chinese content for benchmarks and scale tests.

    python -m benchmarks.generate OUT --articles 2000 [--records 5000]

Writes OUT/content/ (site.yml, news/<year>/*.md, images, attachments and, when
records are asked for, cleanup batches) plus OUT/mkdocs.yml for site_builder.
The same arguments always give the same bytes: one seeded random generator.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CATEGORIES = ["法治信息", "工作动态", "通知公告", "政策文件", "行政复议"]
TAGS = [
    "法治政府建设",
    "依法行政",
    "综合执法",
    "行政复议",
    "行政应诉",
    "规范性文件",
    "两法衔接",
    "法律顾问",
    "普法宣传",
    "营商环境",
    "执法监督",
    "十佳十差",
    "产权保护",
    "合法性审查",
]
SUBJECTS = [
    "行政执法责任制",
    "重大行政决策程序",
    "行政复议体制改革",
    "规范性文件备案审查",
    "公职律师制度",
    "涉企行政执法检查",
    "行政执法公示制度",
    "执法全过程记录",
    "重大执法决定法制审核",
    "行政应诉工作",
    "证明事项告知承诺制",
    "法治政府建设示范创建",
    "基层综合执法",
    "行政裁量权基准",
    "政府法律顾问",
]
VERBS = ["深入推进", "全面落实", "持续完善", "扎实开展", "加快推进", "切实加强", "认真组织", "稳步推进"]
PLACES = ["市司法局", "市综合执法局", "市市场监管局", "各镇人民政府", "各街道办事处", "市直各部门", "市人大常委会"]
PHRASES = [
    "坚持以人民为中心的发展思想",
    "把法治政府建设摆在更加突出的位置",
    "着力解决群众反映强烈的突出问题",
    "进一步规范行政执法行为",
    "不断提升依法行政能力和水平",
    "为优化营商环境提供有力法治保障",
    "切实保障人民群众合法权益",
    "推动各项工作制度化、规范化、程序化",
    "强化对行政权力的制约和监督",
    "依法化解行政争议",
    "加强行政复议规范化建设",
    "提高行政复议案件办理质量",
    "推动“两法衔接”工作提质增效",
]
ISSUERS = ["滨政发", "滨政办发", "滨政规", "滨政函"]
# Departments, figures and cited 文号 for one more paragraph per article, from a random stream of
# its own (``notice``), so the text above stays what it was.
DEPARTMENTS = [
    "市税务局",
    "市教育局",
    "市公安局",
    "市财政局",
    "市民政局",
    "市审计局",
    "市统计局",
    "市生态环境局",
    "市交通运输局",
    "市水利局",
    "市农业农村局",
    "市商务局",
    "市文化广电旅游局",
    "市应急管理局",
    "市医疗保障局",
    "市住房和城乡建设局",
    "市自然资源和规划局",
    "市人力资源和社会保障局",
    "市卫生健康委员会",
    "市信访局",
]
MATTERS = ["政务服务事项", "行政许可事项", "执法检查", "信访事项", "合同审查", "复议案件", "应诉案件", "普法讲座"]
FIGURES = ["12345热线", "PM2.5", "5G基站", "ISO9001", "GB/T 19001", "App", "110接处警", "A级景区", "3A级", "H5页面"]


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(PLACES)}{rng.choice(VERBS)}{rng.choice(SUBJECTS)}工作，"
        f"{rng.choice(PHRASES)}，{rng.choice(PHRASES)}。"
    )


def paragraph(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def notice(rng: random.Random, years: list[int]) -> str:
    """Departments, counts with units, Latin and digits, a cited 文号."""
    cited = f"{rng.choice(ISSUERS)}〔{rng.choice(years)}〕{rng.randint(1, 300)}号"  # checked: 〔〕 only
    first, second = rng.sample(DEPARTMENTS, 2)
    return (
        f"{first}会同{second}办理{rng.choice(MATTERS)}{rng.randint(2, 999)}件，"
        f"涉及{rng.choice(FIGURES)}等{rng.randint(2, 60)}项内容，"
        f"依据{cited}的规定于{rng.choice(years)}年{rng.randint(1, 12)}月完成。"
    )


def article(rng: random.Random, index: int, years: list[int], assets: list[str]) -> tuple[str, str]:
    year = years[index % len(years)]
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    subject = rng.choice(SUBJECTS)
    category = CATEGORIES[index % len(CATEGORIES)]
    title = f"{rng.choice(['我市', '市政府', '市法制办'])}{rng.choice(VERBS)}{subject}（{index}）"
    slug = f"a{year}-{index:05d}"
    tags = rng.sample(TAGS, rng.randint(1, 3))
    lines = [
        "---",
        f"title: {title}",
        f"date: {year}-{month:02d}-{day:02d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}",
        f"category: {category}",
        "source: 滨江市人民政府法制办公室",
        f"slug: {slug}",
        f"tags: [{', '.join(tags)}]",
        f"summary: {sentence(rng)}",
    ]
    if category in ("通知公告", "政策文件"):
        lines.append(f"doc_no: {rng.choice(ISSUERS)}〔{year}〕{index % 300 + 1}号")
        lines.append(f"index_no: 011283765/{year}-{index:05d}")
    if index % 7 == 0:
        lines += ["attachments:", f"  - file: {assets[1]}", f"    title: {subject}实施方案"]
    if index % 5 == 0:
        lines.append(f"cover: {assets[0]}")
    lines.append("---")
    body = [
        f"{rng.choice(PLACES)}近日{rng.choice(VERBS)}{subject}工作。{paragraph(rng)}",
        "",
        f"## 一、{rng.choice(VERBS)}{rng.choice(SUBJECTS)}",
        "",
        paragraph(rng),
        "",
        f"## 二、{rng.choice(VERBS)}{rng.choice(SUBJECTS)}",
        "",
    ]
    body += [f"- {sentence(rng)}" for _ in range(3)]
    body += ["", paragraph(rng), ""]
    body += [notice(random.Random(f"notice-{index}"), years), ""]
    if index % 4 == 0:
        body += [f"![{subject}工作现场](../../{assets[0]})", ""]
    return f"news/{year}/{slug}.md", "\n".join([*lines, "", *body])


RESULTS = [
    ("继续有效", ""),
    ("修改", "部分内容与上位法不一致"),
    ("废止", "主要内容与上位法相抵触"),
    ("宣布失效", "适用期已满"),
]


def cleanup_batches(content: Path, records: int, rng: random.Random) -> None:
    """``records`` cleanup records over batches of at most 1,000, one batch a year."""
    folder = content / "cleanups"
    folder.mkdir()
    batches = max(1, -(-records // 1000))
    for batch in range(batches):
        year = 2021 - batch
        count = records // batches + (1 if batch < records % batches else 0)
        lines = [
            f"title: {year}年规范性文件清理（第{batch + 1}批）",
            f"slug: {year}-qingli-{batch + 1}",
            "kind: 集中清理",
            "decision:",
            f"  title: 滨江市人民政府关于公布{year}年规范性文件清理结果的决定",
            f"  doc_no: 滨政发〔{year}〕{900 + batch}号",
            "  publisher: 滨江市人民政府",
            f"  date: {year}-12-20",
            "scope: 市人民政府及市人民政府办公室制发的规范性文件",
            "basis: 《滨江市规范性文件管理办法》",
            f"total: {count}",
            "records:",
        ]
        for index in range(count):
            doc_year = rng.randint(1995, year - 1)
            result, reason = RESULTS[index % len(RESULTS)]
            lines += [
                f"  - no: {index + 1}",
                f"    title: 滨江市人民政府关于{rng.choice(VERBS)}{rng.choice(SUBJECTS)}的通知（{index + 1}）",
                f"    doc_no: {ISSUERS[index % len(ISSUERS)]}〔{doc_year}〕{index + 1}号",
                f"    issuer: {'市政府' if index % 3 else '市政府办公室'}",
                f"    date: {doc_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"    result: {result}",
            ]
            if reason:
                lines.append(f"    reason: {reason}")
        (folder / f"{year}-qingli-{batch + 1}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(out: Path, articles: int, seed: int = 20211231, records: int = 0) -> Path:
    """Write a project under ``out``; returns its content directory."""
    rng = random.Random(seed)
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "news").mkdir(parents=True)
    settings = (ROOT / "content/site.yml").read_text(encoding="utf-8")
    # no 政府信息公开 section: its pages and yearly report belong to the sample office, not to this corpus
    settings = settings.split("\nxxgk:", 1)[0] + "\n"
    (content / "site.yml").write_text(settings, encoding="utf-8")
    cover = next(iter(sorted((ROOT / "content/images/covers").glob("*.png"))))
    pdf = next(iter(sorted((ROOT / "content/files").rglob("*.pdf"))))
    assets = [f"images/{cover.name}", f"files/{pdf.name}"]
    (content / "images").mkdir()
    (content / "files").mkdir()
    shutil.copy(cover, content / assets[0])
    shutil.copy(pdf, content / assets[1])
    years = list(range(2012, 2026))
    for index in range(articles):
        rel, text = article(rng, index, years, assets)
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if records:
        cleanup_batches(content, records, rng)
    config = (ROOT / "site_builder/mkdocs.yml").read_text(encoding="utf-8")  # the theme comes with the plugin
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--records", type=int, default=0, help="cleanup records, in batches of at most 1,000")
    parser.add_argument("--seed", type=int, default=20211231)
    args = parser.parse_args()
    generate(args.out, args.articles, args.seed, args.records)
    print(f"generated {args.articles} articles in {args.out}")


if __name__ == "__main__":
    main()
