"""The card layout template (resources/card/residence_card.toml) read into plain dataclasses."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from issuance.documents.errors import LayoutError
from issuance.documents.fonts import RESOURCES, font_for_file

DEFAULT_TEMPLATE = RESOURCES / "card" / "residence_card.toml"


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres, measured from the top-left corner of the card face."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class TextSpec:
    name: str
    box: Box
    font: str
    size: float
    min_size: float
    max_lines: int = 1
    align: str = "left"
    color: str = "#101010"
    text: str = ""
    label: str = ""


@dataclass(frozen=True)
class SignatureSpec:
    label: TextSpec
    box: Box
    cannot_sign: TextSpec


@dataclass(frozen=True)
class BarcodeSpec:
    box: Box
    text: TextSpec
    quiet_modules: int


@dataclass(frozen=True)
class MrzSpec:
    first_char_left_mm: float
    line_centres_from_bottom_mm: tuple[float, ...]
    char_pitch_mm: float
    font: str
    size: float
    line_length: int
    line_count: int
    zone_height_mm: float


@dataclass(frozen=True)
class CardLayout:
    width_mm: float
    height_mm: float
    leading: float
    size_step: float
    label_size: float
    label_min_size: float
    label_font: str
    label_color: str
    front_texts: tuple[TextSpec, ...]
    front_fields: tuple[TextSpec, ...]
    photo: Box
    signature: SignatureSpec
    back_texts: tuple[TextSpec, ...]
    barcode: BarcodeSpec
    mrz: MrzSpec

    def field(self, name: str) -> TextSpec:
        for spec in self.front_fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def label_box(self, field: TextSpec) -> Box:
        """The band above a field's value box where its label is printed."""
        return Box(field.box.x, field.box.y - 1.4, field.box.width, 1.3)


def _box(raw: Any, where: str) -> Box:
    if not (isinstance(raw, list) and len(raw) == 4):
        raise LayoutError(f"{where}: box must be [x, y, width, height] in mm")
    x, y, w, h = (float(v) for v in raw)
    if w <= 0 or h <= 0:
        raise LayoutError(f"{where}: box must have a positive width and height")
    return Box(x, y, w, h)


class _Reader:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        style = raw.get("style", {})
        self.colors = {
            "label": style.get("label_color", "#4a5a70"),
            "value": style.get("value_color", "#101010"),
            "accent": style.get("accent_color", "#1f3f7a"),
        }
        self.fonts = {key: font_for_file(file) for key, file in raw["fonts"].items()}

    def font(self, key: str, where: str) -> str:
        if key not in self.fonts:
            raise LayoutError(f"{where}: unknown font '{key}'")
        return self.fonts[key]

    def color(self, value: str) -> str:
        return self.colors.get(value, value)

    def text(self, raw: dict[str, Any], where: str) -> TextSpec:
        name = raw.get("name", where)
        return TextSpec(
            name=name,
            box=_box(raw.get("box"), f"{where}.{name}"),
            font=self.font(raw.get("font", "sans"), f"{where}.{name}"),
            size=float(raw["size"]),
            min_size=float(raw.get("min_size", raw["size"])),
            max_lines=int(raw.get("max_lines", 1)),
            align=raw.get("align", "left"),
            color=self.color(raw.get("color", "value")),
            text=raw.get("text", ""),
            label=raw.get("label", ""),
        )


def _check_inside(layout: CardLayout) -> None:
    boxes: list[tuple[str, Box]] = [("photo", layout.photo), ("signature", layout.signature.box)]
    boxes += [(spec.name, spec.box) for spec in layout.front_texts + layout.front_fields]
    boxes += [(spec.name, spec.box) for spec in layout.back_texts]
    boxes += [("barcode", layout.barcode.box), ("barcode text", layout.barcode.text.box)]
    for name, box in boxes:
        if (
            box.x < 0
            or box.y < 0
            or box.x + box.width > layout.width_mm + 1e-6
            or (box.y + box.height > layout.height_mm + 1e-6)
        ):
            raise LayoutError(f"'{name}' lies outside the card")


def load_layout(path: Path | str = DEFAULT_TEMPLATE) -> CardLayout:
    """Read and check a card layout template; a broken template is refused with LayoutError."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LayoutError(str(exc)) from exc
    try:
        return _build(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise LayoutError(f"missing or wrong entry {exc}") from exc


def _build(raw: dict[str, Any]) -> CardLayout:
    reader = _Reader(raw)
    style = raw["style"]
    front, back = raw["front"], raw["back"]
    signature = front["signature"]
    label_font = reader.font(style.get("label_font", "sans"), "style")
    label_size = float(style["label_size"])
    label_min = float(style["label_min_size"])
    label_color = reader.color("label")
    barcode = back["barcode"]
    mrz = back["mrz"]
    layout = CardLayout(
        width_mm=float(raw["page"]["width_mm"]),
        height_mm=float(raw["page"]["height_mm"]),
        leading=float(style.get("leading", 1.17)),
        size_step=float(style.get("size_step", 0.25)),
        label_size=label_size,
        label_min_size=label_min,
        label_font=label_font,
        label_color=label_color,
        front_texts=tuple(reader.text(t, "front.texts") for t in front.get("texts", [])),
        front_fields=tuple(reader.text(f, "front.fields") for f in front["fields"]),
        photo=_box(front["photo"]["box"], "front.photo"),
        signature=SignatureSpec(
            label=TextSpec(
                "signature_label",
                _box(signature["label_box"], "front.signature"),
                label_font,
                label_size,
                label_min,
                color=label_color,
                text=signature["label"],
            ),
            box=_box(signature["box"], "front.signature"),
            cannot_sign=TextSpec(
                "cannot_sign",
                _box(signature["box"], "front.signature"),
                reader.fonts["sans"],
                float(signature["cannot_sign_size"]),
                float(signature["cannot_sign_min_size"]),
                max_lines=3,
                align="center",
                text=signature["cannot_sign_text"],
            ),
        ),
        back_texts=tuple(reader.text(t, "back.texts") for t in back.get("texts", [])),
        barcode=BarcodeSpec(
            box=_box(barcode["box"], "back.barcode"),
            text=reader.text(
                {**barcode, "box": barcode["text_box"], "name": "barcode_text", "align": "center"},
                "back.barcode",
            ),
            quiet_modules=int(barcode.get("quiet_modules", 10)),
        ),
        mrz=MrzSpec(
            first_char_left_mm=float(mrz["first_char_left_mm"]),
            line_centres_from_bottom_mm=tuple(float(v) for v in mrz["line_centres_from_bottom_mm"]),
            char_pitch_mm=float(mrz["char_pitch_mm"]),
            font=reader.font(mrz["font"], "back.mrz"),
            size=float(mrz["size"]),
            line_length=int(mrz["line_length"]),
            line_count=int(mrz["line_count"]),
            zone_height_mm=float(mrz["zone_height_mm"]),
        ),
    )
    if len(layout.mrz.line_centres_from_bottom_mm) != layout.mrz.line_count:
        raise LayoutError("back.mrz: one centre line is needed per MRZ line")
    _check_inside(layout)
    return layout
