"""Read a program file safely: size cap, UTF-8, TOML, schema, cross-checks, includes."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backcoach.domain.program import Program
from backcoach.programs.build import build_program
from backcoach.programs.cache import PROGRAM_MAX_BYTES
from backcoach.programs.checks import check_program
from backcoach.programs.errors import Problem, ProgramInvalid, field_name, pydantic_message
from backcoach.programs.lines import LineIndex
from backcoach.programs.schema import ProgramFile

MAX_BYTES = PROGRAM_MAX_BYTES
MAX_DEPTH = 12
MAX_EXERCISES = 100  # after includes

#: finds an included program by id: returns its path or None
Resolver = Callable[[str, Path], Path | None]


def load_program(path: Path | str, resolve: Resolver | None = None,
                 _stack: tuple[Path, ...] = ()) -> Program:
    """Load and validate one program file; ProgramInvalid lists every problem."""
    path = Path(path)
    name = str(path)
    raw = _read_bytes(path, name)
    text = _decode(raw, name)
    data = _parse(text, name)
    index = LineIndex(text)

    def problem(loc: tuple, message: str) -> Problem:
        return Problem(name, index.line_for(loc), field_name(loc, data), message)

    try:
        model = ProgramFile.model_validate(data)
    except ValidationError as error:
        raise ProgramInvalid([_schema_problem(e, data, problem)
                              for e in error.errors()]) from None

    problems: list[Problem] = []
    included: list[Program] = []
    seen: dict[Path, int] = {}
    for position, entry in enumerate(model.include):
        loc = ("include", position)
        if not _confined(entry):
            problems.append(problem(loc, f"'{entry}' is not a program id or a file name in "
                                         "this folder (no paths: includes stay in the "
                                         "program folders)"))
            continue
        target = _find_include(entry, path, resolve)
        if target is not None and target.resolve() in seen:
            problems.append(problem(loc, f"'{entry}' is included twice (each program once)"))
            continue
        if target is not None:
            seen[target.resolve()] = position
        if target is None:
            problems.append(problem(loc, f"no program '{entry}' found to include"))
        elif target.resolve() in _stack or target.resolve() == path.resolve():
            problems.append(problem(loc, f"include loop: '{entry}' includes this file again"))
        else:
            try:
                included.append(load_program(target, resolve, _stack + (path.resolve(),)))
            except ProgramInvalid as inner:
                first = inner.problems[0]
                problems.append(problem(loc, f"included program '{entry}' is invalid "
                                             f"({first.file}:{first.line}: {first.message})"))
    problems += _clashing_includes(model, included, problem)
    total = sum(len(p.exercises) for p in included) + len(model.exercise)
    if total > MAX_EXERCISES:
        problems.append(problem(("include",), f"{total} exercises with the includes; a program "
                                              f"has at most {MAX_EXERCISES}"))
    known = {e.id for p in included for e in p.exercises} | {e.id for e in model.exercise}
    clashes = {e.id for p in included for e in p.exercises} & {e.id for e in model.exercise}
    for position, exercise in enumerate(model.exercise):
        if exercise.id in clashes:
            problems.append(problem(("exercise", position, "id"),
                                    f"'{exercise.id}' is already defined by an included program"))
    problems += [problem(loc, message) for loc, message in check_program(model, known)]
    if not known and not problems:
        problems.append(problem(("exercise",), "a program needs at least one [[exercise]] "
                                               "(or an include that has some)"))
    if problems:
        raise ProgramInvalid(sorted(problems, key=lambda p: p.line))
    digest = hashlib.sha256(raw)
    for program in included:
        digest.update(program.content_hash.encode())
    return build_program(model, included, name, digest.hexdigest(), text)


def _schema_problem(error: Any, data: Any, problem: Callable[[tuple, str], Problem]) -> Problem:
    loc = tuple(error.get("loc", ()))
    # pydantic adds the union member or validator name for "X | None" fields; drop it
    loc = tuple(part for part in loc if not (isinstance(part, str) and (
        part.startswith(("function-", "constrained-")) or part in ("int", "str", "list"))))
    allowed = _allowed_keys(loc[:-1])
    return problem(loc, pydantic_message(error, allowed))


def _allowed_keys(parent: tuple) -> list[str]:
    from backcoach.programs import schema

    model: Any = schema.ProgramFile
    for part in parent:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return []
        annotation = info.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, schema._Strict)]
        if not nested:
            return []
        model = nested[0]
    return list(model.model_fields)


def _read_bytes(path: Path, name: str) -> bytes:
    def fail(message: str) -> ProgramInvalid:
        return ProgramInvalid([Problem(name, 1, "file", message)])

    try:
        if not path.is_file():
            raise fail("not found" if not path.exists() else "not a regular file")
        if path.stat().st_size > MAX_BYTES:
            raise fail(f"larger than {MAX_BYTES // 1_000_000} MB; a program file is small text")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_BYTES:
        raise fail(f"larger than {MAX_BYTES // 1_000_000} MB; a program file is small text")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ProgramInvalid([Problem(name, line, "file", "binary data (NUL byte); "
                                                          "a program file is UTF-8 text")])
    return raw


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ProgramInvalid([Problem(name, line, "file",
                                      f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); "
                                      "save the file as UTF-8")]) from None


def _parse(text: str, name: str) -> dict:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, message = _toml_position(str(error))
        raise ProgramInvalid([Problem(name, line, "toml", message)]) from None
    except RecursionError:
        raise ProgramInvalid([Problem(name, 1, "toml", "values nested too deeply")]) from None
    depth_line = _too_deep(data)
    if depth_line:
        raise ProgramInvalid([Problem(name, 1, "toml",
                                      f"values nested more than {MAX_DEPTH} levels deep")])
    return data


def _toml_position(message: str) -> tuple[int, str]:
    """tomllib says "Invalid value (at line 3, column 5)"; split out the line."""
    if "(at line " in message:
        head, _, tail = message.partition(" (at line ")
        line_text, _, column = tail.rstrip(")").partition(", column ")
        if line_text.isdigit():
            return int(line_text), f"{head[:1].lower()}{head[1:]} (column {column})"
    if "(at end of document)" in message:
        return 1, message.replace(" (at end of document)", "").lower() + " at end of file"
    return 1, message[:1].lower() + message[1:]


def _too_deep(data: Any) -> bool:
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return False


def _confined(entry: str) -> bool:
    """An include names a program id or a bare file name: never a path out of the folders."""
    return not (entry.startswith(("/", "~", ".")) or "/" in entry or "\\" in entry
                or ".." in entry)


def _clashing_includes(model: Any, included: list[Program],
                       problem: Callable[[tuple[Any, ...], str], Problem]) -> list[Problem]:
    """Two included programs that define the same exercise id: name both includes."""
    out: list[Problem] = []
    first: dict[str, int] = {}
    for position, program in enumerate(included):
        for exercise in program.exercises:
            if exercise.id in first and first[exercise.id] != position:
                earlier = included[first[exercise.id]]
                out.append(problem(("include", position), (
                    f"exercise '{exercise.id}' is defined by both {earlier.source} (include "
                    f"{first[exercise.id] + 1}) and {program.source} (include {position + 1})")))
                break
            first.setdefault(exercise.id, position)
    return out


def _find_include(entry: str, path: Path, resolve: Resolver | None) -> Path | None:
    if entry.endswith(".toml"):
        candidate = (path.parent / entry)
        return candidate if candidate.is_file() else None
    sibling = path.parent / f"{entry}.toml"
    if sibling.is_file():
        return sibling
    return resolve(entry, path) if resolve else None
