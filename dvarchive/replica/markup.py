"""The inside of ``div.news-content``: one article body in each of the site's markup variations.

Mirrors the README's list: paragraph styles, decomposed text, numeric entities, image boxes,
bylines, sources, the "Tin liên quan" box, "Xem thêm tại" links and trailing empty paragraphs.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from dvarchive.replica.model import Article, Attachment, Body, Image, RelatedLink

INDENT = "&nbsp;&nbsp;&nbsp; "
MSO_SPAN = '<span style="font-size:13.0pt;font-family:&quot;Times New Roman&quot;">'
EMPTY_PARAGRAPH = "<p>&nbsp;</p>"
BR_BREAK = "<br />\n<br />\n"


def esc(text: str) -> str:
    """Escape text for element content and double-quoted attributes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def as_entities(html: str) -> str:
    """Every non-ASCII character as a decimal numeric entity ('ậ' -> '&#7853;')."""
    return "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in html)


def paragraph_html(text: str, style: str, index: int = 0) -> str:
    escaped = esc(text)
    if style == "p-indent":
        return f"<p>{INDENT}{escaped}</p>"
    if style == "div":
        return f"<div>{escaped}</div>"
    if style == "mso":
        return f'<p class="MsoNormal" style="text-align:justify">{MSO_SPAN}{escaped}<o:p></o:p></span></p>'
    if style == "malformed":
        # unclosed <P> (closed by the next block), an unclosed <b>, unquoted attributes
        return f"<P align=justify><b>{escaped}" if index == 1 else f"<P align=justify>{escaped}"
    return f"<p>{escaped}</p>"


def image_html(image: Image) -> str:
    if image.style == "table":
        caption = (f'<tr><td class="image-caption"><em>{esc(image.caption)}</em></td></tr>'
                   if image.caption is not None else "")
        return (f'<table class="image-box" align="center" cellpadding="3"><tbody><tr><td>'
                f'<img src="{image.path}" alt="" width="500" /></td></tr>{caption}</tbody></table>')
    caption = (f'<p style="text-align: center;"><em>{esc(image.caption)}</em></p>'
               if image.caption is not None else "")
    return f'<p style="text-align: center;"><img src="{image.path}" alt="" /></p>{caption}'


def related_html(links: Sequence[RelatedLink], style: str) -> str:
    items = "".join(f'<li><a href="{link.path}">{esc(link.title)}</a></li>' for link in links)
    if style == "p-ul":
        return f"<p><strong>Tin liên quan:</strong></p><ul>{items}</ul>"
    return f'<div class="related"><strong>Tin liên quan:</strong><ul>{items}</ul></div>'


def byline_html(author: str, style: str) -> str:
    name = esc(author)
    if style == "div-right-b":
        return f'<div style="text-align: right;"><b>{name}</b></div>'
    if style == "p-align-right":
        return f'<p align="right"><em><strong>{name}</strong></em></p>'
    if style == "tin-anh":
        return f'<p style="text-align: right;"><em>Tin, ảnh: {name}</em></p>'
    return f'<p style="text-align: right;"><strong>{name}</strong></p>'


def source_html(source: str, style: str) -> str:
    if style == "strong-label":
        return f"<p><strong>Nguồn:</strong> {esc(source)}</p>"
    return f"<p><em>(Nguồn: {esc(source)})</em></p>"


def see_also_html(url: str) -> str:
    return f'<p>Xem thêm tại: <a href="{url}" target="_blank">{url}</a></p>'


def _images_after(body: Body, index: int) -> list[str]:
    return [image_html(image) for image in body.images if image.after_paragraph == index]


def _paragraph_blocks(body: Body, style: str) -> list[list[str]]:
    """One group per paragraph: the paragraph then the images that follow it."""
    return [[paragraph_html(text, style, index), *_images_after(body, index)]
            for index, text in enumerate(body.paragraphs)]


def _br_separated_div(body: Body) -> str:
    """All paragraphs in one <div>, split by <br /><br />, images inline (sample article 987)."""
    pieces: list[str] = []
    for index, text in enumerate(body.paragraphs):
        pieces.append(esc(text))
        pieces.extend(_images_after(body, index))
    return "<div>" + BR_BREAK.join(pieces) + "</div>"


def body_blocks(article: Article, body: Body, *, malformed: bool = False) -> list[str]:
    """The top-level blocks of the article's news-content, in page order."""
    style = "malformed" if malformed else article.style.paragraphs
    related = [related_html(body.related, article.style.related)] if body.related else []
    if style == "div-br":
        blocks = [_br_separated_div(body), *related]
    else:
        groups = _paragraph_blocks(body, style)
        if related:
            at = body.related_after if body.related_after is not None else len(groups) - 1
            groups[at] = groups[at] + related
        blocks = [block for group in groups for block in group]
    if body.see_also_url:
        blocks.append(see_also_html(body.see_also_url))
    if body.source:
        blocks.append(source_html(body.source, article.style.source))
    if body.author:
        blocks.append(byline_html(body.author, article.style.byline))
    blocks.extend([EMPTY_PARAGRAPH] * body.trailing_empty)
    return blocks


def encode_text_variant(html: str, article: Article) -> str:
    """Apply the article's character-level variation (NFD, numeric entities) to its content."""
    if article.style.nfd_body:
        html = unicodedata.normalize("NFD", html)
    if article.style.paragraphs == "entities":
        html = as_entities(html)
    return html


def content_html(article: Article, body: Body, *, malformed: bool = False,
                 planted: Sequence[str] = ()) -> str:
    """The inner HTML of ``div.news-content``; ``planted`` markup (XSS vectors) goes between blocks."""
    blocks = body_blocks(article, body, malformed=malformed)
    if planted:
        blocks = _interleave(blocks, planted)
    html = encode_text_variant("\n".join(blocks), article)
    return html + "\n</div>" if malformed else html     # a stray </div>, as the old editor left


def _interleave(blocks: list[str], planted: Sequence[str]) -> list[str]:
    """Spread ``planted`` over the gaps after each block, round robin."""
    gaps: list[list[str]] = [[] for _ in blocks]
    for index, piece in enumerate(planted):
        gaps[index % len(gaps)].append(piece)
    return [item for block, extra in zip(blocks, gaps) for item in (block, *extra)]


def attachments_html(attachments: Sequence[Attachment]) -> str:
    items = "".join(f'<li><a href="{a.path}" target="_blank"><img src="/Images/icon-file.gif" alt="" /> '
                    f"{esc(a.name)}</a></li>" for a in attachments)
    return f'<div class="attachments"><span class="label">Tệp đính kèm:</span><ul>{items}</ul></div>'


def sapo_html(article: Article) -> str:
    """``div.news-sapo`` in the article's sapo style ('' when the page has none)."""
    style = article.style.sapo
    if style == "absent":
        return ""
    text = esc(article.sapo)
    if article.style.nfd_body:
        text = unicodedata.normalize("NFD", text)
    inner = f"<strong>{text}</strong>" if style == "strong" else text
    return f'<div class="news-sapo">{inner}</div>\n'
