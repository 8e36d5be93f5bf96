"""report.html: the numbers behind the charts (pure functions) and the page's shape."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from dvarchive.archive.report import coverage, gap_months, month_counts, month_range, render_report
from dvarchive.state import RunSummary
from helpers import run_cli


def record(published: str | None, **fields: Any) -> dict[str, Any]:
    return {"id": f"danvan:{len(str(fields))}", "published": published, "title": "T", "body": "b",
            "word_count": 10, "extractor": "danvan/v1", "category": "Tin", **fields}


@pytest.mark.parametrize(("first", "last", "expected"), [
    ("2018-02", "2018-02", ["2018-02"]),
    ("2017-11", "2018-02", ["2017-11", "2017-12", "2018-01", "2018-02"]),
    ("2019-12", "2020-01", ["2019-12", "2020-01"]),
])
def test_month_range(first: str, last: str, expected: list[str]) -> None:
    assert month_range(first, last) == expected


def test_months_in_vietnam_time_with_gaps() -> None:
    records = [record("2018-01-31T23:30:00+07:00"), record("2018-04-01T00:10:00+07:00"),
               record("2018-04-02T08:00:00+07:00"), record(None)]
    per_month = month_counts(records)
    assert per_month == {"2018-01": 1, "2018-02": 0, "2018-03": 0, "2018-04": 2}
    assert gap_months(per_month) == ["2018-02", "2018-03"]
    assert month_counts([record(None)]) == {}


def test_coverage_counts_values_not_keys() -> None:
    records = [record(None, author="A", subtitle="", images=[{"url": "u", "caption": None}], attachments=[]),
               record(None, author=None, subtitle="Sapo", images=[], tags=["x"])]
    shares = dict(coverage(records))
    assert (shares["author"], shares["lead (subtitle)"], shares["images"], shares["attachments"]) == (1, 1, 1, 0)
    assert shares["tags"] == 1 and shares["publication date"] == 0


def run(run_id: int, new: int, changed: int, withdrawn: int, errors: int) -> RunSummary:
    return RunSummary(run_id=run_id, mode="full" if run_id == 1 else "incremental", start_url="http://x/",
                      started_at=f"2026-11-0{run_id}T00:00:00Z", ended_at=f"2026-11-0{run_id}T00:01:00Z",
                      requests=10, new=new, changed=changed, unchanged=0, withdrawn=withdrawn, errors=errors,
                      finish_reason="finished")


def test_report_page_shape_and_escaping() -> None:
    records = [record("2018-01-02T08:00:00+07:00", category="<b>Tin & bài</b>"),
               record("2018-03-02T08:00:00+07:00", extractor="generic/v1", author="Duy Nghi")]
    text = render_report(records, runs=[run(1, 2, 0, 0, 1), run(2, 0, 1, 1, 0)], title="Tiêu đề",
                         source="x.jsonl", created="2026-11-02T00:00:00Z")
    tree = lxml_html.fromstring(text.encode())
    assert tree.findtext(".//*[@id='total']") == "2"
    assert len(tree.xpath("//figure[@class='chart']/*[local-name()='svg']")) == 6  # 5 + runs
    assert "<b>Tin" not in text and "&lt;b&gt;Tin &amp; bài&lt;/b&gt;" in text
    assert tree.findtext(".//p[@class='gaps']") == "2018-02"
    rows = tree.xpath("//h2[.='Crawl runs']/following-sibling::table[1]/tbody/tr")
    assert [[td.text_content() for td in row][4:9] for row in rows] == [["2", "0", "0", "0", "1"],
                                                                       ["0", "1", "0", "1", "0"]]
    again = render_report(records, runs=[run(1, 2, 0, 0, 1), run(2, 0, 1, 1, 0)], title="Tiêu đề",
                          source="x.jsonl", created="2026-11-02T00:00:00Z")
    assert again == text  # deterministic: salted SVG ids, no date


def test_report_of_nothing_says_so() -> None:
    text = render_report([], runs=[], title="T", source="empty.jsonl", created="1970-01-01T00:00:00Z")
    tree = lxml_html.fromstring(text.encode())
    assert tree.findtext(".//*[@id='total']") == "0"
    assert "No article" in text and "no run" in text and "<svg" not in text


def test_report_command_errors_are_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("report", "--from", str(tmp_path / "absent.jsonl"), "--out", str(tmp_path / "r.html"))
    assert result.returncode == 1 and "absent.jsonl: no such file" in result.stderr
    (tmp_path / "bad.jsonl").write_text('{"id": "danvan:1"}\n', encoding="utf-8")
    result = run_cli("report", "--from", str(tmp_path / "bad.jsonl"), "--out", str(tmp_path / "r.html"))
    assert result.returncode == 1 and "invalid record" in result.stderr
    result = run_cli("report", "--state", str(tmp_path / "nothing"), "--out", str(tmp_path / "r.html"))
    assert result.returncode == 1
    assert not (tmp_path / "r.html").exists() and "Traceback" not in result.stderr
