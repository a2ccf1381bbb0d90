"""The catalogue of problem codes: the one place that words each message and hint.

Codes are stable: tools, CI annotations and the authoring guide refer to them.
E1xx reading files, E2xx front matter syntax, E3xx article fields, E4xx site
settings. A test checks that every code here is documented in the guide.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    message: str
    hint: str
    level: str = "error"


CATALOGUE: dict[str, Entry] = {
    # --- E1xx: reading files -------------------------------------------------
    "E101": Entry(
        "文件不是 UTF-8 编码，看起来是 {encoding}（Windows 记事本的“ANSI”）编码。",
        "用记事本打开该文件，点“文件→另存为”，在“编码”中选择“UTF-8”后保存；"
        "或在 VS Code 右下角点击编码名称，选择“通过编码保存”→“UTF-8”。",
    ),
    "E102": Entry(
        "文件无法按文本读取：第 {lineno} 行有无法识别的字节。",
        "确认这是 Markdown 文本文件而不是 Word 文档；用记事本打开后另存为 UTF-8 编码。",
    ),
    "E103": Entry(
        "文件是 UTF-16 编码（Windows 记事本的“Unicode”），不是 UTF-8 编码。",
        "用记事本打开该文件，点“文件→另存为”，在“编码”中选择“UTF-8”后保存；"
        "或在 VS Code 右下角点击编码名称，选择“通过编码保存”→“UTF-8”。",
    ),
    "E104": Entry(
        "文件无法打开：{reason}。",
        "确认文件存在、不是失效的快捷方式或链接，并且没有被其他程序独占；必要时重新复制一份。",
    ),
    # --- E2xx: front matter syntax -------------------------------------------
    "E201": Entry(
        "文件开头缺少文件头（用两行 --- 包住的 标题、日期 等信息）。",
        "在文件第一行写 ---，接着写 title: 标题、date: 日期、category: 栏目、source: 来源，"
        "再写一行 --- 结束；可用 `site-builder new` 生成模板。",
    ),
    "E202": Entry(
        "文件头没有结束：找不到第二行 ---。",
        "在文件头最后一个字段的下一行单独写 ---，再写正文。",
    ),
    "E203": Entry(
        "文件头格式错误：{detail}。",
        "检查这一行及上一行：每行写成“字段名: 值”，冒号为半角并且后面有一个空格；"
        "值中含有冒号、# 或以符号开头时，用英文引号把值括起来。",
    ),
    "E204": Entry(
        "文件头使用了全角冒号“：”：{text}",
        "把字段名后的全角冒号“：”改成半角冒号加一个空格，例如“{key}: ”。",
    ),
    "E205": Entry(
        "文件头含有全角空格（　）：{text}",
        "把全角空格删掉或换成普通的半角空格（缩进一律用两个半角空格）。",
    ),
    "E206": Entry(
        "文件头用了 Tab 键缩进。",
        "把行首的 Tab 换成两个半角空格（YAML 不允许用 Tab 缩进）。",
    ),
    "E207": Entry(
        "文件头不是“字段名: 值”的形式。",
        "文件头每行写成“字段名: 值”，例如 title: 关于……的通知。",
    ),
    "E208": Entry(
        "字段 {field} 写了两次（第一次在第 {first} 行）。",
        "删除多余的那一行，只保留正确的一个；两行的值不会合并，必须由您决定保留哪一个。",
    ),
    # --- E3xx: article fields --------------------------------------------------
    "E301": Entry(
        "缺少必填字段 {field}（{label}）。",
        "在文件头中加上一行“{field}: {example}”。",
    ),
    "E302": Entry(
        "未知字段 {field}。{suggestion}",
        "字段名要与《编写指南》中的一致；不需要的字段请删除。",
    ),
    "E303": Entry(
        "{label}（{field}）无法识别为日期：{value}",
        "写成 2021-05-08、2021-05-08 15:30、2021/5/8 或 2021年5月8日 这样的形式。",
    ),
    "E304": Entry(
        "栏目“{value}”不存在。{suggestion}",
        "栏目须是 content/site.yml 中 categories 列出的名称之一：{choices}。",
    ),
    "E305": Entry(
        "字段 {field}（{label}）的值应为{expected}，现在是：{value}",
        "{example}",
    ),
    "E306": Entry(
        "网址别名 slug “{value}”与 {other} 重复。",
        "每篇文章的 slug 必须不同；请给其中一篇改一个新的 slug（已发布的文章不要改）。",
    ),
    "E307": Entry(
        "索引号 index_no “{value}”与 {other} 重复。",
        "索引号全站唯一，请核对后改为正确的索引号。",
    ),
    "E308": Entry(
        "{label}（{field}）引用的文件不存在：{value}",
        "确认文件已放入 content/ 下（例如 content/{value_hint}），路径相对于 content/ 目录、大小写一致。",
    ),
    "E309": Entry(
        "网址别名 slug “{value}”格式不对。",
        "slug 只能用小写英文字母、数字和连字符“-”，以字母或数字开头，例如 fazhi-tuijinhui-2021。",
    ),
    "E310": Entry(
        "正文中的图片不存在：{value}",
        "图片路径相对于本文件所在目录，例如 ../../images/photos/a.png；确认图片已放入 content/ 下。",
    ),
    "E311": Entry(
        "字段 {field}（{label}）不能为空。",
        "填写内容，或者删除这一行。",
    ),
    "E312": Entry(
        "{label}（{field}）的路径不安全：{value}",
        "附件、封面图要放在 content/ 目录下，路径写成 files/2021/附件.pdf 这样的相对路径，不能含“..”或以盘符开头。",
    ),
    # --- E4xx: site settings ---------------------------------------------------
    "E401": Entry(
        "找不到网站设置文件 content/site.yml。",
        "从示例站点复制一份 content/site.yml，填写站名、域名、备案信息和栏目。",
    ),
    "E402": Entry(
        "网站设置缺少 {field}（{label}）。",
        "在 content/site.yml 中加上“{field}: ……”。政府网站底部必须显示这一项。",
    ),
    "E403": Entry(
        "网站设置 {field} 的值不对：{value}",
        "{expected}",
    ),
    "E404": Entry(
        "栏目{what}“{value}”重复。",
        "每个栏目的名称和 slug 都必须不同。",
    ),
    "E405": Entry(
        "未知的网站设置 {field}。{suggestion}",
        "网站设置项见《编写指南》；不需要的设置请删除。",
    ),
}
