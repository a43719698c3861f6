"""Issue 13, item 5: help text for every option, examples in --help, the man page and the
bash/zsh completions made from the parser at build time, and `--at` far ahead refused."""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from backcoach import cli_files
from backcoach.cli import EXAMPLES, build_parser

ROOT = Path(__file__).resolve().parents[2]


def _parsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = cli_files._subparsers(parser)
    return {"": parser, **sub.choices}


def test_every_option_and_argument_has_help_text() -> None:
    missing = [f"{name or 'backcoach'} {action.option_strings or action.dest}"
               for name, parser in _parsers().items() for action in parser._actions
               if not isinstance(action, argparse._SubParsersAction)
               and not (action.help or "").strip()]
    assert missing == []


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_help_shows_examples_that_parse(name: str) -> None:
    parser = _parsers()[name]
    assert "examples:" in parser.format_help()
    for line, _ in EXAMPLES[name]:
        words = shlex.split(line.split(">")[0])
        assert words[0] == "backcoach"
        args = build_parser().parse_args(words[1:])  # a broken example exits here
        assert args.command == (name or args.command)
        assert line in parser.format_help()


def test_every_command_has_examples() -> None:
    assert set(_parsers()) == set(EXAMPLES)


def test_at_far_ahead_is_refused_as_a_usage_error() -> None:
    done = subprocess.run([sys.executable, "-m", "backcoach", "plan", "--at",
                           "2099-01-01T09:00"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "more than a day ahead" in done.stderr
    assert "Traceback" not in done.stderr


def test_man_page_renders_without_warnings_and_names_every_command(tmp_path: Path) -> None:
    page = tmp_path / "backcoach.1"
    page.write_text(cli_files.man_page())
    checked = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(page)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and checked.stderr == ""
    plain = subprocess.run(["groff", "-man", "-Tascii", "-P-cbou", str(page)],
                           capture_output=True, text=True, timeout=60).stdout
    for name in _parsers():
        assert not name or f"\n   {name}\n" in plain  # a section per command
    assert "--format" in plain and "EXAMPLES" in plain and "BACKCOACH_DB" in plain


def _complete(words: str, tmp_path: Path) -> set[str]:
    script = tmp_path / "backcoach.bash"
    script.write_text(cli_files.bash_completion())
    line = shlex.split(words) + ([""] if words.endswith(" ") else [])
    array = " ".join(shlex.quote(word) for word in line)
    program = (f"source {shlex.quote(str(script))}; COMP_WORDS=({array}); "
               f"COMP_CWORD={len(line) - 1}; _backcoach; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    done = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(filter(None, done.stdout.splitlines()))


def test_bash_completes_commands_options_and_choices(tmp_path: Path) -> None:
    assert _complete("backcoach ex", tmp_path) == {"export"}
    assert {"plan", "pain", "--db", "--version"} <= _complete("backcoach ", tmp_path)
    assert _complete("backcoach --db x.sqlite3 pl", tmp_path) == {"plan"}
    assert _complete("backcoach export --format ", tmp_path) == {"csv", "json", "fhir"}
    assert {"start", "end"} <= _complete("backcoach acute ", tmp_path)
    assert {"--json", "--at"} <= _complete("backcoach plan --", tmp_path)
    assert _complete("backcoach plan --at ", tmp_path) == set()  # a time: nothing to guess
    (tmp_path / "mine.toml").write_text("")
    assert "mine.toml" in _complete("backcoach check mi", tmp_path)


def test_zsh_completion_is_valid_zsh_and_lists_every_command(tmp_path: Path) -> None:
    script = tmp_path / "_backcoach"
    script.write_text(cli_files.zsh_completion())
    done = subprocess.run(["zsh", "-n", str(script)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert script.read_text().startswith("#compdef backcoach")
    for name in _parsers():
        assert not name or f"'{name}:" in script.read_text()


@pytest.mark.slow
def test_the_wheel_installs_the_generated_files(tmp_path: Path) -> None:
    """Built from this checkout, the wheel carries the man page and completions exactly as
    the generator makes them from today's parser."""
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("backcoach-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        for (folder, name), make in cli_files.GENERATORS.items():
            (inside,) = [n for n in names if n.endswith(f".data/data/{folder}/{name}")]
            assert archive.read(inside).decode() == make()


@pytest.mark.parametrize("words", [[], ["--db", "x.sqlite3"], ["--db=x.sqlite3"],
                                   ["--program", "mckenzie", "--programs", "mine"]])
def test_opening_the_app_parses_as_the_whole_command_line_does(words):
    """The app's command line skips building every command's parser, to the same result."""
    from backcoach.cli import opens_the_app

    assert opens_the_app(words)
    assert build_parser(commands=False).parse_args(words) == build_parser().parse_args(words)


@pytest.mark.parametrize("words", [["plan"], ["--db", "x", "plan"], ["--db"], ["-h"],
                                   ["--version"], ["histroy"]])
def test_anything_else_gets_the_whole_command_line(words):
    from backcoach.cli import opens_the_app

    assert not opens_the_app(words)
