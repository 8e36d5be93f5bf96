"""A hostile site's text (issue 11), crawled for real: entities decoded exactly once, no script or
style source in any text field, no canonical off the site — for the home layout (``danvan/v1``,
the replica's own pages) and the generic extractor (the replica's ``sharepoint`` style).

A front server (``helpers.hostile``) relays the replica and rewrites chosen article pages, one
attack encoding per page (tables below): an entity attack is written into the h1, ``<title>``,
og:title, a JSON-LD headline, the sapo (and meta description), every caption and the first body
paragraph; a script/style attack into the h1, the sapo, every caption, the byline, the first body
paragraph, between two paragraphs and the breadcrumb's category link; a canonical attack into ``<link rel=canonical>`` and/or
``og:url``. Each record is compared with the replica's truth for that article plus the attack's
visible effect. A second loopback server on another port logs every request it gets.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from helpers import read_jsonl, run_cli
from helpers.hostile import OffsiteHandler, Server, rewriting_front, start, truth_through
from helpers.replica import fetch

pytestmark = pytest.mark.e2e

# (source text, what a browser shows): every form of "an entity written out as text".
ENTITIES = [
    ("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("&#38;lt;script&#38;gt;alert(2)&#38;lt;/script&#38;gt;", "&lt;script&gt;alert(2)&lt;/script&gt;"),
    ("&#x26;lt;script&#x26;gt;alert(3)&#x26;lt;/script&#x26;gt;", "&lt;script&gt;alert(3)&lt;/script&gt;"),
    ("&#X26;LT;b&#0038;gt;", "&LT;b&gt;"),
    ("&amp;amp;lt;i&amp;amp;gt;", "&amp;lt;i&amp;gt;"),
    ("&amp;amp; &amp;quot;q&amp;quot; &amp;nbsp; &amp;#39;", "&amp; &quot;q&quot; &nbsp; &#39;"),
    ("&#X26;#7853; &amp;#x1ED9;", "&#7853; &#x1ED9;"),
    ("&lt;script&gt;alert(4)&lt;/script&gt;", "<script>alert(4)</script>"),
    ("&#60;img src=x onerror=alert(5)&#62;", "<img src=x onerror=alert(5)>"),
    ("&lt;/p&gt;&lt;style&gt;x{}&lt;/style&gt;", "</p><style>x{}</style>"),
    ("V&#7853;n &#x111;&#x1ED9;ng &amp; d&acirc;n", "Vận động & dân"),
]
# Markup whose source must never reach a text field ({m}: a marker unique to the attack).
SCRIPTS = [
    "<script>var leaked='{m}';</script>",
    "<script type='text/template'><b>{m}</b></script>",
    "<SCRIPT SRC=/x.js>{m}</SCRIPT >",
    "<script><!--\ndocument.write('<p>{m}</p>');\n//--></script>",
    "<script>document.write(\"</p><p>{m}</p>\")</script>",
    '<script type="application/ld+json">{{"headline":"{m}"}}</script>',
    "<style>.x{{content:'{m}'}}</style>",
    "<STYLE type=text/css>{m}{{}}</STYLE>",
    "<noscript>{m}</noscript>",
    '<noscript><img src="/x.gif" alt="{m}">{m}</noscript>',
    "<noscript><style>{m}</style></noscript>",
    "<template>{m}</template>",
    "<template><script>{m}</script></template>",
    "<svg><script>{m}</script></svg>",
    "<svg><style>{m}</style></svg>",
]
# (canonical href, og:url content) written raw into the attribute; None: left as the replica has it.
# {path}: an on-site-looking path of another article id, {front}/{other}: the site's / the logger's port.
CANONICALS = [
    ("http://evil.test{path}", None),
    ("http://127.0.0.1:{other}{path}", None),
    (None, "http://127.0.0.1:{other}{path}"),
    ("http://127.0.0.1:{other}{path}", "http://evil.test{path}"),
    ("https://127.0.0.1:{front}{path}", "https://127.0.0.1:{front}{path}"),
    ("//evil.test{path}", "//127.0.0.1:{other}{path}"),
    ("javascript:alert(1)//{path}", "JaVaScRiPt:alert(1)"),
    ("  \n\tHTTP://EVIL.TEST{path}  ", None),
    ("http&#58;//evil.test{path}", "&#x68;ttp://127.0.0.1:{other}{path}"),
    ("ht\ttp://127.0.0.1:{other}{path}", None),
    ("http://127.0.0.1:{front}@evil.test{path}", None),
    ("http://127.0.0.1.evil.test:{front}{path}", None),
    ("http://localhost:{front}{path}", None),
    ("http://2130706433:{front}{path}", None),
    ("HTTP://127.0.0.1:{other}{path}", "\u00a0http://127.0.0.1:{other}{path}"),
    ("data:text/html,<h1>x</h1>", "vbscript:msgbox(1)"),
]
CANONICAL = re.compile(r'(<link rel="canonical" href=")[^"]*(")')
OG_URL = re.compile(r'<meta property="og:url" content="[^"]*" />')
MARKUP = re.compile(r"<\s*/?\s*(script|style|noscript|template|svg)\b", re.IGNORECASE)
TEXT_FIELDS = ("title", "subtitle", "author", "source", "body", "category")


@dataclass(frozen=True)
class Layout:
    """Where the replica's style puts each part of an article page (opening and closing markup)."""

    style: str
    extractor: str
    h1: tuple[str, str]
    sapo: tuple[str, str]
    content: str  # the opening of the body's container (its first block is the first body paragraph)
    other_path: str  # an on-site-looking path of article {id}

    captions = (('<td class="image-caption"><em>', "</em>"), ('<p style="text-align: center;"><em>', "</em>"))
    byline = ('<p style="text-align: right;"><strong>', "</strong>")
    category = ('<div class="breadcrumb">', "</a></div>")  # the breadcrumb's last link: the category


LAYOUTS = {
    "danvan": Layout("danvan", "danvan/v1", ('<h1 class="news-title">', "</h1>"), ('<div class="news-sapo">', "</div>"),
                     'id="news-content">', "/tin-hoat-dong/bai-khac-{id}.html"),
    "sharepoint": Layout("sharepoint", "generic/v1", ('<h1 class="title">', "</h1>"),
                         ('<div class="summary"><b>', "</b>"), 'itemprop="articleBody">',
                         "/Pages/chi-tiet.aspx?ItemID={id}"),
}
ARTICLES = {"danvan": 120, "sharepoint": 120}
FIRST_BLOCK = re.compile(r"<(?:p|div)\b[^>]*>")
PARAGRAPHS = (("<p>", "</p>"), ("<div>", "</div>"))  # the replica's plain body paragraph styles


def inner(page: str, part: tuple[str, str]) -> tuple[int, int] | None:
    """Start and end offsets of the first element's inner markup, or None."""
    start = page.find(part[0])
    if start < 0:
        return None
    start += len(part[0])
    return start, page.index(part[1], start)


def append_inside(page: str, part: tuple[str, str], extra: str, every: bool = False,
                  after: str = "") -> tuple[str, int]:
    """``extra`` appended inside the element(s) opened by ``part[0]`` (the first one after
    ``after``, or all); how many were changed."""
    done, offset = 0, page.index(after) if after else 0
    while (found := inner(page[offset:], part)) is not None:
        end = offset + found[1]
        page, offset, done = page[:end] + extra + page[end:], end + len(extra), done + 1
        if not every:
            break
    return page, done


def in_head(page: str, old: str, new: str) -> str:
    """Every occurrence of ``old`` in the ``<head>`` (``<title>``, og:title, description) made ``new``."""
    head, sep, rest = page.partition("</head>")
    return head.replace(old, new) + sep + rest


def paragraph(page: str, layout: Layout) -> tuple[str, str] | None:
    """The markup of the first body paragraph when it is a plain ``<p>`` or ``<div>`` (the
    replica's other paragraph styles — Word's, indented, ``<br>``-split — are left alone)."""
    first = FIRST_BLOCK.search(page, page.find(layout.content))
    return next((part for part in PARAGRAPHS if first and first[0] == part[0]), None)


def count(page: str, part: tuple[str, str]) -> int:
    return page.count(part[0])


def fits(layout: Layout, page: str, truth: dict[str, Any]) -> bool:
    """The page has every part an attack writes into: h1, sapo, first paragraph, one caption per image."""
    captions = sum(count(page, part) for part in layout.captions)
    return (all(count(page, part) == 1 for part in (layout.h1, layout.sapo)) and page.count(layout.content) == 1
            and paragraph(page, layout) is not None and captions == len(truth["images"]) > 0)


def with_captions(page: str, layout: Layout, extra: str) -> str:
    for part in layout.captions:
        page, _ = append_inside(page, part, extra, every=True)
    return page


def entity_attack(layout: Layout, truth: dict[str, Any], source: str) -> Callable[[bytes], bytes]:
    def rewrite(body: bytes) -> bytes:
        page = body.decode("utf-8")
        for part in (layout.h1, layout.sapo):
            if (span := inner(page, part)) is not None:
                old = page[span[0]:span[1]].strip()
                page = in_head(page, old, f"{old} {source}")
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                         "headline": f"{truth['title']} {source}"}, ensure_ascii=False)
        page = page.replace("</head>", f'<script type="application/ld+json">{ld}</script></head>', 1)
        for part in (layout.h1, layout.sapo):
            page, _ = append_inside(page, part, f" {source}")
        page, _ = append_inside(page, paragraph(page, layout), f" {source}", after=layout.content)  # type: ignore[arg-type]
        return with_captions(page, layout, f" {source}").encode("utf-8")
    return rewrite


def script_attack(layout: Layout, truth: dict[str, Any], source: str) -> Callable[[bytes], bytes]:
    def rewrite(body: bytes) -> bytes:
        page = body.decode("utf-8")
        first = paragraph(page, layout)
        start = page.index(layout.content)
        span = inner(page[start:], first)  # type: ignore[arg-type]
        assert first is not None and span is not None
        end = start + span[1] + len(first[1])
        page = page[:end] + source + page[end:]  # between the first two paragraphs
        for part in (layout.h1, layout.sapo, layout.byline, layout.category):
            page, _ = append_inside(page, part, source)
        page, _ = append_inside(page, first, source, after=layout.content)
        return with_captions(page, layout, source).encode("utf-8")
    return rewrite


def canonical_attack(layout: Layout, canonical: str | None, og_url: str | None) -> Callable[[bytes], bytes]:
    def rewrite(body: bytes) -> bytes:
        page = body.decode("utf-8")
        if canonical is not None:
            page = CANONICAL.sub(lambda m: m[1] + canonical + m[2], page, count=1)
        if og_url is not None:
            tag = f'<meta property="og:url" content="{og_url}" />'
            page, found = OG_URL.subn(lambda _: tag, page, count=1)
            if not found:
                page = page.replace("</head>", tag + "</head>", 1)
        return page.encode("utf-8")
    return rewrite


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_of(front: Server, truth: dict[str, Any]) -> str:
    """The article's page as the replica renders it (it answers some first requests with a fault)."""
    for _ in range(5):
        try:
            answer = fetch(front.origin, path_of(truth["url"]))
        except ConnectionError:
            continue
        if answer.status == 200:
            return answer.text
    return ""


def plan(layout: Layout, truth: dict[str, dict[str, Any]], front: Server,
         other: Server) -> tuple[dict[str, Callable[[bytes], bytes]], dict[str, list[tuple[str, Any]]]]:
    """One attack per article: the front's rewrites and, per kind, (article id, attack)."""
    ordered = sorted(truth.values(), key=lambda r: int(r["id"]))
    full = [r for r in ordered if r["subtitle"] and all(i["caption"] for i in r["images"])
            and fits(layout, page_of(front, r), r)]
    rest = [r for r in ordered if r not in full and CANONICAL.search(page_of(front, r))]
    rewrites: dict[str, Callable[[bytes], bytes]] = {}
    attacks: dict[str, list[tuple[str, Any]]] = {"entity": [], "script": [], "canonical": []}
    for record, (source, shown) in zip(full, ENTITIES, strict=False):
        rewrites[path_of(record["url"])] = entity_attack(layout, record, source)
        attacks["entity"].append((record["id"], (source, shown)))
    for number, (record, script) in enumerate(zip(full[len(ENTITIES):], SCRIPTS, strict=False)):
        source = script.format(m=f"LEAK{number:02d}X")
        rewrites[path_of(record["url"])] = script_attack(layout, record, source)
        attacks["script"].append((record["id"], source))
    ports = {"front": urlsplit(front.origin).port, "other": urlsplit(other.origin).port}
    for number, (record, (canonical, og_url)) in enumerate(zip(rest, CANONICALS, strict=False)):
        values = {**ports, "path": layout.other_path.format(id=99_000 + number)}
        filled = tuple(None if text is None else text.format(**values) for text in (canonical, og_url))
        rewrites[path_of(record["url"])] = canonical_attack(layout, *filled)
        attacks["canonical"].append((record["id"], filled))
    assert [len(attacks[k]) for k in attacks] == [len(ENTITIES), len(SCRIPTS), len(CANONICALS)]
    return rewrites, attacks


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from dvarchive.replica import start_replica_process

    layout = LAYOUTS[request.param]
    tmp = tmp_path_factory.mktemp(layout.style)
    other = start(OffsiteHandler)
    rewrites: dict[str, Callable[[bytes], bytes]] = {}
    with start_replica_process(articles=ARTICLES[layout.style], style=layout.style) as replica:
        front = start(rewriting_front(replica.base_url, rewrites))
        truth = truth_through(front.origin)
        planned, attacks = plan(layout, truth, front, other)
        rewrites.update(planned)
        result = run_cli("crawl", "--start-url", front.origin + "/", "--output", str(tmp / "out.jsonl"),
                         "--delay", "0", "--no-progress", "--stats", str(tmp / "stats.json"), timeout=300)
        front.stop()
    other.stop()
    records = {r["id"].split(":", 1)[1]: r for r in read_jsonl(tmp / "out.jsonl")} if result.returncode == 0 else {}
    yield {"layout": layout, "result": result, "truth": truth, "attacks": attacks, "records": records,
           "front": front, "other": other, "stats": json.loads((tmp / "stats.json").read_text())}


def attacked(hostile: dict[str, Any], kind: str) -> Iterator[tuple[dict[str, Any], dict[str, Any], Any]]:
    """(record, truth, attack) of every article attacked that way; each must have a record."""
    for article_id, attack in hostile["attacks"][kind]:
        assert article_id in hostile["records"], (kind, attack, hostile["result"].stderr[-2000:])
        yield hostile["records"][article_id], hostile["truth"][article_id], attack


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_the_crawl_completes_through_the_layout_under_test(hostile: dict[str, Any]) -> None:
    assert hostile["result"].returncode == 0, hostile["result"].stderr[-3000:]
    attacked_ids = {i for kind in hostile["attacks"].values() for i, _ in kind}
    assert attacked_ids <= set(hostile["records"])
    assert {hostile["records"][i]["extractor"] for i in attacked_ids} == {hostile["layout"].extractor}


def test_entities_are_decoded_exactly_once(hostile: dict[str, Any]) -> None:
    """Title, subtitle, every caption and the body hold what a browser shows, once decoded."""
    for record, truth, (source, shown) in attacked(hostile, "entity"):
        where = (source, record["url"])
        assert record["title"] == f"{truth['title']} {shown}", where
        assert record["subtitle"] == f"{truth['subtitle']} {shown}", where
        assert [i["caption"] for i in record["images"]] == [f"{i['caption']} {shown}" for i in truth["images"]], where
        body = paragraphs(record["body"])
        attacked_paragraphs = [n for n, text in enumerate(body) if text.endswith(f" {shown}")]
        assert len(attacked_paragraphs) == 1, (where, [text for text in body if shown in text])
        [attacked_paragraph] = attacked_paragraphs
        body[attacked_paragraph] = body[attacked_paragraph][:-len(f" {shown}")]
        assert body == paragraphs(truth["body"]), where
        assert html.escape(shown, quote=False) in record["body_html"], where  # shown as text, not as markup
        assert not MARKUP.search(record["body_html"]), where


def test_script_and_style_source_reaches_no_field(hostile: dict[str, Any]) -> None:
    """Every text field is exactly the truth's (the hidden markup adds nothing a reader sees)."""
    bylines = 0
    for record, truth, source in attacked(hostile, "script"):
        marker = re.search(r"LEAK\d\dX", source)[0]  # type: ignore[index]
        fields = {k: record[k] for k in (*TEXT_FIELDS, "body_html")}
        fields["captions"] = [i["caption"] for i in record["images"]]
        assert marker not in json.dumps(fields), (source, {k: v for k, v in fields.items() if marker in str(v)})
        for name in ("title", "subtitle", "author", "source", "body", "category"):
            assert record[name] == truth[name], (source, name, record[name])
        assert fields["captions"] == [i["caption"] for i in truth["images"]], source
        assert not MARKUP.search(record["body_html"] or ""), source
        bylines += truth["author"] is not None
    assert bylines >= len(SCRIPTS) // 2  # the byline attack hit most of them


def test_no_canonical_moves_a_record_off_the_site(hostile: dict[str, Any]) -> None:
    for record, truth, attack in attacked(hostile, "canonical"):
        assert record["url"] == truth["url"], attack
        assert record["id"].split(":", 1)[1] == str(truth["id"]), attack


def test_nothing_is_requested_off_the_origin(hostile: dict[str, Any]) -> None:
    assert hostile["other"].log == []


def test_every_record_is_on_the_site_and_its_text_has_no_markup(hostile: dict[str, Any]) -> None:
    front = urlsplit(hostile["front"].origin)
    shown_markup = {i for i, (_, shown) in hostile["attacks"]["entity"] if MARKUP.search(shown)}
    assert len(hostile["records"]) >= len(hostile["truth"]) * 0.95
    for article_id, record in hostile["records"].items():
        parts = urlsplit(record["url"])
        assert (parts.scheme, parts.netloc) == (front.scheme, front.netloc), record["url"]
        for image in record["images"]:
            assert urlsplit(image["url"]).netloc == front.netloc, image
        if article_id in shown_markup:
            continue  # this page *shows* the text '<script>…' (written with entities)
        text = [record[k] or "" for k in TEXT_FIELDS] + [i["caption"] or "" for i in record["images"]]
        assert not any(MARKUP.search(t) for t in text), (article_id, [t for t in text if MARKUP.search(t)])
