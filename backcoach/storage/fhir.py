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
