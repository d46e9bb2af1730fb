"""A one-tier contract's text, for tests that read an input file against it: the tier
"Standard", target 99.9%, a 10% credit below it, a monthly fee of 1000 (``fee``); ``scoped``:
its scope the service Compute; ``maintenance``: maintenance excluded; ``support``: a P1 response
target (15 minutes, 5%). Without the options its fee is on line 9 and its term's start on line 5,
which tests that name lines rely on."""

from __future__ import annotations


def one_tier(
    *,
    fee: str = "1000",
    scoped: bool = False,
    maintenance: bool = False,
    support: bool = False,
    name: str = "Demo",
) -> str:
    lines = [
        "format: slamodeler/v1",
        f"name: {name}",
        "currency: USD",
        "timezone: UTC",
        "term: {start: 2024-01-01, months: 12}",
        *(["exclusions:", "  causes: [maintenance]"] if maintenance else []),
        "tiers:",
        "  - name: Standard",
        "    target_pct: 99.9",
        f"    monthly_fee: {fee}",
        *(["    scope: {services: [Compute]}"] if scoped else []),
        "    credits: {kind: bands, bands: [{below: 99.9, credit_pct: 10}]}",
        *(
            ["    support: {targets: [{priority: P1, respond_within_minutes: 15, credit_pct: 5}]}"]
            if support
            else []
        ),
    ]
    return "\n".join(lines) + "\n"
