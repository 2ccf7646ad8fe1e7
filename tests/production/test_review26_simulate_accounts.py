"""`lockerd simulate` on a real site's data changes no account and adds no demo login beside the site's own
(review26, issue 18).

b02cc3e kept only an `admin` that `lockerd user add` had made: a site whose accounts began as the simulator's
(added by 'system') and were given their own passwords since, or whose `staff` was switched off, got them reset
to the published demo password and switched on again; and the demo courier codes (100001...) were added to the
site's couriers. Each is a published secret on a real site's console or doors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edge.cli.simulate import seed_demo_logins
from edge.clock import SystemClock
from edge.services.couriers import CourierService
from edge.services.staff import set_active, set_password, verify_password
from edge.store.db import Store


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = Store(tmp_path / "lockerd.db", SystemClock(), "site-test")
    s.open()
    yield s
    s.close()


def _hash(store: Store, user: str) -> str:
    return str(store.read_sync(lambda tx: tx.scalar("SELECT password_hash FROM staff_users WHERE username = ?",
                                                    (user,))))


def test_the_simulators_own_data_is_seeded_again_each_start(store: Store) -> None:
    couriers = CourierService(store, b"k" * 32)
    every = {"staff": True, "couriers": True, "units": True, "kept": []}
    assert store.write_sync(lambda tx: seed_demo_logins(tx, couriers)) == every
    assert store.write_sync(lambda tx: seed_demo_logins(tx, couriers)) == every  # still its own: seeded again
    assert verify_password(_hash(store, "admin"), "admin-demo-pass")


def test_accounts_seeded_once_and_changed_since_are_the_sites_own(store: Store) -> None:
    couriers = CourierService(store, b"k" * 32)
    store.write_sync(lambda tx: seed_demo_logins(tx, couriers))  # the site began as a simulator's data dir
    store.write_sync(lambda tx: set_password(tx, "admin", "the-sites-own-pass", actor="staff:admin"))
    store.write_sync(lambda tx: set_active(tx, "staff", False, actor="staff:admin"))
    got = store.write_sync(lambda tx: seed_demo_logins(tx, couriers))
    assert got == {"staff": False, "couriers": True, "units": True, "kept": ["admin", "staff"]}
    assert verify_password(_hash(store, "admin"), "the-sites-own-pass")  # before: reset to admin-demo-pass
    assert store.read_sync(lambda tx: tx.scalar("SELECT active FROM staff_users WHERE username = 'staff'")) == 0


def test_a_real_sites_couriers_get_no_demo_code(store: Store) -> None:
    couriers = CourierService(store, b"k" * 32)
    store.write_sync(lambda tx: couriers.add_tx(tx, "73519204", "中通快递", "刘师傅"))
    assert store.write_sync(lambda tx: seed_demo_logins(tx, couriers))["couriers"] is False
    assert store.read_sync(lambda tx: tx.scalar("SELECT count(*) FROM couriers")) == 1  # before: 4 (100001...)
