"""The words carers' records are coded in, and the variants sources write them in.

Pure Python. Each coded field is a :class:`Vocabulary`: its codes in display order, each with a
label, and the variants (case, spacing and punctuation ignored) that mean it. ``NOT_KNOWN`` is in
every vocabulary: a blank cell, "not known", "not stated", "unknown", "refused" all mean it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

NOT_KNOWN = "not_known"
_NOT_KNOWN_WORDS = (
    "", "not known", "unknown", "not stated", "not recorded", "not given", "refused",
    "prefer not to say", "declined", "not disclosed", "nk", "n/k", "u", "z", "99", "null", "none",
    "not specified", "not provided", "missing",
)  # fmt: skip


def squash(text: object) -> str:
    """A label compared without case, accents, punctuation or repeated spaces."""
    said = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    said = said.lower().replace("&", " and ")
    said = re.sub(r"[^a-z0-9/+]+", " ", said)
    return " ".join(said.split())


@dataclass
class Vocabulary:
    name: str  # the field, in messages: "ethnicity"
    codes: dict[str, str]  # code -> label, in display order (NOT_KNOWN last)
    variants: dict[str, str] = field(default_factory=dict)  # squashed variant -> code
    groups: dict[str, str] = field(default_factory=dict)  # code -> the group it belongs to

    def __post_init__(self) -> None:
        self.codes.setdefault(NOT_KNOWN, "Not known")
        table: dict[str, str] = {}
        for code, label in self.codes.items():
            table[squash(code)] = code
            table[squash(code.replace("_", " "))] = code
            table[squash(label)] = code
        for word in _NOT_KNOWN_WORDS:
            table.setdefault(squash(word), NOT_KNOWN)
        for variant, code in self.variants.items():
            table[squash(variant)] = code
        self.variants = table
        self._seen: dict[str, str | None] = {}

    def code(self, text: object) -> str | None:
        """The code ``text`` means, or None when it is not a word this field knows."""
        try:
            return self._seen[text]
        except (KeyError, TypeError):
            pass
        code = self.variants.get(squash(text))
        if isinstance(text, str) and len(self._seen) < 10_000:
            self._seen[text] = code  # extracts repeat the same few labels a million times
        return code

    def label(self, code: str) -> str:
        return self.codes.get(code, code)


# Census 2021 ethnic groups: 19 categories in 5 groups (and "not known").
_ETHNIC = (
    ("White", (
        ("white_british", "White: English, Welsh, Scottish, Northern Irish or British",
         ("White British", "British", "English", "Welsh", "Scottish", "Northern Irish",
          "White English", "WBRI", "A", "White - British", "White: British",
          "White English Welsh Scottish Northern Irish British")),
        ("white_irish", "White: Irish", ("Irish", "White Irish", "WIRI", "B")),
        ("white_gypsy_traveller", "White: Gypsy or Irish Traveller",
         ("Gypsy", "Irish Traveller", "Traveller", "Gypsy Roma Traveller", "Gypsy/Roma",
          "WIRT", "WGYP", "Traveller of Irish heritage", "Gypsy or Irish Traveller")),
        ("white_roma", "White: Roma", ("Roma", "WROM")),
        ("white_other", "White: Other White",
         ("Other White", "Any other White background", "White other", "WOTH", "C",
          "White - Other", "Other White background")),
    )),
    ("Mixed or Multiple", (
        ("mixed_white_black_caribbean", "Mixed or Multiple: White and Black Caribbean",
         ("White and Black Caribbean", "MWBC", "D", "Mixed White and Black Caribbean")),
        ("mixed_white_black_african", "Mixed or Multiple: White and Black African",
         ("White and Black African", "MWBA", "E", "Mixed White and Black African")),
        ("mixed_white_asian", "Mixed or Multiple: White and Asian",
         ("White and Asian", "MWAS", "F", "Mixed White and Asian")),
        ("mixed_other", "Mixed or Multiple: Other Mixed or Multiple",
         ("Other Mixed", "Any other Mixed background", "Other mixed background", "MOTH", "G",
          "Any other Mixed or Multiple background", "Mixed other", "Mixed")),
    )),
    ("Asian, Asian British or Asian Welsh", (
        ("asian_indian", "Asian: Indian", ("Indian", "AIND", "H", "Asian Indian",
                                           "Indian or British Indian")),
        ("asian_pakistani", "Asian: Pakistani", ("Pakistani", "APKN", "J", "Asian Pakistani",
                                                 "Pakistani or British Pakistani")),
        ("asian_bangladeshi", "Asian: Bangladeshi",
         ("Bangladeshi", "ABAN", "K", "Asian Bangladeshi", "Bangladeshi or British Bangladeshi")),
        ("asian_chinese", "Asian: Chinese", ("Chinese", "CHNE", "R", "Asian Chinese")),
        ("asian_other", "Asian: Other Asian",
         ("Other Asian", "Any other Asian background", "AOTH", "L", "Asian other")),
    )),
    ("Black, Black British, Black Welsh, Caribbean or African", (
        ("black_african", "Black: African", ("African", "BAFR", "N", "Black African")),
        ("black_caribbean", "Black: Caribbean", ("Caribbean", "BCRB", "M", "Black Caribbean")),
        ("black_other", "Black: Other Black",
         ("Other Black", "Any other Black background", "BOTH", "P", "Black other",
          "Any other Black, Black British or Caribbean background")),
    )),
    ("Other ethnic group", (
        ("other_arab", "Other ethnic group: Arab", ("Arab", "OARA", "WA")),
        ("other_any", "Other ethnic group: Any other ethnic group",
         ("Any other ethnic group", "Other ethnic group", "Other", "OOTH", "S",
          "Any other")),
    )),
)  # fmt: skip

# the groups as ONS writes them in published tables ("Mixed or Multiple ethnic groups: ...")
_MIXED = ("Mixed or Multiple ethnic groups", "Mixed or Multiple ethnic group")
_ONS_GROUPS = {"Mixed or Multiple": _MIXED,
               "White": ("White",), "Other ethnic group": ("Other ethnic group",),
               "Asian, Asian British or Asian Welsh": ("Asian, Asian British or Asian Welsh",),
               "Black, Black British, Black Welsh, Caribbean or African": (
                   "Black, Black British, Black Welsh, Caribbean or African",)}  # fmt: skip


def _ons_variants() -> dict[str, str]:
    """Each category written as ONS publishes it: the group, a colon and the category's name
    ("Asian, Asian British or Asian Welsh: Indian"), and the name alone."""
    out: dict[str, str] = {}
    for group, members in _ETHNIC:
        for code, label, _ in members:
            name = label.split(": ", 1)[1]
            names = [name]
            if name == "Other Mixed or Multiple":
                names += [
                    "Other Mixed or Multiple ethnic groups",
                    "Other Mixed or Multiple ethnic group",
                ]
            for said in names:
                out[said] = code
                out[f"{group}: {said}"] = code
                for ons in _ONS_GROUPS[group]:
                    out[f"{ons}: {said}"] = code
    return out


ETHNICITY = Vocabulary(
    "ethnicity",
    {code: label for _, members in _ETHNIC for code, label, _ in members},
    {
        **_ons_variants(),
        **{
            variant: code for _, members in _ETHNIC for code, _, said in members for variant in said
        },
    },
    {code: group for group, members in _ETHNIC for code, _, _ in members},
)
ETHNIC_GROUPS = tuple(group for group, _ in _ETHNIC)

SEX = Vocabulary(
    "sex",
    {"female": "Female", "male": "Male"},
    {"f": "female", "woman": "female", "women": "female", "girl": "female",
     "m": "male", "man": "male", "men": "male", "boy": "male",
     "indeterminate": NOT_KNOWN, "i": NOT_KNOWN, "9": NOT_KNOWN, "x": NOT_KNOWN},
)  # fmt: skip

YES_NO = {"y": "yes", "n": "no", "true": "yes", "false": "no", "1": "yes", "0": "no"}

DISABILITY = Vocabulary(
    "disability",
    {"yes": "Disabled", "no": "Not disabled"},
    {**YES_NO, "disabled": "yes", "not disabled": "no", "has a disability": "yes",
     "no disability": "no", "yes limited a lot": "yes", "yes limited a little": "yes"},
)  # fmt: skip

RELIGION = Vocabulary(
    "religion",
    {"no_religion": "No religion", "christian": "Christian", "buddhist": "Buddhist",
     "hindu": "Hindu", "jewish": "Jewish", "muslim": "Muslim", "sikh": "Sikh",
     "other": "Any other religion"},
    {"none religion": "no_religion", "atheist": "no_religion", "christianity": "christian",
     "church of england": "christian", "catholic": "christian", "roman catholic": "christian",
     "islam": "muslim", "judaism": "jewish", "sikhism": "sikh", "hinduism": "hindu",
     "buddhism": "buddhist", "other religion": "other", "any other religion": "other"},
)  # fmt: skip

SEXUAL_ORIENTATION = Vocabulary(
    "sexual orientation",
    {"heterosexual": "Straight or heterosexual", "gay_lesbian": "Gay or lesbian",
     "bisexual": "Bisexual", "other": "Another sexual orientation"},
    {"straight": "heterosexual", "gay": "gay_lesbian", "lesbian": "gay_lesbian",
     "gay or lesbian": "gay_lesbian", "bi": "bisexual", "other sexual orientation": "other",
     "all other sexual orientations": "other", "pansexual": "other", "asexual": "other",
     "queer": "other"},
)  # fmt: skip

PATHWAY = Vocabulary(
    "pathway",
    {"social_event": "Social event", "coffee_shop": "Carers' coffee shop",
     "crisis": "Direct contact in crisis", "vaccination": "Vaccination programme",
     "gp": "GP", "hospital_discharge": "Hospital discharge", "school": "School",
     "self_referral": "Self-referral", "other": "Other"},
    {"social events": "social_event", "parent carers forum": "social_event",
     "event": "social_event", "carers coffee shop": "coffee_shop", "coffee shop": "coffee_shop",
     "cafe": "coffee_shop", "carers cafe": "coffee_shop", "in crisis": "crisis",
     "crisis contact": "crisis", "direct contact": "crisis", "vaccination": "vaccination",
     "vaccinations": "vaccination", "covid vaccination": "vaccination", "vaccine": "vaccination",
     "flu vaccination": "vaccination", "gp register": "gp", "gp practice": "gp",
     "general practice": "gp", "gp referral": "gp", "hospital": "hospital_discharge",
     "discharge": "hospital_discharge", "school referral": "school", "education": "school",
     "self": "self_referral", "self referral": "self_referral", "self-referral": "self_referral",
     "other referral": "other"},
)  # fmt: skip

CHANNEL = Vocabulary(
    "access channel",
    {"digital": "Digital", "non_digital": "Non-digital", "both": "Both"},
    {"online": "digital", "web": "digital", "app": "digital", "email": "digital",
     "non digital": "non_digital", "nondigital": "non_digital", "offline": "non_digital",
     "face to face": "non_digital", "telephone": "non_digital", "phone": "non_digital",
     "in person": "non_digital", "paper": "non_digital", "digital and non digital": "both",
     "mixed": "both"},
)  # fmt: skip

SOCIAL_CONTACT = Vocabulary(
    "social contact",
    {"as_much": "As much social contact as I want with people I like",
     "some": "Some social contact but not enough",
     "isolated": "Little social contact and I feel socially isolated"},
    {"as much as i want": "as_much", "as much social contact as i want": "as_much",
     "enough": "as_much", "some social contact": "some", "some but not enough": "some",
     "not enough": "some", "little social contact": "isolated", "socially isolated": "isolated",
     "isolated": "isolated", "little": "isolated", "1": "as_much", "2": "some",
     "3": "isolated"},
)  # fmt: skip

RELATIONSHIP = Vocabulary(
    "relationship",
    {"spouse_partner": "Spouse or partner", "parent": "Parent of the person cared for",
     "child": "Son or daughter of the person cared for", "sibling": "Brother or sister",
     "other_relative": "Other relative", "friend_neighbour": "Friend or neighbour",
     "other": "Other"},
    {"spouse": "spouse_partner", "partner": "spouse_partner", "husband": "spouse_partner",
     "wife": "spouse_partner", "civil partner": "spouse_partner", "parent": "parent",
     "mother": "parent", "father": "parent", "mum": "parent", "dad": "parent",
     "parent carer": "parent", "son": "child", "daughter": "child", "child": "child",
     "grandchild": "other_relative", "grandparent": "other_relative", "brother": "sibling",
     "sister": "sibling", "relative": "other_relative", "friend": "friend_neighbour",
     "neighbour": "friend_neighbour", "neighbor": "friend_neighbour"},
)  # fmt: skip

# Support: the adult social care carers' support types (SALT LTS003 / Client Level Data) and
# the local ones the seeds name.
SUPPORT = Vocabulary(
    "support",
    {"direct_payment": "Direct Payment only",
     "managed_budget": "CASSR Managed Personal Budget",
     "commissioned": "CASSR Commissioned Support only",
     "direct_unknown": "Support Direct to Carer: Unknown Delivery Mechanism",
     "information_advice": "Information, advice and other universal services / signposting",
     "no_direct_support": "No Direct Support Provided to Carer",
     "at_grant": "Assistive technology grant",
     "tech_package": "Tech package",
     "assessment": "Carer's assessment",
     "break": "Break (respite)",
     "training_course": "Training course"},
    {"direct payment": "direct_payment", "dp": "direct_payment",
     "managed personal budget": "managed_budget", "personal budget": "managed_budget",
     "cassr managed personal budget": "managed_budget",
     "commissioned support": "commissioned", "commissioned support only": "commissioned",
     "support direct to carer": "direct_unknown", "information and advice": "information_advice",
     "information advice": "information_advice", "advice": "information_advice",
     "signposting": "information_advice", "information": "information_advice",
     "no direct support": "no_direct_support",
     "assistive technology grant": "at_grant", "at grant": "at_grant",
     "assistive technology": "at_grant", "grant": "at_grant", "tech package": "tech_package",
     "technology package": "tech_package", "digital package": "tech_package",
     "carers assessment": "assessment", "carer assessment": "assessment",
     "assessment": "assessment", "break": "break", "respite": "break", "short break": "break",
     "carers break": "break", "training": "training_course", "training course": "training_course",
     "course": "training_course"},
)  # fmt: skip

# Age bands a date of birth or an age becomes, at the extract's date. They add up to the 2011
# census age table's bands (0-24, 25-49, 50-64, 65+) and to SALT's (under 18, 18-64, 65+).
AGE_BANDS = (
    ("0_to_17", "Under 18", 0, 17),
    ("18_to_24", "18 to 24", 18, 24),
    ("25_to_49", "25 to 49", 25, 49),
    ("50_to_64", "50 to 64", 50, 64),
    ("65_to_74", "65 to 74", 65, 74),
    ("75_and_over", "75 and over", 75, 200),
)
AGE = Vocabulary("age band", {code: label for code, label, _, _ in AGE_BANDS})
CENSUS_2011_AGE = {  # our bands -> the 2011 census age table's
    "0_to_17": "aged_0_to_24",
    "18_to_24": "aged_0_to_24",
    "25_to_49": "aged_25_to_49",
    "50_to_64": "aged_50_to_64",
    "65_to_74": "aged_65_and_over",
    "75_and_over": "aged_65_and_over",
}


def age_band(age: int) -> str:
    for code, _, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    raise ValueError(f"an age of {age} is not possible")


# Coded fields of a record, by the column they come from.
CODED = {
    "sex": SEX,
    "ethnicity": ETHNICITY,
    "disability": DISABILITY,
    "religion": RELIGION,
    "sexual_orientation": SEXUAL_ORIENTATION,
    "pathway": PATHWAY,
    "channel": CHANNEL,
    "social_contact": SOCIAL_CONTACT,
    "relationship": RELATIONSHIP,
}

# Protected characteristics (Equality Act 2010) and where each comes from, if anywhere.
PROTECTED = (
    ("age", "Age", "age_band"),
    ("disability", "Disability", "disability"),
    ("gender_reassignment", "Gender reassignment", None),
    ("marriage", "Marriage and civil partnership", None),
    ("pregnancy", "Pregnancy and maternity", None),
    ("race", "Race (ethnic group)", "ethnicity"),
    ("religion", "Religion or belief", "religion"),
    ("sex", "Sex", "sex"),
    ("sexual_orientation", "Sexual orientation", "sexual_orientation"),
)
