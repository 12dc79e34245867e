"""Pseudonymising identifiers on arrival: keyed hashes of normalised identifiers.

Pure Python. A keyed hash (BLAKE2b in its keyed mode, 128 bits) cannot be reversed or recomputed
without the key, which lives in settings (``CARING_PSEUDONYM_KEY``) and never with the data, so a
copy of the database alone names no one. The same identifier hashed with the same key always
gives the same hash, which is what lets two sources' records of one person be matched. Each kind
of identifier is hashed with its own ``person`` string, so an NHS number and a source's id that
happen to be the same text do not collide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

NHS = b"nhs-number"
LINK = b"dob-postcode-init"
PERSON = b"source-person-id"


def keyed_hash(key: bytes, kind: bytes, text: str) -> str:
    """32 hex characters: the keyed hash of ``text`` for identifiers of ``kind``."""
    if len(key) < 16:
        raise ValueError("the pseudonymisation key must be at least 16 bytes")
    return hashlib.blake2b(
        text.encode(), key=key[:64], person=kind[:16], digest_size=16
    ).hexdigest()


_NOT_DIGITS = re.compile(r"[\s-]")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit of an NHS number's first nine (ASCII) digits, or None when
    there is none (a remainder giving 10: no number starts with those nine digits)."""
    d = [ord(c) - 48 for c in first_nine]
    total = 10 * d[0] + 9 * d[1] + 8 * d[2] + 7 * d[3] + 6 * d[4] + 5 * d[5] + 4 * d[6] \
        + 3 * d[7] + 2 * d[8]  # fmt: skip
    check = 11 - total % 11
    return 0 if check == 11 else None if check == 10 else check


def nhs_number(text: object) -> str | None:
    """The 10 digits of a valid NHS number (spaces and hyphens ignored), or None if it is not
    one: wrong length, not digits, or a failed modulus 11 check."""
    said = str(text or "")
    if len(said) != 10:
        said = _NOT_DIGITS.sub("", said)
    if len(said) != 10 or not said.isdigit() or not said.isascii():
        return None
    if nhs_check_digit(said[:9]) != ord(said[9]) - 48:
        return None
    return said


_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


_POSTCODES: dict[str, str | None] = {}


def postcode(text: object) -> str | None:
    """A UK postcode upper case without spaces ("S601AA"), or None if it is not shaped like one."""
    found = _POSTCODES.get(text) if type(text) is str else None
    if found is not None:
        return found
    said = re.sub(r"\s+", "", str(text or "")).upper()
    found = said if _POSTCODE.match(said) else None
    if found is not None and type(text) is str and len(_POSTCODES) < 200_000:
        _POSTCODES[text] = found
    return found


# letters NFKD can't take apart into a plain letter and an accent
_STROKES = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ħ": "H",
                          "ħ": "h", "Æ": "A", "æ": "a", "Œ": "O", "œ": "o", "Þ": "T", "þ": "t",
                          "ß": "s", "ı": "i"})  # fmt: skip


def initial(text: object) -> str | None:
    """The first letter of a name, A to Z, accents ignored; None if there is none."""
    import unicodedata

    said = str(text or "").translate(_STROKES)
    said = unicodedata.normalize("NFKD", said).encode("ascii", "ignore").decode()
    for char in said.strip():
        if char.isalpha():
            return char.upper()
    return None


def link_text(birth: dt.date, code: str, letter: str) -> str:
    """What the fallback match key hashes: date of birth, postcode and surname initial."""
    return f"{birth.isoformat()}|{code}|{letter}"
