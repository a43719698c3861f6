"""A key → line index for TOML text (tomllib does not keep positions).

Paths have the shape of pydantic error locations: ("exercise", 2, "dose", "reps").
"""

from __future__ import annotations

import re

_NAME = r'(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')'
_KEY = re.compile(rf"^\s*({_NAME}(?:\s*\.\s*{_NAME})*)\s*=(.*)$")
_INLINE_KEY = re.compile(r'[{,]\s*([A-Za-z0-9_-]+)\s*=')


def _names(dotted: str) -> list[str]:
    return [part.strip().strip('"').strip("'") for part in dotted.split(".")]


def _bracket_depth(value: str) -> int:
    """Net [ / { depth of a value, ignoring brackets inside strings and comments."""
    depth, quote, i = 0, "", 0
    while i < len(value):
        ch = value[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
    return depth


class LineIndex:
    """Maps key paths to the line that defines them."""

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple, int] = {}
        self._build(text)

    def line_for(self, path: tuple) -> int:
        """The line of the longest known prefix of `path` (1 if none)."""
        for end in range(len(path), 0, -1):
            line = self._lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1

    def _build(self, text: str) -> None:
        arrays: dict[tuple[str, ...], int] = {}
        current: tuple = ()
        multiline = ""
        array_path: tuple | None = None
        array_depth = 0
        element = 0
        for number, line in enumerate(text.splitlines(), 1):
            if multiline:
                if line.count(multiline) % 2 == 1:
                    multiline = ""
                continue
            stripped = line.strip()
            if array_path is not None:
                if stripped and not stripped.startswith(("#", "]")):
                    self._lines.setdefault(array_path + (element,), number)
                element += stripped.count(",")
                array_depth += _bracket_depth(stripped)
                if array_depth <= 0:
                    array_path = None
                continue
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("[["):
                names = _names(stripped[2:stripped.find("]]")])
                arrays[tuple(names)] = arrays.get(tuple(names), -1) + 1
                current = self._resolve(names, arrays)
                self._lines.setdefault(current, number)
                continue
            if stripped.startswith("["):
                current = self._resolve(_names(stripped[1:stripped.find("]")]), arrays)
                self._lines.setdefault(current, number)
                continue
            match = _KEY.match(line)
            if not match:
                continue
            path = current + tuple(_names(match.group(1)))
            self._lines.setdefault(path, number)
            value = match.group(2).strip()
            for key in _INLINE_KEY.findall(value):
                self._lines.setdefault(path + (key,), number)
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    multiline = quote
            depth = _bracket_depth(value) if not multiline else 0
            if value.startswith("[") and depth > 0:
                array_path, array_depth, element = path, depth, value.count(",")

    @staticmethod
    def _resolve(names: list[str], arrays: dict[tuple[str, ...], int]) -> tuple:
        path: list = []
        for end in range(1, len(names) + 1):
            path.append(names[end - 1])
            index = arrays.get(tuple(names[:end]))
            if index is not None:
                path.append(index)
        return tuple(path)
