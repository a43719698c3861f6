"""Fits the terminal: every screen's footer at 80×24 and 100×30 shows each key it offers
(`?` always), and the help lists exactly the keys the screen binds (generated from them)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen

import backcoach.ui
from backcoach.ui.keys import NAMES, screen_keys
from backcoach.ui.screens.dialogs import HelpModal
from tests.ui.conftest import settle


def text_of(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def shown_labels(screen) -> list[str]:
    """What the footer must show: "key description" of every binding with show=True."""
    app = screen.app
    return [f"{app.get_key_display(b)} {b.description}"
            for _, b, _, _ in screen.active_bindings.values() if b.show]


async def visit(pilot, clock, check) -> list[str]:
    """Walk Today → help → check-in → session → after → History; `check(name)` on each."""
    names = []

    async def at(name: str) -> None:
        await settle(pilot)
        names.append(name)
        await check(name)

    await at("today")
    await pilot.press("s")
    await at("check-in")
    await pilot.press("4")
    await at("check-in questions")
    await pilot.press("n", "y")
    await at("session")
    await pilot.press("space")
    clock.advance(seconds=10)
    await pilot.press("enter")
    await at("session, a set saved")
    await pilot.press("f")
    await at("after")
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot, 5)
    await at("history")
    return names


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_footer_shows_every_key_and_help(make_app, clock, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        async def check(name: str) -> None:
            footer = text_of(app)[-1]
            assert "? Help" in footer, (name, footer)
            for label in shown_labels(app.screen):
                assert label in footer, (name, label, footer)

        assert len(await visit(pilot, clock, check)) == 7


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_first_run_footers_fit(make_app, size):
    app = make_app(welcomed=False)
    async with app.run_test(size=size) as pilot:
        for press in ("", "enter"):
            if press:
                await pilot.press(press)
            await settle(pilot)
            footer = text_of(app)[-1]
            assert "? Help" in footer
            for label in shown_labels(app.screen):
                assert label in footer, (label, footer)


def bound_keys(screen) -> set[str]:
    """Every key the screen and our widgets on it bind (from their BINDINGS), as typed."""
    nodes = [screen, *(w for w in screen.walk_children()
                       if type(w).__module__.startswith("backcoach."))]
    return {NAMES.get(key, key) for node in nodes for key, b in node._bindings
            if not b.system and b.tooltip}


async def test_the_help_lists_exactly_the_screens_keys(make_app, clock):
    app = make_app()
    seen: dict[str, set[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        async def check(name: str) -> None:
            screen = app.screen
            assert screen_keys(screen), name
            expected = bound_keys(screen)
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpModal), name
            own, anywhere = app.screen.sections
            listed = {key for item in own[1] for key in item.keys}
            assert listed == expected, name
            assert {k for item in anywhere[1] for k in item.keys} == {"?", "ctrl+p", "ctrl+q"}
            assert "Keys on" in "\n".join(text_of(app))  # the help fits: its top is shown
            seen[name] = listed
            await pilot.press("escape")
            await settle(pilot)

        await visit(pilot, clock, check)
    assert seen["today"] == {"s", "k", "a", "r", "h", "p", "w"}  # no e (export is in History)
    assert {"c", "u", "esc", "space", "enter", "x", "n", "f"} <= seen["session"]
    assert {"1", "2", "3", "4", "e", "enter", "esc"} <= seen["history"]
    assert {"0", "9", "t", "y", "n"} <= seen["check-in questions"]


def test_every_binding_of_ours_says_what_it_does():
    """The help shows tooltips: a binding of ours without one would be missing from it
    (modal questions have no help: their keys are written in the question)."""
    missing = []
    for info in pkgutil.walk_packages(backcoach.ui.__path__, "backcoach.ui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != info.name or not issubclass(cls, DOMNode) \
                    or issubclass(cls, ModalScreen) or "BINDINGS" not in cls.__dict__:
                continue
            for binding in cls.__dict__["BINDINGS"]:
                if isinstance(binding, Binding) and not binding.tooltip:
                    missing.append(f"{name}: {binding.key}")
    assert missing == []
