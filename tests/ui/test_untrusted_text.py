"""Property: any text from a program file renders verbatim, never as markup.

Small by default; BACKCOACH_FUZZ=1 renders many more examples.
"""

from __future__ import annotations

import asyncio
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.widgets import Static

from backcoach.coach.today_view import plan_body
from backcoach.domain.engine import ExercisePlan
from backcoach.domain.program import Exercise
from backcoach.ui.screens.runner import exercise_text
from backcoach.ui.widgets.plan_view import PlanView

FUZZ = os.environ.get("BACKCOACH_FUZZ") == "1"
TRICKY = st.sampled_from(["[bold]x[/]", "[/", "[0]", "[RED]", "[link=x]y[/link]", "\\[", "[",
                          "]", "[@click=app.quit]q[/]", "$", "${x}", "[b][/i]", "[on red]"])
TEXT = st.lists(st.one_of(TRICKY, st.text(alphabet=st.characters(
    blacklist_categories=("Cs", "Cc")), max_size=20)), max_size=6).map("".join)


class Probe(App):
    def compose(self) -> ComposeResult:
        yield Static("", markup=False, id="one")  # as every screen shows program text
        yield PlanView(id="plan")


async def render_all(texts: list[str]) -> None:
    app = Probe()
    async with app.run_test(size=(120, 40)) as pilot:
        one = app.query_one("#one", Static)
        for text in texts:
            one.update(text)
            await pilot.pause()
            assert one.visual.plain == text
            entry = ExercisePlan(text[:20] or "x", text, "blocked", text, 0, None, None)
            app.query_one(PlanView).show([(entry.status, plan_body(entry))])
            await pilot.pause()
            assert [t.plain for t in app.query_one(PlanView).texts] == [plan_body(entry)]
            body = exercise_text(Exercise("x", text, steps=(text,), cautions=(text,),
                                          illustration=text, summary=text), text)
            one.update(body)
            await pilot.pause()
            assert one.visual.plain == body


@settings(max_examples=60 if FUZZ else 3, deadline=None, derandomize=not FUZZ,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(TEXT, min_size=40, max_size=40))
def test_untrusted_text_renders_verbatim(texts):
    asyncio.run(render_all(texts))


def test_known_markup_lookalikes_render_verbatim():
    samples = ["Press-ups [bold]x[/] [/ [0] [RED]", "[@click=app.quit]quit[/]", "[/"]
    asyncio.run(render_all(samples))
