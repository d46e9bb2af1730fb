"""How a ticket export's columns and words map onto tickets: the incident mapping's format
(``slamodeler-mapping/v1``) with the ticket fields and a word list for priorities."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from slamodeler.domain.import_mapping import ColumnMapping, words_compared
from slamodeler.domain.model_base import empty_dict

TICKET_FIELDS = ("id", "priority", "opened", "first_response")

# Headers tried, in order, for a field the mapping does not name.
TICKET_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "ticket_id", "ticket", "number", "key"),
    "priority": ("priority", "severity", "urgency"),
    "opened": ("opened", "opened_at", "created", "created_at", "submitted_at"),
    "first_response": (
        "first_response",
        "first_response_at",
        "first_reply_at",
        "responded_at",
        "first_responded_at",
    ),
}


class TicketMapping(ColumnMapping):
    """``columns`` name the ticket fields; ``priority_labels`` map the export's words onto the
    priorities the contract names (Urgent -> P1)."""

    known_fields: ClassVar[tuple[str, ...]] = TICKET_FIELDS
    aliases: ClassVar[dict[str, tuple[str, ...]]] = TICKET_ALIASES

    priority_labels: dict[str, str] = Field(
        default_factory=empty_dict, description="Word in the file -> priority the contract names."
    )

    @field_validator("priority_labels")
    @classmethod
    def _lower(cls, labels: dict[str, str]) -> dict[str, str]:
        return words_compared(labels)
