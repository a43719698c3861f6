"""Problems found in a program file, in the `FILE:LINE: field: message` form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One mistake in a program file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ProgramInvalid(Exception):
    """A program file (or one it includes) could not be loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def field_name(loc: tuple, data: Any) -> str:
    """("exercise", 2, "dose") → "exercise[prone-lying].dose" (id when it is readable)."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = str(item + 1)
            if isinstance(node, list) and 0 <= item < len(node):
                entry = node[item]
                if isinstance(entry, dict) and isinstance(entry.get("id"), str) \
                        and 0 < len(entry["id"]) <= 64 and entry["id"].isprintable():
                    label = entry["id"]
                node = entry
            else:
                node = None
            if parts:
                parts[-1] += f"[{label}]"
            else:
                parts.append(f"[{label}]")
        else:
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts) or "file"


_MESSAGES = {
    "missing": "is required",
    "int_type": "must be a whole number",
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "list_type": "must be a list, like [\"a\", \"b\"]",
    "model_type": "must be a table",
    "dict_type": "must be a table",
    "string_pattern_mismatch": "must be lowercase words joined by hyphens, like prone-lying",
}


def pydantic_message(error: dict, allowed: list[str] | None = None) -> str:
    """A physio-readable message for one pydantic error."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    loc = error.get("loc") or ()
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else ""
        import difflib  # only when a name is wrong

        close = difflib.get_close_matches(name, allowed or [], n=1)
        return "unknown field" + (f" (did you mean '{close[0]}'?)" if close else "")
    if kind == "string_pattern_mismatch" and loc and loc[-1] in ("not_before",):
        return "must be a time of day as \"HH:MM\", like \"09:30\""
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "too_long":
        return f"has too many entries (at most {ctx.get('max_length')})"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    message = str(error.get("msg", "is not valid"))
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]
