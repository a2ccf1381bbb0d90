"""Write the sample cleanup data under content/cleanups/ (fixed seed: same files every run).

The 2021 concentrated cleanup has 261 documents (继续有效176, 修改23, 废止38,
宣布失效24), the figures the sample news articles state. A few documents are
fixed by hand because articles cite them or later special cleanups revisit them,
so the library shows history. Run: python scripts/make_cleanup_sample.py
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "cleanups"
CITY = "滨江市"
GOV, OFFICE = "市政府", "市政府办公室"
PREFIX = {GOV: "滨江市人民政府", OFFICE: "滨江市人民政府办公室"}
TARGET = {"继续有效": 176, "修改": 23, "废止": 38, "宣布失效": 24}
DECISION_2021 = "《滨江市人民政府关于公布规范性文件集中清理结果的决定》（滨政发〔2021〕18号）"

# (title, 文号, issuer, date, result, reason) fixed by hand; the rest is generated.
TRADEMARK = [
    (
        "滨江市人民政府关于印发滨江市著名商标认定和保护办法的通知",
        "滨政发〔2002〕21号",
        GOV,
        "2002-07-15",
        "废止",
        "主要内容与上位法相抵触",
    ),
    (
        "滨江市人民政府关于实施商标战略加快发展品牌经济的意见",
        "滨政发〔2009〕14号",
        GOV,
        "2009-04-20",
        "废止",
        "主要内容与上位法相抵触",
    ),
    (
        "滨江市人民政府办公室关于对获得驰名商标和著名商标的企业给予奖励的通知",
        "滨政办发〔2011〕27号",
        OFFICE,
        "2011-06-08",
        "废止",
        "主要内容与上位法相抵触",
    ),
]
CITED = [  # documents the sample news articles cite by 文号
    (
        "滨江市人民政府办公室关于印发滨江市2020年法治政府建设暨依法行政工作实施方案的通知",
        "滨政办发〔2020〕3号",
        OFFICE,
        "2020-01-08",
        "宣布失效",
        "适用期已满",
    ),
    (
        "滨江市人民政府办公室关于印发滨江市2020年法治政府建设责任分解表的通知",
        "滨政办发〔2020〕8号",
        OFFICE,
        "2020-02-14",
        "宣布失效",
        "适用期已满",
    ),
    (
        "滨江市人民政府办公室关于印发滨江市开展机关科室、基层站所、公共服务单位“十佳十差”评议活动实施方案的通知",
        "滨政办发〔2020〕12号",
        OFFICE,
        "2020-03-30",
        "继续有效",
        "",
    ),
]
NO_NUMBER = [
    ("滨江市人民政府关于市区街道、广场命名的通知", "无文号", GOV, "1994-11-20", "继续有效", ""),
    (
        "滨江市人民政府关于建市初期市直机关临时办公用房安排的通知",
        "无文号",
        GOV,
        "1994-08-03",
        "宣布失效",
        "调整对象已消失",
    ),
    ("滨江市人民政府关于印发滨江市城市建设管理暂行规定的通知", "无文号", GOV, "1995-03-16", "废止", "已被新规定替代"),
]
# Kept in March 2021, revisited by the property-rights special cleanup in November.
PROPERTY = [
    (
        "滨江市人民政府关于印发滨江市国有土地上房屋征收与补偿实施办法的通知",
        "滨政规〔2018〕2号",
        GOV,
        "2018-05-10",
        "修改",
        "征收补偿程序与《国有土地上房屋征收与补偿条例》规定不一致",
    ),
    (
        "滨江市人民政府关于做好集体土地征收补偿安置工作的实施意见",
        "滨政发〔2015〕9号",
        GOV,
        "2015-03-27",
        "修改",
        "补偿安置程序与修改后的《土地管理法》不一致",
    ),
    (
        "滨江市人民政府办公室关于印发滨江市政府采购合同履约管理暂行办法的通知",
        "滨政办发〔2017〕21号",
        OFFICE,
        "2017-06-19",
        "修改",
        "政府违约责任条款不明确，不利于保护供应商合法权益",
    ),
    (
        "滨江市人民政府办公室关于进一步规范政府投资项目合同管理的通知",
        "滨政办发〔2019〕3号",
        OFFICE,
        "2019-01-22",
        "修改",
        "合同价款支付条款不符合政府守信践诺要求",
    ),
    (
        "滨江市人民政府关于加强外地建筑施工企业进滨备案管理的通知",
        "滨政发〔2013〕26号",
        GOV,
        "2013-09-05",
        "废止",
        "对外地企业设置准入门槛，违反平等保护原则",
    ),
    (
        "滨江市人民政府办公室关于印发滨江市民营建筑企业履约保证金管理办法的通知",
        "滨政办发〔2016〕33号",
        OFFICE,
        "2016-10-12",
        "废止",
        "对民营企业收取保证金，增加企业义务，违反平等保护原则",
    ),
    ("滨江市人民政府关于加强知识产权保护工作的意见", "滨政发〔2017〕11号", GOV, "2017-04-26", "继续有效", ""),
    ("滨江市人民政府关于印发滨江市优化营商环境若干措施的通知", "滨政规〔2019〕4号", GOV, "2019-08-15", "继续有效", ""),
    ("滨江市人民政府关于印发滨江市政务诚信建设实施方案的通知", "滨政发〔2018〕17号", GOV, "2018-07-09", "继续有效", ""),
    (
        "滨江市人民政府办公室关于印发滨江市涉企行政执法检查备案办法的通知",
        "滨政办发〔2019〕24号",
        OFFICE,
        "2019-10-30",
        "继续有效",
        "",
    ),
    (
        "滨江市人民政府关于印发滨江市国有建设用地使用权出让管理办法的通知",
        "滨政规〔2017〕3号",
        GOV,
        "2017-11-02",
        "继续有效",
        "",
    ),
    ("滨江市人民政府关于促进民营经济高质量发展的意见", "滨政发〔2019〕8号", GOV, "2019-03-18", "继续有效", ""),
    (
        "滨江市人民政府办公室关于印发滨江市中小企业融资担保风险补偿资金管理办法的通知",
        "滨政办发〔2018〕29号",
        OFFICE,
        "2018-09-21",
        "继续有效",
        "",
    ),
    (
        "滨江市人民政府关于印发滨江市招商引资项目履约监管办法的通知",
        "滨政规〔2020〕5号",
        GOV,
        "2020-06-23",
        "继续有效",
        "",
    ),
    (
        "滨江市人民政府办公室关于建立清理拖欠民营企业中小企业账款长效机制的通知",
        "滨政办发〔2020〕19号",
        OFFICE,
        "2020-07-14",
        "继续有效",
        "",
    ),
    (
        "滨江市人民政府关于印发滨江市农村集体产权制度改革实施方案的通知",
        "滨政发〔2018〕23号",
        GOV,
        "2018-10-08",
        "继续有效",
        "",
    ),
]
PROPERTY_2021_RESULT = {  # what the March cleanup had decided about the PROPERTY documents
    "滨政规〔2018〕2号": "继续有效",
    "滨政发〔2015〕9号": "继续有效",
    "滨政办发〔2017〕21号": "继续有效",
    "滨政办发〔2019〕3号": "继续有效",
    "滨政发〔2013〕26号": "继续有效",
    "滨政办发〔2016〕33号": "继续有效",
}

MANAGED = [  # durable subjects: 管理办法, 实施细则, 意见
    "城市市容和环境卫生",
    "城市绿化",
    "户外广告设置",
    "城市道路挖掘",
    "建筑垃圾处置",
    "生活垃圾分类",
    "养犬",
    "烟花爆竹燃放",
    "殡葬",
    "地名",
    "住房公积金",
    "公共租赁住房",
    "物业服务",
    "城市供水",
    "城镇燃气",
    "防汛抗旱",
    "地质灾害防治",
    "道路交通安全",
    "消防安全",
    "食品安全",
    "农村土地承包经营权流转",
    "农村宅基地",
    "集体林权",
    "耕地保护",
    "土地储备",
    "河道采砂",
    "水资源",
    "大气污染防治",
    "水污染防治",
    "政府投资项目",
    "公共资源交易",
    "非税收入",
    "行政事业单位国有资产",
    "政府性债务",
    "文物保护",
    "公共体育设施",
    "学前教育",
    "职业教育",
    "城乡居民基本医疗保险",
    "最低生活保障",
    "特困人员供养",
    "临时救助",
    "残疾人就业",
    "居家养老服务",
    "出租房屋",
    "人民调解",
    "法律援助",
    "行政执法监督",
    "重大行政决策",
    "规范性文件制定",
    "政府法律顾问",
    "行政复议",
    "行政应诉",
    "政务公开",
    "政务服务",
    "12345政务服务热线",
    "档案",
    "价格监督检查",
    "标准化",
    "人才引进",
    "高校毕业生就业",
    "创业担保贷款",
    "农民工工资支付",
    "应急管理",
    "人民防空工程",
    "气象灾害防御",
    "森林防火",
    "动物防疫",
    "农产品质量安全",
    "地方粮食储备",
    "生猪屠宰",
    "商品交易市场",
    "成品油市场",
    "电动自行车",
    "出租汽车",
    "城市公共交通",
    "机动车停车",
    "城市照明",
    "地下管线",
    "房屋安全",
    "建筑节能",
    "散装水泥",
    "城市排水",
    "市政设施",
    "公园",
    "饮用水水源保护",
    "湿地保护",
    "古树名木保护",
    "无障碍设施",
    "志愿服务",
    "社区建设",
    "城市管理综合执法",
    "行政审批",
    "企业投资项目",
    "节约用水",
]
TEMPORARY = {  # time-bound tasks (工作方案, 专项整治) with the years they were plausible
    "安全生产大检查": (1996, 2020),
    "城乡环境综合整治": (2000, 2020),
    "违法建设专项治理": (2005, 2020),
    "食品安全专项整治": (2004, 2020),
    "打击非法采砂": (2003, 2020),
    "治理超限超载": (2004, 2012),
    "城区交通秩序整治": (1996, 2020),
    "农村危房改造": (2009, 2020),
    "棚户区改造": (2010, 2020),
    "清理规范行政审批中介服务": (2015, 2019),
    "涉企收费专项清理": (1997, 2019),
    "精准扶贫": (2014, 2020),
    "全国文明城市创建": (2005, 2020),
    "国家卫生城市复审": (2000, 2020),
    "第三次全国农业普查": (2016, 2017),
    "第四次全国经济普查": (2018, 2019),
    "第二次全国污染源普查": (2017, 2019),
    "第三次全国土地调查": (2018, 2020),
    "农村人居环境整治三年行动": (2018, 2020),
    "清理整顿各类开发区": (2003, 2006),
    "“五五”普法": (2006, 2006),
    "“六五”普法": (2011, 2011),
    "非典型肺炎防治": (2003, 2003),
    "第六次全国人口普查": (2009, 2010),
}
REVISE_REASONS = ["部分内容与上位法不一致或相抵触", "国家政策重大调整", "不适应经济社会发展要求", "可操作性不强"]
REPEAL_REASONS = [
    "主要内容与上位法相抵触",
    "已被新规定替代",
    "相关行政审批事项已取消",
    "不符合《优化营商环境条例》规定",
]
EXPIRE_REASONS = ["适用期已满", "调整对象已消失", "工作任务已完成"]


def _title(rng: random.Random, result: str, issuer: str, year: int, used: set[str]) -> str:
    """A title of the kind each outcome typically has, never repeated."""
    prefix = PREFIX[issuer]
    while True:
        if result == "宣布失效":
            task = rng.choice(
                [t for t, (low, high) in TEMPORARY.items() if low <= year <= high] or ["城乡环境综合整治"]
            )
            form = rng.choice(
                [
                    f"{prefix}关于印发{CITY}{year}年{task}工作方案的通知",
                    f"{prefix}关于开展{task}工作的通知",
                    f"{prefix}关于做好{year}年{task}工作的通知",
                ]
            )
        else:
            subject = rng.choice(MANAGED)
            kind = "暂行办法" if result == "废止" and rng.random() < 0.6 else rng.choice(["办法", "实施细则", "规定"])
            form = rng.choice(
                [
                    f"{prefix}关于印发{CITY}{subject}管理{kind}的通知",
                    f"{prefix}关于加强{subject}管理工作的意见",
                    f"{prefix}关于进一步做好{subject}工作的通知",
                    f"{prefix}关于{subject}管理的若干规定",
                ]
            )
        if form not in used:
            used.add(form)
            return form


def _code(rng: random.Random, issuer: str, year: int) -> str:
    if issuer == OFFICE:
        return "滨政办发"
    return "滨政规" if year >= 2016 and rng.random() < 0.5 else "滨政发"


def concentrated(rng: random.Random) -> list[dict]:
    fixed = (
        TRADEMARK
        + CITED
        + NO_NUMBER
        + [(t, n, i, d, PROPERTY_2021_RESULT.get(n, "继续有效"), "") for t, n, i, d, _r, _why in PROPERTY]
    )
    need = dict(TARGET)
    for item in fixed:
        need[item[4]] -= 1
    used = {item[0] for item in fixed}
    taken = {item[1] for item in fixed}
    years = {"继续有效": (2003, 2020), "修改": (2005, 2019), "废止": (1995, 2015), "宣布失效": (1996, 2020)}
    drafts = []
    for result, count in need.items():
        for _ in range(count):
            low, high = years[result]
            year = rng.randint(low, high)
            issuer = rng.choice([GOV, GOV, OFFICE])
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
            drafts.append([_title(rng, result, issuer, year, used), None, issuer, day.isoformat(), result, ""])
    # 文号: per 代字 and year, numbers grow with the date, skipping the fixed ones.
    groups: dict[tuple[str, int], list[list]] = {}
    for draft in drafts:
        year = int(draft[3][:4])
        groups.setdefault((_code(rng, draft[2], year), year), []).append(draft)
    for (code, year), group in sorted(groups.items()):
        number = 0
        for draft in sorted(group, key=lambda d: d[3]):
            number += rng.randint(1, 6)
            while f"{code}〔{year}〕{number}号" in taken:
                number += 1
            draft[1] = f"{code}〔{year}〕{number}号"
            taken.add(draft[1])
    records = [list(item) for item in fixed] + drafts
    for record in records:
        if not record[5]:
            record[5] = {
                "修改": rng.choice(REVISE_REASONS),
                "废止": rng.choice(REPEAL_REASONS),
                "宣布失效": rng.choice(EXPIRE_REASONS),
            }.get(record[4], "")
    records.sort(key=lambda r: (r[3], r[1]))
    return [_record(i, r, "2021-06-30" if r[4] == "修改" else None) for i, r in enumerate(records, start=1)]


def _record(no: int, item, deadline: str | None) -> dict:
    title, number, issuer, date, result, reason = item
    record = {"no": no, "title": title, "doc_no": number, "issuer": issuer, "date": date, "result": result}
    if reason:
        record["reason"] = reason
    if deadline:
        record["deadline"] = deadline
    return record


def trademark() -> list[dict]:
    items = [(t, n, i, d, "已废止", f"已由{DECISION_2021}废止") for t, n, i, d, _r, _why in TRADEMARK]
    items.append(
        (
            "滨江市市场监督管理局关于印发滨江市商标品牌奖励扶持办法的通知",
            "滨市监发〔2019〕11号",
            "市市场监督管理局",
            "2019-09-16",
            "废止",
            "涉及著名商标评比奖励的条款不符合商标法立法精神；品牌培育措施由市市场监督管理局另行制定",
        )
    )
    return [_record(i, item, None) for i, item in enumerate(sorted(items, key=lambda r: r[3]), start=1)]


def property_rights() -> list[dict]:
    items = PROPERTY + [  # PROPERTY: 4 修改, 2 废止 and 10 继续有效 of the March cleanup's documents
        ("滨江市综合行政执法实施办法", "滨政规〔2021〕6号", GOV, "2021-04-12", "继续有效", ""),
        (
            "滨江市市场监督管理局关于印发滨江市知识产权质押融资风险补偿办法的通知",
            "滨市监规〔2020〕1号",
            "市市场监督管理局",
            "2020-05-08",
            "继续有效",
            "",
        ),
        (
            "滨江市财政局关于印发滨江市中小企业应急转贷资金管理暂行办法的通知",
            "滨财发〔2017〕8号",
            "市财政局",
            "2017-03-02",
            "宣布失效",
            "应急转贷资金已停止运行，调整对象已消失",
        ),
    ]
    records = sorted(items, key=lambda r: r[3])
    return [_record(i, r, "2021-12-31" if r[4] == "修改" else None) for i, r in enumerate(records, start=1)]


def _scalar(value) -> str:
    text = str(value)
    if (
        isinstance(value, int)
        or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)
        or (yaml.safe_load(f"k: {text}") == {"k": text} and ": " not in text and " #" not in text)
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def write(name: str, comment: str, header: dict, records: list[dict]) -> None:
    lines = [f"# {line}" for line in comment.strip().split("\n")]
    for key, value in header.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {_scalar(v)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {_scalar(value)}")
    lines.append("records:")
    for record in records:
        first = True
        for key, value in record.items():
            lines.append(f"  {'- ' if first else '  '}{key}: {_scalar(value)}")
            first = False
    (OUT / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    rng = random.Random(20210308)
    OUT.mkdir(parents=True, exist_ok=True)
    write(
        "2021-集中清理.yml",
        "2021年规范性文件集中清理结果。由 scripts/make_cleanup_sample.py 生成的示例数据（虚构）。\n"
        "字段说明见 docs/authoring-guide.md“规范性文件清理结果”一节；修改后运行 site-builder check 检查。",
        {
            "title": "2021年规范性文件集中清理",
            "slug": "2021-jizhong-qingli",
            "kind": "集中清理",
            "decision": {
                "title": "滨江市人民政府关于公布规范性文件集中清理结果的决定",
                "doc_no": "滨政发〔2021〕18号",
                "publisher": "滨江市人民政府",
                "date": "2021-03-08",
                "article": "guifanxing-wenjian-qingli-jueding",
            },
            "scope": "建市以来至2020年12月31日由市人民政府及市人民政府办公室制发的规范性文件",
            "basis": "《湖北省行政规范性文件管理办法》、国务院办公厅关于加强行政规范性文件制定和监督管理工作的要求",
            "total": 261,
        },
        concentrated(rng),
    )
    write(
        "2021-著名商标专项清理.yml",
        "涉及著名商标制度的规范性文件专项清理结果（示例数据，虚构）。",
        {
            "title": "2021年涉及著名商标制度的规范性文件专项清理",
            "slug": "2021-zhuming-shangbiao",
            "kind": "专项清理",
            "decision": {
                "title": "滨江市人民政府办公室关于公布涉及著名商标制度的规范性文件专项清理结果的通知",
                "doc_no": "滨政办发〔2021〕25号",
                "publisher": "滨江市人民政府办公室",
                "date": "2021-07-06",
                "article": "zhuming-shangbiao-qingli-jieguo",
            },
            "scope": "市人民政府、市人民政府办公室及市政府各部门制发的规范性文件和其他政策性文件中，涉及著名商标（知名商标）评比认定、奖励扶持、宣传使用等内容的文件",
            "basis": "《关于开展涉及著名商标制度的规范性文件专项清理工作的通知》（滨政办发〔2021〕15号）",
            "rule": "涉及设置著名商标制度的一律予以废止，涉及“著名商标”表述的一律予以修改",
            "total": 4,
        },
        trademark(),
    )
    write(
        "2021-产权保护专项清理.yml",
        "涉及产权保护的规范性文件专项清理结果（示例数据，虚构）。",
        {
            "title": "2021年涉及产权保护的规范性文件专项清理",
            "slug": "2021-chanquan-baohu",
            "kind": "专项清理",
            "decision": {
                "title": "滨江市人民政府关于公布涉及产权保护的规范性文件专项清理结果的通知",
                "doc_no": "滨政发〔2021〕31号",
                "publisher": "滨江市人民政府",
                "date": "2021-11-02",
                "article": "chanquan-baohu-qingli-wancheng",
            },
            "scope": "市人民政府、市人民政府办公室及市政府各部门制发的现行有效的规范性文件中，涉及市场主体产权保护内容的文件",
            "basis": "《关于开展涉及产权保护的规范性文件专项清理工作的通知》（滨政办发〔2021〕22号）",
            "total": 19,
        },
        property_rights(),
    )


if __name__ == "__main__":
    main()
