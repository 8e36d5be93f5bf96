"""The replica's content model and renderer, without HTTP: determinism, variations, truth, parity.

The page-versus-truth oracle, ``page_matches_truth``, is in ``helpers.replica``.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import jsonschema
import lxml.html
import pytest

from dvarchive.replica import VARIATIONS, build_site
from dvarchive.replica.faults import encode_cp1258
from dvarchive.replica.model import PAGE_SIZE, slugify
from dvarchive.replica.site import ReplicaSite
from helpers import CONTRACT, REPO
from helpers.replica import nfc, page_matches_truth

BASE = "http://replica.test:8080"
@pytest.fixture(scope="module")
def site() -> ReplicaSite:
    return build_site(300)


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not() -> None:
    first, second, other = build_site(120, seed=7), build_site(120, seed=7), build_site(120, seed=8)
    ids = first.live_article_ids()
    assert ids == second.live_article_ids()
    for article_id in ids[::7]:
        assert first.render_article_html(article_id, BASE) == second.render_article_html(article_id, BASE)
        assert first.truth(article_id, BASE) == second.truth(article_id, BASE)
    assert [a.title for a in first.all_articles()] != [a.title for a in other.all_articles()]


def test_ids_are_unique_and_grow_with_publication_time(site: ReplicaSite) -> None:
    articles = site.all_articles()
    assert len({a.id for a in articles}) == len(articles) == 300
    assert [a.id for a in articles] == sorted(a.id for a in articles)
    assert all(a.published < b.published for a, b in zip(articles, articles[1:]))
    years = {a.published.year for a in articles}
    assert years >= set(range(2012, 2019)), years
    assert all(7 <= a.published.hour <= 23 for a in articles)


def test_every_variation_appears_and_forty_pages_cover_them_all(site: ReplicaSite) -> None:
    by_article = {a.id: site.variations(a.id) for a in site.all_articles()}
    assert set().union(*by_article.values()) == VARIATIONS
    assert all("deleted" in by_article[i] for i in site.deleted_article_ids())
    # the quality gate's need: a handful of live pages that together show every content variation
    wanted, chosen = set(VARIATIONS) - {"deleted"}, []
    while wanted:
        best = max(site.live_article_ids(), key=lambda i: len(by_article[i] & wanted))
        chosen.append(best)
        wanted -= by_article[best]
    assert len(chosen) <= 40


def test_variation_shares_are_realistic(site: ReplicaSite) -> None:
    counts = {name: sum(name in site.variations(a.id) for a in site.all_articles()) for name in VARIATIONS}
    assert 5 <= counts["deleted"] <= 12
    assert 10 <= counts["two-categories"] <= 20
    assert counts["paragraphs:p"] > counts["paragraphs:entities"] >= 15
    assert 30 <= counts["nfd:body"] <= 75 and counts["nfd:title"] >= 10


def test_truth_has_the_shape_of_the_expected_samples(site: ReplicaSite) -> None:
    sample = json.loads((CONTRACT / "site/expected/article-1234.json").read_text(encoding="utf-8"))
    schema = json.loads((REPO / "dvarchive/schema/article.schema.json").read_text(encoding="utf-8"))
    validators = {name: jsonschema.Draft202012Validator(rule, format_checker=jsonschema.FormatChecker())
                  for name, rule in schema["properties"].items()}
    for article_id in site.live_article_ids():
        truth = site.truth(article_id, BASE)
        assert list(truth) == list(sample)
        for name, value in truth.items():
            if name != "id":
                validators[name].validate(value)
        assert re.fullmatch(r"\d+", truth["id"])
        assert truth["url"] == BASE + f"/{site.article(article_id).category}/{slugify(truth['title'])}-{article_id}.html"
        assert all(nfc(text) == text for text in _strings(truth)), article_id
        assert "\n\n\n" not in truth["body"] and truth["body"] == truth["body"].strip()
        assert truth["subtitle"] != ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_every_rendered_article_matches_its_truth(site: ReplicaSite) -> None:
    problems = {i: page_matches_truth(site.render_article_html(i, BASE), site.truth(i, BASE), site)
                for i in site.live_article_ids()}
    assert {i: p for i, p in problems.items() if p} == {}


def test_oracle_notices_a_page_that_differs_from_truth(site: ReplicaSite) -> None:
    article_id = next(i for i in site.live_article_ids() if site.truth(i, BASE)["author"])
    html = site.render_article_html(article_id, BASE)
    truth = site.truth(article_id, BASE)
    assert page_matches_truth(html, truth, site) == []
    assert page_matches_truth(html, truth | {"body": truth["body"] + "\n\nThêm"}, site)
    assert page_matches_truth(html.replace("</h1>", " x</h1>"), truth, site)
    assert page_matches_truth(html, truth | {"author": None}, site)


def test_character_level_variations_are_really_in_the_bytes(site: ReplicaSite) -> None:
    def content_of(variation: str) -> str:
        """news-content of an article with the variation, in plain characters unless asked otherwise."""
        encoded = {"paragraphs:entities", "nfd:body"} - {variation}
        article_id = next(i for i in site.live_article_ids()
                          if variation in site.variations(i) and not encoded & site.variations(i))
        html = site.render_article_html(article_id, BASE)
        return html[html.index('id="news-content"'):html.index('<div class="news-tools">')]

    assert re.search(r"&#7\d\d\d;", content_of("paragraphs:entities"))
    assert not re.search(r"[^\x00-\x7f]", content_of("paragraphs:entities"))
    decomposed = content_of("nfd:body")
    assert nfc(decomposed) != decomposed and ("\u0323" in decomposed or "\u0301" in decomposed)
    assert 'class="MsoNormal"' in content_of("paragraphs:mso")
    assert "&nbsp;&nbsp;&nbsp; " in content_of("paragraphs:p-indent")
    assert "<br />\n<br />" in content_of("paragraphs:div-br")
    assert "<p>&nbsp;</p>" in content_of("trailing-empty")
    assert "Xem thêm tại:" in content_of("see-also")
    assert '<table class="image-box"' in content_of("image:table")
    assert '<p style="text-align: center;"><img' in content_of("image:centered")
    assert "<p><strong>Tin liên quan:</strong></p><ul>" in content_of("related:p-ul")
    assert '<div class="related"><strong>Tin liên quan:</strong>' in content_of("related:div")
    assert re.search(r"<p><em>\(Nguồn: [^<]+\)</em></p>", content_of("source:em-paren"))
    assert re.search(r"<p><strong>Nguồn:</strong> ", content_of("source:strong-label"))
    assert '<p align="right"><em><strong>' in content_of("byline:p-align-right")
    assert '<div style="text-align: right;"><b>' in content_of("byline:div-right-b")
    assert "Tin, ảnh: " in content_of("byline:tin-anh")
    assert re.search(r"số \d+-(QĐ|CT|KH|NQ)/\w+,? ngày \d{1,2}/\d{1,2}/\d{4}", content_of("body-dates"))


def test_title_variation_is_decomposed_everywhere_the_title_shows(site: ReplicaSite) -> None:
    article_id = next(i for i in site.live_article_ids() if "nfd:title" in site.variations(i))
    html = site.render_article_html(article_id, BASE)
    decomposed = unicodedata.normalize("NFD", site.truth(article_id, BASE)["title"])
    assert html.count(decomposed) >= 3         # <title>, og:title, h1
    assert site.truth(article_id, BASE)["title"] == nfc(decomposed)


def test_sapo_variations(site: ReplicaSite) -> None:
    def page_of(variation: str) -> tuple[str, dict[str, Any]]:
        article_id = next(i for i in site.live_article_ids() if variation in site.variations(i))
        return site.render_article_html(article_id, BASE), site.truth(article_id, BASE)

    html, truth = page_of("sapo:empty")
    assert '<div class="news-sapo"></div>' in html and truth["subtitle"] is None
    html, truth = page_of("sapo:absent")
    assert "news-sapo" not in html and truth["subtitle"] is None
    html, truth = page_of("sapo:strong")
    assert '<div class="news-sapo"><strong>' in html and truth["subtitle"]
    html, truth = page_of("updated")
    assert re.search(r'<div class="news-updated">Cập nhật: \d{1,2}\.\d{1,2}\.\d{4} - \d{1,2}:\d\d</div>', html)
    assert truth["modified"] > truth["published"]


def test_listing_pages_hold_ten_newest_first_and_cover_every_live_article(site: ReplicaSite) -> None:
    listed: set[int] = set()
    for category in site.categories:
        pages = site.listing_pages(category.slug)
        assert all(len(page) == PAGE_SIZE for page in pages[:-1]) and 1 <= len(pages[-1]) <= PAGE_SIZE
        entries = site.listing(category.slug)
        assert [e.published for e in entries] == sorted((e.published for e in entries), reverse=True)
        listed |= {i for page in pages for i in page}
    assert set(site.live_article_ids()) <= listed
    assert set(site.deleted_article_ids()) <= listed            # stale articles stay listed


def test_two_category_articles_are_listed_in_both_under_each_path(site: ReplicaSite) -> None:
    doubles = [a for a in site.all_articles() if a.extra_category and a.live]
    assert doubles
    for article in doubles:
        for slug in (article.category, article.extra_category):
            paths = {e.path for e in site.listing(slug) if e.id == article.id}
            assert paths == {f"/{slug}/{article.slug}-{article.id}.html"}
        assert site.truth(article.id, BASE)["url"] == BASE + article.canonical_path


def test_deleted_articles_have_no_truth(site: ReplicaSite) -> None:
    for article_id in site.deleted_article_ids():
        with pytest.raises(KeyError):
            site.truth(article_id, BASE)
    assert len(site.all_truth(BASE)) == len(site.live_article_ids())


def test_mutations_change_listings_and_truth() -> None:
    site = build_site(60, seed=3)
    newest_before = site.live_article_ids()[0]
    added = site.add_articles(3)
    assert site.live_article_ids()[:3] == sorted(added, reverse=True)
    assert all(site.article(i).published > site.article(newest_before).published for i in added)
    assert site.listing(site.article(added[-1]).category)[0].id == added[-1]

    target = site.live_article_ids()[5]
    before = site.truth(target, BASE)
    site.edit_article(target)
    after = site.truth(target, BASE)
    assert after["body"].startswith(before["body"]) and after["body"] != before["body"]
    assert after["modified"] and after["modified"] > (before["modified"] or before["published"])
    assert page_matches_truth(site.render_article_html(target, BASE), after, site) == []

    site.delete_article(target)
    assert target not in site.live_article_ids() and target in site.deleted_article_ids()
    assert all(target not in page for c in site.categories for page in site.listing_pages(c.slug))
    with pytest.raises(KeyError):
        site.edit_article(target)


def test_cp1258_encoding_round_trips_every_vietnamese_letter() -> None:
    letters = "aăâeêioôơuưyđ"
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    text = "".join(nfc(base + tone) for base in letters + letters.upper() for tone in tones) + "“Dân vận”"
    encoded = encode_cp1258(text)
    assert b"&#" not in encoded
    assert nfc(encoded.decode("cp1258")) == text


def test_markup_chrome_is_the_sample_pages_chrome(site: ReplicaSite) -> None:
    sample = (CONTRACT / "site/pages/article-1234.html").read_text(encoding="utf-8")
    html = site.render_article_html(site.live_article_ids()[0], BASE)

    def between(text: str, start: str, end: str) -> str:
        return text[text.index(start):text.index(end, text.index(start))]

    assert between(html, "<head>", "<title>") == between(sample, "<head>", "<title>")
    assert between(html, '<div id="header">', '<div id="main">') == between(sample, '<div id="header">', '<div id="main">')
    assert between(html, '<div id="footer">', "</html>") == between(sample, '<div id="footer">', "</html>")
    assert between(html, '<div class="box links">', '<div id="footer">') == \
        between(sample, '<div class="box links">', '<div id="footer">')


def skeleton(html: str, *, skip: tuple[str, ...]) -> set[str]:
    """Paths of tag#id.class outside article bodies, list items collapsed."""
    found: set[str] = set()

    def walk(element: Any, prefix: str) -> None:
        if not isinstance(element.tag, str):
            return
        name = element.tag + "".join(f"#{element.get('id')}" for _ in [0] if element.get("id"))
        name += "".join(f".{c}" for c in sorted((element.get("class") or "").split()))
        path = f"{prefix}/{name}"
        found.add(path)
        if not any(c in (element.get("class") or "").split() for c in skip):
            for child in element:
                walk(child, path)

    walk(lxml.html.fromstring(html), "")
    return found


def rendered_and_sample_pages(site: ReplicaSite, kind: str) -> tuple[list[str], list[str]]:
    from dvarchive.replica import templates

    def sample(name: str) -> str:
        return (CONTRACT / "site/pages" / name).read_text(encoding="utf-8")

    newest = site.live_article_ids()
    if kind == "article":
        return ([site.render_article_html(i, BASE) for i in newest[:60]],
                [sample(f"article-{n}.html") for n in (1234, 1240, 987)])
    if kind == "listing":
        entries = site.listing("tin-hoat-dong")
        return ([templates.listing_page(site, "tin-hoat-dong", n, entries) for n in (1, 2, 999)],
                [sample(f"listing-tin-hoat-dong-page-{n}.html") for n in (1, 2, 3)])
    if kind == "home":
        return [templates.home_page(site)], [sample("home.html")]
    if kind == "static":
        return ([templates.static_page(site, "/gioi-thieu/chuc-nang-nhiem-vu.html")],
                [sample("static-chuc-nang-nhiem-vu.html")])
    return [templates.print_page(site, site.article(newest[0]))], [sample("print-1234.html")]


@pytest.mark.parametrize("kind", ["article", "listing", "home", "static", "print"])
def test_page_skeletons_match_the_samples(site: ReplicaSite, kind: str) -> None:
    ours, samples = rendered_and_sample_pages(site, kind)
    skip = ("news-content", "news-list", "static-page", "print")
    expected = set().union(*(skeleton(html, skip=skip) for html in samples))
    assert set().union(*(skeleton(html, skip=skip) for html in ours)) == expected


def test_static_page_is_the_sample_static_page(site: ReplicaSite) -> None:
    from dvarchive.replica import templates
    sample = (CONTRACT / "site/pages/static-chuc-nang-nhiem-vu.html").read_text(encoding="utf-8")
    ours = templates.static_page(site, "/gioi-thieu/chuc-nang-nhiem-vu.html")
    strip_right = re.compile(r'<div class="box"><h3 class="box-title">TIN MỚI</h3><ul>.*?</ul></div>')
    assert strip_right.sub("", ours).strip() == strip_right.sub("", sample).strip()


def test_a_twenty_thousand_article_site_builds_and_renders() -> None:
    """How fast is measured by benchmarks/bench_replica.py, not asserted here."""
    big = build_site(20_000)
    ids = big.live_article_ids()
    assert len(ids) > 19_000
    for article_id in ids[::2000]:
        assert page_matches_truth(big.render_article_html(article_id, BASE), big.truth(article_id, BASE), big) == []
