"""Where program files live: the shipped folder plus any extra folders."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from backcoach.domain.program import Program
from backcoach.programs.loader import MAX_BYTES, load_program


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


@dataclass
class Catalog:
    """Finds programs by id; later folders are searched first (a physio's own wins)."""

    folders: tuple[Path, ...]

    @classmethod
    def default(cls, extra: Path | None = None) -> Catalog:
        return cls((shipped_dir(),) + ((extra,) if extra else ()))

    def path_of(self, program_id: str) -> Path | None:
        for folder in reversed(self.folders):
            candidate = folder / f"{program_id}.toml"
            if candidate.is_file():
                return candidate
        for folder in reversed(self.folders):
            for candidate in sorted(folder.glob("*.toml")):
                if _declared_id(candidate) == program_id:
                    return candidate
        return None

    def ids(self) -> list[str]:
        found: list[str] = []
        for folder in self.folders:
            for candidate in sorted(folder.glob("*.toml")):
                program_id = _declared_id(candidate)
                if program_id and program_id not in found:
                    found.append(program_id)
        return found

    def load(self, program_id_or_path: str) -> Program:
        """Load by id, or by file path when given one. ProgramInvalid on problems."""
        path = Path(program_id_or_path)
        if not (program_id_or_path.endswith(".toml") or path.is_file()):
            found = self.path_of(program_id_or_path)
            if found is None:
                raise LookupError(f"no program '{program_id_or_path}' "
                                  f"(known: {', '.join(self.ids()) or 'none'})")
            path = found
        return load_program(path, self.resolve)

    def resolve(self, program_id: str, _origin: Path) -> Path | None:
        return self.path_of(program_id)


def _declared_id(path: Path) -> str | None:
    try:
        from backcoach.paths import read_regular_file

        data = tomllib.loads(read_regular_file(path, MAX_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    value = data.get("id")
    return value if isinstance(value, str) else None
