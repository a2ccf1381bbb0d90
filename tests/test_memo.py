"""The one cache API (core/memo.py): a step's key is its arguments, so it runs again exactly when
something it reads changed; files through their FileState, large shared values through Keyed."""

from __future__ import annotations

import time

from site_builder.core.memo import FileState, Keyed, Memo, cached, file_state, using


def _run(log: list, *args):
    log.append(args)
    return len(log)


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
