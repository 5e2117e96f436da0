from __future__ import annotations

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from issuance.documents.fitting import FieldTooLong, fit_text, wrap
from issuance.documents.fonts import SANS, register_fonts


@pytest.fixture(autouse=True, scope="module")
def fonts():
    register_fonts()


def test_text_that_fits_keeps_its_size_on_one_line():
    fitted = fit_text("Çela", SANS, size=7, min_size=4, width=100, height=20, max_lines=2)
    assert fitted.lines == ("Çela",) and fitted.size == 7


def test_text_is_shrunk_before_it_is_wrapped():
    text = "Kastrati Dervishi"
    width = stringWidth(text, SANS, 6)  # fits on one line at 6 pt, not at 7 pt
    fitted = fit_text(text, SANS, size=7, min_size=4, width=width, height=20, max_lines=2)
    assert fitted.lines == (text,)
    assert 6 <= fitted.size < 7


def test_wrapping_breaks_at_spaces_then_after_hyphens_then_anywhere():
    assert wrap("Ëlezi Çollaku", SANS, 10, stringWidth("Çollaku", SANS, 10) + 1) == [
        "Ëlezi", "Çollaku"]
    assert wrap("Dervishi-Brahimaj", SANS, 10, stringWidth("Dervishi-", SANS, 10) + 1) == [
        "Dervishi-", "Brahimaj"]
    pieces = wrap("Xhaferrrrrrrrrrrrrri", SANS, 10, 40)
    assert "".join(pieces) == "Xhaferrrrrrrrrrrrrri" and len(pieces) > 1
    assert all(stringWidth(p, SANS, 10) <= 40 for p in pieces)


def test_every_wrapped_line_fits_the_width():
    text = "Çela-Hoxhaj Ëndrit Kastrati Dervishi-Brahimaj Xhaferri Ëlezi Çollaku Shehu Ymeri"
    fitted = fit_text(text, SANS, size=7, min_size=4.5, width=150, height=14, max_lines=2)
    assert len(fitted.lines) == 2
    assert all(stringWidth(line, SANS, fitted.size) <= 150 for line in fitted.lines)
    assert " ".join(fitted.lines).replace("- ", "-") == text


def test_text_that_cannot_fit_is_refused_not_clipped():
    with pytest.raises(FieldTooLong):
        fit_text("Çela " * 50, SANS, size=7, min_size=4.5, width=150, height=14, max_lines=2,
                 field="surname")
