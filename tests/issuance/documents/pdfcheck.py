"""Checks on real PDFs: embedded fonts, rendering with poppler, decoding barcodes."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader

BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}


def fonts_of(pdf: bytes) -> list[dict]:
    """Every font object of every page: base name and whether its program is embedded."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append({"name": str(font.get("/BaseFont")), "embedded": embedded})
    return found


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, f"'{name}' is missing: apt-get install -y {package}"
    return path


def render_page(pdf: bytes | Path, page: int, dpi: int = 600) -> Image.Image:
    """One page as a picture, rendered by poppler's pdftoppm."""
    tool = require_tool("pdftoppm", "poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(pdf) if isinstance(pdf, Path) else Path(folder) / "in.pdf"
        if not isinstance(pdf, Path):
            source.write_bytes(pdf)
        out = Path(folder) / "page"
        subprocess.run(
            [tool, "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page),
             str(source), str(out)],
            check=True, capture_output=True, timeout=60,
        )
        image = Image.open(out.with_suffix(".png"))
        image.load()
        return image


def code128_texts(image: Image.Image) -> list[str]:
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.Code128
    ]
