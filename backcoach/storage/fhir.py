"""The shapes of the FHIR R4 export: Bundle entries, the Patient, Observations."""

from __future__ import annotations

import uuid
from typing import Any

NAMESPACE = uuid.UUID("6f1c2b1e-4a52-4b8e-9a51-1b7c0e6d2a10")  # of every FHIR id (uuid5)

PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PAIN_CODE = {"coding": [{"system": "http://loinc.org", "code": "72514-3",
                         "display": PAIN_DISPLAY}], "text": "Pain severity 0-10"}
CATEGORIES = "http://terminology.hl7.org/CodeSystem/observation-category"


def entry(url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": url, "resource": resource}


def patient(identifier: str) -> dict[str, Any]:
    """The one Patient of the log: an id only (backcoach keeps no personal data)."""
    return {"resourceType": "Patient", "id": identifier}


def set_code(exercise: str, text: str) -> dict[str, Any]:
    return {"coding": [{"system": "urn:backcoach:exercise", "code": exercise}], "text": text}


def set_components(reps: Any, seconds: Any) -> list[dict[str, Any]]:
    """A set's repetitions and hold time, each only when it was recorded."""
    components: list[dict[str, Any]] = []
    if reps is not None:
        components.append({"code": {"text": "repetitions"}, "valueInteger": reps})
    if seconds is not None:
        components.append({"code": {"text": "duration"}, "valueQuantity": {
            "value": seconds, "unit": "s", "system": "http://unitsofmeasure.org", "code": "s"}})
    return components


ENTERED_IN_ERROR = "entered-in-error"  # FHIR status of an entry marked void


def observation(identifier: str, when: str, code: dict[str, Any], value: dict[str, Any],
                subject: dict[str, Any], note: str | None = None,
                components: list[dict[str, Any]] | None = None,
                category: str = "survey", status: str = "final") -> dict[str, Any]:
    """An Observation of `subject` at `when` (ISO with offset); status final, or
    entered-in-error for an entry marked void."""
    resource: dict[str, Any] = {
        "resourceType": "Observation", "id": identifier, "status": status,
        "category": [{"coding": [{"system": CATEGORIES, "code": category}]}],
        "code": code, "subject": subject, "effectiveDateTime": when, **value,
    }
    if components:
        resource["component"] = components
    if note:
        resource["note"] = [{"text": note}]
    return resource


PSFS_TITLE = "Patient-Specific Functional Scale"
PSFS_RATING = ("Ability to do this activity, 0 (unable to perform) to 10 (able to perform at "
               "the same level as before the problem)")


def psfs_link(activity: str) -> str:
    """The linkId of an activity: the same words (spaces and case aside) give the same id in
    every assessment, so one activity can be followed over time."""
    words = " ".join(activity.split()).casefold()
    return "activity-" + str(uuid.uuid5(NAMESPACE, f"psfs-activity:{words}"))[:8]


def psfs_response(identifier: str, when: str, ratings: list[tuple[str, int, bool]],
                  subject: dict[str, Any]) -> dict[str, Any]:
    """A QuestionnaireResponse for one PSFS assessment: an item per activity (its linkId,
    the patient's words as text, the rating as valueInteger) and the mean; ratings marked
    void are left out (all void: status entered-in-error, with every rating)."""
    live = [(a, s) for a, s, void in ratings if not void]
    shown = live or [(a, s) for a, s, _ in ratings]
    items: list[dict[str, Any]] = [
        {"linkId": psfs_link(activity), "text": activity,
         "answer": [{"valueInteger": score}]} for activity, score in shown]
    items.append({"linkId": "mean", "text": "Mean of the activity ratings (0-10; higher is "
                  "better)", "answer": [{"valueDecimal": round(
                      sum(s for _, s in shown) / len(shown), 2)}]})
    return {"resourceType": "QuestionnaireResponse", "id": identifier,
            "status": "completed" if live else ENTERED_IN_ERROR, "subject": subject,
            "authored": when, "item": [{"linkId": "psfs", "text": f"{PSFS_TITLE}. "
                                        f"{PSFS_RATING}.", "item": items}]}
