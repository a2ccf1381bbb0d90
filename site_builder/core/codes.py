"""The catalogue of problem codes: the one place that words each message and hint.

Codes are stable: tools, CI annotations and the authoring guide refer to them.
E1xx reading files, E2xx front matter syntax, E3xx article fields, E4xx site
settings, E5xx cleanup results, E6xx importing cleanup tables, E7xx content checks, E8xx the command line and what
MkDocs reports (site_builder/adapter/staff_text.py). A test checks
that every code here is documented in the guide.
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
    "E105": Entry(
        "第 {column} 个字处有不可见的控制字符 {char}（本文件共 {count} 处）。",
        "这通常是从 Word、网页或聊天软件复制时带来的（Word 中按 Shift+Enter 的换行就是 U+000B）："
        "在 VS Code 中打开文件，这些字符显示为红色的小方块或 ␋ 之类的符号，删除它们（需要换行的地方改为普通回车）后保存。",
    ),
    "E106": Entry(
        "这不是普通文件，而是{kind}，无法作为内容读取。",
        "content/ 中只能放普通的文本、图片和附件文件：删除这一项，把真实的文件复制进来。",
    ),
    "E107": Entry(
        "文件太大（{size}），超过 {limit} 的上限。",
        "检查是否误把别的文件保存成了这个名字；清理结果过多时可以分成几批（几个文件）。",
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
    "E209": Entry(
        "使用了 YAML 的锚点和别名（& 和 *），这里不允许。",
        "把 *名称 换成要写的内容本身；值本来就以 * 或 & 开头时，用英文引号把整个值括起来。",
    ),
    "E210": Entry(
        "列表或字段嵌套超过 {depth} 层，无法读取。",
        "检查是否多写了“[”“{{”或缩进；文件头和清理结果文件的字段最多嵌套两三层。",
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
        "写成 2021-05-08、2021-05-08 15:30、2021/5/8 或 2021年5月8日 这样的形式；"
        "年份须在 1900 至 2100 年之间，写时区时（如 +08:00）不能超过 ±14:00。",
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
        "slug 只能用小写英文字母、数字、连字符“-”和下划线“_”，以字母或数字开头，不能是 index，"
        "例如 fazhi-tuijinhui-2021 或沿用旧网站的 t20190102_123456。",
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
    "E330": Entry(
        "正文中的链接指向还没有发布的文章（{state}）：{value}",
        "草稿和定时发布的文章在网站上还不存在，读者点开只会看到“找不到页面”：等那篇文章发布后再加这个链接，"
        "或删除这个链接；两篇都定时发布时，把本文的发布日期定在那篇之后。",
    ),
    "E331": Entry(
        "正文中的链接或图片找不到：{value}；您是不是想链接 {found}？（{why}）",
        "网站的网址区分大小写、全角和半角、有没有扩展名：把链接改成 {suggested}，或把文件改名成链接中的名字。",
    ),
    "E332": Entry(
        "站内网址在网站上不存在：{value}",
        "{hint}",
    ),
    "E333": Entry(
        "生成网站时找不到链接的{what}：{value}（MkDocs：{detail}）",
        "链接写成相对于本文件所在目录的路径，例如 ../2020/tuijinhui.md、../../files/2021/附件.pdf，"
        "大小写、全角半角与文件名完全一致；锚点要与目标页面中的小标题一致。",
    ),
    "E334": Entry(
        "网址别名 slug “{value}”含有大写字母。",
        "网址区分大小写，slug 一律用小写：写成 {lower}；旧网站的网址有大写字母时，把旧网址写在 aliases 中，读者访问旧网址会跳转到本文。",
    ),
    "E335": Entry(
        "旧网址（aliases）“{value}”不能使用：{why}。",
        "aliases 中每行写一个本网站以前的网址，以 / 开头，例如 /news/2019/t20190102_123456.html；"
        "也可以写本网站的完整网址 https://本站域名/…。",
    ),
    "E336": Entry(
        "旧网址“{value}”与 {other} 重复。",
        "一个网址只能属于一篇文章：核对两篇文章的 aliases 和 slug，删除多余的一个；不要把旧网址写成 content/ 中已有文件的路径。",
    ),
    "E337": Entry(
        "链接中的锚点 #{anchor} 在目标页面中不存在：{value}",
        "锚点是目标页面中小标题生成的标识，例如“## 一、工作回顾”的锚点是 #一工作回顾；这一页有：{choices}。",
    ),
    "E313": Entry(
        "{label}“{value}”有 {length} 个字，超过 {limit} 个字。",
        "每个{label}写一个简短的词语（例如“依法行政”）；多个{label}之间用逗号或顿号分开，长句请写在正文或摘要中。",
    ),
    "E314": Entry(
        "网址别名 slug 有 {length} 个字符，超过 {limit} 个。",
        "写一个简短的 slug（例如 fazhi-tuijinhui-2021）；没有写 slug 时它取自文件名，请把文件名改短。",
    ),
    "E315": Entry(
        "路径有 {length} 个字符，超过 {limit} 个：{value}",
        "把文件名或文件夹名改短；路径过长在 Windows 电脑上无法打开，网站服务器也可能拒绝。",
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
    "E770": Entry(
        "网站设置 accessibility（无障碍说明页面）指向的页面不存在：{value}",
        "写 content/ 下一个 Markdown 页面的路径，例如 about/accessibility.md，并确认文件存在；"
        "删除这一行则网站不显示“无障碍说明”链接（有 content/about/accessibility.md 时自动链接到它）。",
    ),
    "E771": Entry(
        "这个页面上的链接“{href}”指向的{what}不存在，读者点击会看到“页面不存在”。",
        "链接写在文章或页面的正文中时，改正 content/ 中对应文件里的链接；"
        "写在网站设置中时，改正 content/site.yml；其他情况请把这条提示转给网站维护人员。",
    ),
    # --- E5xx: cleanup results (content/cleanups/*.yml) ------------------------
    "E501": Entry(
        "{where}中有未知字段 {field}。{suggestion}",
        "字段名要与《编写指南》“规范性文件清理结果”一节中的一致；不需要的字段请删除。",
    ),
    "E502": Entry(
        "缺少必填字段 {field}（{label}）。",
        "加上一行“{field}: {example}”。",
    ),
    "E503": Entry(
        "字段 {field}（{label}）的值应为{expected}，现在是：{value}",
        "按《编写指南》中清理结果文件的示例修改这一行。",
    ),
    "E505": Entry(
        "清理结果“{value}”不在规定的范围内。{suggestion}",
        "清理结果只能写：{choices}（“继续保留”按“继续有效”处理）。",
    ),
    "E506": Entry(
        "清理结果为“{result}”的文件必须写明理由（reason）。",
        "在这件文件下加一行“reason: 理由”，例如“主要内容与上位法相抵触”“已被新规定替代”“适用期已满”“调整对象已消失”。",
    ),
    "E507": Entry(
        "文号“{value}”在本批清理目录中重复（第一次在第 {first} 行）。",
        "同一批清理中每件文件的文号必须不同：核对两行是否为同一件文件，删除重复的一行或改正文号；确实没有文号的写“无文号”。",
    ),
    "E508": Entry(
        "决定中写明共 {total} 件（total），清理目录实际有 {count} 件。",
        "核对清理目录是否漏录或多录了文件；确认无误后把 total 改为实际件数。",
    ),
    "E509": Entry(
        "{label}（{field}）无法识别为日期：{value}",
        "写成 2016-08-01、2016/8/1 或 2016年8月1日 这样的形式，并确认日期真实存在（年份在 1900 至 2100 年之间）。",
    ),
    "E510": Entry(
        "成文日期 {value} 晚于清理决定的日期 {batch}。",
        "清理只能针对决定作出之前已经制发的文件：核对成文日期，或核对清理决定（decision）的日期。",
    ),
    "E511": Entry(
        "{field} 的值“{value}”不是文号。",
        "文号写成“机关代字〔年份〕序号号”，例如 滨政发〔2016〕12号；没有文号的写“无文号”。",
    ),
    "E512": Entry(
        "文号“{value}”的括号不是六角括号〔〕。",
        "按 GB/T 9704 写成 {fixed}；运行 site-builder check --fix 可自动改正。",
    ),
    "E513": Entry(
        "文号“{value}”的年份只写了两位。",
        "年份要写全四位：{fixed}；运行 site-builder check --fix 可自动改正。",
    ),
    "E514": Entry(
        "文号“{value}”的序号前面有多余的 0。",
        "序号不编虚位：{fixed}；运行 site-builder check --fix 可自动改正。",
    ),
    "E515": Entry(
        "文号“{value}”的序号前面多了“第”字。",
        "文号中不加“第”字：{fixed}；运行 site-builder check --fix 可自动改正。",
    ),
    "E516": Entry(
        "清理批次的网址别名 slug “{value}”格式不对或重复。",
        "slug 只能用小写英文字母、数字和连字符“-”，各批次不能相同，例如 2021-jizhong-qingli；已发布的不要改。",
    ),
    "E517": Entry(
        "只有清理结果为“修改”的文件才能写修改期限（deadline），这件文件是“{result}”。",
        "删除 deadline 这一行，或核对清理结果。",
        "warning",
    ),
    "E518": Entry(
        "清理决定的发布文章 article “{value}”不存在。",
        "article 写发布这次清理结果的新闻文章的 slug（文件头中的 slug），例如 guifanxing-wenjian-qingli-jueding；没有的可删除这一行。",
    ),
    "E520": Entry(
        "文号“{value}”中的年份与成文日期 {date} 不一致。",
        "文号中的年份一般就是成文的年份：核对文号和成文日期是否录错。",
        "warning",
    ),
    "E521": Entry(
        "清理批次的网址别名 slug 有 {length} 个字符，超过 {limit} 个。",
        "加一行简短的 slug（例如 slug: 2021-jizhong-qingli）；没有写 slug 时它取自文件名的拼音，也可以把文件名改短。",
    ),
    # --- E6xx: importing cleanup tables (site-builder import-cleanup) -----------
    "E601": Entry(
        "无法读取要导入的文件：{reason}。",
        "导入 Excel 保存的 .xlsx 文件，或“CSV UTF-8（逗号分隔）”/“CSV（逗号分隔）”文件；确认文件没有在 Excel 中打开着。",
    ),
    "E602": Entry(
        "表格中找不到“{column}”列（表头是：{headers}）。",
        "表头可以在任一工作表的前 20 行中，要包含：序号、文件名称、文号、发文机关、成文日期、清理结果、理由；"
        "也可以写作“文件标题”“发文字号”“制定机关”“印发日期”“处理意见”“清理意见”“清理情况”“说明”“备注”。"
        "没有发文机关列时，在 content/site.yml 的 issuers 中写明文号代字对应的机关（例如 滨政发: 市政府），就按文号推断。",
    ),
    "E603": Entry(
        "第 {row} 行：{detail}",
        "这一行已照原样导入：在生成的文件中改正它，或在表格中改正后加 --force 重新导入。",
    ),
    "E604": Entry(
        "表头“{column}”不是能识别的列，这一列的内容没有导入。",
        "如需保留，把这一列的内容并入“理由/说明”列后加 --force 重新导入。",
        "warning",
    ),
    "E605": Entry(
        "{file} 已经存在，没有覆盖。",
        "用 -o 指定另一个文件名；确实要替换原文件时加 --force。",
    ),
    "E606": Entry(
        "第 {row} 行：文号“{old}”已改为规范写法“{new}”。",
        "核对改正后的文号（六角括号〔〕、四位年份、序号不加“第”和 0）；表格本身不必修改。",
        "warning",
    ),
    "E607": Entry(
        "不知道这批清理的名称：{detail}。",
        "加 --title “2021年规范性文件集中清理”（网址别名由名称的拼音生成）或 --slug 2021-jizhong-qingli 后重新导入。",
    ),
    "E608": Entry(
        "第 {row} 行{what}，没有作为文件导入：{value}",
        "确认这一行不是一件文件；如果是，补全各列、把它放在合计行和说明之前后重新导入。",
    ),
    "E620": Entry(
        "表格太大，没有导入：{what}。",
        "一批清理结果最多 50,000 行、200 列：在 Excel 中删除多余的空行和空列（选中后“删除”，不是清除内容）后另存为 .xlsx；"
        "如确有这么多件，请分成几个文件导入。",
    ),
    "E621": Entry(
        "第 {row} 行含有不可见的控制字符（{chars}），导入时已删除。",
        "这些字符通常是从 Word 或其他系统复制时带来的；核对这一行导入后的内容是否完整。",
        "warning",
    ),
    "W401": Entry(
        "公众号版本的主色 {value} 在白色背景上对比度只有 {ratio}:1，小标题不易看清。",
        "换一个更深的颜色（对比度至少 4.5:1），例如 #1f5fa8（蓝）或 #b22222（红）。",
        level="warning",
    ),
    # --- E7xx / W7xx: content checks (site_builder/core/checks/); levels set in site.yml `checks:` ---
    "E701": Entry(
        "{where}中留有占位符“{value}”。",
        "把“{value}”换成真实内容；确需保留时在文件头写 allow: {{E701: 理由}}。",
    ),
    "E702": Entry(
        "年份范围“{value}”的起止年份{what}。",
        "核对起止年份，例如“2021-2025年”；只有一年的直接写“2021年”。",
    ),
    "E703": Entry(
        "落款的成文日期 {value} 晚于发布日期 {date}。",
        "文件不能在成文之前发布：核对正文末尾的落款日期和文件头的 date。",
    ),
    "W704": Entry(
        "标题中的年份 {value} 与发布日期 {date} 不符。",
        "核对是否沿用了往年的标题或正文；标题年份没有错时可在文件头写 allow: {{W704: 理由}}。",
        "warning",
    ),
    "E705": Entry(
        "“{value}”是不规范或敏感的用语。{note}",
        "改为“{correct}”（用语表见 content/checks/wording.yml）。",
    ),
    "E706": Entry(
        "名称“{value}”写错了，应为“{correct}”。",
        "改为“{correct}”（规范名称表见 content/checks/names.yml）。",
    ),
    "W707": Entry(
        "《{value}》与法律法规的规范名称《{correct}》不一致。",
        "引用法律法规要用全称，核对后改为《{correct}》；如果这是另一部文件，可忽略或在 allow 中说明。",
        "warning",
    ),
    "E708": Entry(
        "检查用语表格式不对：{detail}",
        "按《编写指南》“内容检查”一节的示例修改这个文件。",
    ),
    "E709": Entry(
        "allow 中的“{value}”{detail}",
        "allow 写成“代码: 理由”，例如 allow: {{W704: 转载2020年的报告，标题年份无误}}；只有 E7xx、W7xx 和文号代码可以豁免。",
    ),
    "E710": Entry(
        "图片没有替代文字（alt）：{value}",
        "在方括号中写明图片内容，例如 ![市政府常务会议现场](../../images/photos/a.jpg)；视障读者的读屏软件会读出这段文字。",
    ),
    "E711": Entry(
        "正文中的链接指向不存在的{what}：{value}",
        "链接路径相对于本文件所在目录，例如 ../2020/tuijinhui.md；确认目标文件存在、名称大小写一致，或删除这个链接。",
    ),
    "W712": Entry(
        "链接指向政府网站以外的地址：{value}",
        "确认这个网站可靠、长期有效；能用政府网站（gov.cn）上的同一内容时改用政府网站的链接。",
        "warning",
    ),
    "W713": Entry(
        "链接使用了 IP 地址：{value}",
        "IP 地址会变化、读者也无法辨认，请改用网站的域名。",
        "warning",
    ),
    "E720": Entry(
        "正文中不允许使用 HTML 标签 <{value}>。",
        "{hint}",
    ),
    "E721": Entry(
        "{where}不允许使用属性 {value}。",
        "删除这个属性；可用的标签和属性见《编写指南》“正文中的 HTML”。",
    ),
    "E722": Entry(
        "不安全的链接地址：{value}",
        "链接只能是网址（https://…）、站内路径或 mailto:/tel:；图片可以是 data:image/…，其他 data: 和 javascript: 地址一律不允许。",
    ),
    "E723": Entry(
        "文件太大（{size}），超过 {limit} 的上限。",
        "一篇文章不应这么大：检查是否误粘贴了整份文件或图片的编码；长文件请作为附件（PDF）发布。",
    ),
    "E724": Entry(
        "正文无法安全排版：{detail}",
        "这通常是从 Word 或网页复制时带来的格式，请删掉多余的符号后重新整理这一段。",
    ),
    "E725": Entry(
        "文件 {value} 是指向 content/ 目录之外的链接（快捷方式）。",
        "把真实文件复制到 content/ 目录中，删除这个链接；网站只发布 content/ 中的文件。",
    ),
    "E750": Entry(
        "{kind}不能发布：{value}",
        "网站只发布文章（.md）和允许类型的附件与图片：PDF、OFD、Word/WPS、Excel、PowerPoint、TXT、CSV、ZIP/RAR/7z 压缩包，"
        "PNG、JPEG、GIF、WebP 图片。网页（.html）、脚本（.js）、样式、SVG 图片等会在网站上运行，一律不能放在 content/ 中："
        "SVG 图请另存为 PNG；不需要发布的文件请移到以“_”开头的文件夹（如 content/_资料/），那里的文件不会发布。",
    ),
    "E751": Entry(
        "文件 {value} 的内容不是 {suffix} 文件。",
        "文件的实际内容与扩展名不符（例如改了扩展名的网页）。请用原来的程序重新导出或另存为 {suffix} 格式后再放入 content/。",
    ),
    "W730": Entry(
        "栏目“{value}”还没有任何文章。",
        "发布至少一篇文章，或从 content/site.yml 的 categories 中删除这个栏目；空栏目在检查中会被扣分。",
        "warning",
    ),
    "W731": Entry(
        "栏目“{value}”最新的文章是 {date} 发布的，已超过 {days} 天没有更新。",
        "及时发布新内容；更新周期可在 content/site.yml 的 freshness 中设置。",
        "warning",
    ),
    "W740": Entry(
        "标题与 {other} 的标题相同：{value}",
        "核对是否重复发布了同一篇文章；不同文章请在标题中写明区别（例如日期、期数）。",
        "warning",
    ),
    "W741": Entry(
        "标题有 {length} 个字，超过 {limit} 个字。",
        "精简标题；完整的文件名称可以写在正文第一段。",
        "warning",
    ),
    "W742": Entry(
        "标题中全角和半角标点混用：{value}",
        "中文标题统一使用全角标点，例如把“,”改成“，”、把“()”改成“（）”。",
        "warning",
    ),
    # --- E8xx: the command line, and what MkDocs reports -----------------------
    "E801": Entry(
        "命令写法不对：{detail}",
        "运行 `{prog} -h` 查看这个命令的写法和全部选项；含空格的标题、文件名用英文引号括起来。",
    ),
    "E802": Entry(
        "链接或图片“{link}”指向的文件不存在。",
        "核对路径（相对于本文件所在的目录）：文件名中的空格、大小写和扩展名都要与 content/ 中的文件完全一致；或删除这个链接。",
    ),
    "E803": Entry(
        "链接“{link}”中 # 后面的位置在目标页面中不存在。",
        "核对 # 后面的小标题锚点（在预览中点小标题旁的 # 可得到正确的链接），或去掉 # 及其后的部分。",
    ),
    "E804": Entry(
        "链接“{link}”的写法无法识别。",
        "站内的文章和文件写相对路径，例如 ../2021/tuijinhui.md、../../files/附件.pdf；外部网站写完整网址（https://…）。",
    ),
    "E805": Entry(
        "这个页面无法生成。",
        "检查这篇文章最近改动的地方（“原文”说明了原因）；无法解决时请把这条信息发给网站维护人员。",
    ),
    "E806": Entry(
        "预览没有更新，仍是上一次成功生成的版本。",
        "按上面的提示修改并保存，预览会自动重新生成，不必重新运行 site-builder serve。",
    ),
    "E807": Entry(
        "MkDocs 配置有误。",
        "按“原文”检查 mkdocs.yml（或 --config 指定的文件）；网站目录中没有自己的 mkdocs.yml 时，这是本工具的问题，请把这条信息发给网站维护人员。",
    ),
    "E808": Entry(
        "这里不是网站目录：{folder} 中没有 content/ 文件夹，也没有 mkdocs.yml。",
        "请在含有 content/ 的网站目录中运行（Windows：在该文件夹的地址栏中输入 cmd 后按回车）；或用 --config 指定 mkdocs.yml。",
    ),
    "E809": Entry(
        "生成网站的程序（MkDocs）报告了一个问题。",
        "按“原文”检查其中提到的文件；看不懂时请把这条信息发给网站维护人员。",
    ),
    # --- E83x / E84x: the build, the preview and publishing meet the machine (disk, folders, port) ---
    "E830": Entry(
        "构建失败，{site} 中原有的网站没有改变（没有生成一半的网站）。",
        "按上面的提示修改后重新运行 site-builder build；成功之前，已有的网站和发布的网站都保持原样。",
    ),
    "E831": Entry(
        "构建被中断，{site} 中原有的网站没有改变。",
        "需要时重新运行 site-builder build 即可，不必清理任何文件。",
    ),
    "E832": Entry(
        "{path} 是一个文件，不是目录。",
        "把这个文件改名或移走，或用 {option} 指定另一个目录，再重新运行。",
    ),
    "E833": Entry(
        "磁盘空间不足：写入 {path} 时磁盘已满。",
        "删除不需要的文件、腾出空间后重新运行；新网站完整生成后才替换旧网站，全部重新生成时需要约两倍于网站大小的空间。",
    ),
    "E834": Entry(
        "无法写入 {path}：{reason}。",
        "确认这个目录可以写入：不在只读的磁盘、光盘或共享文件夹上，文件和目录没有设为只读，当前用户有写入权限；"
        "或换一个可写的目录后重新运行。",
    ),
    "E835": Entry(
        "找不到内容目录 {path}。",
        "请在含有 content/ 的网站目录中运行（当前目录是 {cwd}{inside}），或用 --content 写明内容目录的位置。",
    ),
    "E836": Entry(
        "环境变量 SOURCE_DATE_EPOCH 的值“{value}”不是时间戳。",
        "写成从 1970-01-01 起的秒数（整数），例如 SOURCE_DATE_EPOCH=1700000000；不需要固定构建时间时删除这个变量。",
    ),
    "E837": Entry(
        "预览地址 {addr} 已被占用或不能使用（{reason}）。",
        "关闭正在运行的另一个预览（另一个 site-builder serve 窗口），或换一个端口，例如："
        "site-builder serve --dev-addr 127.0.0.1:8001，然后在浏览器中打开 http://127.0.0.1:8001/。",
    ),
    "E838": Entry(
        "读写 {path} 时出错：{reason}。",
        "确认这个路径存在、可以读写，所在的磁盘或共享文件夹连接正常，然后重新运行。",
    ),
    "E839": Entry(
        "site-builder 内部出错，这不是您的内容的问题；错误记录也无法写入 {path}（{reason}）。",
        "把下面的“详细信息”整段复制，发给网站维护人员。",
    ),
    "E840": Entry(
        "{site} 中没有可用的 build.json，这不是一次成功构建的网站。",
        "先运行 site-builder build，构建成功（显示“构建完成”）后再发布。",
    ),
    "E841": Entry(
        "{site}/build.json 表明这次构建没有成功完成（构建失败、被中断，或由旧版本的 site-builder 生成）。",
        "按构建时的提示修改后重新运行 site-builder build，显示“构建完成”后再发布。",
    ),
    "E842": Entry(
        "{site} 中的文件与 build.json 记录的不一致：{detail}。",
        "网站生成后被改动过或复制不完整：重新运行 site-builder build 后再发布，不要手工修改 site/ 中的文件。",
    ),
    "E843": Entry(
        "{path} 是一个文件，不是存放网站各版本的目录。",
        "把这个文件改名或移走（例如改为 {name}.old），再重新发布；网站服务器的根目录应指向 {dest}/current。",
    ),
    "E844": Entry(
        "预览没有更新：{detail}",
        "按提示修改后保存，预览会自动恢复；仍然出错时关闭预览（Ctrl+C）后重新运行 site-builder serve。",
    ),
    "E845": Entry(
        "{path} 是单独挂载的目录（挂载点），新网站无法整体替换它。",
        "改为挂载它的上一级目录，或用 --site-dir 指向挂载点中的一个子目录（例如 {path}/site），再重新运行。",
    ),
    # --- E9xx: 政府信息公开专栏 and its yearly report (content/xxgk/) --------------
    "E902": Entry(
        "年度报告缺少“{label}”：{detail}。",
        "按《编写指南》中“政府信息公开工作年度报告”一节补上这一项；没有发生的事项写 0，文字部分没有内容写“无”。",
    ),
    "E903": Entry(
        "“{where}”中有无法识别的字段“{field}”。",
        "检查字段名的拼写。{suggestion}",
    ),
    "E904": Entry(
        "“{label}”的“{column}”写的是“{value}”，不是非负整数。",
        "件数只能写 0 或正整数，不能写负数、小数、文字或留空；没有的写 0。",
    ),
    "E905": Entry(
        "“{label}”的总计 {total} 不等于自然人与五类法人或其他组织之和：{sum}。",
        "核对这一行各列的数字；总计一列等于它前面六列之和。",
    ),
    "E906": Entry(
        "“{label}”小计的“{column}”为 {total}，不等于各分项之和：{sum}。",
        "核对这一组各分项的数字，或删除 subtotal（小计）这一行（国家格式中没有小计行，仅供核对）。",
    ),
    "E907": Entry(
        "“（七）总计”的“{column}”为 {total}，不等于（一）至（六）之和：{sum}。",
        "核对“三、本年度办理结果”各项在这一列的数字；（七）总计等于（一）至（六）各项之和。",
    ),
    "E908": Entry(
        "“{column}”一列不平衡：一、本年新收 {new} + 二、上年结转 {carried} = {left}，"
        "而三、（七）总计 {done} + 四、结转下年度 {forward} = {right}。",
        "按国家格式的勾稽关系核对这一列：第一项加第二项之和，等于第三项（七）总计加第四项之和。",
    ),
    "E909": Entry(
        "表四“{label}”的总计 {total} 不等于结果维持、结果纠正、其他结果、尚未审结之和：{sum}。",
        "核对这四项和总计的数字；总计等于前四项之和。",
    ),
    "E910": Entry(
        "“行政规范性文件”的“{column}”写的是 {written}，而规范性文件库中 {year} 年为 {computed}。",
        "这一行由规范性文件库（清理结果）自动统计，可以从年度报告中删除 normative 这一行；"
        "如果文件库有误，请修改 content/cleanups/ 中的清理结果。",
    ),
    "E911": Entry(
        "“{label}”写了 {count} 个数，应当写 {expected} 个（依次为：{columns}）。",
        "按列的顺序写成方括号中的一串数字，例如 [1, 0, 0, 0, 0, 0, 1]；没有的写 0，不能省略。",
    ),
    "E912": Entry(
        "年度“{value}”有误：文件 {name} 中的 year 应当是四位年份，并与文件名相同。",
        "例如 2020 年的年度报告写在 content/xxgk/annual/2020.yml 中，并写 year: 2020。",
    ),
    "E913": Entry(
        "“{label}”的“{column}”写的是“{value}”，不是非负数。",
        "收费金额以万元为单位，写 0 或正数（可带小数，例如 1.25），不能写负数或文字。",
    ),
    "E914": Entry(
        "年度报告的“{label}”是空的。",
        "写上这一部分的文字（可用 Markdown 分段）；确实没有需要报告的内容时写“无”。",
    ),
    "E915": Entry(
        "年度报告的发布日期“{value}”无法识别。",
        "写成 2021-01-25 的形式。",
    ),
    "E920": Entry(
        "政府信息公开专栏设置有误：{detail}。",
        "按《编写指南》中“政府信息公开专栏”一节修改 content/site.yml 的 xxgk 部分。",
    ),
    "E922": Entry(
        "索引号规则“{value}”有误：{detail}。",
        '写成例如 "{{organization_code}}/{{year}}-{{seq:05d}}"，可用 organization_code（机构代码）、year（年份）、seq（当年序号）。',
    ),
    "W902": Entry(
        "政府信息公开专栏用到的文件 {value} 不存在，这一部分暂时显示为空。",
        "把文件放到 content/ 中对应的位置，或改正 content/site.yml 中 xxgk 部分的文件名；空白栏目在检查中会被扣分。",
        "warning",
    ),
    "W901": Entry(
        "还没有 {year} 年的政府信息公开工作年度报告（应在 {deadline} 前公布）。",
        "在 content/xxgk/annual/{year}.yml 中写好 {year} 年度报告；《政府信息公开条例》第四十九条要求每年 1 月 31 日前公布上一年度报告。",
        "warning",
    ),
}
