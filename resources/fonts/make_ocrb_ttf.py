"""Convert Debian's OCR-B (CFF outlines, which ReportLab rejects) into a TrueType font.

Run once when the font must be rebuilt; the result ``OCRB.ttf`` is committed beside this script:

    apt-get install -y fonts-ocr-b
    .venv/bin/python resources/fonts/make_ocrb_ttf.py

The cubic CFF outlines are approximated by quadratic curves with fontTools' cu2qu (max error
1/1000 em, invisible at MRZ sizes); the glyph metrics, cmap and names are kept as they are.
The font is public domain (see OCRB-LICENSE.txt).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
TARGET = Path(__file__).with_name("OCRB.ttf")


def convert(source: Path = SOURCE, target: Path = TARGET) -> Path:
    otf = TTFont(source)
    order = otf.getGlyphOrder()
    glyph_set = otf.getGlyphSet()
    units = otf["head"].unitsPerEm
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=units / 1000, reverse_direction=True))
        glyphs[name] = pen.glyph()
    metrics = {name: otf["hmtx"][name] for name in order}
    hhea = otf["hhea"]
    builder = FontBuilder(units, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(otf.getBestCmap())
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    names = {nid: otf["name"].getDebugName(nid) for nid in (0, 1, 2, 3, 4, 5, 6)}
    builder.setupNameTable(
        {
            "familyName": names[1] or "OCRB",
            "styleName": names[2] or "Regular",
            "uniqueFontIdentifier": (names[3] or "OCRB") + " (TrueType)",
            "fullName": names[4] or "OCRB",
            "version": names[5] or "Version 1.0",
            "psName": names[6] or "OCRB",
        }
    )
    os2 = otf["OS/2"]
    builder.setupOS2(
        sTypoAscender=os2.sTypoAscender,
        sTypoDescender=os2.sTypoDescender,
        usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent,
        sCapHeight=getattr(os2, "sCapHeight", 0),
        sxHeight=getattr(os2, "sxHeight", 0),
        # fsType 0: installable embedding, so PDF writers may embed it.
        fsType=0,
    )
    builder.setupPost()
    builder.save(target)
    return target


if __name__ == "__main__":
    print(convert(*(Path(arg) for arg in sys.argv[1:])))
