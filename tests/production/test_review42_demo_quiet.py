"""`lockerd simulate`'s first start warns of nothing the newcomer did (review of 2026-12-08): the README's six-digit
demo courier codes gave three "a courier code of 6 digits was added" warnings on every new data dir, while a short
code a site enrols itself is still warned of."""

from __future__ import annotations

import logging

import pytest

from edge.cli.simulate import seed_demo_logins
from edge.services.couriers import CourierService
from edge.store.db import Store
from tests.production.test_review26_simulate_accounts import store as store  # the fixture: a new site's store


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "edge.services.couriers" and r.levelno >= logging.WARNING]


def test_the_demo_codes_are_seeded_without_a_warning(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    couriers = CourierService(store, b"k" * 32)
    with caplog.at_level(logging.WARNING):
        assert store.write_sync(lambda tx: seed_demo_logins(tx, couriers))["couriers"] is True
    assert _warnings(caplog) == []
    assert store.read_sync(lambda tx: tx.scalar("SELECT count(*) FROM couriers")) == 3


def test_a_short_code_a_site_enrols_is_still_warned_of(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    couriers = CourierService(store, b"k" * 32)
    with caplog.at_level(logging.WARNING):
        store.write_sync(lambda tx: couriers.add_tx(tx, "730012", "中通快递"))
        store.write_sync(lambda tx: couriers.add_tx(tx, "73001234", "中通快递"))
    assert _warnings(caplog) == ["a courier code of 6 digits was added; 8 or more keep guessing out of reach"]
