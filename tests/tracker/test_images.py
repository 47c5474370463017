"""`clean_image`: real images come out re-encoded and bare, everything else is refused.

Every image is made here in memory with Pillow (or by hand, for headers that lie), so the
tests need no fixture files and no database. Refusals assert the exact user-facing message:
it is what the user reads.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from functools import cache

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from tracker.images import MAX_BYTES, THUMB_SIZE, CleanImage, clean_image

NOT_AN_IMAGE = "This file is not an image we can read."
WRONG_FORMAT = "Upload a PNG, JPEG, WebP or GIF image."
DAMAGED = "The image file is damaged or incomplete."
TOO_BIG = "The image is larger than 5 MB."
TOO_MANY_PIXELS = "The image is too large: at most 16 megapixels."


# --- Making test images -----------------------------------------------------------------


def encode(img: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, **options)
    return out.getvalue()


def gradient(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A picture with detail (so encoders do real work), unlike a flat colour."""
    img = Image.linear_gradient("L").resize(size)
    if mode == "L":
        return img
    return Image.merge("RGB", (img, img.transpose(Image.Transpose.ROTATE_90).resize(size), img))


def noise_png(size: tuple[int, int]) -> bytes:
    """Random RGB pixels: PNG cannot compress them, so the file is about 3 bytes a pixel."""
    width, height = size
    return encode(Image.frombytes("RGB", size, os.urandom(width * height * 3)), "PNG")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@cache
def png_claiming(width: int, height: int) -> bytes:
    """A real, valid 1-bit black PNG of `width`×`height`, compressed to a few kilobytes.

    Built by hand, row by row, because asking Pillow to make one would allocate the very
    memory the bomb is about: a byte per pixel.
    """
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte "none", then all-black pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def payload(file: ContentFile) -> bytes:
    file.seek(0)
    return file.read()


def reopen(file: ContentFile) -> Image.Image:
    img = Image.open(io.BytesIO(payload(file)))
    img.load()
    return img


def refusal(upload, **limits: int) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        clean_image(upload, **limits)
    return caught.value.messages


@pytest.fixture
def decodes(monkeypatch) -> list[Image.Image]:
    """Every image whose pixels Pillow decodes while the test runs."""
    calls: list[Image.Image] = []
    original = ImageFile.ImageFile.load

    def spy(self):
        calls.append(self)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return calls


# --- Accepted images --------------------------------------------------------------------


def test_png_is_accepted_with_its_dimensions_and_a_thumbnail():
    result = clean_image(io.BytesIO(encode(gradient((1200, 800)), "PNG")))

    assert isinstance(result, CleanImage)
    assert (result.width, result.height, result.format, result.extension) == (
        1200,
        800,
        "PNG",
        ".png",
    )
    full, thumb = reopen(result.content), reopen(result.thumbnail)
    assert (full.format, full.size) == ("PNG", (1200, 800))
    assert (thumb.format, thumb.size) == ("PNG", (480, 320))
    assert result.content.name == "image.png"
    assert result.thumbnail.name == "thumbnail.png"


def test_jpeg_is_accepted_and_stays_jpeg():
    result = clean_image(io.BytesIO(encode(gradient((900, 1600)), "JPEG")))

    assert (result.width, result.height, result.format, result.extension) == (
        900,
        1600,
        "JPEG",
        ".jpg",
    )
    thumb = reopen(result.thumbnail)
    assert thumb.format == "JPEG"
    assert thumb.size == (270, 480)
    assert max(thumb.size) <= max(THUMB_SIZE)


def test_small_image_thumbnail_is_not_enlarged():
    result = clean_image(io.BytesIO(encode(gradient((64, 32)), "PNG")))

    assert reopen(result.thumbnail).size == (64, 32)


def test_webp_stays_webp():
    result = clean_image(io.BytesIO(encode(gradient((640, 480)), "WEBP")))

    assert (result.format, result.extension) == ("WEBP", ".webp")
    assert reopen(result.content).format == "WEBP"
    assert reopen(result.thumbnail).size == (480, 360)


def test_animated_gif_becomes_a_png_of_its_first_frame():
    red, blue = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    gif = encode(red, "GIF", save_all=True, append_images=[blue], duration=100, loop=0)

    result = clean_image(io.BytesIO(gif))

    assert (result.format, result.extension, result.width, result.height) == (
        "PNG",
        ".png",
        40,
        30,
    )
    out = reopen(result.content)
    assert getattr(out, "n_frames", 1) == 1
    assert out.convert("RGB").getpixel((0, 0)) == (255, 0, 0)


def test_transparency_survives_as_an_alpha_channel():
    img = Image.new("P", (20, 20), 0)
    img.putpalette([255, 0, 0, 0, 0, 255])
    img.paste(1, (10, 0, 20, 20))
    png = encode(img, "PNG", transparency=0)  # palette entry 0 (red) is transparent

    out = reopen(clean_image(io.BytesIO(png)).content)

    assert out.mode == "RGBA"
    assert out.getpixel((0, 0))[3] == 0
    assert out.getpixel((15, 0)) == (0, 0, 255, 255)


def test_phone_jpeg_with_a_second_picture_is_a_jpeg():
    """Phones write MPO: a JPEG with a second picture appended, which Pillow names MPO."""
    mpo = encode(gradient((300, 200)), "MPO", save_all=True, append_images=[gradient((300, 200))])
    assert Image.open(io.BytesIO(mpo)).format == "MPO"

    result = clean_image(io.BytesIO(mpo))

    assert (result.format, result.width, result.height) == ("JPEG", 300, 200)
    assert reopen(result.content).format == "JPEG"


def test_cmyk_jpeg_comes_out_rgb():
    result = clean_image(io.BytesIO(encode(Image.new("CMYK", (50, 50), "cyan"), "JPEG")))

    assert reopen(result.content).mode == "RGB"


# --- Metadata stripped ------------------------------------------------------------------


def test_exif_with_gps_and_camera_make_is_gone():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCamCorp"
    exif[ExifTags.Base.ImageDescription] = "home-sweet-home"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 37.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 41.0)
    jpeg = encode(gradient((400, 300)), "JPEG", exif=exif)
    assert b"SpyCamCorp" in jpeg
    assert Image.open(io.BytesIO(jpeg)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = clean_image(io.BytesIO(jpeg))

    for file in (result.content, result.thumbnail):
        data = payload(file)
        assert b"Exif" not in data
        assert b"SpyCamCorp" not in data
        assert b"home-sweet-home" not in data
        out = reopen(file)
        assert "exif" not in out.info
        assert not out.getexif()


def test_exif_orientation_is_applied_to_the_pixels():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display"
    jpeg = encode(gradient((200, 100)), "JPEG", exif=exif)

    result = clean_image(io.BytesIO(jpeg))

    assert (result.width, result.height) == (100, 200)
    assert reopen(result.content).size == (100, 200)
    assert reopen(result.thumbnail).size == (100, 200)


def test_png_text_chunks_and_icc_profile_are_gone():
    info = PngInfo()
    info.add_text("Comment", "secret-comment")
    info.add_itxt("Author", "secret-author", zip=True)
    png = encode(gradient((120, 80)), "PNG", pnginfo=info, icc_profile=b"secret-icc" * 20)
    assert Image.open(io.BytesIO(png)).info["Comment"] == "secret-comment"

    result = clean_image(io.BytesIO(png))

    data = payload(result.content)
    assert b"secret" not in data
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"iCCP", b"eXIf"):
        assert chunk not in data
    out = reopen(result.content)
    assert "icc_profile" not in out.info
    assert "Comment" not in out.info


# --- Polyglots ----------------------------------------------------------------------------


def test_png_html_polyglot_comes_out_a_clean_png():
    png = encode(gradient((100, 100)), "PNG")
    polyglot = png + b"<html><body><script>alert(document.cookie)</script></body></html>"
    assert Image.open(io.BytesIO(polyglot)).format == "PNG"  # Pillow reads it as a PNG

    result = clean_image(SimpleUploadedFile("cat.png", polyglot, content_type="image/png"))

    for file in (result.content, result.thumbnail):
        data = payload(file)
        assert b"<script" not in data
        assert b"<html" not in data
        assert data.endswith(png_chunk(b"IEND", b""))  # nothing after the PNG's end
    assert reopen(result.content).size == (100, 100)


def test_html_hidden_in_a_png_text_chunk_is_gone():
    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    png = encode(gradient((100, 100)), "PNG", pnginfo=info)

    data = payload(clean_image(io.BytesIO(png)).content)

    assert b"<script" not in data


# --- Refused: not an image, wrong format, damaged ---------------------------------------


def test_text_file_named_png_is_not_an_image():
    upload = SimpleUploadedFile("cat.png", b"just some text, honest\n", content_type="image/png")

    assert refusal(upload) == [NOT_AN_IMAGE]


def test_html_file_named_png_is_not_an_image():
    upload = SimpleUploadedFile("cat.png", b"<script>alert(1)</script>", content_type="image/png")

    assert refusal(upload) == [NOT_AN_IMAGE]


def test_empty_file_is_not_an_image():
    assert refusal(io.BytesIO(b"")) == [NOT_AN_IMAGE]


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
def test_other_image_formats_are_refused(fmt):
    assert refusal(io.BytesIO(encode(gradient((32, 32)), fmt))) == [WRONG_FORMAT]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image_is_damaged(fmt):
    whole = noise_png((256, 256)) if fmt == "PNG" else encode(gradient((512, 512)), "JPEG")
    truncated = whole[: len(whole) // 2]
    assert Image.open(io.BytesIO(truncated)).format == fmt  # the header alone is fine

    assert refusal(io.BytesIO(truncated)) == [DAMAGED]


# --- Refused: too many pixels (decompression bombs) ---------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        # Beyond twice Pillow's own limit: Pillow refuses the header itself.
        (20_000, 20_000, TOO_MANY_PIXELS),
        # Between Pillow's limit and twice it, where Pillow only warns.
        (10_000, 10_000, TOO_MANY_PIXELS),
        # Beyond ours only: refused by our check, which can quote the dimensions.
        (6_000, 5_000, "The image is too large: at most 16 megapixels (this one is 6000×5000)."),
    ],
)
def test_decompression_bomb_is_refused_without_decoding(width, height, message, decodes):
    bomb = png_claiming(width, height)
    assert len(bomb) < 100_000  # kilobytes on disk...
    assert struct.unpack(">II", bomb[16:24]) == (width, height)  # ...claiming megapixels

    assert refusal(io.BytesIO(bomb)) == [message]
    assert decodes == []


def test_pixel_limit_follows_the_argument(decodes):
    png = encode(gradient((1000, 1000)), "PNG")

    assert refusal(io.BytesIO(png), max_pixels=500_000) == [
        "The image is too large: at most 0.5 megapixels (this one is 1000×1000)."
    ]
    assert decodes == []


def test_image_at_the_pixel_limit_is_accepted():
    png = encode(gradient((1000, 500)), "PNG")

    assert clean_image(io.BytesIO(png), max_pixels=500_000).width == 1000


# --- Refused: too many bytes ------------------------------------------------------------


@cache
def six_megabyte_png() -> bytes:
    png = noise_png((1450, 1450))
    assert 6_000_000 < len(png) < 7_000_000
    return png


@pytest.mark.parametrize("wrap", ["bytesio", "uploaded"])
def test_six_megabyte_image_is_too_big(wrap):
    png = six_megabyte_png()
    upload = (
        io.BytesIO(png)
        if wrap == "bytesio"
        else SimpleUploadedFile("big.png", png, content_type="image/png")
    )

    assert refusal(upload) == [TOO_BIG]


class CountingStream(io.RawIOBase):
    """64 MB of zero bytes, without `size`, counting what is read from it.

    Big enough that reading it all is plainly wrong, finite so that a regression fails the
    test instead of hanging it.
    """

    def __init__(self, length: int = 64 * 1024 * 1024) -> None:
        self.remaining = length
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.remaining)
        buffer[:count] = b"\x00" * count
        self.remaining -= count
        self.read_bytes += count
        return count


def test_a_stream_is_read_no_further_than_the_limit():
    stream = CountingStream()

    assert refusal(io.BufferedReader(stream, buffer_size=1024)) == [TOO_BIG]
    assert stream.read_bytes <= MAX_BYTES + 1024 + 1


def test_a_declared_size_that_lies_does_not_help():
    upload = SimpleUploadedFile("big.png", six_megabyte_png(), content_type="image/png")
    upload.size = 1024

    assert refusal(upload) == [TOO_BIG]


@pytest.mark.parametrize(
    ("max_bytes", "message"),
    [
        (1024 * 1024, "The image is larger than 1 MB."),
        (1536 * 1024, "The image is larger than 1.5 MB."),
        (512 * 1024, "The image is larger than 512 KB."),
        (100, "The image is larger than 100 bytes."),
    ],
)
def test_byte_limit_in_the_message_follows_the_argument(max_bytes, message):
    png = noise_png((700, 700))  # about 1.5 MB: over every limit here but 1.5 MB itself
    if max_bytes == 1536 * 1024:
        png += b"\x00" * (max_bytes + 1 - len(png))

    assert refusal(io.BytesIO(png), max_bytes=max_bytes) == [message]


def test_image_at_the_byte_limit_is_accepted():
    png = encode(gradient((64, 64)), "PNG")

    assert clean_image(io.BytesIO(png), max_bytes=len(png)).width == 64


# --- Inputs -----------------------------------------------------------------------------


def test_uploaded_file_and_bytesio_give_the_same_image():
    png = encode(gradient((300, 200)), "PNG")
    upload = SimpleUploadedFile("photo.png", png, content_type="image/png")
    upload.read()  # e.g. a form field already looked at it: the file is read from its start

    from_upload = clean_image(upload)
    from_stream = clean_image(io.BytesIO(png))

    assert payload(from_upload.content) == payload(from_stream.content)
    assert payload(from_upload.thumbnail) == payload(from_stream.thumbnail)
    assert (from_upload.width, from_upload.height) == (300, 200)


# --- Memory: a worker stays under 300 MB for any accepted image ---------------------------
# (Measured in a subprocess with resource.getrusage; a test of it takes seconds.)


def flat(size: tuple[int, int], mode: str) -> Image.Image:
    """A large image that compresses to kilobytes, as the hostile ones do."""
    img = Image.new(mode, size, (10, 20, 30, 255)[: len(mode)])
    img.paste((200, 0, 0, 128)[: len(mode)], (100, 100, 400, 400))
    return img


def test_the_97_kb_5000_by_5000_png_is_refused_before_decoding(decodes):
    png = encode(flat((5000, 5000), "RGBA"), "PNG")
    assert len(png) < 200_000
    assert refusal(io.BytesIO(png)) == [
        "The image is too large: at most 16 megapixels (this one is 5000×5000)."
    ]
    assert decodes == []


def test_a_large_webp_is_refused_with_its_own_limit(decodes):
    webp = encode(flat((3000, 3000), "RGB"), "WEBP")
    assert refusal(io.BytesIO(webp)) == [
        "A WebP image can have at most 8 megapixels (this one is 3000×3000): "
        "save it as PNG or JPEG, or make it smaller."
    ]
    assert decodes == []
