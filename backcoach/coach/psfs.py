"""Use cases of the Patient-Specific Functional Scale: is it due, which activities to ask
again, record an assessment, the assessments for charts; skipping the weekly ask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from backcoach.coach.errors import Refused
from backcoach.coach.parts import CoachParts
from backcoach.domain.psfs import Assessment, activities_to_rerate, is_due, problem

SKIPPED = "psfs_skipped"  # setting: the local day the weekly ask was last skipped


@dataclass(frozen=True)
class PsfsStatus:
    due: bool
    activities: list[str]  # the latest named activities, asked again
    last: Assessment | None


class PsfsActions(CoachParts):
    """Mixed into Coach: the activity scale."""

    def psfs_history(self) -> list[Assessment]:
        """Every assessment, oldest first."""
        from backcoach.storage.psfs import read_assessments

        return read_assessments(self.repo.db)

    def psfs_status(self) -> PsfsStatus:
        """Whether the weekly scale is due now (not skipped today), and what to re-rate."""
        assessments = self.psfs_history()
        now = self.clock()
        today = now.astimezone(self.tz).date()
        skipped = self.repo.setting(SKIPPED)
        try:
            skipped_on = date.fromisoformat(skipped) if skipped else None
        except ValueError:
            skipped_on = None
        return PsfsStatus(is_due(assessments, now, today, skipped_on),
                          activities_to_rerate(assessments),
                          assessments[-1] if assessments else None)

    def record_psfs(self, ratings: Sequence[tuple[str, int]]) -> Assessment:
        """Store an assessment: 1-5 activities, each named (≤ 80 characters, no control
        characters) and rated 0-10. Refused with the reason otherwise."""
        from backcoach.storage.psfs import write_assessment

        cleaned = [(name.strip(), score) for name, score in ratings]
        reason = problem(cleaned)
        if reason:
            raise Refused(reason)
        with self.repo.writing() as log:
            return write_assessment(log.conn, self.tz, self.clock(), cleaned)

    def skip_psfs(self) -> None:
        """The weekly ask was skipped: ask again tomorrow, not at every start."""
        day = self.clock().astimezone(self.tz).date()
        self.repo.set_setting(SKIPPED, day.isoformat())

