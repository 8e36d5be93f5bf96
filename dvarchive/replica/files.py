"""Small real binary files the pages link to: attachments (PDF, Word/RTF), images, the app.

All bytes are generated, deterministic and valid for their type (a PDF reader opens the PDFs,
Word opens the ``.doc`` files — RTF, as the old portal's editors saved them).
"""
from __future__ import annotations

import functools
import io
import random
import zipfile

GIF_1X1 = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
           b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
APK_BYTES = 2 * 1024 * 1024
SITE_CSS = b"body{font-family:Arial,sans-serif;font-size:13px}.news-title{font-size:20px;color:#a00}\n"
JQUERY_STUB = b"/*! jQuery stand-in for the replica */window.$=window.jQuery=function(){return{css:function(){}}};\n"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


@functools.cache
def grey_jpeg() -> bytes:
    """A valid baseline JPEG: one 8x8 block of mid grey.

    Single-code Huffman tables: DC category 0 and AC end-of-block are each the 1-bit code '0',
    so the whole scan is the bits '00' padded with ones (0x3F).
    """
    one_code = bytes([1] + [0] * 15) + b"\x00"
    return b"".join((
        b"\xff\xd8",
        _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        _segment(0xDB, b"\x00" + b"\x01" * 64),
        _segment(0xC0, b"\x08\x00\x08\x00\x08\x01\x01\x11\x00"),
        _segment(0xC4, b"\x00" + one_code),
        _segment(0xC4, b"\x10" + one_code),
        _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
        b"\x3f",
        b"\xff\xd9",
    ))


def pdf_document(title: str) -> bytes:
    """A one-page PDF showing ``title`` (ASCII-folded: the standard Helvetica font has no Vietnamese)."""
    text = title.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 56 780 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def rtf_document(title: str) -> bytes:
    """A Word-readable RTF document with ``title`` in Vietnamese (``\\uN?`` escapes)."""
    def rtf_escape(text: str) -> str:
        return "".join(ch if ord(ch) < 128 and ch not in "\\{}" else
                       (f"\\{ch}" if ch in "\\{}" else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
                       for ch in text)
    return ("{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs26 "
            f"{rtf_escape(title)}\\par }}\n").encode("ascii")


@functools.cache
def android_app() -> bytes:
    """A 2 MiB APK-shaped ZIP (manifest + an incompressible classes.dex), built once."""
    payload = random.Random(20180228).randbytes(APK_BYTES - 2048)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in (("AndroidManifest.xml", b"<manifest package=\"vn.gov.danvan\"/>"),
                           ("classes.dex", payload)):
            info = zipfile.ZipInfo(name, date_time=(2018, 2, 28, 9, 21, 0))
            archive.writestr(info, data)
    return buffer.getvalue()
