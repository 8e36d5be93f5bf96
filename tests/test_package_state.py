"""`dvarchive package --state DIR` packages the latest version of every article of a crawl state."""
from __future__ import annotations

from pathlib import Path

from dvarchive.pages import extract_record
from dvarchive.state import CrawlState
from helpers import CONTRACT, read_jsonl, run_cli

BASE = "https://danvan.example.gov.vn"
PAGES = {
    "1234": "/tin-hoat-dong/tam-quan-trong-cua-cong-tac-dan-van-chinh-quyen-trong-tinh-hinh-moi-1234.html",
    "987": "/dan-van-kheo/xa-binh-trung-ra-mat-mo-hinh-dan-van-kheo-trong-ve-sinh-moi-truong-987.html",
}


def sample_record(article_id: str, fetched_at: str) -> dict:
    html = (CONTRACT / "site" / "pages" / f"article-{article_id}.html").read_bytes()
    return extract_record(BASE + PAGES[article_id], html, site="danvan", fetched_at=fetched_at)


def test_package_from_state_holds_latest_versions_and_verifies(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    with CrawlState.open(state_dir) as state:
        run_id = state.begin_run("full", BASE + "/", "2026-11-01T00:00:00Z")
        for article_id in PAGES:
            state.store(sample_record(article_id, "2026-11-01T00:00:00Z"), run_id)
        edited = sample_record("987", "2026-11-02T00:00:00Z") | {"body": "Nội dung đã sửa.", "content_sha256": "0" * 64}
        assert state.store(edited, run_id).version == 2
        state.end_run(run_id, ended_at="2026-11-02T00:00:01Z", requests=3, errors=0, finish_reason="finished")

    result = run_cli("package", "--state", str(state_dir), "--out", str(tmp_path / "pkg"))
    assert result.returncode == 0, result.stderr
    records = {r["id"]: r for r in read_jsonl(tmp_path / "pkg" / "articles.jsonl")}
    assert set(records) == {"danvan:1234", "danvan:987"}
    assert records["danvan:987"]["body"] == "Nội dung đã sửa."
    assert run_cli("verify", str(tmp_path / "pkg")).returncode == 0


def test_package_from_a_missing_state_is_one_clear_error(tmp_path: Path) -> None:
    result = run_cli("package", "--state", str(tmp_path / "nothing"), "--out", str(tmp_path / "pkg"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0
