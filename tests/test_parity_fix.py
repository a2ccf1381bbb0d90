"""`check --fix` reports what it did once, and counts every 文号 it rewrote."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

ARTICLE = (
    "---\ntitle: 关于转发两份文件的通知\ndate: 2021-05-08 15:30\ncategory: 通知公告\n"
    "source: 滨江市人民政府法制办公室\ndoc_no: 滨政发［2021］6号\n---\n\n"
    "根据滨政发[2016]12号和滨政办发（2019）03号文件精神，现通知如下。\n"
)


def test_fix_counts_each_number_and_never_says_nothing_was_fixed(project: Path):
    path = project / "content/news/2021/tongzhi.md"
    path.parent.mkdir(parents=True)
    path.write_text(ARTICLE, encoding="utf-8")
    result = run_cli("check", "--fix", "--content", "content", cwd=project)
    out = result.stdout + result.stderr
    assert "滨政发〔2016〕12号和滨政办发〔2019〕3号" in path.read_text(encoding="utf-8")
    assert "没有需要自动改正的文号" not in out, out
    assert "共改正 3 处文号" in out, out  # two on one body line, one in doc_no
    again = run_cli("check", "--fix", "--content", "content", cwd=project)
    assert "没有需要自动改正的文号" in again.stdout
    assert again.stdout.count("没有需要自动改正的文号") == 1
    assert "共改正" not in again.stdout


def test_fix_counts_cleanups_and_articles_together(project: Path):
    path = project / "content/news/2021/tongzhi.md"
    path.parent.mkdir(parents=True)
    path.write_text(ARTICLE, encoding="utf-8")
    cleanup = Path(__file__).parent / "fixtures/cleanups/base.yml"
    text = cleanup.read_text(encoding="utf-8").replace("滨政发〔2016〕12号", "滨政发[16]第012号", 1)
    (project / "content/cleanups").mkdir()
    (project / "content/cleanups/2021.yml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--fix", "--content", "content", cwd=project)
    out = result.stdout
    assert "没有需要自动改正的文号" not in out, out
    assert out.count("共改正") == 1, out
    assert "共改正 4 处文号" in out, out


# --- `site-builder new`: its template is a placeholder until edited ------------------


def test_unedited_new_article_cannot_be_published(project: Path):
    content = project / "content"
    made = run_cli("new", "关于开展行政执法案卷评查的通知", "--category", "通知公告", "--content", str(content))
    assert made.returncode == 0, made.stderr
    path = next((content / "news").rglob("*.md"))
    original = path.read_bytes()
    check = run_cli("check", "--content", str(content))
    assert check.returncode == 1, check.stdout
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("在这里写正文"))
    assert f"{path.name}:{line}: 错误 E701 正文（新建文章模板的说明文字）中留有占位符" in check.stderr, check.stderr
    assert "修改方法" in check.stderr
    # the optional fields, uncommented but not filled in, are placeholders too
    text = path.read_text(encoding="utf-8").replace("# summary:", "summary:").replace("# author:", "author:")
    path.write_text(text.replace(lines[line - 1], "3月12日上午，市政府召开推进会。"), encoding="utf-8")
    check = run_cli("check", "--content", str(content))
    assert "摘要（summary）中留有占位符“一两句话的摘要”" in check.stderr, check.stderr
    assert "作者（author）中留有占位符“作者姓名”" in check.stderr
    assert "正文（新建文章模板" not in check.stderr
    text = path.read_text(encoding="utf-8").replace("一两句话的摘要", "会议部署全年工作。").replace("作者姓名", "李华")
    path.write_text(text, encoding="utf-8")
    check = run_cli("check", "--content", str(content))
    assert check.returncode == 0, check.stdout + check.stderr
    # running `new` again never re-dates or overwrites the article that exists
    edited = path.read_bytes()
    again = run_cli("new", "关于开展行政执法案卷评查的通知", "--category", "通知公告", "--content", str(content))
    assert again.returncode == 0
    assert path.read_bytes() == edited != original
    assert len(list((content / "news").rglob("*.md"))) == 2
