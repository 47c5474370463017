"""Audio files built byte by byte for the recording tests: WebM as Chrome's MediaRecorder
writes it (Segment and Clusters of unknown size, no Duration) or with a Duration, and
Ogg Opus pages written by mutagen."""

from __future__ import annotations

import struct

from mutagen.ogg import OggPage

UNKNOWN = b"\x01\xff\xff\xff\xff\xff\xff\xff"


def ebml(element_id: int, payload: bytes = b"", *, unknown: bool = False) -> bytes:
    """One EBML element: its id, an 8-byte size (or "unknown") and its payload."""
    head = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    size = UNKNOWN if unknown else ((1 << 56) | len(payload)).to_bytes(8, "big")
    return head + size + payload


def webm(
    seconds: float,
    *,
    doctype: bytes = b"webm",
    declared: float | None = None,
    video: bool = False,
    audio: bool = True,
    step_ms: int = 1000,
    frame: bytes = b"\x00" * 20,
    blocks: bool = True,
) -> bytes:
    """A WebM file whose audio blocks run `seconds` long, one block every `step_ms`;
    `declared` writes a Segment Info Duration (seconds) that may say otherwise."""
    header = ebml(0x1A45DFA3, ebml(0x4286, b"\x01") + ebml(0x4282, doctype))
    info = ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big"))
    if declared is not None:
        info += ebml(0x4489, struct.pack(">d", declared * 1000))
    tracks = b""
    if audio:
        tracks += ebml(0xAE, ebml(0xD7, b"\x01") + ebml(0x83, b"\x02") + ebml(0x86, b"A_OPUS"))
    if video:
        tracks += ebml(0xAE, ebml(0xD7, b"\x02") + ebml(0x83, b"\x01") + ebml(0x86, b"V_VP8"))
    clusters = b""
    total = int(seconds * 1000)
    for start in range(0, total + 1, 30_000):  # a block's offset is a 16-bit number of ms
        body = ebml(0xE7, start.to_bytes(4, "big"))
        for offset in range(0, min(30_000, total - start + 1), step_ms if blocks else 10**9):
            if blocks:
                body += ebml(
                    0xA3, b"\x81" + offset.to_bytes(2, "big", signed=True) + b"\x80" + frame
                )
        clusters += ebml(0x1F43B675, body, unknown=True)
    segment = ebml(0x1549A966, info) + ebml(0x1654AE6B, tracks) + clusters
    return header + ebml(0x18538067, segment, unknown=True)


def ogg_opus(seconds: float) -> bytes:
    """An Ogg Opus file `seconds` long (by its last granule position, as players read it)."""
    pre_skip = 312
    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", pre_skip, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 4) + b"test" + struct.pack("<I", 0)
    pages = []
    for sequence, (packets, position) in enumerate(
        [([head], 0), ([tags], 0), ([b"\xfc" + b"\x00" * 40], pre_skip + int(seconds * 48000))]
    ):
        page = OggPage()
        page.serial, page.sequence, page.position, page.packets = 1, sequence, position, packets
        page.first = sequence == 0
        page.last = sequence == 2
        pages.append(page.write())
    return b"".join(pages)
