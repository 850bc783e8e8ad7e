"""Hostile and valid files for every upload field: (name, content)."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

HTML = b"<!doctype html><html><body><script>alert(document.domain)</script></body></html>"


def png(size=(8, 8), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG", **save)
    return buffer.getvalue()


def pdf(change=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if change:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _open_action(kind, key, value):
    def change(writer):
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject(kind), NameObject(key): TextStringObject(value)}
        )

    return change


CASES = {
    "png+html": ("chain.png", b"\x89PNG\r\n\x1a\n" + HTML),
    "webp+html": ("chain.html", b"RIFF\x00\x00\x00\x00WEBPVP8 " + HTML),
    "gif+html": ("chain.gif", b"GIF89a" + HTML),
    "jpeg+html": ("chain.jpg", b"\xff\xd8\xff\xe0" + HTML),
    "pdf+html": ("chain.pdf", b"%PDF-1.7\n" + HTML),
    "html as .png": ("page.png", HTML),
    "svg+script": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "pdf /JavaScript": ("js.pdf", pdf(_open_action("/JavaScript", "/JS", "app.alert(1);"))),
    "pdf /Launch": ("launch.pdf", pdf(_open_action("/Launch", "/F", "cmd.exe"))),
    "pdf embedded file": ("embed.pdf", pdf(lambda w: w.add_attachment("x.html", HTML))),
    "valid png+html tail": ("tail.png", png() + HTML),
    "oversized": ("big.png", png() + b"\x00" * (6 * 1024 * 1024)),
    "zero bytes": ("empty.png", b""),
    "valid image": ("Logo Köln.png", png()),
    "valid pdf": ("Zertifikat – Köln.pdf", pdf()),
}
