"""Service qualification port: can a service be delivered over an existing phone line?

The sandbox decides by a documented rule (docs/sandbox.md); a deployment plugs its
network's qualification system in here (adapters/registry.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Verdict:
    qualified: bool
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class Qualifier(Protocol):
    def by_phone(self, phone_number: str) -> Verdict: ...


class SandboxQualifier:
    """A number qualifies unless it ends in 0 (no line reaches it, in the sandbox)."""

    def by_phone(self, phone_number: str) -> Verdict:
        if phone_number.endswith("0"):
            return Verdict(False, "No active line was found at this number.")
        return Verdict(True, details={"phoneNumber": phone_number, "lineType": "copper"})
