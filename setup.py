"""Build step: the man page and the bash/zsh completions are generated from the argument
parser (backcoach/cli_files.py) and installed under the prefix's share/ folder. Everything
else about the package is in pyproject.toml."""

import sys
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from backcoach.cli_files import write_all  # noqa: E402  (standard library only)

written = write_all(HERE / "build" / "shell")
setup(data_files=[(install, [str(path.relative_to(HERE))]) for install, path in written])
