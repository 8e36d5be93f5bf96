"""``report.html``: the shape of a collection at a glance, in one self-contained HTML file.

Counts, tables and charts of a set of records (and, from a crawl state, of its runs): the
total, articles per month (with the months that have none between the first and the last,
possible gaps in the archive), per category, field coverage, body length, extractor shares
and the runs over time. Charts are drawn by matplotlib's SVG backend (a ``Figure`` with its
own canvas: no pyplot, no global backend) and inlined; glyphs are drawn as paths, so the
file needs no font, script, stylesheet or image from anywhere. The same input gives the same
bytes: SVG ids are salted with a constant and the SVG carries no date.
"""
from __future__ import annotations

import html
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvarchive import __version__

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from dvarchive.state import RunSummary

REPORT_NAME = "report.html"
COVERAGE_FIELDS: tuple[tuple[str, str], ...] = (
    ("author", "author"), ("subtitle", "lead (subtitle)"), ("images", "images"),
    ("attachments", "attachments"), ("source", "source"), ("modified", "modified date"),
    ("tags", "tags"), ("published", "publication date"),
)
RUN_SERIES: tuple[tuple[str, str], ...] = (
    ("new", "#2b6cb0"), ("changed", "#d69e2e"), ("withdrawn", "#9b2c2c"), ("errors", "#718096"),
)
BAR = "#2b6cb0"
_SVG_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a202c}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #cbd5e0}
.total{font-size:1.3rem}.total strong{font-size:2.2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .7rem;border-bottom:1px solid #e2e8f0;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td{white-space:nowrap}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}.muted{color:#718096}
"""


# --------------------------------------------------------------------------- numbers


def present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def month_counts(records: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Articles per publication month (``YYYY-MM`` in Vietnam time), every month from the first
    to the last included (zero where nothing was published)."""
    counts = Counter(r["published"][:7] for r in records if r.get("published"))
    if not counts:
        return {}
    months = month_range(min(counts), max(counts))
    return {month: counts.get(month, 0) for month in months}


def month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def gap_months(per_month: dict[str, int]) -> list[str]:
    return [month for month, count in per_month.items() if count == 0]


def coverage(records: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(label, sum(1 for r in records if present(r.get(name)))) for name, label in COVERAGE_FIELDS]


def counted(values: Sequence[Any], missing: str) -> list[tuple[str, int]]:
    counts = Counter(missing if v is None or v == "" else str(v) for v in values)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass
class Numbers:
    total: int
    per_month: dict[str, int]
    gaps: list[str]
    categories: list[tuple[str, int]]
    coverage: list[tuple[str, int]]
    extractors: list[tuple[str, int]]
    word_counts: list[int]
    undated: int

    @classmethod
    def of(cls, records: Sequence[dict[str, Any]]) -> Numbers:
        per_month = month_counts(records)
        return cls(total=len(records), per_month=per_month, gaps=gap_months(per_month),
                   categories=counted([r.get("category") for r in records], "(no category)"),
                   coverage=coverage(records),
                   extractors=counted([r.get("extractor") for r in records], "(unknown)"),
                   word_counts=[int(r.get("word_count") or 0) for r in records],
                   undated=sum(1 for r in records if not r.get("published")))


# --------------------------------------------------------------------------- charts


def new_figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    figure.patch.set_alpha(0)
    return figure


def svg_of(figure: Figure) -> str:
    """The figure as an inline ``<svg>`` element: no XML prologue, no DOCTYPE, no RDF metadata."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "dvarchive-report", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = _SVG_METADATA.sub("", _SVG_PROLOGUE.sub("", buffer.getvalue(), count=1))
    return text.strip()


def month_chart(per_month: dict[str, int]) -> str:
    figure = new_figure(9, 3)
    axes = figure.add_subplot()
    months = list(per_month)
    axes.bar(range(len(months)), list(per_month.values()), width=0.9, color=BAR)
    ticks = [i for i, m in enumerate(months) if m.endswith("-01")] or [0]
    step = max(1, len(ticks) // 12)
    axes.set_xticks(ticks[::step], [months[i][:4] if months[i].endswith("-01") else months[i]
                                    for i in ticks[::step]])
    axes.set_ylabel("articles")
    axes.set_xlim(-1, len(months))
    _tidy(axes)
    return svg_of(figure)


def horizontal_bars(items: Sequence[tuple[str, float]], *, xlabel: str, limit: int | None = None,
                    percent: bool = False) -> str:
    shown = list(items[:limit] if limit else items)
    figure = new_figure(8, 0.8 + 0.32 * max(len(shown), 1))
    axes = figure.add_subplot()
    labels = [label for label, _ in shown][::-1]
    values = [value for _, value in shown][::-1]
    bars = axes.barh(range(len(shown)), values, color=BAR)
    axes.set_yticks(range(len(shown)), labels)
    axes.bar_label(bars, labels=[f"{v:.0f} %" if percent else f"{v:,.0f}" for v in values], padding=3)
    axes.set_xlabel(xlabel)
    if percent:
        axes.set_xlim(0, 110)
    _tidy(axes, None if percent else "x")
    return svg_of(figure)


def length_chart(word_counts: Sequence[int]) -> str:
    figure = new_figure(8, 3)
    axes = figure.add_subplot()
    axes.hist(word_counts, bins=min(40, max(5, len(set(word_counts)))), color=BAR)
    axes.set_xlabel("words in body")
    axes.set_ylabel("articles")
    _tidy(axes)
    return svg_of(figure)


def runs_chart(runs: Sequence[RunSummary]) -> str:
    figure = new_figure(9, 3.2)
    axes = figure.add_subplot()
    positions = range(len(runs))
    width = 0.8 / len(RUN_SERIES)
    for index, (name, colour) in enumerate(RUN_SERIES):
        offset = (index - (len(RUN_SERIES) - 1) / 2) * width
        axes.bar([p + offset for p in positions], [getattr(run, name) for run in runs], width=width,
                 color=colour, label=name)
    step = max(1, len(runs) // 12)
    axes.set_xticks(list(positions)[::step], [f"#{r.run_id}\n{r.started_at[:10]}\n{r.started_at[11:16]}" for r in runs][::step])
    axes.set_ylabel("articles")
    axes.legend(loc="upper right", frameon=False, ncols=len(RUN_SERIES))
    _tidy(axes)
    return svg_of(figure)


def _tidy(axes: Any, counts_on: str | None = "y") -> None:
    """No top/right frame; whole-number ticks on the axis that counts articles."""
    from matplotlib.ticker import MaxNLocator

    if counts_on:
        getattr(axes, f"{counts_on}axis").set_major_locator(MaxNLocator(integer=True))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


# --------------------------------------------------------------------------- HTML


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[int] = ()) -> str:
    def cells(tag: str, values: Sequence[Any]) -> str:
        return "".join(f"<{tag}{' class=n' if i in numeric else ''}>{esc(v)}</{tag}>" for i, v in enumerate(values))

    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f"<table><thead><tr>{cells('th', header)}</tr></thead><tbody>{body}</tbody></table>"


def figure_html(svg: str, caption: str) -> str:
    return f'<figure class="chart">{svg}<figcaption class="muted">{esc(caption)}</figcaption></figure>'


def share(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def months_section(numbers: Numbers) -> list[str]:
    if not numbers.per_month:
        return ["<h2>Articles per month</h2>", "<p>No record has a publication date.</p>"]
    first, last = next(iter(numbers.per_month)), list(numbers.per_month)[-1]
    parts = ["<h2>Articles per month</h2>",
             figure_html(month_chart(numbers.per_month), f"Articles per month of publication, {first} to {last}"
                         f" (Vietnam time); {numbers.undated} undated record(s) not shown."),
             "<h2>Months with no article (possible gaps)</h2>"]
    if numbers.gaps:
        parts.append(f"<p>{len(numbers.gaps)} of {len(numbers.per_month)} months between {esc(first)} and "
                     f"{esc(last)} have no article:</p><p class=gaps>{esc(', '.join(numbers.gaps))}</p>")
    else:
        parts.append(f"<p>None: every month from {esc(first)} to {esc(last)} has at least one article.</p>")
    return parts


def records_sections(numbers: Numbers) -> list[str]:
    total = numbers.total
    cover = [(label, share(count, total)) for label, count in numbers.coverage]
    extractors = [(name, share(count, total)) for name, count in numbers.extractors]
    return [
        *months_section(numbers),
        "<h2>Articles per category</h2>",
        figure_html(horizontal_bars(numbers.categories, xlabel="articles", limit=25),
                    "Articles per category (the 25 largest)."),
        table(["category", "articles", "share"],
              [(n, f"{c:,}", f"{share(c, total):.1f} %") for n, c in numbers.categories], numeric=(1, 2)),
        "<h2>Field coverage</h2>",
        figure_html(horizontal_bars(cover, xlabel="share of records with a value (%)", percent=True),
                    "Share of records where the field has a value."),
        table(["field", "records", "share"],
              [(label, f"{c:,}", f"{share(c, total):.1f} %") for label, c in numbers.coverage], numeric=(1, 2)),
        "<h2>Body length</h2>",
        figure_html(length_chart(numbers.word_counts), "Distribution of the number of words in the body."),
        table(["smallest", "median", "largest"], [length_summary(numbers.word_counts)], numeric=(0, 1, 2)),
        "<h2>Extractors</h2>",
        figure_html(horizontal_bars(extractors, xlabel="share of records (%)", percent=True),
                    "Which page layout extracted the records (a generic share means pages the site "
                    "layout did not recognise)."),
        table(["extractor", "records", "share"],
              [(n, f"{c:,}", f"{share(c, total):.1f} %") for n, c in numbers.extractors], numeric=(1, 2)),
    ]


def length_summary(word_counts: Sequence[int]) -> tuple[str, str, str]:
    if not word_counts:
        return ("–", "–", "–")
    ordered = sorted(word_counts)
    return (f"{ordered[0]:,}", f"{ordered[len(ordered) // 2]:,}", f"{ordered[-1]:,}")


def runs_section(runs: Sequence[RunSummary] | None) -> list[str]:
    if runs is None:
        return []
    parts = ["<h2>Crawl runs</h2>"]
    if not runs:
        return parts + ["<p>The crawl state has no run.</p>"]
    parts.append(figure_html(runs_chart(runs), "Articles new, changed and withdrawn, and errors, per run."))
    rows = [(r.run_id, r.mode, r.started_at, r.ended_at or "–", r.new, r.changed, r.unchanged, r.withdrawn,
             r.errors, r.finish_reason or "–") for r in runs]
    parts.append(table(["run", "mode", "started", "ended", "new", "changed", "unchanged", "withdrawn",
                        "errors", "finish"], rows, numeric=(0, 4, 5, 6, 7, 8)))
    return parts


def render_report(records: Sequence[dict[str, Any]], *, runs: Sequence[RunSummary] | None = None,
                  title: str, source: str, created: str) -> str:
    """The report as an HTML string (``runs`` from a crawl state; None: no runs section)."""
    numbers = Numbers.of(records)
    body = [f"<h1>{esc(title)}</h1>",
            f"<p class=total><strong id=total>{numbers.total:,}</strong> articles</p>",
            f"<p class=muted>From {esc(source)}; made by dvarchive {esc(__version__)} on the records "
            f"fetched up to {esc(created)}.</p>"]
    if numbers.total:
        body += records_sections(numbers)
    else:
        body.append("<p>No article: nothing to chart.</p>")
    body += runs_section(runs)
    return ("<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
            '<meta name=viewport content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)} — report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def write_report(text: str, path: Path) -> None:
    """Write ``text`` to ``path`` atomically (temp file beside it, renamed into place)."""
    from dvarchive.atomic import write_atomic

    write_atomic(path, [text.encode("utf-8")])
