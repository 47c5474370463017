"""Small PDFs written byte by byte for the tests: good ones with text, and hostile ones."""

from __future__ import annotations

import zlib


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(
    pages: list[list[str]],
    *,
    count: int | None = None,
    raw_stream: bytes | None = None,
    repeat_kids: int = 1,
) -> bytes:
    """A PDF with one page per list of lines (Helvetica). `count` overrides the page
    tree's /Count (a lie); `raw_stream` replaces the first page's content stream with
    these FlateDecode-compressed bytes; `repeat_kids` lists the pages that many times (a
    small file that claims thousands of pages)."""
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, then per page: page object, content stream.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages) for _ in range(repeat_kids))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(
        f"<< /Type /Pages /Kids [{kids}] /Count {count or n_pages * repeat_kids} >>".encode()
    )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {5 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        if i == 0 and raw_stream is not None:
            objects.append(
                f"<< /Length {len(raw_stream)} /Filter /FlateDecode >>\nstream\n".encode()
                + raw_stream
                + b"\nendstream"
            )
            continue
        ops = "BT /F1 11 Tf 14 TL 72 740 Td " + " ".join(f"({_escape(t)}) Tj T*" for t in lines)
        body = (ops + " ET").encode("latin-1", errors="replace")
        objects.append(f"<< /Length {len(body)} >>\nstream\n".encode() + body + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def bomb(megabytes: int = 200) -> bytes:
    """A page whose content stream inflates to `megabytes` MB of zeros (~0.1% of that
    on disk)."""
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    data = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    return make_pdf([["x"]], raw_stream=data)
