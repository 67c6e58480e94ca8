"""Medications that interact with ketamine, found in free text."""

from __future__ import annotations

import re
import unicodedata

# Classes clinics screen for before ketamine: opioids (added sedation and breathing
# depression; "concurrent opioids" is also a screening item), benzodiazepines and
# lamotrigine (both commonly reported to blunt ketamine's effect, and benzodiazepines
# add sedation) and MAOIs (ketamine raises blood pressure; an MAOI can add to it).
# Generic and common brand names; a brand reports its generic. Brand names that are
# ordinary English words (midazolam's "Versed") are left out to avoid false flags.
INTERACTION_CLASSES: dict[str, str] = {
    "opioid": "Opioid",
    "benzodiazepine": "Benzodiazepine",
    "lamotrigine": "Lamotrigine",
    "maoi": "MAOI",
}
UNSPECIFIED = "unspecified"
_MEDICATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "opioid": {
        "morphine": ("morphine", "ms contin", "oramorph", "kadian"),
        "oxycodone": ("oxycodone", "oxycontin", "percocet", "roxicodone", "oxynorm", "endocet"),
        "hydrocodone": ("hydrocodone", "vicodin", "norco", "hysingla", "zohydro", "lortab"),
        "fentanyl": ("fentanyl", "duragesic", "actiq", "abstral"),
        "tramadol": ("tramadol", "ultram", "tramal", "zydol", "ultracet"),
        "codeine": ("codeine", "co-codamol", "tylenol 3", "tylenol #3"),
        "dihydrocodeine": ("dihydrocodeine",),
        "methadone": ("methadone", "dolophine", "methadose"),
        "buprenorphine": (
            "buprenorphine",
            "subutex",
            "suboxone",
            "butrans",
            "sublocade",
            "zubsolv",
            "belbuca",
        ),
        "tapentadol": ("tapentadol", "nucynta", "palexia"),
        "hydromorphone": ("hydromorphone", "dilaudid", "palladone"),
        "oxymorphone": ("oxymorphone", "opana"),
        "pethidine": ("pethidine", "meperidine", "demerol"),
        "diamorphine": ("diamorphine", "heroin"),
        "levorphanol": ("levorphanol",),
        UNSPECIFIED: ("opioid", "opioids", "opiate", "opiates"),
    },
    "benzodiazepine": {
        "alprazolam": ("alprazolam", "xanax"),
        "lorazepam": ("lorazepam", "ativan"),
        "clonazepam": ("clonazepam", "klonopin", "rivotril"),
        "diazepam": ("diazepam", "valium"),
        "temazepam": ("temazepam", "restoril"),
        "midazolam": ("midazolam", "buccolam"),
        "chlordiazepoxide": ("chlordiazepoxide", "librium"),
        "oxazepam": ("oxazepam", "serax"),
        "clobazam": ("clobazam", "onfi", "frisium"),
        "nitrazepam": ("nitrazepam", "mogadon"),
        "triazolam": ("triazolam", "halcion"),
        "clorazepate": ("clorazepate", "tranxene"),
        "bromazepam": ("bromazepam", "lexotan"),
        "flurazepam": ("flurazepam", "dalmane"),
        "estazolam": ("estazolam",),
        UNSPECIFIED: ("benzodiazepine", "benzodiazepines", "benzo", "benzos"),
    },
    "lamotrigine": {
        "lamotrigine": ("lamotrigine", "lamictal", "subvenite"),
    },
    "maoi": {
        "phenelzine": ("phenelzine", "nardil"),
        "tranylcypromine": ("tranylcypromine", "parnate"),
        "isocarboxazid": ("isocarboxazid", "marplan"),
        "selegiline": ("selegiline", "emsam", "eldepryl", "zelapar"),
        "moclobemide": ("moclobemide", "manerix", "aurorix"),
        "rasagiline": ("rasagiline", "azilect"),
        "safinamide": ("safinamide", "xadago"),
        "linezolid": ("linezolid", "zyvox"),  # an antibiotic that is also a weak MAOI
        UNSPECIFIED: ("maoi", "maois", "monoamine oxidase inhibitor"),
    },
}


def _fold(text: str) -> str:
    """Case- and accent-blind text: 'VALÍUM' and 'valium' read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold()


_NAME_TO_DRUG: dict[str, tuple[str, str]] = {
    _fold(name): (cls, generic)
    for cls, generics in _MEDICATIONS.items()
    for generic, names in generics.items()
    for name in names
}
# A name counts only as a whole word: not preceded or followed by a letter (digits
# may touch it, as in "oxycodone10mg"), so "codeine" is not found in "dihydrocodeine".
_LETTER = r"[^\W\d_]"
_MEDICATION_RE = re.compile(
    rf"(?<!{_LETTER})("
    + "|".join(
        re.escape(name).replace(r"\ ", r"\s+")
        for name in sorted(_NAME_TO_DRUG, key=len, reverse=True)
    )
    + rf")(?!{_LETTER})"
)


def _medication_label(cls: str, generic: str) -> str:
    label = INTERACTION_CLASSES[cls]
    return label if generic == cls else f"{label} ({generic})"


def interacting_medications(text: str) -> tuple[str, ...]:
    """Interacting medications named in free text, e.g. ("Benzodiazepine (lorazepam)",).

    One label per medicine, in the order first mentioned; a brand reports its
    generic ("Ativan" gives lorazepam). A class word alone ("benzos",
    "opioids", "MAOI") gives "<Class> (unspecified)", dropped when a named
    medicine of that class is also found.

    Negation is deliberately not read: "no benzos", "stopped oxycodone in May"
    and "allergic to codeine" are all flagged. Free-text negation is easy to get
    wrong, and a flag the clinician dismisses costs a glance where a missed
    interaction could cost harm. Any text is safe: case, accents and
    compatibility forms are folded before matching.
    """
    if not isinstance(text, str) or not text:
        return ()
    found: dict[tuple[str, str], None] = {}
    for match in _MEDICATION_RE.finditer(_fold(text)):
        name = re.sub(r"\s+", " ", match.group(1))
        found.setdefault(_NAME_TO_DRUG[name], None)
    named_classes = {cls for cls, generic in found if generic != UNSPECIFIED}
    return tuple(
        _medication_label(cls, generic)
        for cls, generic in found
        if not (generic == UNSPECIFIED and cls in named_classes)
    )
