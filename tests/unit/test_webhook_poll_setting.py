"""The delivery loop's own poll: events wait at most about this long for a first attempt."""

from __future__ import annotations

import pytest

from orderhub.config import ConfigError, Settings


def test_deliveries_are_looked_for_five_times_a_second_by_default(monkeypatch):
    monkeypatch.delenv("ORDERHUB_WEBHOOK_POLL_SECONDS", raising=False)
    assert Settings.from_env().webhook_poll_seconds == 0.2


def test_a_poll_shorter_than_50_ms_is_refused(monkeypatch):
    monkeypatch.setenv("ORDERHUB_WEBHOOK_POLL_SECONDS", "0.01")
    with pytest.raises(ConfigError, match="ORDERHUB_WEBHOOK_POLL_SECONDS must be at least"):
        Settings.from_env().check()
