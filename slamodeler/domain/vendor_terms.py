"""A vendor's SLA held back to back with ours: the contract says it is one we receive
(``direction: received``) and which of our tiers each of its tiers reaches (``reaches``), so
that an incident in a vendor tier's scope is priced under both contracts (engine/back_to_back.py,
docs/user-guide.md, "Hold a vendor to its SLA")."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from slamodeler.domain.model_base import Model

Direction = Literal["given", "received"]
DIRECTIONS: tuple[Direction, ...] = ("given", "received")


class Reach(Model):
    """The vendor's incidents in ``vendor_tier``'s scope reach our ``our_tiers``: we owe their
    customers credits for them, whatever our tiers' own scopes name."""

    vendor_tier: Annotated[str, Field(min_length=1)] = Field(
        description="A tier of this (the vendor's) contract: its scope selects the incidents."
    )
    our_tiers: list[str] = Field(
        min_length=1,
        description="Tiers of our contract whose customers those incidents reach.",
    )

    @field_validator("our_tiers")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        out = [n.strip() for n in names]
        if any(not n for n in out):
            raise ValueError("tier names must not be empty")
        return out


def reach_problem(
    direction: Direction, reaches: list[Reach], tiers: list[str]
) -> tuple[str, str] | None:
    """The field and the message when the reaches cannot be said of a contract with ``tiers``: only a
    received contract reaches our tiers, each of its own tiers by name, each of ours once."""
    if reaches and direction != "received":
        return "reaches", "only a vendor's contract reaches our tiers; set direction: received"
    known = {t.lower() for t in tiers}
    seen: set[str] = set()
    for i, reach in enumerate(reaches):
        if reach.vendor_tier.lower() not in known:
            return (
                f"reaches[{i}].vendor_tier",
                f"no tier named {reach.vendor_tier!r}; this contract has: {', '.join(tiers)}",
            )
        for j, name in enumerate(reach.our_tiers):
            if name.lower() in seen:
                return (
                    f"reaches[{i}].our_tiers[{j}]",
                    f"our tier {name!r} is reached twice; one vendor tier reaches each of ours",
                )
            seen.add(name.lower())
    return None
