"""Spoken answers: the one place an uploaded recording is checked, stored and served.

A recording is bytes the browser's MediaRecorder made — or anything else a person sends
to the same URL under an audio name. So the name and the declared content type count for
nothing: the container's own header decides. A WebM file must start with an EBML header
whose DocType is "webm" and hold an audio track and no video; its length is read from
the Segment Info (Duration, which Chrome's live recordings leave out) and from the
timestamps of its audio blocks, whichever is longer, so a header cannot claim a short
recording for a long one. An Ogg file is read by mutagen (Opus or Vorbis only). Every
check reads the bytes once, front to back: the work is linear in the upload's size,
which is capped before anything is parsed.
"""

from __future__ import annotations

import io
import logging
import math
import re
import secrets
import struct
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from mutagen import MutagenError
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from .images import _format_bytes
from .models import Answer, Recording, User

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024  # 10 MB: ten minutes of Opus at Chrome's default bitrate is ~2.4 MB
MAX_SECONDS = 10 * 60
# The recorder stops at MAX_SECONDS; the frame that was being captured then may end a
# little later, so a recording within this much of the cap is still accepted.
GRACE_SECONDS = 2.0

NOT_AUDIO = "This file is not a WebM or Ogg audio recording."
DAMAGED = "The recording is damaged or incomplete: record it again."
EMPTY = "The recording is empty: check that your microphone is on, then record again."
HAS_VIDEO = "Upload an audio recording only: this file holds video."

# EBML element ids (the Matroska/WebM specification), with their marker bits.
_EBML = 0x1A45DFA3
_DOCTYPE = 0x4282
_SEGMENT = 0x18538067
_INFO = 0x1549A966
_TIMECODE_SCALE = 0x2AD7B1
_DURATION = 0x4489
_TRACKS = 0x1654AE6B
_TRACK_ENTRY = 0xAE
_TRACK_TYPE = 0x83
_CLUSTER = 0x1F43B675
_CLUSTER_TIMECODE = 0xE7
_BLOCK_GROUP = 0xA0
_BLOCK = 0xA1
_SIMPLE_BLOCK = 0xA3
# Masters whose children are read; every other element is skipped by its size. Walking
# into them as one flat stream handles "unknown size" masters (a live recording's
# Segment and Clusters) without recursion.
_ENTER = {_SEGMENT, _INFO, _TRACKS, _TRACK_ENTRY, _CLUSTER, _BLOCK_GROUP}
_TRACK_VIDEO, _TRACK_AUDIO = 1, 2


@dataclass(frozen=True)
class CleanRecording:
    """An upload whose container was read: safe to store and to serve as `content_type`."""

    content: ContentFile
    content_type: str  # "audio/webm" or "audio/ogg"
    extension: str  # ".webm" or ".ogg"
    size: int
    duration: float  # seconds


class _Damaged(Exception):
    pass


def clean_recording(
    upload: IO[bytes], *, max_bytes: int = MAX_BYTES, max_seconds: int = MAX_SECONDS
) -> CleanRecording:
    """Return the upload as a checked recording, or raise ValidationError with a message
    for the person who recorded it (never how parsing failed)."""
    data = _read_capped(upload, max_bytes)
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        content_type, extension = "audio/webm", ".webm"
        try:
            duration = webm_duration(data)
        except _Damaged:
            raise ValidationError(DAMAGED, code="damaged") from None
    elif data.startswith(b"OggS"):
        content_type, extension = "audio/ogg", ".ogg"
        duration = ogg_duration(data)
    else:
        raise ValidationError(NOT_AUDIO, code="not_audio")
    if duration <= 0:
        raise ValidationError(EMPTY, code="empty")
    if duration > max_seconds + GRACE_SECONDS:
        raise ValidationError(
            f"The recording is {_clock(duration)} long: at most {_clock(max_seconds)} "
            "fits one answer. Record a shorter one.",
            code="too_long",
        )
    return CleanRecording(
        content=ContentFile(data, name=f"recording{extension}"),
        content_type=content_type,
        extension=extension,
        size=len(data),
        duration=round(min(duration, max_seconds), 2),
    )


def _read_capped(upload: IO[bytes], max_bytes: int) -> bytes:
    too_big = ValidationError(
        f"The recording is larger than {_format_bytes(max_bytes)}: record a shorter one.",
        code="too_many_bytes",
    )
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise too_big
    if getattr(upload, "seekable", lambda: False)():
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_big
    return data


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


# --- WebM --------------------------------------------------------------------------------


def _vint(data: bytes, pos: int, *, element_id: bool = False) -> tuple[int | None, int]:
    """An EBML variable-length integer at `pos`: (value, position after it). An id keeps
    its marker bits; a size loses them, and all ones means "unknown" (None)."""
    if pos >= len(data):
        raise _Damaged
    first = data[pos]
    length = 9 - first.bit_length()  # the count of leading zeros, plus one
    if first == 0 or (element_id and length > 4) or pos + length > len(data):
        raise _Damaged
    value = int.from_bytes(data[pos : pos + length], "big")
    if element_id:
        return value, pos + length
    value &= (1 << (7 * length)) - 1
    return (None if value == (1 << (7 * length)) - 1 else value), pos + length


def _uint(payload: bytes) -> int:
    if len(payload) > 8:
        raise _Damaged
    return int.from_bytes(payload, "big")


def _doctype(header: bytes) -> bytes:
    """The DocType of an EBML header's body (its children, all of known size)."""
    pos = 0
    while pos < len(header):
        eid, pos = _vint(header, pos, element_id=True)
        size, pos = _vint(header, pos)
        if size is None or pos + size > len(header):
            raise _Damaged
        if eid == _DOCTYPE:
            return header[pos : pos + size].rstrip(b"\x00")
        pos += size
    return b""


def webm_duration(data: bytes) -> float:
    """The length in seconds of a WebM audio file. Raises ValidationError for a file that
    is no WebM audio, _Damaged for one that breaks the format."""
    eid, pos = _vint(data, 0, element_id=True)
    size, pos = _vint(data, pos)
    if eid != _EBML or size is None or pos + size > len(data):
        raise _Damaged
    if _doctype(data[pos : pos + size]) != b"webm":
        raise ValidationError(NOT_AUDIO, code="not_audio")
    pos += size
    scale = 1_000_000  # nanoseconds a tick (the TimecodeScale default)
    declared = 0.0  # Segment Info Duration, in ticks
    cluster_time = 0
    last_tick: int | None = None
    tracks: list[int] = []
    seen_segment = False
    length = len(data)
    while pos < length:
        # The ids and sizes are read inline (as _vint does): a ten-minute recording holds
        # some 30,000 blocks, and a hostile 10 MB file up to a million elements.
        first = data[pos]
        n = 9 - first.bit_length()
        if first == 0 or n > 4 or pos + n > length:
            raise _Damaged
        eid = int.from_bytes(data[pos : pos + n], "big")
        pos += n
        if pos >= length:
            raise _Damaged
        first = data[pos]
        n = 9 - first.bit_length()
        if first == 0 or pos + n > length:
            raise _Damaged
        size = int.from_bytes(data[pos : pos + n], "big") & ((1 << (7 * n)) - 1)
        pos += n
        if eid in _ENTER:
            seen_segment |= eid == _SEGMENT
            continue
        if size == (1 << (7 * n)) - 1:  # "unknown" is only for the masters entered above
            raise _Damaged
        end = pos + size
        if end > length:
            if last_tick is not None:
                break  # a last block cut short: the blocks before it still count
            raise _Damaged
        if eid in (_SIMPLE_BLOCK, _BLOCK):
            if size < 4 or data[pos] == 0:  # track number, 16-bit time, flags
                raise _Damaged
            after = pos + 9 - data[pos].bit_length()  # past the track number
            if after + 2 > end:
                raise _Damaged
            tick = cluster_time + int.from_bytes(data[after : after + 2], "big", signed=True)
            if last_tick is None or tick > last_tick:
                last_tick = tick
        elif eid == _CLUSTER_TIMECODE:
            cluster_time = _uint(data[pos:end])
        elif eid == _TIMECODE_SCALE:
            scale = _uint(data[pos:end])
        elif eid == _DURATION:
            declared = _float(data[pos:end])
        elif eid == _TRACK_TYPE:
            tracks.append(_uint(data[pos:end]))
        pos = end
    if not seen_segment:
        raise _Damaged
    if _TRACK_VIDEO in tracks:
        raise ValidationError(HAS_VIDEO, code="video")
    if _TRACK_AUDIO not in tracks:
        raise ValidationError(NOT_AUDIO, code="not_audio")
    if last_tick is None:
        raise ValidationError(EMPTY, code="empty")
    return max(declared, last_tick) * scale / 1e9


def _float(payload: bytes) -> float:
    if len(payload) not in (4, 8):
        raise _Damaged
    value = struct.unpack(">f" if len(payload) == 4 else ">d", payload)[0]
    if not math.isfinite(value) or value < 0:
        raise _Damaged
    return value


# --- Ogg ---------------------------------------------------------------------------------


def ogg_duration(data: bytes) -> float:
    """The length in seconds of an Ogg Opus or Vorbis file (mutagen reads the last page's
    granule position). Anything else in an Ogg container (Theora video, FLAC, Speex) is
    not a recording this site makes."""
    for kind in (OggOpus, OggVorbis):
        try:
            length = kind(io.BytesIO(data)).info.length
        except (MutagenError, struct.error, ValueError, EOFError, IndexError):
            continue
        if not math.isfinite(length) or length < 0:
            raise ValidationError(DAMAGED, code="damaged")
        return length
    raise ValidationError(NOT_AUDIO, code="not_audio")


# --- services ----------------------------------------------------------------------------


def recording_add(*, answer: Answer, clean: CleanRecording) -> Recording:
    """Store a checked recording as one take of `answer` (at most MAX_PER_ANSWER)."""
    with transaction.atomic():
        # Lock the answer: two uploads at once must not both pass the count.
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        if locked.recordings.count() >= Recording.MAX_PER_ANSWER:
            raise ValidationError(
                f"An answer keeps at most {Recording.MAX_PER_ANSWER} recordings: "
                "delete one to record again.",
                code="too_many",
            )
        recording = Recording(
            learner_id=answer.learner_id,
            answer=locked,
            content_type=clean.content_type,
            size=clean.size,
            duration=clean.duration,
        )
        recording.file.save(f"{_token()}{clean.extension}", clean.content, save=False)
        stored = recording.file.name
        try:
            recording.save()
        except Exception:
            recording.file.storage.delete(stored)
            raise
    return recording


def recording_delete(*, recording: Recording) -> None:
    """Delete the row, then (once that is committed) its file."""
    storage, name = recording.file.storage, recording.file.name
    with transaction.atomic():
        recording.delete()
        transaction.on_commit(lambda: delete_files([(storage, name)]))


def delete_files(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # the row is gone already: an orphan file is logged, not fatal
            logger.exception("Could not delete the recording %s", name)


def files_of(user: User) -> list[tuple[object, str]]:
    """(storage, name) of every recording `user` owns: account deletion removes them."""
    return [
        (r.file.storage, r.file.name)
        for r in Recording.objects.filter(learner=user).only("file")
        if r.file.name
    ]


def _token() -> str:
    """A file name nobody can guess, and that says nothing about the answer."""
    return secrets.token_urlsafe(12)


# --- serving -----------------------------------------------------------------------------

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def recording_response(request: HttpRequest, recording: Recording) -> HttpResponse:
    """The recording, with HTTP Range support so an <audio> element can seek: a single
    range answers 206 with that part, a range past the end 416, anything else the whole
    file. The caller has already checked who may hear it."""
    if recording.content_type not in ("audio/webm", "audio/ogg"):
        raise Http404
    try:
        handle = recording.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    size = recording.file.size
    match = _RANGE.fullmatch(request.headers.get("Range", "").strip())
    if match and (match[1] or match[2]):
        first, last = match[1], match[2]
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # "bytes=-500": the last 500 bytes
            start, end = max(0, size - int(last)), size - 1
        if start >= size or start > end:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return _headers(response, recording)
        handle.seek(start)
        body = handle.read(end - start + 1)
        handle.close()
        response = HttpResponse(body, status=206, content_type=recording.content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        return _headers(response, recording)
    response = FileResponse(handle, content_type=recording.content_type)
    return _headers(response, recording)


def _headers(response: HttpResponse, recording: Recording) -> HttpResponse:
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    # Not kept by the browser: access ends with the mentorship, and a deleted take goes.
    response["Cache-Control"] = "no-store, private"
    return response
