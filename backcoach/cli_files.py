"""The man page and the bash and zsh completions, made from the argument parser at build
time (setup.py) so they never drift from it. Standard library only: the build runs this
before backcoach's dependencies exist."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from backcoach import __version__
from backcoach.cli import EXAMPLES, build_parser

# where each file goes under the install prefix (share/…), and its name there
MAN_PAGE = ("share/man/man1", "backcoach.1")
BASH_COMPLETION = ("share/bash-completion/completions", "backcoach")
ZSH_COMPLETION = ("share/zsh/site-functions", "_backcoach")

ENVIRONMENT = [
    ("BACKCOACH_DB", "the database file or URL when --db is not given"),
    ("BACKCOACH_NOW", "a fixed ISO time to run at (tests and demonstrations)"),
    ("NO_COLOR", "the app draws without colour"),
]


@dataclass
class Option:
    flags: list[str]
    help: str
    metavar: str | None  # None: a switch that takes no value
    choices: list[str] = field(default_factory=list)

    @property
    def takes_file(self) -> bool:
        return self.metavar is not None and ("FILE" in self.metavar or self.metavar == "DB")

    @property
    def takes_folder(self) -> bool:
        return self.metavar == "PROGRAMS"


@dataclass
class Command:
    name: str
    help: str
    usage: str
    options: list[Option]
    positionals: list[Option]
    actions: list[Command] = field(default_factory=list)  # `clinic init`, `clinic assign`, …


def _option(action: argparse.Action) -> Option:
    takes_value = action.nargs != 0
    metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
    return Option(list(action.option_strings), action.help or "",
                  metavar if takes_value else None,
                  [str(choice) for choice in action.choices or ()])


def _split(parser: argparse.ArgumentParser) -> tuple[list[Option], list[Option]]:
    options: list[Option] = []
    positionals: list[Option] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):  # its names complete like choices
            names = list(action.choices)
            positionals.append(Option([], "one of " + ", ".join(names), "ACTION", names))
            continue
        (options if action.option_strings else positionals).append(_option(action))
    return options, positionals


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError("the parser has no subcommands")


def describe(parser: argparse.ArgumentParser | None = None) -> tuple[list[Option], list[Command]]:
    """The top-level options and every subcommand, as plain data."""
    parser = parser or build_parser()
    top, _ = _split(parser)
    return top, _commands(parser)


def _commands(parser: argparse.ArgumentParser) -> list[Command]:
    sub = _subparsers(parser)
    helps = {choice.dest: choice.help or "" for choice in sub._choices_actions}
    commands = []
    for name, child in sub.choices.items():
        options, positionals = _split(child)
        usage = " ".join(child.format_usage().split())[len("usage: "):]
        nested = any(isinstance(a, argparse._SubParsersAction) for a in child._actions)
        commands.append(Command(name, helps[name], usage, options, positionals,
                                _commands(child) if nested else []))
    return commands


# --- man page ------------------------------------------------------------------------------

def _roff(text: str) -> str:
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in text)
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line
                     for line in text.splitlines())


def _man_options(options: list[Option]) -> list[str]:
    lines = []
    for option in options:
        names = ", ".join(f"\\fB{_roff(flag)}\\fR" for flag in option.flags) or \
            f"\\fI{_roff(option.metavar or '')}\\fR"
        if option.flags and option.metavar:
            names += f" \\fI{_roff(option.metavar)}\\fR"
        lines += [".TP", names, _roff(option.help)]
    return lines


def man_page() -> str:
    """backcoach(1) in man(7) roff."""
    top, commands = describe()
    lines = [f'.TH BACKCOACH 1 "" "backcoach {__version__}" "User Commands"',
             ".SH NAME", "backcoach \\- guided home exercises for low back pain",
             ".SH SYNOPSIS", ".B backcoach", "[\\fIOPTIONS\\fR] [\\fICOMMAND\\fR [\\fIARGS\\fR]]",
             ".SH DESCRIPTION",
             _roff("With no command, backcoach opens the app on today's plan. The commands "
                   "below read and write the same private log from scripts. backcoach does not "
                   "diagnose: with any warning sign (loss of bladder or bowel control, numbness "
                   "between the legs, new leg weakness) see a clinician now."),
             ".SH OPTIONS", *_man_options(top),
             ".PP", _roff("The database, program and programs options are also accepted "
                          "after the command."),
             ".SH COMMANDS"]
    for command in commands:
        lines += [f'.SS "{_roff(command.name)}"', _roff(command.help), ".PP",
                  f"\\fB{_roff(command.usage)}\\fR"]
        own = [option for option in command.options
               if option.flags and option.flags[0] not in ("-h", "--db", "--program",
                                                           "--programs")]
        lines += _man_options(command.positionals + own)
        for action in command.actions:
            lines += [".TP", f"\\fB{_roff(action.usage)}\\fR", _roff(action.help)]
    lines.append(".SH EXAMPLES")
    for name in [""] + [command.name for command in commands]:
        for line, why in EXAMPLES.get(name, []):
            lines += [".TP", f"\\fB{_roff(line)}\\fR", _roff(why[0].upper() + why[1:] + ".")]
    lines.append(".SH ENVIRONMENT")
    for name, text in ENVIRONMENT:
        lines += [".TP", f"\\fB{name}\\fR", _roff(text[0].upper() + text[1:] + ".")]
    lines += [".SH EXIT STATUS",
              _roff("0 on success; 1 when the rules refuse something or a file is invalid "
                    "(one line says why); 2 for a usage mistake."), ""]
    return "\n".join(lines)


# --- bash ----------------------------------------------------------------------------------

def _bash_values(options: list[Option]) -> list[str]:
    """`case "$prev"` arms: what to offer after an option that takes a value."""
    arms = []
    for option in options:
        if not option.flags or option.metavar is None:
            continue
        pattern = "|".join(option.flags)
        if option.choices:
            arms.append(f'        {pattern}) COMPREPLY=($(compgen -W "{" ".join(option.choices)}"'
                        ' -- "$cur")); return ;;')
        elif option.takes_folder:
            arms.append(f'        {pattern}) COMPREPLY=($(compgen -d -- "$cur")); return ;;')
        elif option.takes_file:
            arms.append(f'        {pattern}) COMPREPLY=($(compgen -f -- "$cur")); return ;;')
        else:
            arms.append(f"        {pattern}) return ;;")
    return arms


def bash_completion() -> str:
    """A bash completion function for backcoach (bash-completion's loader finds it by name)."""
    top, commands = describe()
    valued = sorted({flag for option in top + [o for c in commands for o in c.options]
                     if option.metavar is not None for flag in option.flags})
    lines = ["# bash completion for backcoach (generated from its argument parser)",
             "_backcoach() {",
             '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
             '    local command="" i',
             "    for ((i = 1; i < COMP_CWORD; i++)); do",
             '        case "${COMP_WORDS[i]}" in',
             f"            {'|'.join(valued)}) ((i++)) ;;",
             "            -*) ;;",
             '            *) command="${COMP_WORDS[i]}"; break ;;',
             "        esac",
             "    done",
             '    case "$command" in']
    flags = " ".join(flag for option in top for flag in option.flags)
    names = " ".join(command.name for command in commands)
    lines += ['    "")', '        case "$prev" in', *_bash_values(top), "        esac",
              f'        COMPREPLY=($(compgen -W "{flags} {names}" -- "$cur")) ;;']
    for command in commands:
        words = " ".join(flag for option in command.options for flag in option.flags)
        choices = " ".join(choice for option in command.positionals for choice in option.choices)
        files = any(option.takes_file for option in command.positionals)
        lines += [f"    {command.name})", '        case "$prev" in',
                  *_bash_values(command.options), "        esac",
                  f'        COMPREPLY=($(compgen -W "{(words + " " + choices).strip()}"'
                  ' -- "$cur"))']
        if files:
            lines.append('        [[ "$cur" == -* ]] || COMPREPLY+=($(compgen -f -- "$cur"))')
        lines[-1] += " ;;"
    lines += ["    esac", "}", "complete -F _backcoach backcoach", ""]
    return "\n".join(lines)


# --- zsh -----------------------------------------------------------------------------------

def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _zsh_spec(option: Option) -> str:
    text = option.help.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]") \
        .replace(":", "\\:")
    if option.metavar is None:
        action = ""
    elif option.choices:
        action = f":{option.metavar.lower()}:({' '.join(option.choices)})"
    elif option.takes_folder:
        action = f":{option.metavar.lower()}:_files -/"
    elif option.takes_file:
        action = f":{option.metavar.lower()}:_files"
    else:
        action = f":{option.metavar.lower()}: "
    if not option.flags:  # a positional argument
        return _zsh_quote(f"*{action}" if "FILE" in (option.metavar or "") else f"1{action}")
    if len(option.flags) == 1:
        return _zsh_quote(f"{option.flags[0]}[{text}]{action}")
    exclusive = " ".join(option.flags)
    return _zsh_quote(f"({exclusive})" + "{" + ",".join(option.flags) + "}" + f"[{text}]{action}")


def zsh_completion() -> str:
    """A zsh completion function (#compdef) for backcoach."""
    top, commands = describe()
    described = [_zsh_quote(f"{c.name}:{c.help}") for c in commands]
    lines = ["#compdef backcoach", "# zsh completion for backcoach (generated from its argument "
             "parser)", "_backcoach() {", "    local curcontext=$curcontext state line",
             "    local -a commands", f"    commands=({' '.join(described)})",
             "    _arguments -C \\", *[f"        {_zsh_spec(o)} \\" for o in top],
             "        '1:command:->command' '*::argument:->argument'",
             "    case $state in",
             "        command) _describe command commands ;;",
             "        argument)",
             "            case $line[1] in"]
    for command in commands:
        specs = " ".join(_zsh_spec(option) for option in command.options + command.positionals)
        lines.append(f"                {command.name}) _arguments {specs} ;;")
    lines += ["            esac ;;", "    esac", "}", '_backcoach "$@"', ""]
    return "\n".join(lines)


GENERATORS = {MAN_PAGE: man_page, BASH_COMPLETION: bash_completion,
              ZSH_COMPLETION: zsh_completion}


def write_all(folder: Path) -> list[tuple[str, Path]]:
    """Write every file under `folder`; (install folder, written path) pairs for data_files."""
    written = []
    for (install, name), make in GENERATORS.items():
        path = folder / install / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make(), encoding="utf-8")
        written.append((install, path))
    return written
