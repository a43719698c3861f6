"""`history`, `export`, `import`, `demo`, `report`: the log as a whole."""

from __future__ import annotations

import argparse


def history(args: argparse.Namespace) -> int:
    raise NotImplementedError


def export(args: argparse.Namespace) -> int:
    raise NotImplementedError


def import_(args: argparse.Namespace) -> int:
    raise NotImplementedError


def demo(args: argparse.Namespace) -> int:
    raise NotImplementedError


def report(args: argparse.Namespace) -> int:
    raise NotImplementedError
