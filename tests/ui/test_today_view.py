"""Today's plan at 80×24: the program's exercise numbers, and reasons that wrap under the
reason (never back at column 0 or under the status mark)."""

from __future__ import annotations

from backcoach.ui.widgets.plan_view import STATUS_MARK, PlanView
from tests.ui.conftest import settle
from tests.ui.test_keys import text_of


def bodies(app) -> list[str]:
    return [text.plain for text in app.screen.query_one(PlanView).texts]


async def test_wrapped_reasons_keep_their_indent(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = text_of(app)[:-1]
        first = next(n for n, line in enumerate(lines) if "▶ ready" in line)
        column = lines[first].index("1. Prone lying")
        plan = [line for line in lines[first:] if line.strip()]
        marked = [line for line in plan if any(m in line for m in STATUS_MARK.values())]
        wrapped = [line for line in plan if line not in marked]
        assert len(wrapped) > len(marked)  # reasons are there, some over two lines
        for line in wrapped:
            assert line[:column].strip() == "", line  # under the reason, not the mark
        for line in marked:
            assert line.index(".") - 1 == column  # every title starts in the same column


async def test_today_shows_the_programs_exercise_numbers(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        shown = bodies(app)
        assert shown[0].startswith("1. Prone lying")
        assert [int(text.split(".")[0]) for text in shown] == list(range(1, 8))


async def test_no_numbers_where_the_program_gives_none(make_app):
    app = make_app("core-basics")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        shown = bodies(app)
        assert shown and not any(text[0].isdigit() for text in shown)
