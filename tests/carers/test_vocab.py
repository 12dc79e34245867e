"""``caring.carers.vocab``: the Census 2021 ethnic groups, the variants sources write, "not
known" everywhere, labels compared without case, punctuation or accents, and age bands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caring.carers import vocab
from caring.carers.vocab import NOT_KNOWN, squash

ALL = {**vocab.CODED, "support": vocab.SUPPORT, "age": vocab.AGE}

# The 19 categories of the Census 2021 ethnic group question (England), in their 5 groups,
# written out independently of the module.
CENSUS_2021 = {
    "White": ("English, Welsh, Scottish, Northern Irish or British", "Irish",
              "Gypsy or Irish Traveller", "Roma", "Other White"),
    "Mixed or Multiple ethnic groups": ("White and Black Caribbean", "White and Black African",
                                        "White and Asian", "Other Mixed or Multiple ethnic groups"),
    "Asian, Asian British or Asian Welsh": ("Indian", "Pakistani", "Bangladeshi", "Chinese",
                                            "Other Asian"),
    "Black, Black British, Black Welsh, Caribbean or African": ("African", "Caribbean",
                                                                "Other Black"),
    "Other ethnic group": ("Arab", "Any other ethnic group"),
}  # fmt: skip
# The ONS's full labels, "group: category", as TS021 and the local data offices publish them.
ONS_LABELS = [f"{group}: {category}" for group, said in CENSUS_2021.items() for category in said]
# The module's code for each category, in the same order.
CODES = [
    "white_british", "white_irish", "white_gypsy_traveller", "white_roma", "white_other",
    "mixed_white_black_caribbean", "mixed_white_black_african", "mixed_white_asian", "mixed_other",
    "asian_indian", "asian_pakistani", "asian_bangladeshi", "asian_chinese", "asian_other",
    "black_african", "black_caribbean", "black_other",
    "other_arab", "other_any",
]  # fmt: skip
SHORT_LABELS = [category for said in CENSUS_2021.values() for category in said]
# NHS Data Dictionary ethnic category codes (A to S; Z not stated).
NHS_CODES = {
    "A": "white_british", "B": "white_irish", "C": "white_other",
    "D": "mixed_white_black_caribbean", "E": "mixed_white_black_african",
    "F": "mixed_white_asian", "G": "mixed_other", "H": "asian_indian", "J": "asian_pakistani",
    "K": "asian_bangladeshi", "L": "asian_other", "M": "black_caribbean", "N": "black_african",
    "P": "black_other", "R": "asian_chinese", "S": "other_any", "Z": NOT_KNOWN,
}  # fmt: skip


# --- ethnicity --------------------------------------------------------------------------------


def test_census_2021_has_19_categories_in_5_groups_and_not_known():
    codes = [c for c in vocab.ETHNICITY.codes if c != NOT_KNOWN]
    assert codes == CODES
    assert len(codes) == 19
    assert list(vocab.ETHNICITY.codes)[-1] == NOT_KNOWN
    assert len(vocab.ETHNIC_GROUPS) == 5
    assert set(vocab.ETHNICITY.groups) == set(codes)
    assert set(vocab.ETHNICITY.groups.values()) == set(vocab.ETHNIC_GROUPS)
    sizes = [sum(1 for g in vocab.ETHNICITY.groups.values() if g == group)
             for group in vocab.ETHNIC_GROUPS]  # fmt: skip
    assert sizes == [len(said) for said in CENSUS_2021.values()] == [5, 4, 5, 3, 2]


@pytest.mark.parametrize(("code", "group"), list(zip(CODES, [
    g for g, said in CENSUS_2021.items() for _ in said], strict=True)))  # fmt: skip
def test_each_category_is_in_its_census_group(code, group):
    assert squash(group).startswith(squash(vocab.ETHNICITY.groups[code]))


@pytest.mark.parametrize(
    ("label", "code"),
    [
        (label, code) for label, code in zip(ONS_LABELS, CODES, strict=True)
    ],
)  # fmt: skip
def test_the_onss_full_census_2021_labels_are_read(label, code):
    assert vocab.ETHNICITY.code(label) == code


@pytest.mark.parametrize(
    ("label", "code"),
    [(label, code) for label, code in zip(SHORT_LABELS, CODES, strict=True)],
)
def test_the_census_2021_category_names_are_read(label, code):
    assert vocab.ETHNICITY.code(label) == code


def test_the_modules_own_labels_are_distinct_and_read_back():
    labels = [vocab.ETHNICITY.label(c) for c in vocab.ETHNICITY.codes]
    assert len(set(labels)) == len(labels) == 20
    for code in vocab.ETHNICITY.codes:
        assert vocab.ETHNICITY.code(vocab.ETHNICITY.label(code)) == code
        assert vocab.ETHNICITY.code(code) == code


@pytest.mark.parametrize(("letter", "code"), sorted(NHS_CODES.items()))
def test_nhs_letter_codes(letter, code):
    assert vocab.ETHNICITY.code(letter) == code
    assert vocab.ETHNICITY.code(letter.lower()) == code


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("White British", "white_british"),
        ("WHITE - BRITISH", "white_british"),
        ("White: British", "white_british"),
        ("British", "white_british"),
        ("WBRI", "white_british"),
        ("Pakistani", "asian_pakistani"),
        ("pakistani", "asian_pakistani"),
        ("Asian Pakistani", "asian_pakistani"),
        ("Pakistani or British Pakistani", "asian_pakistani"),
        ("APKN", "asian_pakistani"),
        ("Any other White background", "white_other"),
        ("Gypsy/Roma", "white_gypsy_traveller"),
        ("Black African", "black_african"),
        ("Irish", "white_irish"),
        ("Arab", "other_arab"),
        ("Not stated", NOT_KNOWN),
        ("not known", NOT_KNOWN),
        ("Unknown", NOT_KNOWN),
        ("Refused", NOT_KNOWN),
        ("Prefer not to say", NOT_KNOWN),
        ("", NOT_KNOWN),
        (None, NOT_KNOWN),
        ("99", NOT_KNOWN),
    ],
)
def test_common_ethnicity_variants(said, code):
    assert vocab.ETHNICITY.code(said) == code


@pytest.mark.parametrize("said", ["Martian", "White Martian", "Q", "Asian Welsh Cornish"])
def test_a_label_no_one_uses_is_not_known_to_the_vocabulary(said):
    assert vocab.ETHNICITY.code(said) is None


# --- every vocabulary -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_vocabulary_has_not_known_last_and_reads_its_own_codes_and_labels(name):
    words = ALL[name]
    assert list(words.codes)[-1] == NOT_KNOWN
    for code, label in words.codes.items():
        assert words.code(code) == code
        assert words.code(label) == code
        assert words.code(label.upper()) == code
        assert words.label(code) == label
    assert set(words.variants.values()) <= set(words.codes)  # no variant means a stray code


@pytest.mark.parametrize("name", sorted(vocab.CODED))
@pytest.mark.parametrize("blank", ["", "  ", None, "Not known", "N/K", "not recorded"])
def test_not_known_in_every_coded_field(name, blank):
    assert vocab.CODED[name].code(blank) == NOT_KNOWN


@pytest.mark.parametrize(
    ("words", "said", "code"),
    [
        (vocab.SEX, "F", "female"),
        (vocab.SEX, "Male", "male"),
        (vocab.SEX, "Indeterminate", NOT_KNOWN),
        (vocab.CHANNEL, "Face-to-face", "non_digital"),
        (vocab.CHANNEL, "Online", "digital"),
        (vocab.CHANNEL, "Both", "both"),
        (vocab.PATHWAY, "Carers' Café", "coffee_shop"),
        (vocab.PATHWAY, "Self-referral", "self_referral"),
        (vocab.PATHWAY, "COVID vaccination", "vaccination"),
        (vocab.SOCIAL_CONTACT, "3", "isolated"),
        (vocab.DISABILITY, "Y", "yes"),
        (vocab.RELATIONSHIP, "Mum", "parent"),
        (vocab.SUPPORT, "Assistive Technology Grant", "at_grant"),
        (vocab.SUPPORT, "Information & advice", "information_advice"),
        (vocab.SUPPORT, "Carer's assessment", "assessment"),
    ],
)
def test_other_variants(words, said, code):
    assert words.code(said) == code


def test_the_protected_characteristics_are_the_nine_of_the_equality_act():
    assert len(vocab.PROTECTED) == 9
    for _, _, column in vocab.PROTECTED:
        assert column is None or column == "age_band" or column in vocab.CODED


# --- squash -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("White British", "WHITE BRITISH"),
        ("White - British", "white british"),
        ("  White:   British!! ", "white british"),
        ("Carers' Café", "carers cafe"),
        ("Self-Referral", "self referral"),
        ("Information & Advice", "information and advice"),
        ("Ñandú", "nandu"),
        ("Zoë", "zoe"),
        ("white_british", "white british"),
    ],
)
def test_squash_ignores_case_punctuation_accents_and_spaces(a, b):
    assert squash(a) == squash(b)


def test_squash_of_nothing_is_empty():
    assert squash(None) == squash("") == squash(" -- ") == ""


@given(st.text(max_size=40))
def test_squash_is_idempotent_and_plain(text):
    once = squash(text)
    assert squash(once) == once
    assert once == once.lower().strip()
    assert "  " not in once
    assert once.isascii()


WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),
                 min_size=1, max_size=5)  # fmt: skip
SEPARATORS = st.sampled_from([" ", "  ", " - ", ", ", "_", ". ", "-", "!", " (", ") ", ":"])


@given(WORDS, st.data())
def test_squash_ignores_case_and_punctuation_between_any_words(words, data):
    noisy = data.draw(st.sampled_from(["", " ", "'", "* "]))
    for i, word in enumerate(words):
        if i:
            noisy += data.draw(SEPARATORS)
        noisy += data.draw(st.sampled_from([word, word.upper(), word.title()]))
    noisy += data.draw(st.sampled_from(["", " ", ".", "!!", " ?"]))
    assert squash(noisy) == " ".join(words)


# --- age bands --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0_to_17"), (17, "0_to_17"), (18, "18_to_24"), (24, "18_to_24"), (25, "25_to_49"),
     (49, "25_to_49"), (50, "50_to_64"), (64, "50_to_64"), (65, "65_to_74"), (74, "65_to_74"),
     (75, "75_and_over"), (120, "75_and_over")],
)  # fmt: skip
def test_age_band_edges(age, band):
    assert vocab.age_band(age) == band


@pytest.mark.parametrize("age", [-1, -50])
def test_a_negative_age_is_not_possible(age):
    with pytest.raises(ValueError):
        vocab.age_band(age)


@given(st.integers(0, 200))
def test_every_age_has_exactly_one_band(age):
    bands = [code for code, _, low, high in vocab.AGE_BANDS if low <= age <= high]
    assert bands == [vocab.age_band(age)]


def test_age_bands_fold_into_the_2011_census_age_bands():
    assert set(vocab.CENSUS_2011_AGE) == {code for code, *_ in vocab.AGE_BANDS}
    assert set(vocab.CENSUS_2011_AGE.values()) == {
        "aged_0_to_24", "aged_25_to_49", "aged_50_to_64", "aged_65_and_over"}  # fmt: skip
