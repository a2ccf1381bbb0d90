"""The one cache API (core/memo.py): a step's key is its arguments, so it runs again exactly when
something it reads changed; files through their FileState, large shared values through Keyed."""

from __future__ import annotations

import hashlib
import ntpath
import os
import pickle
import shutil
import time
import zlib
from pathlib import Path

import pytest

from site_builder.core import memo
from site_builder.core.memo import FileState, Keyed, Memo, Store, cached, file_state, using
from tests.conftest import build_project, run_cli_process, write_config
from tests.test_build import write_article
from tests.test_scale import differences, same_site


def _run(log: list, *args):
    log.append(args)
    return len(log)


def assert_same_as_a_clean_build_with_its_theme(project: Path, tmp_path: Path) -> None:
    """site/ equals a clean build of the same content/ and theme/: every page and file byte for byte (the
    search index, which no template shapes, is left out; build.json lists it)."""
    clean = tmp_path / "clean"
    shutil.copytree(project / "content", clean / "content")
    shutil.copytree(project / "theme", clean / "theme")
    assert run_cli_process("build", "--clean", cwd=clean).returncode == 0
    changed = [p for p in differences(project / "site", clean / "site") if not p.startswith("pagefind/")]
    assert changed in ([], ["build.json"])


def test_a_step_runs_again_exactly_when_an_argument_changes():
    log: list = []
    with using(Memo()):
        first = cached("step", "item", _run, log, "a", Keyed({"x": frozenset({1, 2})}))
        # equal values made anew (a set built in another order) are the same key: reused
        assert cached("step", "item", _run, log, "a", Keyed({"x": frozenset({2, 1})})) == first
        assert cached("step", "item", _run, log, "b", Keyed({"x": frozenset({1, 2})})) == 2
        assert cached("step", "item", _run, log, "b", Keyed({"x": frozenset({1, 3})})) == 3
        assert cached("step", "other", _run, log, "b", Keyed({"x": frozenset({1, 3})})) == 4  # per item
    assert cached("step", "item", _run, log, "b", Keyed({"x": frozenset({1, 3})})) == 5  # no memo lent: run


def test_a_file_read_through_its_state_is_read_again_after_an_edit(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("一", encoding="utf-8")

    def read(state: FileState) -> str:
        return open(state.path, encoding="utf-8").read()

    with using(Memo()):
        assert cached("read", str(path), read, file_state(path)) == "一"
        time.sleep(0.01)
        path.write_text("二", encoding="utf-8")  # same size: the modification time tells
        assert cached("read", str(path), read, file_state(path)) == "二"
    assert file_state(tmp_path / "missing.md") is None


@pytest.fixture
def watched(tmp_path):
    """content/ as the preview has it: a watcher reports every change there (memo.watch)."""
    content = tmp_path / "content"
    content.mkdir()
    memo.watch(content)
    try:
        yield content
    finally:
        memo.unwatch()


def test_a_watched_file_is_looked_at_again_once_the_watcher_reports_it(watched, tmp_path):
    """The preview looks only at the files its watcher reported since the last edit, not at 20,000."""
    path = watched / "a.md"
    path.write_text("一", encoding="utf-8")
    first = file_state(path)
    path.write_text("二二", encoding="utf-8")
    assert file_state(path) == first  # not reported yet: not looked at
    memo.changed(str(path), reshaped=False)
    assert file_state(path) == first  # reported, but a build applies reports when it starts
    memo.changes_seen()
    assert file_state(path).size == len("二二".encode())
    # a folder moved or deleted (no file named): every file is looked at again
    path.write_text("三三三", encoding="utf-8")
    memo.changed(None)
    memo.changes_seen()
    assert file_state(path).size == len("三三三".encode())


def test_on_windows_a_file_reported_in_another_case_is_looked_at_again(watched, monkeypatch):
    """Windows names are case-blind: the watcher may report CONTENT\\A.MD for content\\a.md."""
    monkeypatch.setattr(os.path, "normcase", ntpath.normcase)
    path = watched / "a.md"
    path.write_text("一", encoding="utf-8")
    file_state(path)
    path.write_text("二二", encoding="utf-8")
    memo.changed(str(watched / "A.MD"), reshaped=False)
    memo.changes_seen()
    assert file_state(path).size == len("二二".encode())


def test_a_file_reached_through_a_link_or_outside_the_watched_folder_is_looked_at_every_time(watched, tmp_path):
    """The watcher names a file by where it really is: a link's state could otherwise stay old."""
    target = watched / "real.md"
    target.write_text("一", encoding="utf-8")
    link = watched / "link.md"
    link.symlink_to(target)
    folder_link = watched / "folder"
    folder_link.symlink_to(watched, target_is_directory=True)
    outside = tmp_path / "outside.md"
    outside.write_text("一", encoding="utf-8")
    for path in (link, folder_link / "real.md", outside, watched / "sub" / ".." / "real.md"):
        (watched / "sub").mkdir(exist_ok=True)
        before = file_state(path)
        target.write_text("二" * 5, encoding="utf-8")
        outside.write_text("二" * 5, encoding="utf-8")
        assert file_state(path) != before, path  # seen without a report
        target.write_text("一", encoding="utf-8")
        outside.write_text("一", encoding="utf-8")


def _names(folder: Path, log: list) -> list[str]:
    log.append(folder)
    return sorted(p.name for p in folder.iterdir())


def test_a_listing_is_made_again_when_a_file_comes_goes_or_moves_not_when_one_is_written(watched):
    (watched / "a.md").write_text("一", encoding="utf-8")
    log: list = []
    with using(Memo()):

        def names() -> list[str]:
            memo.changes_seen()  # as each preview build starts
            return memo.listed("names", watched, _names, watched, log)

        assert names() == ["a.md"] and len(log) == 1
        (watched / "a.md").write_text("二", encoding="utf-8")
        memo.changed(str(watched / "a.md"), reshaped=False)
        assert names() == ["a.md"] and len(log) == 1  # written to: the same files
        (watched / "b.md").write_text("一", encoding="utf-8")
        memo.changed(str(watched / "b.md"))
        assert names() == ["a.md", "b.md"] and len(log) == 2
        (watched / "b.md").rename(watched / "c.md")
        memo.changed(str(watched / "b.md"))
        memo.changed(str(watched / "c.md"))
        assert names() == ["a.md", "c.md"] and len(log) == 3
        memo.unwatch()  # no watcher: listed on every call
        assert names() == ["a.md", "c.md"] and names() == ["a.md", "c.md"] and len(log) == 5


def _same_size_and_time(path: Path, old: str, new: str) -> None:
    """An edit a check of size and modification time would miss (a checkout can make one)."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old.encode()) == len(new.encode())
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_durable_step_is_reused_by_the_next_process_and_runs_again_when_the_bytes_change(tmp_path):
    path, kept = tmp_path / "a.md", tmp_path / "memo.bin"
    path.write_text("第一版", encoding="utf-8")
    log: list = []

    def read(state: FileState) -> str:
        log.append(state)
        return open(state.path, encoding="utf-8").read()

    def build() -> str:  # as `site-builder build` does: a new process, a new memo, the store read from disk
        memo = Memo(Store(kept, "version"))
        with using(memo):
            result = cached("read", str(path), read, file_state(path), durable=True)
        memo.store.save()
        return result

    assert build() == "第一版" and len(log) == 1
    assert build() == "第一版" and len(log) == 1  # from disk, not read through the step
    _same_size_and_time(path, "第一版", "第二版")
    assert build() == "第二版" and len(log) == 2
    assert build() == "第二版" and len(log) == 2
    memo = Memo(Store(kept, "another version"))  # another tool version: nothing kept is used
    with using(memo):
        assert cached("read", str(path), read, file_state(path), durable=True) == "第二版"
    assert len(log) == 3


def test_a_file_saved_while_a_step_reads_it_is_not_kept_under_the_content_it_had(tmp_path):
    """A staff member saves while a build reads the file: the step's result comes from the new content
    but the build had looked at the old one. It is used by this build only: kept under the old content,
    it would be what the next build gets when the save is undone."""
    path, kept = tmp_path / "a.md", tmp_path / "memo.bin"
    path.write_text("第一版", encoding="utf-8")
    log: list = []

    def read_after_a_save(state: FileState) -> str:
        log.append(state)
        if len(log) == 1:
            path.write_text("第二版", encoding="utf-8")  # saved after the build looked, before the step read
        return open(state.path, encoding="utf-8").read()

    def build() -> str:
        memo = Memo(Store(kept, "version"))
        with using(memo):
            result = cached("read", str(path), read_after_a_save, file_state(path), durable=True)
        memo.store.save()
        return result

    assert build() == "第二版"
    path.write_text("第一版", encoding="utf-8")  # the save undone
    assert build() == "第一版" and len(log) == 2
    assert build() == "第一版" and len(log) == 2  # this one is kept


class _Effect:
    def __reduce__(self):
        return (os.mkdir, (os.environ["SB_TEST_MARK"],))


def _framed(data: bytes, version: str = "version") -> bytes:
    """A store file as Store.save frames it: valid header and checksum around ``data``."""
    packed = zlib.compress(data, 1)
    record = b"e %d %s\n" % (len(packed), hashlib.sha256(packed).hexdigest().encode())
    return Store.MAGIC + version.encode() + b"\n" + record + packed


@pytest.mark.parametrize(
    "damage",
    ["cut short", "garbage", "empty", "a folder", "checksum", "not plain data", "not a dict", "bad pickle"],
)
def test_a_damaged_or_foreign_store_is_ignored_and_never_runs_anything(tmp_path, monkeypatch, damage):
    path, kept, mark = tmp_path / "a.md", tmp_path / "memo.bin", tmp_path / "ran"
    path.write_text("正文", encoding="utf-8")
    monkeypatch.setenv("SB_TEST_MARK", str(mark))
    first = Memo(Store(kept, "version"))
    with using(first):
        cached("read", str(path), lambda state: "真的", file_state(path), durable=True)
    first.store.save()
    good = kept.read_bytes()
    damaged = {
        "cut short": lambda: good[: len(good) // 2],
        "garbage": lambda: os.urandom(2000),
        "empty": lambda: b"",
        "checksum": lambda: good[:-1] + bytes([good[-1] ^ 1]),
        "not plain data": lambda: _framed(pickle.dumps({"x": _Effect()})),
        "not a dict": lambda: _framed(pickle.dumps(["真的"])),
        "bad pickle": lambda: _framed(b"\x80\x05garbage."),
    }
    if damage == "a folder":
        kept.unlink()
        kept.mkdir()
    else:
        kept.write_bytes(damaged[damage]())
    memo = Memo(Store(kept, "version"))
    with using(memo):
        assert cached("read", str(path), lambda state: "重新计算", file_state(path), durable=True) == "重新计算"
    memo.store.save()  # a folder in its place: not written, no error
    assert not mark.exists()


def test_a_build_with_the_kept_results_equals_a_clean_build(project: Path, tmp_path: Path):
    """`site-builder build` keeps what it made from each file in .cache/site-builder/: the next build
    reads only the files whose bytes changed (even at the same size and time), a damaged cache is
    ignored, and the site is the clean build's. Each build in its own process, as in CI: in one
    process the preview's memory (checked by size and time) would answer first."""
    first = write_article(project, "yi", title="第一篇", body="正文第一段。")
    write_article(project, "er", title="第二篇", date="2021-06-01 09:00", body="另一篇的正文。")
    assert build_project(project, search=True, process=True).returncode == 0
    kept = project / ".cache/site-builder/memo.bin"
    assert kept.is_file()

    def clean_build() -> Path:
        clean = tmp_path / "clean"
        config = write_config(tmp_path, project / "content", clean, search=True)
        assert run_cli_process("build", "--config", str(config), "--clean").returncode == 0
        return clean

    _same_size_and_time(first, "正文第一段。", "正文第二段。")
    result = build_project(project, search=True, process=True)
    assert result.returncode == 0 and "本次生成 0 个" not in result.stdout, result.stdout + result.stderr
    assert "正文第二段" in (project / "site/articles/yi/index.html").read_text(encoding="utf-8")
    assert same_site(project / "site", clean_build()) == []

    kept.write_bytes(kept.read_bytes()[:100])  # cut short (a full disk, a cache restored halfway)
    _same_size_and_time(first, "第一篇", "首一篇")
    result = build_project(project, search=True, process=True)
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    assert same_site(project / "site", clean_build()) == []


def test_an_attachment_that_changes_size_or_goes_is_seen_through_the_kept_article(project: Path, tmp_path):
    """The article step reads its cover's and attachments' sizes on disk: they are in its key."""
    import datetime as dt

    from site_builder.core.loader import load_site

    pdf = project / "content/files/a.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.4\n" + b"x" * 2000)
    write_article(project, "yi", extra="attachments:\n  - file: files/a.pdf\n    title: 附件一\n")
    kept = tmp_path / "memo.bin"

    def load():  # a new process each time: the store from disk
        memo = Memo(Store(kept, "version"))
        with using(memo):
            site, found = load_site(project / "content", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        memo.store.save()
        return site, found

    site, _ = load()
    assert [a.size for a in site.articles[0].attachments] == [2009]
    pdf.write_bytes(b"%PDF-1.4\n" + b"x" * 5000)
    site, _ = load()
    assert [a.size for a in site.articles[0].attachments] == [5009]
    pdf.unlink()
    site, found = load()
    assert site is None and any(p.code == "E308" for p in found)


def test_a_result_held_by_a_later_result_is_read_back_as_one_object(tmp_path, monkeypatch):
    """The store is pickled a chunk of entries at a time (its pickler's table stays small); a result
    held by another written in a later chunk (an article inside its page) is still one object."""
    from site_builder.core.model import Category

    monkeypatch.setattr(Store, "CHUNK", 2)
    kept = tmp_path / "memo.bin"
    memo = Memo(Store(kept, "version"))
    with using(memo):
        first = cached("made", "a", lambda value: (Category(value, "yi"), "正文"), "一", durable=True)
        for name in "bcdef":
            cached("made", name, lambda value: (Category(value, value), ""), name, durable=True)
        cached("holds", "a", lambda value: [first[0], value], "二", durable=True)
    memo.store.save(memo.origins)
    loaded = list(Store(kept, "version").loaded.values())
    assert len(loaded) == 7
    assert loaded[-1][0] is loaded[0][0] and loaded[-1][0] == Category("一", "yi")


def test_a_build_writes_the_store_early_and_puts_it_in_place_only_when_it_succeeds(tmp_path):
    """``settle`` writes the file beside the store; ``discard`` (a failed build) leaves the old one,
    and a temporary file of a killed build is removed by the next that saves."""
    kept = tmp_path / "memo.bin"
    dead = tmp_path / "memo.bin.999999999.tmp"
    dead.write_bytes(b"half")
    for outcome in ("first", "failed", "succeeded"):
        memo = Memo(Store(kept, "version"))
        store = memo.store
        with using(memo):
            cached("made", "a", lambda value: value, outcome, durable=True)
        memo.settle()
        assert memo.results == {} and store.written is not None and store.used == {}
        if outcome == "failed":
            store.discard()
        else:
            store.save()
        assert [p.name for p in tmp_path.iterdir()] == ["memo.bin"]
        assert list(Store(kept, "version").loaded.values()) == ["succeeded" if outcome == "succeeded" else "first"]


def test_a_step_run_after_the_store_is_written_is_kept_too(tmp_path):
    """A build writes the store once the content steps have run (``settle``); a step run later
    (a template compiled while the pages are rendered) is added when the build puts it in place,
    and the next build reuses it without running it."""
    kept = tmp_path / "memo.bin"
    log: list = []

    def step(value: str) -> int:
        log.append(value)
        return len(log)

    def build() -> None:
        memo = Memo(Store(kept, "version"))
        with using(memo):
            cached("early", "a", step, "甲", durable=True)
            memo.settle()
            cached("late", "b", step, "乙", durable=True)
        memo.store.save()

    build()
    assert len(log) == 2
    build()
    assert len(log) == 2  # both from disk
    assert sorted(Store(kept, "version").loaded.values()) == [1, 2]


def test_a_record_whose_entries_are_all_used_again_is_copied_and_the_rest_pickled_anew(tmp_path, monkeypatch):
    """After a merge only the records around what changed are pickled again; a result held by a
    later one (an article inside its page) is still one object when read back."""
    from site_builder.core.model import Category

    monkeypatch.setattr(Store, "CHUNK", 2)
    kept = tmp_path / "memo.bin"

    def build(changed: str) -> Memo:
        memo = Memo(Store(kept, "version"))
        with using(memo):
            made = {
                name: cached("made", name, _category, changed if name == "c" else name, durable=True)
                for name in "abcdef"
            }
            cached("holds", "a", lambda held, value: [held, value], made["c"][0], "二", durable=True)
        memo.store.save(memo.origins)
        return memo

    build("c")
    first = kept.read_bytes()
    build("c")
    assert kept.read_bytes() == first  # nothing changed: the same file
    build("丙")
    second = kept.read_bytes()
    records = {raw: _records(raw) for raw in (first, second)}
    assert len(records[first]) == 4  # [a b] [c d] [e f] [holds]
    # [a b] and [e f] copied as they were; c's new entry, d and what holds c pickled anew
    assert [record in records[first] for record in records[second]] == [True, True, False, False]
    values = list(Store(kept, "version").loaded.values())
    assert len(values) == 7
    holder = next(value for value in values if isinstance(value, list))
    assert holder[0] == Category("丙", "x") and any(
        holder[0] is value[0] for value in values if isinstance(value, tuple)
    )


def _category(name: str) -> tuple:
    from site_builder.core.model import Category

    return Category(name, "x"), ""


def _records(data: bytes) -> list[bytes]:
    from site_builder.core.memo import _record

    at, found = data.index(b"\n", len(Store.MAGIC)) + 1, []
    while at < len(data):
        end = _record(data, at)[2]
        found.append(data[at:end])
        at = end
    return found


def test_a_tag_slug_kept_between_builds_is_the_new_tags_own(project: Path, tmp_path: Path):
    """Tag addresses are pinyin kept in the content cache (slugs.py) so that pypinyin is not loaded
    for names seen before: a tag met for the first time still gets its own address, as in a clean build."""
    article = write_article(project, "yi", title="第一篇", extra="tags: [行政复议]\n")
    assert build_project(project, search=True, process=True).returncode == 0
    assert (project / "site/tags/xing-zheng-fu-yi/index.html").is_file()
    article.write_text(article.read_text(encoding="utf-8").replace("行政复议", "行政诉讼"), encoding="utf-8")
    result = build_project(project, search=True, process=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "site/tags/xing-zheng-su-song/index.html").is_file()
    assert not (project / "site/tags/xing-zheng-fu-yi").exists()
    clean = tmp_path / "clean"
    config = write_config(tmp_path, project / "content", clean, search=True)
    assert run_cli_process("build", "--config", str(config), "--clean").returncode == 0
    assert same_site(project / "site", clean) == []


def test_a_template_compiled_by_an_earlier_build_is_compiled_again_when_it_changes(project: Path, tmp_path: Path):
    """Compiled templates are kept in the content cache (adapter/internals.py): an office's own
    template (theme/ beside content/), edited between two builds, is the edited one in the next
    build, as in a clean build."""
    write_article(project, "yi", title="第一篇")
    footer = project / "theme/partials/footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text("<footer>本办页脚甲</footer>\n", encoding="utf-8")
    assert run_cli_process("build", cwd=project).returncode == 0
    assert "本办页脚甲" in (project / "site/index.html").read_text(encoding="utf-8")
    footer.write_text("<footer>本办页脚乙</footer>\n", encoding="utf-8")
    result = run_cli_process("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "本办页脚乙" in (project / "site/index.html").read_text(encoding="utf-8")
    assert_same_as_a_clean_build_with_its_theme(project, tmp_path)


def test_an_article_linking_to_one_that_goes_is_checked_again_and_one_without_links_is_kept(project: Path):
    """The link check of an article without links is kept whatever the site's targets are (core/checks):
    one with a link is checked again when a target goes, and finds what a clean build finds."""
    import re

    write_article(project, "yi", title="第一篇", body="见[第二篇](/articles/er/)。")
    er = write_article(project, "er", title="第二篇", date="2021-06-01 09:00")
    write_article(project, "san", title="第三篇", date="2021-07-01 09:00", body="没有链接的正文。")
    assert build_project(project, search=True, process=True).returncode == 0
    er.unlink()
    result = build_project(project, search=True, process=True)
    assert result.returncode == 1
    config = write_config(project, project / "content", project / "clean", search=True)
    clean = run_cli_process("build", "--config", str(config), "--clean")
    assert clean.returncode == 1
    codes = [sorted(set(re.findall(r"\bE\d{3}\b", r.stdout + r.stderr))) for r in (result, clean)]
    assert codes[0] == codes[1] and "E332" in codes[0], codes  # found by the content check, as in a clean build


def test_the_previews_next_load_of_cleanups_equals_a_fresh_one(tmp_path: Path):
    """The preview loads and plans content/ again on every edit, reusing what unchanged files
    gave: a batch edited, and a batch's decision article losing its slug (E518), read as a fresh
    process reads them, pages and downloads included."""
    from site_builder.core import dates
    from site_builder.core.loader import load_site
    from site_builder.core.pages import plan
    from tests.conftest import SAMPLE_CONTENT

    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    now = dates.build_now()
    memo = Memo()

    def loaded(site, found):
        planned = plan(site, include_unpublished=True) if site is not None else None
        pages = {p.url: p.html for p in planned.pages} if planned else {}
        return [p.format() for p in found], pages, planned.files if planned else {}

    def same_as_fresh():
        with using(memo):
            kept = loaded(*load_site(content, now))
        assert kept == loaded(*load_site(content, now))
        return kept

    same_as_fresh()
    batch = next((content / "cleanups").glob("2021-集中清理.yml"))
    text = batch.read_text(encoding="utf-8")
    record = next(line for line in text.splitlines() if line.strip().startswith("title:") and "通知" in line)
    batch.write_text(text.replace(record, record.rstrip() + "（已改）", 1), encoding="utf-8")
    _, pages, _ = same_as_fresh()
    assert any("（已改）" in html for url, html in pages.items() if url.startswith("cleanups/"))

    article = content / "news/2021/guifanxing-wenjian-qingli-jueding.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "slug: guifanxing-wenjian-qingli-jueding", "slug: guifanxing-wenjian-qingli-jueding-2"
        ),
        encoding="utf-8",
    )
    found, _, _ = same_as_fresh()
    assert any("E518" in line for line in found)


def test_404_and_the_sitemap_are_kept_when_nothing_they_show_changed_and_made_again_when_it_did(
    project: Path, tmp_path: Path
):
    """A build after a merge renders 404.html and sitemap.xml only when what they show changed:
    an edited sentence keeps both files of site/; a new article is in the sitemap, a new site name
    in the 404 page, each as in a clean build."""
    write_article(project, "yi", title="第一篇")
    site = project / "site"
    assert build_project(project, process=True).returncode == 0
    inodes = {name: (site / name).stat().st_ino for name in ("404.html", "sitemap.xml", "sitemap.xml.gz")}
    write_article(project, "yi", title="第一篇", body="正文改过的第一段。")
    assert build_project(project, process=True).returncode == 0
    assert {name: (site / name).stat().st_ino for name in inodes} == inodes  # kept: links to the same files
    write_article(project, "er", title="第二篇", date="2021-06-01 10:00")
    assert build_project(project, process=True).returncode == 0
    assert "/er/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    settings = project / "content/site.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("滨江市人民政府法制办公室", "滨江市司法局", 1), encoding="utf-8"
    )
    result = build_project(project, process=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "滨江市司法局" in (site / "404.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    config = write_config(tmp_path, project / "content", clean)
    assert run_cli_process("build", "--config", str(config), "--clean").returncode == 0
    assert differences(site, clean) == []


def test_a_file_added_to_the_sites_own_theme_is_published_by_the_next_build(project: Path, tmp_path: Path):
    """The theme folders' listing is kept in the content cache (adapter/internals.py); the site's
    own theme folder is listed on every build, so a file added there is in the next site/."""
    write_article(project, "yi", title="第一篇")
    (project / "theme/partials").mkdir(parents=True)
    (project / "theme/partials/footer.html").write_text("<footer>本办页脚</footer>\n", encoding="utf-8")
    assert run_cli_process("build", cwd=project).returncode == 0
    (project / "theme/assets/office").mkdir(parents=True)
    (project / "theme/assets/office/seal.svg").write_text("<svg/>\n", encoding="utf-8")
    result = run_cli_process("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "site/assets/office/seal.svg").read_text(encoding="utf-8") == "<svg/>\n"
    assert_same_as_a_clean_build_with_its_theme(project, tmp_path)
