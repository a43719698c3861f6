"""Safe display of stored text: control characters and terminal escapes shown escaped."""

from __future__ import annotations

import unicodedata


def printable(text: str, keep: str = "") -> str:
    """`text` with every control/format character (ESC, CR, BEL, C1, bidi...) escaped."""
    out = []
    for char in text:
        if char in keep or unicodedata.category(char)[0] not in "C":
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def has_control(text: str, allowed: str = "") -> bool:
    """True if `text` holds a control or format character not in `allowed`."""
    return any(c not in allowed and unicodedata.category(c) in ("Cc", "Cf") for c in text)


def csv_safe(value: object) -> object:
    """OWASP CSV-injection guard: prefix cells starting with = + - @ tab CR with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def plural(n: int, word: str, many: str | None = None) -> str:
    """`n` and the word in the right number: plural(1, "day") → "1 day", 2 → "2 days"."""
    return f"{n} {word if n == 1 else many or word + 's'}"
