"""How hard a passphrase is to guess, for the strength meter in the set-up wizard.

zxcvbn (Dropbox's estimator) knows common passwords, names, keyboard walks
and dates, which a length-and-character-classes rule does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from zxcvbn import zxcvbn

from console.vault.keyslots import MIN_PASSPHRASE, normalise_secret

LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    hint: str
    acceptable: bool


def assess(passphrase: str, context: tuple[str, ...] = ()) -> Strength:
    """Score 0–4; acceptable means long enough and at least "Strong" (3 of 4 from zxcvbn)."""
    text = normalise_secret(passphrase)
    if not text:
        return Strength(0, LABELS[0], f"Use at least {MIN_PASSPHRASE} characters.", False)
    result = zxcvbn(text[:100], user_inputs=[c for c in context if c])
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    hint = feedback.get("warning") or " ".join(feedback.get("suggestions") or [])
    long_enough = len(text.strip()) >= MIN_PASSPHRASE
    if not long_enough:
        hint = f"Use at least {MIN_PASSPHRASE} characters. {hint}".strip()
    if not hint:
        hint = "A few unrelated words make a strong, memorable passphrase."
    return Strength(score, LABELS[score], hint, long_enough and score >= 3)
