"""issuance.ports.limits: the table, and the entry points that hold text and files to it on both
databases (search, uploaded scans), with property-based tests (Hypothesis): any text, huge
texts, NUL and lone surrogates, any bytes. Images: tests/photo/test_image_limits.py; register
answers and stand-in bodies: tests/registers/test_faults.py."""

from __future__ import annotations

import time
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issuance.delivery.contracts import contract_text
from issuance.ports import limits
from issuance.queries import search
from issuance.queries.search import search_text
from issuance.services import enrolment
from tests.conftest import raw_rows
from tests.support.world import build_world, enrol_complete

# The ctx fixture is one database per test (both backends); the examples only read it or add
# rows nobody else looks at.
PROPERTY = settings(
    max_examples=60,
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- the table --------------------------------------------------------------------------------


def test_every_limit_is_in_the_table_once():
    names = [limit.name for limit in limits.TABLE]
    assert len(names) == len(set(names))
    for limit in limits.TABLE:
        assert getattr(limits, limit.name) == limit.value > 0


@pytest.mark.parametrize("contract", ["fer", "civil_registry"])
def test_register_names_are_bounded_by_the_contracts_as_declared(contract):
    # The answers are validated against the contracts: their Name is the limit's one place.
    schemas = yaml.safe_load(contract_text(contract))["components"]["schemas"]
    assert schemas["Name"]["maxLength"] == limits.NAME_MAX_CHARS


def test_refusals_speak_both_languages():
    refusals = [
        limits.SearchTooLong(chars=5000),
        limits.SearchTooLong(words=5120),
        limits.ImageTooLarge("a.png", 65535 * 65535, limits.PHOTO_MAX_PIXELS, (65535, 65535)),
        limits.ImageShapeUnusable("a.png", 10, 10),
        limits.FileTooLarge("a.jpg", 30 * limits.MIB, limits.PHOTO_MAX_BYTES),
        limits.BodyTooLarge(99999999999, limits.STAND_IN_BODY_MAX_BYTES),
        limits.JsonTooDeep(),
        limits.TextNotAllowed(),
        limits.UnreadableImage("a.png"),
    ]
    for refusal in refusals:
        assert refusal.message("sq") != refusal.message("en")
        assert "\n" not in refusal.message("en")


# -- search, on both databases ---------------------------------------------------------------


def _texts() -> st.SearchStrategy[str]:
    unstorable = st.sampled_from(["\x00", "\ud800", "\udfff", "\udbff\x00", "\x1b", "\t"])
    return st.one_of(
        st.text(max_size=300),
        st.builds(lambda a, b, c: a + b + c, st.text(max_size=20), unstorable,
                  st.text(max_size=20)),
        st.builds(lambda word, n: " ".join([word] * n), st.text(min_size=1, max_size=6),
                  st.integers(1, 6000)),
        st.text(alphabet="ﷺﷻ﷽ ", max_size=120),  # each folds to several words
    )  # fmt: skip


@pytest.fixture
def searchable(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    return world, application_id


def test_search_takes_any_text(ctx, searchable):
    world, _ = searchable

    @PROPERTY
    @given(text=_texts())
    def check(text: str) -> None:
        started = time.monotonic()
        try:
            hits = search.search(ctx, world.clerk, text)
        except limits.SearchTooLong as refused:
            assert refused.actual > refused.limit
        else:
            assert isinstance(hits, list)
        assert time.monotonic() - started < 1.5

    check()


def test_5120_words_are_refused_before_a_query_is_built(ctx, searchable):
    """Defect: 5,120 words crashed SQLite ("Expression tree is too large") and took 5.8 s on
    PostgreSQL."""
    world, _ = searchable
    started = time.monotonic()
    with pytest.raises(limits.SearchTooLong) as refused:
        search.search(ctx, world.clerk, " ".join(["cela"] * 5120))
    assert time.monotonic() - started < 0.5
    assert "at most 200" in refused.value.message("en")  # its length says it first
    with pytest.raises(limits.SearchTooLong) as refused:
        search.search(ctx, world.clerk, " ".join(["a"] * (limits.SEARCH_MAX_WORDS + 1)))
    assert refused.value.actual == 11 and "at most 10" in refused.value.message("en")
    assert "10" in refused.value.message("sq")


def test_the_most_words_allowed_still_search(ctx, searchable):
    world, application_id = searchable
    words = ["endrit"] + ["x"] * (limits.SEARCH_MAX_WORDS - 2) + ["cela"]
    assert len(words) == limits.SEARCH_MAX_WORDS
    started = time.monotonic()
    assert search.search(ctx, world.clerk, " ".join(words)) == []
    assert time.monotonic() - started < 1.0
    assert [h.application_id for h in search.search(ctx, world.clerk, "endrit çela")] == [
        application_id
    ]


@pytest.mark.parametrize("text", ["Çe\x00la", "\ud800Çela", "Çela\udfff", "\x00Cela\x00"])
def test_nul_and_lone_surrogates_are_not_searched_for(ctx, searchable, text):
    # Raw NUL: PostgreSQL refused the query; a lone surrogate: both drivers failed to encode.
    world, application_id = searchable
    hits = search.search(ctx, world.clerk, text)
    if "\x00" in text.strip("\x00"):
        assert hits == []  # "Çe la": two words
    else:
        assert [h.application_id for h in hits] == [application_id]
    assert search.search(ctx, world.clerk, "\x00") == []


# -- uploaded scans, on both databases ---------------------------------------------------------


def pdf(body: bytes = b"1 0 obj << >> endobj\n") -> bytes:
    return b"%PDF-1.4\n" + body + b"\n%%EOF\n"


def test_uploads_take_any_bytes_and_any_name(ctx, console):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    names = st.one_of(st.text(max_size=300), st.sampled_from(["a\x00.pdf", "\ud800.pdf", ""]))
    data = st.one_of(st.binary(max_size=4096), st.builds(pdf, st.binary(max_size=4096)))

    @PROPERTY
    @given(filename=names, content=data)
    def check(filename: str, content: bytes) -> None:
        # A PDF: its header within the first KiB and its end-of-file marker near the end.
        pdf_like = b"%PDF-" in content[:1024] and b"%%EOF" in content[-2048:]
        try:
            enrolment.attach_document(ctx, world.clerk, application.id, filename, content)
        except (enrolment.NotAPdf, enrolment.DocumentTooLarge):
            assert not pdf_like or len(content) > limits.PDF_MAX_BYTES
        else:
            assert pdf_like and len(content) <= limits.PDF_MAX_BYTES

    check()
    for (stored,) in raw_rows(ctx, "SELECT filename FROM uploaded_documents"):
        assert 0 < len(stored) <= limits.DOCUMENT_NAME_MAX_CHARS
        assert not limits.has_unstorable(stored)


def test_pdf_limit_is_5_mb_exactly(ctx, console):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    padding = limits.PDF_MAX_BYTES - len(pdf(b""))
    exactly = pdf(b"0" * padding)
    assert len(exactly) == limits.PDF_MAX_BYTES
    enrolment.attach_document(ctx, world.clerk, application.id, "fits.pdf", exactly)
    over = pdf(b"0" * (padding + 1))
    tracemalloc.start()
    try:
        with pytest.raises(enrolment.DocumentTooLarge) as refused:
            enrolment.attach_document(ctx, world.clerk, application.id, "over.pdf", over)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 256 * 1024, peak  # refused on its length: never copied, hashed or sealed
    assert "5 MB" in refused.value.message("en") and "5 MB" in refused.value.message("sq")
    assert raw_rows(ctx, "SELECT filename FROM uploaded_documents") == [("fits.pdf",)]


# -- the text and JSON helpers -----------------------------------------------------------------


@settings(max_examples=100, deadline=1000)
@given(text=st.text())
def test_search_text_is_storable_and_bounded(text):
    try:
        cleaned = search_text(text)
    except limits.SearchTooLong:
        return
    assert not limits.has_unstorable(cleaned) and len(cleaned) <= limits.SEARCH_MAX_CHARS


def _json_values() -> st.SearchStrategy[object]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                        st.floats(allow_nan=False, allow_infinity=False))  # fmt: skip
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4),
                                st.dictionaries(st.text(max_size=5), inner, max_size=4)),
        max_leaves=40,
    )  # fmt: skip


@settings(max_examples=100, deadline=1000)
@given(value=_json_values())
def test_parse_json_reads_what_json_writes(value):
    import json

    raw = json.dumps(value).encode()
    assert limits.parse_json(raw, len(raw), storable=False) == value
    try:
        assert limits.parse_json(raw, len(raw)) == value
    except limits.TextNotAllowed:
        assert "\\u0000" in raw.decode() or "\\ud" in raw.decode()


@pytest.mark.parametrize("depth", [limits.JSON_MAX_DEPTH + 1, 1000, 100_000])
def test_parse_json_refuses_depth_without_recursing(depth):
    raw = b"[" * depth + b"]" * depth
    with pytest.raises(limits.JsonTooDeep):
        limits.parse_json(raw, len(raw))
    nested = b'{"a":' * depth + b"1" + b"}" * depth
    with pytest.raises(limits.JsonTooDeep):
        limits.parse_json(nested, len(nested))


def test_parse_json_refuses_size_first_and_junk_in_words():
    with pytest.raises(limits.BodyTooLarge):
        limits.parse_json(b"[" * 2000, 1000)  # never looked at: too long
    for junk in (b"", b"{", b"NaN", b"[Infinity]", b"\xff", b"{} {}"):
        with pytest.raises(limits.MalformedJson):
            limits.parse_json(junk, 100)
    for unstorable in (b'["\\u0000"]', b'{"\\ud800": 1}'):
        with pytest.raises(limits.TextNotAllowed):
            limits.parse_json(unstorable, 100)
        assert limits.parse_json(unstorable, 100, storable=False)


def test_parse_json_refuses_the_same_with_or_without_the_walk():
    """Bodies the bytes alone show within limits skip the walk over every value; every body
    the walk would refuse is still refused (and plain ones still read)."""
    depth = limits.JSON_MAX_DEPTH
    at_limit = b"[" * depth + b"]" * depth
    assert limits.parse_json(at_limit, len(at_limit)) == json_nested(depth)
    # Brackets inside texts count too: many of them, shallow, still reads (the walk decides).
    brackets = b'["' + b"[{" * depth + b'"]'
    assert limits.parse_json(brackets, len(brackets)) == ["[{" * depth]
    # A lone surrogate as raw UTF-8 bytes (json decodes them), as an escape, and a NUL escape.
    for unstorable in (b'["\xed\xa0\x80"]', b'{"k": "\\udfff"}', b'{"\\u0000": 1}'):
        with pytest.raises(limits.TextNotAllowed):
            limits.parse_json(unstorable, 100)
    # UTF-16 (json detects it): walked, and refused the same.
    utf16 = '["\\u0000"]'.encode("utf-16-le")
    with pytest.raises(limits.TextNotAllowed):
        limits.parse_json(utf16, 100)
    plain = '{"emri": "Çela", "vlerat": [1, 2]}'.encode()
    assert limits.parse_json(plain, 100) == {"emri": "Çela", "vlerat": [1, 2]}


def json_nested(depth: int) -> object:
    value: list[object] = []
    for _ in range(depth - 1):
        value = [value]
    return value
