#!/usr/bin/env python3
"""Generate the sample cover images, body photos and attachment PDFs under content/.

The output is deterministic: every random source uses a fixed seed and the PDFs
carry no creation or modification dates, so running the script twice gives
byte-identical files.  Images avoid text entirely (fonts with CJK glyphs may be
missing on build machines).

Usage:  python scripts/make_sample_assets.py [--content DIR] [--check]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT = ROOT / "content"

# Palette shared by all images: deep government blue / red plus neutrals.
NAVY = (16, 52, 110)
BLUE = (28, 84, 160)
SKY = (214, 228, 245)
RED = (158, 22, 28)
GOLD = (212, 170, 72)
WHITE = (255, 255, 255)
PAPER = (246, 244, 238)
GREY = (120, 130, 145)

COVER_SIZE = (1200, 675)


# --------------------------------------------------------------------------
# PNG images
# --------------------------------------------------------------------------


def _save_png(img: Image.Image, path: Path, colors: int = 16) -> None:
    """Quantise to a small palette and save an optimised PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pal = img.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pal.save(path, format="PNG", optimize=True)


def _base_cover(band: tuple[int, int, int], seed: int) -> tuple[Image.Image, ImageDraw.ImageDraw, random.Random]:
    """Light background with a solid coloured band across the lower third."""
    rng = random.Random(seed)
    img = Image.new("RGB", COVER_SIZE, PAPER)
    draw = ImageDraw.Draw(img)
    w, h = COVER_SIZE
    draw.rectangle([0, int(h * 0.68), w, h], fill=band)
    draw.rectangle([0, int(h * 0.68) - 8, w, int(h * 0.68)], fill=GOLD)
    # thin header rule
    draw.rectangle([60, 60, 300, 66], fill=band)
    return img, draw, rng


def cover_columns(path: Path, band, seed: int) -> None:
    """A classical building front: pediment and columns (government hall)."""
    img, draw, _ = _base_cover(band, seed)
    cx, base = 600, 459
    draw.polygon([(cx - 260, 190), (cx + 260, 190), (cx, 95)], fill=band)
    draw.rectangle([cx - 270, 190, cx + 270, 212], fill=band)
    for i in range(6):
        x = cx - 220 + i * 88
        draw.rectangle([x, 225, x + 30, base - 30], fill=band)
    draw.rectangle([cx - 290, base - 30, cx + 290, base - 12], fill=band)
    draw.rectangle([cx - 310, base - 12, cx + 310, base], fill=band)
    _save_png(img, path)


def cover_scales(path: Path, band, seed: int) -> None:
    """Balance scales: the usual symbol of law."""
    img, draw, _ = _base_cover(band, seed)
    cx = 600
    draw.rectangle([cx - 8, 120, cx + 8, 420], fill=band)
    draw.rectangle([cx - 90, 420, cx + 90, 440], fill=band)
    draw.rectangle([cx - 230, 140, cx + 230, 152], fill=band)
    draw.ellipse([cx - 20, 100, cx + 20, 140], fill=GOLD)
    for sx in (cx - 220, cx + 220):
        draw.line([(sx, 152), (sx - 70, 300)], fill=band, width=4)
        draw.line([(sx, 152), (sx + 70, 300)], fill=band, width=4)
        draw.chord([sx - 90, 250, sx + 90, 340], 0, 180, fill=band)
    _save_png(img, path)


def cover_network(path: Path, band, seed: int) -> None:
    """Connected nodes: information platform / data sharing."""
    img, draw, rng = _base_cover(band, seed)
    nodes = [(rng.randint(120, 1080), rng.randint(100, 420)) for _ in range(14)]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            if abs(a[0] - b[0]) + abs(a[1] - b[1]) < 330:
                draw.line([a, b], fill=GREY, width=3)
    for i, (x, y) in enumerate(nodes):
        r = 22 if i % 4 == 0 else 14
        draw.ellipse([x - r, y - r, x + r, y + r], fill=band if i % 3 else RED)
    _save_png(img, path)


def cover_documents(path: Path, band, seed: int) -> None:
    """Stacked document sheets with text lines: document cleanup."""
    img, draw, rng = _base_cover(band, seed)
    for k in range(3):
        x0, y0 = 380 + k * 60, 100 + k * 30
        draw.rectangle([x0 + 8, y0 + 8, x0 + 328, y0 + 348], fill=GREY)
        draw.rectangle([x0, y0, x0 + 320, y0 + 340], fill=WHITE, outline=band, width=3)
    x0, y0 = 500, 160
    draw.rectangle([x0 + 40, y0 + 30, x0 + 280, y0 + 42], fill=RED)
    for i in range(8):
        length = rng.randint(150, 240)
        draw.rectangle([x0 + 40, y0 + 80 + i * 26, x0 + 40 + length, y0 + 88 + i * 26], fill=SKY if i % 2 else band)
    draw.ellipse([x0 + 200, y0 + 250, x0 + 270, y0 + 320], outline=RED, width=6)
    _save_png(img, path)


def cover_badge(path: Path, band, seed: int) -> None:
    """Shield badge with a star: enforcement agency."""
    img, draw, _ = _base_cover(band, seed)
    cx = 600
    draw.polygon([(cx - 150, 110), (cx + 150, 110), (cx + 150, 280), (cx, 430), (cx - 150, 280)], fill=band)
    draw.polygon([(cx - 120, 135), (cx + 120, 135), (cx + 120, 270), (cx, 395), (cx - 120, 270)], fill=BLUE)
    pts = []
    for i in range(10):
        r = 70 if i % 2 == 0 else 28
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + r * math.cos(a), 255 + r * math.sin(a)))
    draw.polygon(pts, fill=GOLD)
    _save_png(img, path)


def cover_bars(path: Path, band, seed: int) -> None:
    """Bar chart with a rising trend: statistics and evaluation."""
    img, draw, rng = _base_cover(band, seed)
    for i in range(10):
        h = 60 + i * 28 + rng.randint(-15, 15)
        x = 250 + i * 72
        draw.rectangle([x, 430 - h, x + 46, 430], fill=band if i < 9 else RED)
    draw.rectangle([230, 430, 990, 436], fill=GREY)
    _save_png(img, path)


def cover_people(path: Path, band, seed: int) -> None:
    """Round table with seats: advisers / meetings."""
    img, draw, _ = _base_cover(band, seed)
    cx, cy = 600, 280
    draw.ellipse([cx - 170, cy - 110, cx + 170, cy + 110], fill=band)
    draw.ellipse([cx - 120, cy - 70, cx + 120, cy + 70], fill=SKY)
    for i in range(10):
        a = i * 2 * math.pi / 10
        x, y = cx + 230 * math.cos(a), cy + 150 * math.sin(a)
        draw.ellipse([x - 24, y - 24, x + 24, y + 24], fill=RED if i % 5 == 0 else BLUE)
    _save_png(img, path)


def cover_key(path: Path, band, seed: int) -> None:
    """House and key outline: property-rights protection."""
    img, draw, _ = _base_cover(band, seed)
    draw.polygon([(420, 260), (600, 110), (780, 260)], fill=band)
    draw.rectangle([460, 260, 740, 430], fill=band)
    draw.rectangle([570, 330, 630, 430], fill=PAPER)
    draw.ellipse([800, 180, 900, 280], outline=GOLD, width=16)
    draw.rectangle([890, 222, 1040, 238], fill=GOLD)
    draw.rectangle([1000, 238, 1014, 270], fill=GOLD)
    draw.rectangle([1026, 238, 1040, 260], fill=GOLD)
    _save_png(img, path)


def photo_meeting(path: Path, seed: int) -> None:
    """Schematic meeting hall: rows of seats facing a podium."""
    rng = random.Random(seed)
    img = Image.new("RGB", (800, 450), SKY)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, 800, 110], fill=RED)
    draw.rectangle([120, 30, 680, 80], fill=(190, 40, 40))
    draw.rectangle([300, 120, 500, 170], fill=NAVY)
    for row in range(5):
        y = 210 + row * 45
        for col in range(12):
            x = 60 + col * 58 + (row % 2) * 12
            c = NAVY if rng.random() > 0.15 else GREY
            draw.ellipse([x, y, x + 26, y + 26], fill=c)
            draw.rectangle([x - 4, y + 26, x + 30, y + 40], fill=BLUE)
    _save_png(img, path, colors=12)


def photo_plaque(path: Path, seed: int) -> None:
    """Schematic unveiling: building entrance with a vertical plaque."""
    img = Image.new("RGB", (800, 500), SKY)
    draw = ImageDraw.Draw(img)
    draw.rectangle([100, 80, 700, 500], fill=(200, 196, 186))
    draw.rectangle([330, 220, 470, 500], fill=NAVY)
    draw.rectangle([250, 200, 300, 470], fill=WHITE, outline=GREY, width=3)
    for i in range(8):
        draw.rectangle([262, 215 + i * 30, 288, 235 + i * 30], fill=(40, 40, 40))
    draw.polygon([(230, 190), (320, 190), (300, 240), (250, 240)], fill=RED)
    draw.rectangle([100, 60, 700, 80], fill=RED)
    _save_png(img, path, colors=12)


def photo_training(path: Path, seed: int) -> None:
    """Schematic classroom: screen with chart, desks in rows."""
    rng = random.Random(seed)
    img = Image.new("RGB", (720, 405), PAPER)
    draw = ImageDraw.Draw(img)
    draw.rectangle([200, 30, 520, 190], fill=WHITE, outline=NAVY, width=6)
    for i in range(5):
        h = rng.randint(30, 120)
        draw.rectangle([240 + i * 55, 170 - h, 275 + i * 55, 170], fill=BLUE)
    for row in range(3):
        for col in range(6):
            x, y = 40 + col * 112, 230 + row * 58
            draw.rectangle([x, y + 22, x + 90, y + 34], fill=(150, 110, 70))
            draw.ellipse([x + 30, y, x + 56, y + 26], fill=NAVY)
    _save_png(img, path, colors=12)


COVERS = {
    "tuijinhui.png": (cover_columns, NAVY),
    "shijia-shicha.png": (cover_bars, RED),
    "liangfa-xianjie.png": (cover_network, NAVY),
    "falv-guwen.png": (cover_people, NAVY),
    "guifan-qingli.png": (cover_documents, RED),
    "zonghe-zhifa.png": (cover_badge, NAVY),
    "xingzheng-fuyi.png": (cover_scales, RED),
    "chanquan-baohu.png": (cover_key, NAVY),
}

PHOTOS = {
    "tuijinhui-huichang.png": photo_meeting,
    "zhifaju-guapai.png": photo_plaque,
    "zhifa-peixun.png": photo_training,
}


# --------------------------------------------------------------------------
# PDF files (hand-built objects, Helvetica text, optional image)
# --------------------------------------------------------------------------


def _pdf_escape(text: str) -> str:
    """Escape a string for a PDF literal (ASCII only)."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(title: str, lines: list[str], image: bool) -> bytes:
    """Content stream for one A4 page: title, rule, body lines, optional image."""
    ops = ["BT /F2 16 Tf 72 770 Td (%s) Tj ET" % _pdf_escape(title), "0.62 0.09 0.11 RG 2 w 72 758 m 523 758 l S"]
    y = 730
    for line in lines:
        ops.append("BT /F1 11 Tf 72 %d Td (%s) Tj ET" % (y, _pdf_escape(line)))
        y -= 16
    if image:
        ops.append("q 451 0 0 338 72 %d cm /Im1 Do Q" % (y - 350))
    return ("\n".join(ops) + "\n").encode("ascii")


def _noise_image(seed: int, width: int, height: int) -> bytes:
    """Grey 'scanned paper' texture: light noise, deterministic."""
    rng = random.Random(seed)
    return bytes(200 + rng.randrange(56) for _ in range(width * height))


def build_pdf(title: str, pages: list[list[str]], image_seed: int | None = None) -> bytes:
    """Return a complete PDF (1.4) with a correct xref table.

    ``pages`` is a list of pages, each a list of ASCII text lines.  When
    ``image_seed`` is given, a Flate-compressed grey image is placed on the
    first page (used to make one realistically large attachment).
    """
    objs: list[bytes] = []  # objs[i] is object number i + 1

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def stream(dict_entries: str, data: bytes) -> bytes:
        return b"<< " + dict_entries.encode("ascii") + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")  # placeholder, filled later
    pages_id = add(b"")
    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    f2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    img_id = None
    if image_seed is not None:
        w, h = 600, 450
        data = zlib.compress(_noise_image(image_seed, w, h), 9)
        img_id = add(
            stream(
                "/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                "/BitsPerComponent 8 /Filter /FlateDecode" % (w, h),
                data,
            )
        )
    kids = []
    for n, lines in enumerate(pages):
        footer = lines + ["", "Page %d of %d" % (n + 1, len(pages))]
        content = zlib.compress(_page_stream(title, footer, image=(img_id is not None and n == 0)), 9)
        cid = add(stream("/Filter /FlateDecode", content))
        xobj = " /XObject << /Im1 %d 0 R >>" % img_id if (img_id and n == 0) else ""
        pid = add(
            (
                "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                "/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >>%s >> >>" % (pages_id, cid, f1, f2, xobj)
            ).encode("ascii")
        )
        kids.append(pid)
    objs[pages_id - 1] = (
        "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join("%d 0 R" % k for k in kids), len(kids))
    ).encode("ascii")
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    info = add(
        ("<< /Title (%s) /Producer (site_builder make_sample_assets.py) >>" % _pdf_escape(title)).encode("ascii")
    )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        catalog,
        info,
        xref,
    )
    return bytes(out)


def check_pdf(data: bytes) -> int:
    """Re-read a PDF: verify header, xref offsets, stream lengths and Flate data.

    Returns the page count; raises ValueError on any inconsistency.
    """
    if not data.startswith(b"%PDF-1.") or not data.rstrip().endswith(b"%%EOF"):
        raise ValueError("bad header or trailer")
    m = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    if not m:
        raise ValueError("no startxref")
    xref = int(m.group(1))
    if data[xref : xref + 4] != b"xref":
        raise ValueError("startxref does not point at xref")
    head = re.match(rb"xref\s+0 (\d+)\s+", data[xref:])
    count = int(head.group(1))
    pos = xref + head.end()
    for num in range(count):
        entry = data[pos + 20 * num : pos + 20 * num + 20]
        off, _, kind = entry[:10], entry[11:16], entry[17:18]
        if kind == b"n":
            if not data[int(off) :].startswith(b"%d 0 obj" % num):
                raise ValueError("xref entry %d points to wrong offset" % num)
    for sm in re.finditer(rb"/Length (\d+)(.*?)>>\nstream\n", data, re.S):
        start = sm.end()
        length = int(sm.group(1))
        if data[start + length : start + length + 10] != b"\nendstream":
            raise ValueError("stream length mismatch at %d" % start)
        header = data[sm.start() - 200 : sm.start() + len(sm.group(0))]
        if b"/FlateDecode" in header.split(b"obj")[-1]:
            zlib.decompress(data[start : start + length])
    pages = re.search(rb"/Type /Pages /Kids \[.*?\] /Count (\d+)", data)
    return int(pages.group(1))


LOREM = [
    "This file is a sample attachment generated for the site_builder demo site.",
    "It stands in for the official scanned or typeset document published by the",
    "Binjiang Municipal People's Government Legal Affairs Office.",
]

PDFS = {
    "2020/shishi-fangan-2020.pdf": ("Binjiang 2020 Work Plan for Building a Law-based Government", 1, None),
    "2020/zeren-fenjiebiao-2020.pdf": ("Binjiang 2020 Task Breakdown: Law-based Government Responsibilities", 2, None),
    "2020/shijia-shicha-fangan.pdf": (
        "Implementation Plan: Top Ten / Bottom Ten Evaluation of Offices and Stations",
        1,
        None,
    ),
    "2020/sheqi-zhifa-tongzhi.pdf": ("Notice on Regulating Enterprise-related Administrative Enforcement", 1, None),
    "2020/zonghe-zhifa-banfa-zhengqiu.pdf": (
        "Draft for Comment: Measures on Comprehensive Administrative Enforcement",
        2,
        None,
    ),
    "2021/qingli-jixu-youxiao-mulu.pdf": ("Annex 1: Normative Documents Remaining in Force (2021 Cleanup)", 3, 2021),
    "2021/qingli-feizhi-shixiao-mulu.pdf": (
        "Annex 2: Normative Documents Repealed or Declared Invalid (2021 Cleanup)",
        1,
        None,
    ),
    "2021/zonghe-zhifa-banfa.pdf": ("Binjiang Measures on Comprehensive Administrative Enforcement", 4, None),
    "2021/linxuan-baomingbiao.pdf": ("Registration Form: Selection of 36 Staff for the Enforcement Bureau", 1, None),
}


WORDS = (
    "administrative law enforcement review office department county town station record "
    "document measure notice plan report case hearing reconsideration litigation adviser "
    "responsibility target schedule evaluation supervision training publicity enterprise "
    "property rights cleanup repeal valid amend register filing platform"
).split()


def _body_line(rng: random.Random, n: int) -> str:
    """One deterministic pseudo-sentence for a numbered clause."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(7, 11))]
    return "%d. %s." % (n, " ".join(words).capitalize())


def make_pdfs(content: Path) -> list[Path]:
    """Write every attachment PDF and return their paths."""
    written = []
    for seed, (rel, (title, npages, image_seed)) in enumerate(PDFS.items(), start=1):
        rng = random.Random(seed)
        pages = []
        for p in range(npages):
            lines = list(LOREM) + [""]
            nlines = 4 if (image_seed is not None and p == 0) else 36
            lines += [_body_line(rng, p * 100 + k + 1) for k in range(nlines)]
            pages.append(lines)
        data = build_pdf(title, pages, image_seed=image_seed)
        path = content / "files" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def make_images(content: Path) -> list[Path]:
    """Write every cover and in-body photo and return their paths."""
    written = []
    for seed, (name, (func, band)) in enumerate(sorted(COVERS.items()), start=1):
        path = content / "images" / "covers" / name
        func(path, band, seed)
        written.append(path)
    for seed, (name, func) in enumerate(sorted(PHOTOS.items()), start=101):
        path = content / "images" / "photos" / name
        func(path, seed)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="content directory")
    parser.add_argument("--check", action="store_true", help="re-read the files after writing")
    args = parser.parse_args()
    files = make_images(args.content) + make_pdfs(args.content)
    for path in files:
        size = path.stat().st_size
        extra = ""
        if args.check and path.suffix == ".pdf":
            extra = " pages=%d" % check_pdf(path.read_bytes())
        elif args.check:
            with Image.open(path) as img:
                img.verify()
            with Image.open(path) as img:
                extra = " %dx%d" % img.size
        print("%-60s %7d B%s" % (path.relative_to(args.content), size, extra))


if __name__ == "__main__":
    main()
