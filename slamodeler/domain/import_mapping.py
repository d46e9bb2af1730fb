"""How an export's columns and words map onto incidents (``format: slamodeler-mapping/v1``)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Final, Literal, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from slamodeler.domain.incidents import IMPACT_LABELS
from slamodeler.domain.model_base import Model, Share, empty_dict

MAPPING_FORMAT: Final = "slamodeler-mapping/v1"
FIELDS = (
    "start",
    "end",
    "duration_minutes",
    "impact",
    "cause",
    "service",
    "region",
    "zone",
    "id",
    "title",
)

# Headers tried, in order, for a field the mapping does not name.
ALIASES: dict[str, tuple[str, ...]] = {
    "start": ("start", "start_utc", "start_time", "started_at", "begin", "opened_at"),
    "end": ("end", "end_utc", "end_time", "ended_at", "resolved_at", "closed_at"),
    "duration_minutes": ("duration_minutes", "duration_min", "duration"),
    "impact": ("impact", "severity_weight"),
    "cause": ("cause", "cause_category", "category"),
    "service": ("service", "component"),
    "region": ("region", "location"),
    "zone": ("zone", "availability_zone", "az"),
    "id": ("id", "incident_id", "number", "key"),
    "title": ("title", "summary", "name", "description"),
}

# The text encodings a CSV export is read in (name -> what a user calls it). "auto" detects one:
# a byte-order mark, else UTF-8, else Windows-1252 (what Excel writes for "CSV (Comma delimited)").
AUTO_ENCODING: Final = "auto"
ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "windows-1252": "Windows-1252",
}
Word = TypeVar("Word")  # a word list's value: a label, a cause, a share
TextEncoding = Literal["auto", "utf-8", "utf-8-sig", "utf-16", "windows-1252"]


class ColumnMapping(Model):
    known_fields: ClassVar[tuple[str, ...]] = FIELDS  # what ``columns`` may name
    aliases: ClassVar[dict[str, tuple[str, ...]]] = ALIASES

    format: Literal["slamodeler-mapping/v1"] = MAPPING_FORMAT
    columns: dict[str, str] = Field(
        default_factory=empty_dict,
        description="Field -> header in the file, for headers that differ.",
    )
    timezone: str | None = Field(
        default=None, description="IANA zone for timestamps without an offset."
    )
    impact_labels: dict[str, str | Share] = Field(
        default_factory=empty_dict,
        description="Word in the file -> impact label (full, partial, ...) or a share in [0, 1].",
    )
    cause_labels: dict[str, str] = Field(default_factory=empty_dict)
    default_impact: str | Share | None = Field(
        default=None, description="Impact for rows whose impact cell is empty."
    )
    sheet: str | None = Field(default=None, description="Worksheet to read in an XLSX file.")
    encoding: TextEncoding = Field(
        default=AUTO_ENCODING,
        description="Text encoding of a CSV file; auto detects UTF-8, UTF-16 or Windows-1252.",
    )

    @field_validator("columns")
    @classmethod
    def _fields(cls, columns: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(columns) - set(cls.known_fields))
        if unknown:
            fields = ", ".join(cls.known_fields)
            raise ValueError(f"unknown field(s) {unknown}; fields are {fields}")
        return columns

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                raise ValueError(f"unknown time zone {value!r}; use an IANA name") from None
        return value

    @field_validator("impact_labels", "cause_labels")
    @classmethod
    def _lower_keys(cls, labels: dict[str, object]) -> dict[str, object]:
        return words_compared(labels)

    @field_validator("default_impact")
    @classmethod
    def _default(cls, value: str | Decimal | None) -> str | Decimal | None:
        return value.strip().lower() if isinstance(value, str) else value

    def known_impact_labels(self) -> set[str]:
        mapped = {v for v in self.impact_labels.values() if isinstance(v, str)}
        return set(IMPACT_LABELS) | mapped


def words_compared(labels: dict[str, Word]) -> dict[str, Word]:
    """A mapping's word list as the rows' words are matched against it: keys and text values
    without surrounding spaces and in lower case. Two keys that become one (``Sev1`` and
    ``SEV1``) are refused if they map to different values: the last would win without a word."""
    out: dict[str, Word] = {}
    written: dict[str, str] = {}
    for key, written_value in labels.items():
        word = key.strip().lower()
        value = (
            cast(Word, written_value.strip().lower())
            if isinstance(written_value, str)
            else written_value
        )
        if word in out and out[word] != value:
            raise ValueError(
                f"{written[word]!r} and {key!r} are the same word (compared without regard to "
                f"case or surrounding spaces) but map to {_shown(labels[written[word]])} and "
                f"{_shown(labels[key])}; keep one of them"
            )
        out[word] = value
        written.setdefault(word, key)
    return out


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)
