"""``issuance report daily|period`` run in this process against a database on each backend:
the table, the PDF and the CSV of a day, and one-line refusals (issue 17, item 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pdfplumber
import pytest

from issuance.services import batches
from issuance.wall_clock import local_time
from tests.support.cli_in_process import assert_refused, context_environment, run_in_process
from tests.support.world import build_world, enrol_complete


@pytest.fixture
def issuance(monkeypatch, capsys, ctx, console, clock):
    world = build_world(ctx, console)
    # 23 November 2026: two applications submitted, one approved 45 minutes later.
    first = enrol_complete(ctx, world.clerk, coupon="PS-0001")
    enrol_complete(ctx, world.clerk, coupon="PS-0002", permit_number="LQ0000002",
                   passport_number="P0000002")  # fmt: skip
    clock.advance(minutes=45)
    batches.approve(ctx, world.supervisor, first)
    env = context_environment(ctx)
    return lambda *args: run_in_process(monkeypatch, capsys, env, *args)


def _line(stdout: str, label: str) -> str:
    return next(line for line in stdout.splitlines() if line.strip().startswith(label))


def test_the_days_table_in_both_languages(issuance):
    done = issuance("report", "daily", "--office", "TR", "--date", "2026-11-23")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Office report TR · DRKM Tiranë · 23.11.2026\n")
    assert _line(done.stdout, "consumed").split() == ["consumed", "2"]
    assert _line(done.stdout, "approved").split() == ["approved", "1"]
    assert _line(done.stdout, "approval (submitted → approved): median").endswith("0 h 45 min")
    sq = issuance("report", "daily", "--office", "tr", "--date", "2026-11-23", "--lang", "sq")
    assert sq.returncode == 0 and sq.stdout.startswith("Raporti i zyrës TR")
    assert _line(sq.stdout, "të konsumuar").split() == ["të", "konsumuar", "2"]
    other_day = issuance("report", "daily", "--office", "TR", "--date", "2026-11-24")
    assert _line(other_day.stdout, "consumed").split() == ["consumed", "0"]
    # Without --date: yesterday in the office's time (the timer's run after midnight).
    yesterday = local_time(dt.datetime.now(dt.UTC)).date() - dt.timedelta(days=1)
    default = issuance("report", "daily", "--office", "TR")
    assert default.returncode == 0 and f"{yesterday:%d.%m.%Y}" in default.stdout.splitlines()[0]


def test_pdf_and_csv_are_written_for_a_period(issuance, tmp_path):
    pdf, table = tmp_path / "report.pdf", tmp_path / "report.csv"
    done = issuance("report", "period", "--office", "TR", "--from", "2026-11-22",
                    "--to", "2026-11-23", "--pdf", str(pdf), "--csv", str(table),
                    "--lang", "sq")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"report of office TR for 22.11.2026 – 23.11.2026: PDF {pdf}",
        f"report of office TR for 22.11.2026 – 23.11.2026: CSV {table}",
    ]
    with pdfplumber.open(pdf) as opened:
        text = "\n".join(page.extract_text() or "" for page in opened.pages)
    assert "Periudha / Period: 22.11.2026 – 23.11.2026" in text
    assert "të dorëzuara submitted 2" in text
    rows = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["kodi", "seksioni", "masa", "vlera"]
    values = {row[0]: (row[1], row[2], row[3]) for row in rows[1:]}
    assert values["coupons_consumed"] == ("Kuponat", "të konsumuar", "2")
    assert values["state_submitted"][2] == "1" and values["state_approved"][2] == "1"


def test_refusals_are_one_line(issuance, tmp_path):
    assert_refused(
        issuance("report", "daily", "--office", "ZZ", "--date", "2026-11-23"),
        "Office 'ZZ' does not exist.",
    )
    assert_refused(
        issuance("report", "period", "--office", "TR", "--from", "2026-11-23",
                 "--to", "2026-11-01"),
        "The period 23.11.2026–01.11.2026 is not valid.",
    )  # fmt: skip
    bad_date = issuance("report", "daily", "--office", "TR", "--date", "23.11.2026")
    assert bad_date.returncode == 2 and "invalid fromisoformat value" in bad_date.stderr
    unwritable = tmp_path / "no-such-folder" / "report.pdf"
    refused = issuance("report", "daily", "--office", "TR", "--date", "2026-11-23",
                       "--pdf", str(unwritable))  # fmt: skip
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert not unwritable.exists()
