"""The one place uploaded images are made safe.

An upload is only bytes the user chose, whatever its name or content type says. It may be a
huge file, a tiny file that decodes to gigabytes (a decompression bomb), a truncated file, a
file that is also valid HTML or JavaScript (a polyglot), or a photo carrying the GPS position
of the user's home in its EXIF. So nothing the user sent is ever stored or served as-is:
`clean_image` checks the size, lets Pillow read only the header, checks the format and the
pixel count, and only then decodes the pixels and re-encodes them into a fresh file. What is
stored is made from pixels alone, so no metadata, trailing bytes or embedded chunks survive.
"""

from __future__ import annotations

import contextlib
import io
import math
import mimetypes
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024  # 5 MB
# Decoding costs 4 bytes a pixel, and a clean copy as much again: a worker must stay
# under 300 MB while it works, whatever a few kilobytes of file claim. 16 megapixels
# holds a 12-megapixel phone photo and a 5K screenshot. WebP decodes through two more
# full-size buffers (libwebp's canvas and the bytes handed to Pillow), so it gets half.
MAX_PIXELS = 16_000_000  # 16 megapixels
WEBP_MAX_PIXELS = 8_000_000
THUMB_SIZE = (480, 480)
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

# Pillow names a camera JPEG carrying a second picture (most phones write one) "MPO". Its
# first frame is a plain JPEG, so it is a JPEG to the user and to us.
_FORMAT_ALIASES = {"MPO": "JPEG"}

# What each accepted input becomes: JPEG and WebP stay themselves (lossy in, lossy out);
# PNG and GIF become PNG, which keeps them lossless (a GIF keeps its first frame only).
_OUTPUT_FORMATS = {"JPEG": "JPEG", "WEBP": "WEBP", "PNG": "PNG", "GIF": "PNG"}
_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 85},
    "WEBP": {"quality": 85},
    "PNG": {},
}

# Every way Pillow reports bytes it cannot make sense of. Pillow has no single exception for
# "bad file": plugins raise SyntaxError for bad headers, OSError for bad data, and
# ValueError or EOFError for some impossible values and short reads.
_READ_ERRORS = (OSError, SyntaxError, ValueError, EOFError)

NOT_AN_IMAGE = "This file is not an image we can read."
WRONG_FORMAT = "Upload a PNG, JPEG, WebP or GIF image."
DAMAGED = "The image file is damaged or incomplete."


@dataclass(frozen=True)
class CleanImage:
    """An upload re-encoded from its pixels: safe to store and to serve."""

    content: ContentFile  # the full image, re-encoded, with no metadata at all
    thumbnail: ContentFile  # fits in THUMB_SIZE, same aspect ratio and format
    width: int
    height: int
    format: str  # output format: "JPEG", "PNG" or "WEBP"
    extension: str  # ".jpg", ".png" or ".webp", to name the stored files

    def write_to(self, row, stem: str, written: list[str]) -> None:
        """Store the image and its thumbnail in `row`'s `image` and `thumbnail` fields
        (not saving the row), naming each stored file in `written`, so a caller whose
        transaction fails can delete them again."""
        row.image.save(f"{stem}{self.extension}", self.content, save=False)
        written.append(row.image.name)
        row.thumbnail.save(f"thumb{self.extension}", self.thumbnail, save=False)
        written.append(row.thumbnail.name)


def clean_image(
    upload: UploadedFile | IO[bytes],
    *,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> CleanImage:
    """Return `upload` as a freshly encoded image and thumbnail, or raise ValidationError.

    The ValidationError's message is for the user: it says what is wrong with their file,
    never how Pillow failed. Every check that can be made before decoding is made before it,
    so a hostile file costs at most `max_bytes` of reading and a header parse.
    """
    data = _read_capped(upload, max_bytes)
    with warnings.catch_warnings():
        # Pillow only *warns* between its own limit and twice it; a warning would let a
        # bomb through, so here it is an error like the one above twice the limit.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            clean, output_format = _open_clean(data, max_pixels)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            # Pillow refused the size itself (far beyond our own limit): the header was
            # read but the image object is gone, so there are no dimensions to quote.
            raise ValidationError(
                f"The image is too large: at most {_megapixels(max_pixels)} megapixels.",
                code="too_many_pixels",
            ) from None
        except _READ_ERRORS:
            # Also Image.UnidentifiedImageError, an OSError: Pillow knows no such format.
            raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None

    thumb = _thumbnail(clean)
    extension = _EXTENSIONS[output_format]
    return CleanImage(
        content=ContentFile(_encode(clean, output_format), name=f"image{extension}"),
        thumbnail=ContentFile(_encode(thumb, output_format), name=f"thumbnail{extension}"),
        width=clean.width,
        height=clean.height,
        format=output_format,
        extension=extension,
    )


def _open_clean(data: bytes, max_pixels: int) -> tuple[Image.Image, str]:
    """Check, decode and copy the pixels; return the clean image and its output format.

    A function of its own so that the decoded image, and any buffers its decoder keeps
    (WebP keeps two more full-size ones), are freed on return, before encoding starts.
    """
    with Image.open(io.BytesIO(data)) as img:
        output_format = _check_header(img, max_pixels)
        _decode(img)
        return _from_pixels(img, output_format), output_format


def _read_capped(upload: UploadedFile | IO[bytes], max_bytes: int) -> bytes:
    """Read the whole upload from its start, refusing it as soon as it exceeds `max_bytes`.

    A declared size (Django's `UploadedFile.size`) refuses a big upload without reading it;
    either way at most `max_bytes + 1` bytes are read, since a declared size can be wrong
    and a plain stream has none.
    """
    too_big = ValidationError(
        f"The image is larger than {_format_bytes(max_bytes)}.", code="too_many_bytes"
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


def _check_header(img: Image.Image, max_pixels: int) -> str:
    """Check what the header claims, before any pixel is decoded; return the output format.

    Decoding is what costs memory and time (a few kilobytes of PNG can claim 400 million
    pixels), so the pixel count is refused here, from the header alone.
    """
    input_format = _FORMAT_ALIASES.get(img.format or "", img.format)
    if input_format not in ALLOWED_FORMATS:
        raise ValidationError(WRONG_FORMAT, code="wrong_format")
    width, height = img.size
    if width * height > max_pixels:
        raise ValidationError(
            f"The image is too large: at most {_megapixels(max_pixels)} megapixels "
            f"(this one is {width}×{height}).",
            code="too_many_pixels",
        )
    if input_format == "WEBP" and width * height > min(max_pixels, WEBP_MAX_PIXELS):
        raise ValidationError(
            f"A WebP image can have at most {_megapixels(WEBP_MAX_PIXELS)} megapixels "
            f"(this one is {width}×{height}): save it as PNG or JPEG, or make it smaller.",
            code="too_many_pixels",
        )
    return _OUTPUT_FORMATS[input_format]


def _decode(img: Image.Image) -> None:
    """Decode every pixel now, so a damaged file is refused rather than stored.

    Pillow opens lazily: a truncated or corrupt file opens fine and fails only here.
    """
    try:
        img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise  # a GIF frame can be a bomb too: report it as too large, not as damaged
    except _READ_ERRORS:
        raise ValidationError(DAMAGED, code="damaged") from None


def _from_pixels(img: Image.Image, output_format: str) -> Image.Image:
    """Return a new image holding only `img`'s pixels, upright, in a mode `output_format` takes.

    Re-encoding alone is not enough: Pillow carries EXIF, ICC profiles and PNG text chunks
    in `img.info` and may write some of them back when saving. A fresh image has an empty
    `info`, so whatever the upload carried besides pixels cannot reach the output.
    """
    # Phones store photos sideways and set an EXIF orientation; the EXIF goes, so the
    # rotation must be applied to the pixels first or the photo ends up sideways. Malformed
    # EXIF is common and harmless once dropped: orientation is a nicety, not a reason to refuse.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(img, in_place=True)
    mode = _output_mode(img, output_format)
    pixels = img if img.mode == mode else img.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)  # no mask: copies every channel, alpha included, as-is
    return clean


def _output_mode(img: Image.Image, output_format: str) -> str:
    """Pick a mode `output_format` can store that loses as little as possible.

    Palette images become RGB(A) because a fresh image has no palette, and transparency
    kept beside the pixels (a palette alpha or a PNG tRNS colour) becomes an alpha channel,
    the only place it survives in pixels alone.
    """
    alpha = img.has_transparency_data
    if output_format == "JPEG":
        return "L" if img.mode == "L" else "RGB"  # e.g. CMYK JPEGs become RGB
    if output_format == "WEBP":
        return "RGBA" if alpha else "RGB"
    if alpha:
        return "LA" if img.mode in ("L", "LA") else "RGBA"
    if img.mode in ("L", "RGB", "I;16"):
        return img.mode
    return "L" if img.mode == "1" else "RGB"  # "1" as L: thumbnails can then be smooth


def _thumbnail(img: Image.Image) -> Image.Image:
    """`img` shrunk to fit THUMB_SIZE, as `Image.thumbnail` would, but into a new image:
    `thumbnail` works in place, so it would need a full-size copy first (100 MB for a
    25-megapixel RGBA image) only to throw it away."""
    (width, height), (x, y) = img.size, THUMB_SIZE
    if width <= x and height <= y:
        return img
    aspect = width / height

    def round_aspect(number: float, key) -> int:  # Pillow's own rounding, for the same size
        return max(min(math.floor(number), math.ceil(number), key=key), 1)

    if x / y >= aspect:
        x = round_aspect(y * aspect, key=lambda n: abs(aspect - n / y))
    else:
        y = round_aspect(x / aspect, key=lambda n: 0 if n == 0 else abs(aspect - x / n))
    return img.resize((x, y), Image.Resampling.BICUBIC, reducing_gap=2.0)


def _encode(img: Image.Image, output_format: str) -> bytes:
    """Encode `img` alone: no `exif`, `icc_profile` or other metadata is ever passed."""
    out = io.BytesIO()
    img.save(out, format=output_format, **_SAVE_OPTIONS[output_format])
    return out.getvalue()


def _megapixels(pixels: int) -> str:
    return f"{round(pixels / 1_000_000, 1):g}"


def _format_bytes(size: int) -> str:
    """Say a byte limit the way users think of it: "5 MB", "512 KB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{round(size / factor, 1):g} {unit}"
    return f"{size} bytes"


def image_response(field, *, cache_control: str) -> FileResponse:
    """A stored image (an ImageField's file) as a response, shown inline: 404 when the
    file is gone or is not an image by its name, so nothing else is ever served from
    storage through these URLs. The caller has already checked who may see it."""
    content_type = mimetypes.guess_type(field.name)[0] or ""
    if not content_type.startswith("image/"):
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):  # ValueError: the field holds no file
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = cache_control
    return response
