"""dvarchive.normalize.html: body_html is whitelisted, absolute, and safe.

The vectors are from the OWASP XSS Filter Evasion Cheat Sheet (and a few mutation-XSS classics).
Each one is parsed the way pages are (lxml's HTML parser), sanitized, and the output re-parsed to
check structurally that only whitelisted tags and attributes and only http(s) URLs survive.
"""
from __future__ import annotations

import re

import pytest
from lxml import etree

from dvarchive.normalize.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, safe_url, sanitize_body_html

BASE = "https://danvan.example.gov.vn/tin-hoat-dong/bai-1234.html"
PARSER = etree.HTMLParser()

OWASP_VECTORS = [
    """<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>""",
    """javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/"/+/onmouseover=1/+/[*/[]/+alert(1)//'>""",
    """<IMG SRC="javascript:alert('XSS');">""",
    """<IMG SRC=javascript:alert('XSS')>""",
    """<IMG SRC=JaVaScRiPt:alert('XSS')>""",
    """<IMG SRC=`javascript:alert("RSnake says, 'XSS'")`>""",
    """<a onmouseover="alert(document.cookie)">xxs link</a>""",
    """<a onmouseover=alert(document.cookie)>xxs link</a>""",
    """<IMG \"\"\"><SCRIPT>alert("XSS")</SCRIPT>"\\>""",
    """<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>""",
    """<IMG SRC=# onmouseover="alert('xxs')">""",
    """<IMG SRC= onmouseover="alert('xxs')">""",
    """<IMG onmouseover="alert('xxs')">""",
    """<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>""",
    """<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">""",
    """<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>""",
    """<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>""",
    """<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>""",
    """<IMG SRC="jav	ascript:alert('XSS');">""",
    """<IMG SRC="jav&#x09;ascript:alert('XSS');">""",
    """<IMG SRC="jav&#x0A;ascript:alert('XSS');">""",
    """<IMG SRC="jav&#x0D;ascript:alert('XSS');">""",
    """<IMG SRC=" &#14;  javascript:alert('XSS');">""",
    """<a href="jav&#x09;ascript:alert(1)">tab</a><a href="&#x01;javascript:alert(1)">c0</a>""",
    """<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>""",
    """<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>""",
    """<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>""",
    """<<SCRIPT>alert("XSS");//\\<</SCRIPT>""",
    """<SCRIPT SRC=http://xss.rocks/xss.js?< B >""",
    """<SCRIPT SRC=//xss.rocks/.j>""",
    """<IMG SRC="`<javascript:alert>`('XSS')\"""",
    """<iframe src=http://xss.rocks/scriptlet.html <""",
    """\\";alert('XSS');//</script><script>alert(1)</script>""",
    """</TITLE><SCRIPT>alert("XSS");</SCRIPT>""",
    """<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">""",
    """<BODY BACKGROUND="javascript:alert('XSS')">""",
    """<IMG DYNSRC="javascript:alert('XSS')"><IMG LOWSRC="javascript:alert('XSS')">""",
    """<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>""",
    """<svg/onload=alert('XSS')>""",
    """<BGSOUND SRC="javascript:alert('XSS');"><BR SIZE="&{alert('XSS')}">""",
    """<LINK REL="stylesheet" HREF="javascript:alert('XSS');">""",
    """<STYLE>@import'http://xss.rocks/xss.css';</STYLE>""",
    """<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">""",
    """<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">""",
    """<IFRAME SRC="javascript:alert('XSS');"></IFRAME>""",
    """<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>""",
    """<TABLE BACKGROUND="javascript:alert('XSS')"><TR><TD BACKGROUND="javascript:alert('XSS')">x</TD></TR></TABLE>""",
    """<DIV STYLE="background-image: url(javascript:alert('XSS'))">x</DIV>""",
    """<DIV STYLE="width: expression(alert('XSS'));">x</DIV>""",
    """<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">""",
    """<BASE HREF="javascript:alert('XSS');//">""",
    """<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>""",
    """<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>""",
    """<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->""",
    """<XSS STYLE="behavior: url(xss.htc);">""",
    """<a href="vbscript:msgbox('XSS')">vb</a><a href="livescript:[code]">ls</a>""",
    """<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>""",
    """<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">x</button><input onfocus=alert(3) autofocus></form>""",
    """<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>""",
    """<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>""",
    """<details open ontoggle=alert(1)><summary>x</summary></details><video><source onerror=alert(1)></video>""",
    """<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">ent</a>""",
    """<a href="jav&amp;#x09;ascript:alert(1)">double</a><a href=" JaVaScRiPt : alert(1)">sp</a>""",
    """<p title="&quot;><script>alert(1)</script>">attribute breakout</p><img alt="x&quot; onerror=&quot;alert(1)" src="/a.jpg">""",
    """<td colspan="2 onmouseover=alert(1)">x</td><a href="https://ok.example/?q=<script>">ok</a>""",
    """<object data="javascript:alert(1)"></object><applet code="x"></applet><template><img src=x onerror=alert(1)></template>""",
]


def parse_fragment(fragment: str) -> etree._Element:
    root = etree.fromstring(f"<html><body><div id='content'>{fragment}</div></body></html>", PARSER)
    found = root.xpath("//div[@id='content']")
    return found[0] if found else root


def check_structure(output: str) -> None:
    if not output.strip():
        return
    tree = etree.fromstring(f"<html><body><div id='out'>{output}</div></body></html>", PARSER)
    out = tree.xpath("//div[@id='out']")[0]
    for el in out.iterdescendants():
        assert isinstance(el.tag, str), f"comment or PI survived: {output!r}"
        assert el.tag in ALLOWED_TAGS, f"tag {el.tag} in {output!r}"
        for name, value in el.attrib.items():
            assert name in ALLOWED_ATTRIBUTES.get(el.tag, ()), f"attribute {name} in {output!r}"
            if name in ("href", "src"):
                assert re.match(r"^https?://[^\s\x00-\x1f]+$", value), f"URL {value!r} in {output!r}"
            if name in ("colspan", "rowspan"):
                assert value.isdigit()


DANGEROUS = re.compile(
    r"<\s*(script|style|iframe|frame|object|embed|applet|form|input|button|meta|link|base|svg|math|"
    r"template|noscript|bgsound|xss|video|source|details)\b|\bon[a-z]+\s*=|javascript:|vbscript:|livescript:|"
    r"data:|expression\(|\bstyle\s*=|background\s*=|dynsrc|lowsrc|<!--|<\?",
    re.I,
)


@pytest.mark.parametrize("vector", OWASP_VECTORS, ids=range(len(OWASP_VECTORS)))
def test_owasp_vector_is_neutralised(vector: str) -> None:
    output = sanitize_body_html(parse_fragment(vector), BASE)
    check_structure(output)
    # tag and attribute names only: what text and quoted values say is inert (they are escaped)
    assert not DANGEROUS.search(_markup_without_values(output)), output
    # idempotent: sanitizing the output again changes nothing
    assert sanitize_body_html(parse_fragment(output), BASE) == output


def _markup_without_values(output: str) -> str:
    """The tags of ``output`` with their quoted attribute values blanked."""
    return " ".join(re.sub(r'="[^"]*"', '=""', tag) for tag in re.findall(r"<[^>]*>", output))


def test_text_that_looks_like_markup_is_escaped() -> None:
    output = sanitize_body_html(parse_fragment("<p>1 &lt; 2 &amp;&amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>"), BASE)
    assert output == "<p>1 &lt; 2 &amp;&amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_structure_is_kept_and_urls_made_absolute() -> None:
    fragment = (
        '<div class="x" style="color:red"><h1>Tiêu đề</h1><p class="MsoNormal" align="justify">'
        '<span style="font-size:14pt">Đoạn <b>đậm</b> <i>nghiêng</i> <u>gạch</u> <font color=red>màu</font></span>'
        '<o:p></o:p></p></div><div>Đoạn hai</div>'
        '<table class="image-box" width="500"><tbody><tr><td colspan="2" width="10"><img src="../Uploads/a.jpg" '
        'alt="ảnh" width="500" data-x="1"></td></tr></tbody></table>'
        '<ul><li><a href="/van-ban/x-1240.html" target="_blank" rel="nofollow" title="Văn bản">VB</a></li></ul>'
        '<blockquote>Trích</blockquote><h5>Nhỏ</h5><p>&nbsp;</p><p><img src="data:image/png;base64,AAAA"></p>'
    )
    assert sanitize_body_html(parse_fragment(fragment), BASE) == (
        "<h2>Tiêu đề</h2><p>Đoạn <b>đậm</b> <i>nghiêng</i> <u>gạch</u> màu</p><p>Đoạn hai</p>"
        '<table><tr><td colspan="2"><img src="https://danvan.example.gov.vn/Uploads/a.jpg" alt="ảnh"></td></tr></table>'
        '<ul><li><a href="https://danvan.example.gov.vn/van-ban/x-1240.html" title="Văn bản">VB</a></li></ul>'
        "<blockquote>Trích</blockquote><h4>Nhỏ</h4>"
    )


def test_skip_leaves_out_elements() -> None:
    root = parse_fragment("<p>Giữ</p><p>Bỏ</p>")
    assert sanitize_body_html(root, BASE, skip={root[1]}) == "<p>Giữ</p>"


def test_hidden_elements_are_dropped() -> None:
    root = parse_fragment('<p>Thấy</p><p style="display: none">Ẩn</p><span style="visibility:hidden">Ẩn</span>')
    assert sanitize_body_html(root, BASE) == "<p>Thấy</p>"


def test_output_is_nfc() -> None:
    import unicodedata

    root = parse_fragment(unicodedata.normalize("NFD", "<p>Dân vận khéo</p>"))
    assert sanitize_body_html(root, BASE) == "<p>Dân vận khéo</p>"


@pytest.mark.parametrize("value, expected", [
    ("/a.jpg", "https://danvan.example.gov.vn/a.jpg"),
    ("b.jpg", "https://danvan.example.gov.vn/tin-hoat-dong/b.jpg"),
    ("//cdn.example.com/c.jpg", "https://cdn.example.com/c.jpg"),
    ("http://other.example/x", "http://other.example/x"),
    (" https://ok.example/ ", "https://ok.example/"),
    ("javascript:alert(1)", None),
    ("JAVASCRIPT:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("java\x00script:alert(1)", None),
    ("\x01javascript:alert(1)", None),
    ("jav&#x09;ascript:alert(1)", None),
    ("vbscript:msgbox(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("mailto:a@b.c", None),
    ("ftp://files.example/x", None),
    ("https://", None),
    ("#top", None),
    ("/Uploads/images/ảnh hội nghị.jpg", "https://danvan.example.gov.vn/Uploads/images/ảnh%20hội%20nghị.jpg"),
    ("`javascript:alert(1)`", None),
    ('onmouseover="alert(1)"', None),
    ("", None),
    (None, None),
])
def test_safe_url(value: str | None, expected: str | None) -> None:
    assert safe_url(value, BASE) == expected
