"""Where program files live: the shipped folder plus any extra folders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from backcoach.domain.program import Program
from backcoach.programs.cache import PROGRAM_MAX_BYTES as MAX_BYTES
from backcoach.programs.cache import cached_load

DEFAULT_PROGRAM = "mckenzie"  # the active program until the patient chooses one


def shipped_dir() -> Path:
    """The `programs/` folder of a checkout, or the copy installed with the package."""
    checkout = Path(__file__).resolve().parents[2] / "programs"
    if (checkout / "mckenzie.toml").is_file():
        return checkout
    from importlib.util import find_spec

    spec = find_spec("backcoach.shipped")  # installed copy (a namespace package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else checkout


class DuplicateProgram(LookupError):
    """Two program files declare the same id."""


@dataclass
class Catalog:
    """Finds programs by their declared `id` (never by file name) in the shipped folder and
    any extra folders. Two files that declare one id are an error naming both."""

    folders: tuple[Path, ...]

    @classmethod
    def default(cls, extra: Path | None = None) -> Catalog:
        return cls((shipped_dir(),) + ((extra,) if extra else ()))

    def _index(self) -> dict[str, list[Path]]:
        found: dict[str, list[Path]] = {}
        for folder in self.folders:
            for candidate in sorted(folder.glob("*.toml")):
                program_id = _declared_id(candidate)
                if program_id:
                    paths = found.setdefault(program_id, [])
                    if candidate.resolve() not in [p.resolve() for p in paths]:
                        paths.append(candidate)
        return found

    def path_of(self, program_id: str) -> Path | None:
        paths = self._index().get(program_id, [])
        if len(paths) > 1:
            raise DuplicateProgram(f"two program files declare id '{program_id}': "
                                   f"{paths[0]} and {paths[1]}; give one of them another id")
        return paths[0] if paths else None

    def ids(self) -> list[str]:
        return list(self._index())

    def load(self, program_id_or_path: str) -> Program:
        """Load by id, or by file path when given one. ProgramInvalid on problems.
        A file validated before (same bytes, same neighbours) comes from the cache."""
        path = Path(program_id_or_path)
        if not (program_id_or_path.endswith(".toml") or path.is_file()):
            found = self.path_of(program_id_or_path)
            if found is None:
                raise LookupError(f"no program '{program_id_or_path}' "
                                  f"(known: {', '.join(self.ids()) or 'none'})")
            path = found
        return cached_load(path, self.folders, self._validate)

    def load_assigned(self, program_id: str, text: str, content_hash: str) -> Program:
        """A program a physiotherapist assigned (its checked text, from the clinic's
        database): kept as a private file in the cache folder and loaded from there, its
        includes found in this catalog. LookupError if it does not build the same here."""
        from backcoach.paths import ensure_private_folder, write_private_file
        from backcoach.programs.cache import cache_dir

        folder = cache_dir() / "assigned" / content_hash[:32]
        path = folder / f"{program_id}.toml"
        if not path.is_file() or path.read_text("utf-8") != text:
            ensure_private_folder(folder)
            write_private_file(path, text)
        program = self.load(str(path))
        if program.content_hash != content_hash:
            raise LookupError(f"the program your physiotherapist assigned ('{program_id}') "
                              "includes programs that differ on this computer; ask them to "
                              "assign it again")
        return program

    def _validate(self, path: Path) -> Program:
        from backcoach.programs.loader import load_program

        return load_program(path, self.resolve)

    def resolve(self, program_id: str, _origin: Path) -> Path | None:
        return self.path_of(program_id)


ID_LINE = re.compile(r'^id\s*=\s*"([^"\\]*)"\s*(#.*)?$')
HEAD_BYTES = 16 * 1024


def _declared_id(path: Path) -> str | None:
    """The top-level `id = "..."` of a program file, read from its first lines only (no full
    parse: finding a program among many large files stays fast)."""
    from backcoach.paths import read_regular_file

    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        head = read_regular_file(path, MAX_BYTES)[:HEAD_BYTES].decode("utf-8", "replace")
    except OSError:
        return None
    for line in head.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            return None  # a table began: a top-level id comes before any table
        match = ID_LINE.match(stripped)
        if match:
            return match.group(1)
    return None
