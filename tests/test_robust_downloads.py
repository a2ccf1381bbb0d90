"""The cleanup downloads (CSV and .xlsx) carry no formula, whatever a record says.

Records as a malicious merge request would write them (=HYPERLINK, DDE, @SUM, -1+1,
a leading tab) are read by openpyxl and by LibreOffice, which evaluates formulas in
CSV files it opens and in formula cells of workbooks. LibreOffice is Debian's
``libreoffice-calc-nogui`` (installed by .ci/run); without it those tests skip,
except in CI.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from site_builder.core.cleanups import downloads
from site_builder.core.cleanups.load import load_batch
from tests.conftest import SAMPLE_CONTENT

HOSTILE = [
    '=HYPERLINK("http://evil.example/","点击查看")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-1+1",
    "=1+1",
]
TAB = "\t=2+2"  # cannot come from YAML (values are stripped), but the writer guards it too


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The sample's batch with hostile titles and reasons in its first records."""
    text = (SAMPLE_CONTENT / "cleanups/2021-产权保护专项清理.yml").read_text(encoding="utf-8")
    folder = tmp_path_factory.mktemp("batch")
    path = folder / "c.yml"
    path.write_text(text, encoding="utf-8")
    loaded, found = load_batch(path, "c.yml")
    assert loaded is not None, found
    records = sorted(loaded.records, key=lambda r: r.no)
    changed = [dataclasses.replace(r, reason=v) for r, v in zip(records, HOSTILE, strict=False)]
    changed.append(dataclasses.replace(records[len(HOSTILE)], title=TAB))
    changed += records[len(HOSTILE) + 1 :]
    return dataclasses.replace(loaded, records=changed)


def test_csv_cells_that_start_a_formula_are_prefixed(batch):
    rows = list(csv.reader(io.StringIO(downloads.to_csv(batch).decode("utf-8-sig"), newline="")))
    reasons = [row[6] for row in rows[1 : 1 + len(HOSTILE)]]
    assert reasons == ["'" + value for value in HOSTILE]
    assert rows[1 + len(HOSTILE)][1] == "'" + TAB
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, len(rows))]  # 序号 unchanged
    assert rows[1][3] == "2013-09-05"  # dates as dates
    untouched = rows[len(HOSTILE) + 2]
    assert not untouched[1].startswith("'") and not untouched[6].startswith("'")


def test_xlsx_cells_are_strings_never_formulas(batch, tmp_path):
    path = tmp_path / "d.xlsx"
    path.write_bytes(downloads.to_xlsx(batch))
    sheet = load_workbook(path).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    reasons = [sheet.cell(row=r, column=7) for r in range(2, 2 + len(HOSTILE))]
    assert [c.value for c in reasons] == HOSTILE  # the text itself, shown as typed
    assert all(c.data_type == "s" and c.quotePrefix for c in reasons)
    title = sheet.cell(row=2 + len(HOSTILE), column=2)
    assert (title.value, title.data_type, title.quotePrefix) == (TAB, "s", True)
    numbers = [sheet.cell(row=r, column=1) for r in range(2, sheet.max_row + 1)]
    assert all(c.data_type == "n" and isinstance(c.value, int) for c in numbers)  # 序号 stays a number
    assert sheet.cell(row=2, column=4).is_date


@pytest.mark.parametrize("year", [1900, 1979, 2100])
def test_a_workbook_dated_where_a_zip_cannot_be_is_still_written(year, tmp_path):
    """Content dates run 1900–2100; a zip entry holds 1980–2107. A workbook stamped with an early
    article's date carries the nearest date a zip can hold, and opens with its rows."""
    import datetime as dt
    import zipfile

    stamp = dt.datetime(year, 1, 1)
    data = downloads.sheet_xlsx("表", ("序号", "名称"), (6, 20), [(1, "早年的文件")], "目录", "法制办", stamp)
    (tmp_path / "d.xlsx").write_bytes(data)
    assert [tuple(r) for r in load_workbook(tmp_path / "d.xlsx").active.iter_rows(values_only=True)] == [
        ("序号", "名称"),
        (1, "早年的文件"),
    ]
    with zipfile.ZipFile(tmp_path / "d.xlsx") as archive:
        assert {info.date_time[0] for info in archive.infolist()} == {min(max(year, 1980), 2107)}


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (libreoffice-calc-nogui) is required in CI; .ci/run installs it")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    return found


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    """One LibreOffice profile for both conversions: making a new one is most of a first start."""
    return tmp_path_factory.mktemp("libreoffice") / "profile"


def _convert(source: Path, target: str, tmp_path: Path, profile: Path, infilter: str | None = None) -> Path:
    out = tmp_path / "out"
    command = [
        _soffice(),
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(out),
        str(source),
    ]
    if infilter:
        command[3:3] = [f"--infilter={infilter}"]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return out / f"{source.stem}.{target.split(':')[0]}"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_libreoffice_evaluates_no_formula(batch, tmp_path, profile, kind):
    """LibreOffice opens each download: xlsx → csv shows the cell text, not a result;
    csv (read as UTF-8, commas, with formulas evaluated) → xlsx holds no formula cell."""
    if kind == "xlsx":
        source = tmp_path / "d.xlsx"
        source.write_bytes(downloads.to_xlsx(batch))
        result = _convert(source, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path, profile)
        rows = list(csv.reader(io.StringIO(result.read_text(encoding="utf-8"), newline="")))
        assert [row[6] for row in rows[1 : 1 + len(HOSTILE)]] == HOSTILE  # not 点击查看, 2, 0
        assert rows[1 + len(HOSTILE)][1] == TAB
        assert rows[1][0] == "1"
    else:
        source = tmp_path / "d.csv"
        source.write_bytes(downloads.to_csv(batch))
        result = _convert(source, "xlsx", tmp_path, profile, infilter="CSV:44,34,76,1")
        sheet = load_workbook(result).active
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        values = [sheet.cell(row=r, column=7).value for r in range(2, 2 + len(HOSTILE))]
        assert values == ["'" + value for value in HOSTILE]
        assert sheet.cell(row=2, column=1).value == 1  # 序号 read as a number
