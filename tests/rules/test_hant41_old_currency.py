"""A storage policy stored before fix40 (helper hant41): its `storage_fee.currency` says "CNY", the only default
there was, and at a Hong Kong site the fee notice read ¥. On start it is rewritten once to the site's own currency
(HKD), same version and amounts, audited in words; a mainland site and a CNY set after the check keep theirs."""

from __future__ import annotations

import json
from pathlib import Path

from edge import glossary
from edge.clock import SimClock
from edge.money import site_currency
from edge.policy import Policy
from edge.rules.policy_service import PolicyService, migrate_old_currency
from edge.store.db import Store

#: a policy document as the console's JSON settings saved it before fix40 (every key, currency CNY)
OLD = Policy(version=3).model_dump(mode="json")
OLD["storage_fee"] |= {"enabled": True, "currency": "CNY", "fee_per_period": 2.0}


def _old_db(tmp_path: Path) -> Store:
    s = Store(tmp_path / "db.sqlite", SimClock(), "hk-1")
    s.open()
    s.write_sync(lambda tx: tx.execute(
        "INSERT INTO policy_versions (version, doc, actor, source, set_at) VALUES (3, ?, 'admin', 'console', ?)",
        (json.dumps(OLD, sort_keys=True), tx.ts)))
    return s


async def test_a_hong_kong_sites_old_cny_policy_becomes_hkd_once_and_is_audited(tmp_path: Path) -> None:
    store = _old_db(tmp_path)
    try:
        hkd = site_currency("", "HK")
        assert hkd == "HKD"
        assert await store.write(lambda tx: migrate_old_currency(tx, hkd)) == 3
        policy = await PolicyService(store, Policy()).load()
        assert policy.version == 3 and policy.storage_fee.currency == "" and policy.storage_fee.fee_per_period == 2.0
        assert site_currency(policy.storage_fee.currency, "HK") == "HKD"
        rows = await store.read(lambda tx: tx.all("SELECT actor, action, target, reason FROM audit "
                                                  "WHERE action = 'policy.currency'"))
        assert [(r["target"], r["reason"]) for r in rows] == [("policy v3", "old default currency")]
        assert glossary.lookup("event", "policy.currency") == ("存放费币种改为站点所在地的币种", "storage fee currency set to the site's own")
        words = glossary.lookup("reason", "old default currency")
        assert words is not None and "人民币（CNY）是旧版本的默认值" in words[0]
        # once: a CNY the staff set after the check is theirs
        doc = OLD | {"version": 4}
        await PolicyService(store, Policy()).set_policy(doc, "admin")
        assert await store.write(lambda tx: migrate_old_currency(tx, hkd)) is None
        assert (await PolicyService(store, Policy()).load()).storage_fee.currency == "CNY"
    finally:
        store.close()


async def test_a_mainland_site_keeps_its_cny(tmp_path: Path) -> None:
    store = _old_db(tmp_path)
    try:
        assert await store.write(lambda tx: migrate_old_currency(tx, site_currency("", "CN"))) is None
        assert (await PolicyService(store, Policy()).load()).storage_fee.currency == "CNY"
    finally:
        store.close()
