"""``caring.carers.pseudonym``: NHS numbers checked by modulus 11, keyed hashes that match the
same identifier and nothing else, postcodes normalised, and a surname's initial."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caring.carers import pseudonym as p

KEY = b"a test key of thirty-two bytes!!"
OTHER_KEY = b"another key, also 32 bytes long."
KINDS = (p.NHS, p.LINK, p.PERSON)


def check_digit(first_nine: str) -> int | None:
    """Modulus 11, written out from the NHS Data Dictionary: weights 10 down to 2; 11 minus the
    remainder; 11 means 0; 10 means no NHS number can start with these nine digits."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


# --- NHS numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    ["9434765919", "943 476 5919", "943-476-5919", " 9434765919\n", "943\u00a0476\u00a05919",
     "9 4 3 4 7 6 5 9 1 9", "943-476 5919"],
)  # fmt: skip
def test_a_known_valid_nhs_number_is_read_with_spaces_and_hyphens_ignored(said):
    assert p.nhs_number(said) == "9434765919"


@pytest.mark.parametrize("said", ["4010232137", "9999999999", "4505577104", "0000000000"])
def test_other_valid_nhs_numbers(said):
    assert check_digit(said[:9]) == int(said[9])
    assert p.nhs_number(said) == said


@pytest.mark.parametrize(
    "said",
    [
        "9434765918",  # the wrong check digit
        "9434765910",
        "943476591",  # 9 digits
        "94347659190",  # 11 digits
        "943476591A",
        "943.476.5919",  # dots are not spaces or hyphens
        "+9434765919",
        "",
        "   ",
        None,
        "not known",
        "1000000010",  # the check digit of 100000001 would be 10: no such number
    ],
)
def test_invalid_nhs_numbers_are_refused(said):
    assert p.nhs_number(said) is None


def test_a_prefix_whose_check_digit_would_be_10_has_no_valid_number():
    prefix = next(
        f"{n:09d}" for n in range(100_000_000, 200_000_000) if check_digit(f"{n:09d}") is None
    )
    assert all(p.nhs_number(prefix + str(d)) is None for d in range(10))


def test_a_number_given_as_a_whole_number_is_read():
    assert p.nhs_number(9434765919) == "9434765919"


@given(prefix=st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_prefix_has_at_most_one_valid_check_digit_and_it_is_the_one_accepted(prefix):
    valid = [d for d in range(10) if p.nhs_number(f"{prefix}{d}") is not None]
    assert len(valid) <= 1
    expected = check_digit(prefix)
    assert valid == ([] if expected is None else [expected])
    if valid:
        spaced = f"{prefix[:3]} {prefix[3:6]}-{prefix[6:]}{valid[0]}"
        assert p.nhs_number(spaced) == f"{prefix}{valid[0]}"


@given(
    st.one_of(
        st.text(alphabet=string.printable, max_size=14),
        st.text(max_size=14),
        st.text(alphabet="0123456789 -\u00b2\u0669\u00a0", min_size=9, max_size=13),
    )
)
def test_nhs_number_never_raises_and_gives_ten_ascii_digits_or_none(said):
    got = p.nhs_number(said)
    assert got is None or re.fullmatch(r"[0-9]{10}", got)


def test_unicode_digits_are_not_an_nhs_number():
    """'²'.isdigit() is True but int('²') fails: this once raised instead of saying None."""
    assert p.nhs_number("²" * 10) is None


def test_non_ascii_digits_are_refused_or_read_as_ascii():
    """Else the same number in other digits would hash differently."""
    assert p.nhs_number("٩٤٣٤٧٦٥٩١٩") in (None, "9434765919")


# --- keyed hashes -----------------------------------------------------------------------------


def test_a_keyed_hash_is_32_hex_characters_and_deterministic():
    first = p.keyed_hash(KEY, p.NHS, "9434765919")
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert p.keyed_hash(KEY, p.NHS, "9434765919") == first
    assert p.keyed_hash(bytes(KEY), bytes(p.NHS), "".join("9434765919")) == first


def test_a_keyed_hash_differs_by_key_by_kind_and_by_text():
    text = "9434765919"
    assert p.keyed_hash(KEY, p.NHS, text) != p.keyed_hash(OTHER_KEY, p.NHS, text)
    by_kind = {p.keyed_hash(KEY, kind, text) for kind in KINDS}
    assert len(by_kind) == len(KINDS)
    assert p.keyed_hash(KEY, p.NHS, text) != p.keyed_hash(KEY, p.NHS, "4010232137")


def test_the_hash_does_not_contain_the_identifier():
    assert "9434765919" not in p.keyed_hash(KEY, p.NHS, "9434765919")


@pytest.mark.parametrize("key", [b"", b"short", b"x" * 15])
def test_a_short_key_is_refused(key):
    with pytest.raises(ValueError, match="at least 16 bytes"):
        p.keyed_hash(key, p.NHS, "9434765919")


def test_a_16_byte_key_is_enough():
    assert len(p.keyed_hash(b"x" * 16, p.NHS, "9434765919")) == 32


@given(
    key=st.binary(min_size=16, max_size=64),
    kind=st.sampled_from(KINDS),
    a=st.text(max_size=30),
    b=st.text(max_size=30),
)
def test_keyed_hashes_are_equal_exactly_when_the_identifiers_are(key, kind, a, b):
    same = p.keyed_hash(key, kind, a) == p.keyed_hash(key, kind, b)
    assert same == (a == b)
    assert re.fullmatch(r"[0-9a-f]{32}", p.keyed_hash(key, kind, a))


def test_link_text_is_date_postcode_and_initial():
    assert p.link_text(dt.date(1980, 1, 2), "S601CK", "A") == "1980-01-02|S601CK|A"


# --- postcodes and initials -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("s60 1aa", "S601AA"),
        ("S60 1AA", "S601AA"),
        ("  s60   1aa ", "S601AA"),
        ("S601AA", "S601AA"),
        ("SW1A 1AA", "SW1A1AA"),
        ("M1 1AE", "M11AE"),
        ("B33 8TH", "B338TH"),
        ("CR2 6XH", "CR26XH"),
        ("DN55 1PT", "DN551PT"),
        ("EC1A 1BB", "EC1A1BB"),
        ("W1A 0AX", "W1A0AX"),
    ],
)
def test_postcodes_are_normalised(said, code):
    assert p.postcode(said) == code


@pytest.mark.parametrize(
    "said",
    ["", None, "   ", "S60", "60 1AA", "S60 1A", "S60 1AAA", "S60-1AA", "SSS60 1AA", "S60 11AA",
     "hello world", "Rotherham", "E02001578", "9434765919", "S60 1A1"],
)  # fmt: skip
def test_things_that_are_not_postcodes_are_refused(said):
    assert p.postcode(said) is None


@given(st.from_regex(r"[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}", fullmatch=True))
def test_any_postcode_shape_normalises_to_upper_case_without_spaces(said):
    code = p.postcode(said)
    assert code == said.replace(" ", "").upper()
    assert p.postcode(code) == code


@pytest.mark.parametrize(
    ("said", "letter"),
    [("Smith", "S"), ("  o'Neill", "O"), ("Élodie", "E"), ("van der Berg", "V"),
     ("d'Souza", "D"), ("'Brien", "B"), ("ÅSTRÖM", "A")],
)  # fmt: skip
def test_the_initial_is_the_first_letter_upper_case_with_accents_ignored(said, letter):
    assert p.initial(said) == letter


@pytest.mark.parametrize("said", ["", None, "   ", "123", "-", "'"])
def test_no_letter_no_initial(said):
    assert p.initial(said) is None


def test_the_initial_of_a_letter_with_a_stroke_is_that_letter():
    assert p.initial("Łukasz") == p.initial("Lukasz") == "L"
    assert p.initial("Øyvind") == p.initial("Oyvind") == "O"
