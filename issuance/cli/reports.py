"""``issuance report daily|period``: the office's report, for a day (a daily timer) or a period.

``report daily --office TR --date 2026-12-04`` prints every number of the report as a table;
``--pdf FILE`` and ``--csv FILE`` write the PDF (labels in Albanian and English) and the CSV
(labels in ``--lang``, UTF-8 with a byte-order mark) instead. Without ``--date`` the report is
of yesterday in the office's time (what a timer run after midnight wants).
``report period --office TR --from 2026-12-01 --to 2026-12-04`` does the same for the days
FROM..TO, both included.

The console acts as an administrator (any office), audited under the OS account's name.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path


def cmd_report(args: argparse.Namespace) -> int:
    from issuance.cli.main import console_actor
    from issuance.cli.wiring import command_context
    from issuance.documents.report import render_report_csv, render_report_pdf
    from issuance.queries import reports

    with command_context(args) as ctx:
        first = args.first or args.date or _yesterday_of(ctx.clock())
        last = args.last or first
        report = reports.office_report(ctx, console_actor(), args.office, first, last)
        document = reports.report_document(report, ctx.clock())
    if args.pdf is None and args.csv is None:
        _print_table(report, args.lang)
        return 0
    if args.pdf is not None:
        Path(args.pdf).write_bytes(render_report_pdf(document))
        print(f"report of office {report.office_code} for {document.period}: PDF {args.pdf}")
    if args.csv is not None:
        Path(args.csv).write_bytes(render_report_csv(document, args.lang))
        print(f"report of office {report.office_code} for {document.period}: CSV {args.csv}")
    return 0


def _yesterday_of(now: object) -> date:
    from datetime import datetime

    from issuance.wall_clock import local_time

    assert isinstance(now, datetime)
    return local_time(now).date() - timedelta(days=1)


def _print_table(report: object, language: str) -> None:
    from issuance.queries import reports

    assert isinstance(report, reports.OfficeReport)
    rows = reports.measures(report)
    width = max(len(m.label(language)) for m in rows)
    title = "Raporti i zyrës" if language == "sq" else "Office report"
    print(f"{title} {report.office_code} · {report.office_name} · {reports.period_words(report)}")
    section = None
    for measure in rows:
        if measure.section != section:
            section = measure.section
            sq, en = reports.SECTIONS[section]
            print(f"\n{sq if language == 'sq' else en}")
        print(f"  {measure.label(language):<{width}}  {measure.value:>12}")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office", required=True, help="two-character office code")
    parser.add_argument("--pdf", metavar="FILE", help="write the report as PDF to FILE")
    parser.add_argument("--csv", metavar="FILE", help="write the report as CSV to FILE")
    parser.add_argument("--lang", choices=("sq", "en"), default="en",
                        help="language of the table and the CSV (default: en)")  # fmt: skip
    parser.set_defaults(handler=cmd_report, date=None, first=None, last=None)


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("report", help="the office's report").add_subparsers(
        dest="action", required=True
    )
    daily = group.add_parser(
        "daily",
        help="one day's report of an office (table, PDF, CSV)",
        description="Coupons, applications, cards, blanks, delivery alerts and approval and "
        "production times of one office for one day in the office's time.",
    )
    _common(daily)
    daily.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD",
                       help="the day (default: yesterday)")  # fmt: skip
    period = group.add_parser(
        "period",
        help="an office's report for the days FROM..TO",
        description="As 'report daily', for the days FROM..TO (both included).",
    )
    _common(period)
    period.add_argument("--from", dest="first", type=date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD")  # fmt: skip
    period.add_argument("--to", dest="last", type=date.fromisoformat, required=True,
                        metavar="YYYY-MM-DD")  # fmt: skip
