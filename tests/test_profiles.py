"""Site profiles load, pin what they say, and refuse mistakes with the line that holds them."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from helpers import run_cli
from dvarchive.pages.profile import extract_with_profile
from dvarchive.profiles import ProfileError, load_profile
from dvarchive.replica import build_site
from dvarchive.replica.wordpress import WordPressStyle

PROFILES = Path(__file__).resolve().parents[1] / "examples" / "profiles"


@pytest.mark.parametrize("name", ["liferay", "sharepoint", "wordpress"])
def test_bundled_profiles_load(name: str) -> None:
    profile = load_profile(PROFILES / f"{name}.toml")
    assert profile.extracts and profile.key and profile.article_url is not None


@pytest.mark.parametrize("text, line, message", [
    ('[site]\nkey = "ok"\n\n[extract]\ntitle = "//h1["\n', 5, "title"),
    ('[site]\nkey = "Bad Key"\n', 2, "lower-case"),
    ('[site]\ntimezone = "Mars/Olympus"\n', 2, "unknown time zone"),
    ('[discovery]\narticle_url = "(unclosed"\n', 2, "article_url"),
    ('[discovery]\ncategories = [{ name = "x" }]\n', 2, "each category"),
    ('[extract]\ndate_format = "dd/mm/yyyy"\n', 2, "strptime"),
    ('[extract]\n\ntitel = "//h1"\n', 3, "unknown key 'titel'"),
    ('[site]\nkey = "a"\n[output]\nx = 1\n', 3, "unknown section [output]"),
    ('[extract]\ndrop = "//div"\n', 2, "drop must be a list"),
    ('[site\nkey = 1\n', 1, "line 1"),
])
def test_mistakes_name_their_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    error = str(caught.value)
    assert message in error
    if "line 1" not in message:
        assert error.startswith(f"{path}:{line}: ")


def test_timezones_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('[site]\ntimezone = "-03:30"\n', encoding="utf-8")
    assert load_profile(path).tz.utcoffset(None) == -timedelta(hours=3, minutes=30)  # type: ignore[union-attr]
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "absent.toml")


def test_a_wrong_date_format_gives_no_date_rather_than_a_wrong_one(tmp_path: Path) -> None:
    site = build_site(20)
    style = WordPressStyle(site)
    article = style.articles()[0]
    path = tmp_path / "p.toml"
    path.write_text('[extract]\ntitle = "//h1"\nbody = "//div[@class=\'entry-content\']"\n'
                    'published = "//time/@datetime"\ndate_format = "%d/%m/%Y"\narticle_id = "url"\n', encoding="utf-8")
    record = extract_with_profile("http://h" + style.article_path(article), style.post(article, "http://h"),
                                  load_profile(path), site="x", fetched_at="2026-01-01T00:00:00Z")
    assert record["published"] is None and record["title"] == article.title and record["id"].startswith("x:u")


def test_crawl_refuses_a_bad_profile_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[discovery]\nskip_url = ["("]\n', encoding="utf-8")
    result = run_cli("crawl", "--start-url", "http://127.0.0.1:9/", "--profile", str(path), "--no-progress")
    assert result.returncode == 2 and f"{path}:2:" in result.stderr
