"""The safety questions (red flags) and what an answer means. Pure data and logic.

Asked by the app at first run and every `red_flag_check_days`, and by
`backcoach safety`. Facts from seeds 003 and 004; the wording is backcoach's.
Nothing here diagnoses: it says what to do and whom to contact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """One yes/no question. `urgent`: a "yes" needs emergency care now."""

    key: str
    text: str
    urgent: bool = False


RED_FLAGS: tuple[Question, ...] = (
    Question("bladder_bowel", "Have you had new trouble controlling or passing urine, or "
             "controlling your bowels?", urgent=True),
    Question("saddle_numbness", "Is there new numbness around the groin, genitals, buttocks "
             "or inner thighs (where you would sit on a saddle)?", urgent=True),
    Question("leg_weakness", "Is a leg or foot newly weak, or giving way?", urgent=True),
    Question("fracture_risk", "Are you older or past menopause, with back pain when the spine is "
             "tapped, when turning over in bed, or after a cough or sneeze?"),
    Question("trauma", "Did the pain start after a recent fall, accident or blow?"),
    Question("fever_unwell", "Do you have a fever, or feel generally unwell?"),
    Question("urinary", "Do you have pain or burning when passing urine, or blood in it?"),
    Question("abdomen", "Is your belly swollen, or is there unusual vaginal discharge or "
             "bleeding?"),
    Question("spreading_leg_pain", "Is pain or numbness spreading further down a leg than "
             "before?"),
)

#: Seed 004's features of inflammatory back pain: asked to discuss, never to block.
DISCUSS: tuple[Question, ...] = (
    Question("stiff_after_rest", "Is your back stiff after rest or in the early morning, for "
             "more than half an hour?"),
    Question("better_moving", "Does the pain ease when you move about, and not with rest?"),
    Question("worse_at_night", "Does the pain wake you in the second half of the night?"),
    Question("buttock_thigh", "Does pain alternate between the buttocks or reach the thighs?"),
    Question("psoriasis", "Do you or a close relative have psoriasis?"),
    Question("onset_under_45", "Did this back pain begin before you were 45?"),
)

URGENT_TEXT = (
    "Get emergency care now: call your emergency number or go to an emergency department. "
    "Trouble with bladder or bowels, numbness around the groin or new leg weakness need a "
    "doctor straight away, even if the pain is mild. Do not do the exercises."
)
SEEK_CARE_TEXT = (
    "You answered yes to a warning sign. Do not start the exercises. Contact your doctor or "
    "physiotherapist today, and go to urgent care if it is severe or getting worse."
)
DISCUSS_TEXT = (
    "Some of what you describe is worth mentioning to your doctor or physiotherapist at your "
    "next appointment. It is not a diagnosis, and your exercises are not blocked."
)


@dataclass(frozen=True)
class SafetyOutcome:
    """What a set of answers means. `positive`: no exercises until a clinician has seen you."""

    positive: bool
    urgent: bool
    discuss: bool = False

    @property
    def text(self) -> str:
        if self.urgent:
            return URGENT_TEXT
        if self.positive:
            return SEEK_CARE_TEXT
        if self.discuss:
            return DISCUSS_TEXT
        return "No warning signs. You can go ahead with your exercises."


def question(key: str) -> Question:
    """The red-flag or discuss question with this key; KeyError if none."""
    for item in RED_FLAGS + DISCUSS:
        if item.key == key:
            return item
    raise KeyError(key)


def is_urgent(key: str, answer: bool) -> bool:
    """True when this single answer needs emergency care now (stop asking, say so)."""
    return answer and question(key).urgent


def assess(answers: Mapping[str, bool], discuss: Mapping[str, bool] | None = None) -> SafetyOutcome:
    """The outcome of red-flag `answers` (missing questions count as "no")."""
    red = {q.key for q in RED_FLAGS}
    positive = any(answer for key, answer in answers.items() if key in red)
    urgent = any(is_urgent(key, answer) for key, answer in answers.items() if key in red)
    return SafetyOutcome(positive, urgent, any((discuss or {}).values()))
