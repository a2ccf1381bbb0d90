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
