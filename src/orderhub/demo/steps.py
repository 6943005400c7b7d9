"""What every flow reports: each call as a `Step`, and `DemoFailed` when an answer is not
the one the seed expects."""

from __future__ import annotations

from dataclasses import dataclass


class DemoFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Step:
    name: str
    method: str
    path: str
    status: int
    elapsed_ms: float
