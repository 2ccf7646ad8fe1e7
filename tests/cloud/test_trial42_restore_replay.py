"""Trial42: a door command the replaced Pi carried out after its last backup must not open the door again on
the Pi restored from that backup (the restored inbox has forgotten its id); HQ is told why in words."""

from __future__ import annotations

from pathlib import Path

from cloudsync.hq.page import REFUSALS
from edge.cli import backup as bk
from edge.clock import SimClock
from edge.daemon import Daemon
from tests.cloud.cmdutil import command, raw
from tests.cloud.conftest import SITE, site_config

OPEN = {"compartment": "A-01", "reason": "resident locked out", "operator": "alice"}


async def _handle(d: Daemon, cmd: dict) -> object:
    acks: list[int] = []
    res = await d.cloud.commands.handle(raw(cmd), lambda: acks.append(1))
    assert acks == [1]
    return res


async def _fired(d: Daemon) -> int:
    rows = await d.store.read(lambda tx: tx.all("SELECT id FROM door_commands WHERE compartment_id = 'A-01'"))
    return len(rows)


async def test_a_door_command_carried_out_after_the_backup_is_not_fired_again(broker, signing_key,
                                                                              tmp_path: Path) -> None:
    key, pub = signing_key
    clock = SimClock()
    old = Daemon(site_config(broker.url, pub), clock=clock, data_dir=tmp_path / "dead-card", simulated=True)
    await old.start()
    backup = bk.backup_database(old.store.path, tmp_path / "offpi")
    clock.advance(60)
    # after the nightly backup HQ opens A-01 (valid for an hour); the replaced Pi carries it out
    cmd = command(key, clock, "door.open", OPEN, site=SITE, ttl_s=3600)
    assert (await _handle(old, cmd)).code == "ok"
    assert await _fired(old) == 1
    status = command(key, clock, "telemetry.now", {}, site=SITE, ttl_s=3600)
    await old.stop()

    clock.advance(600)  # the SD card died; a new card, the backup restored onto it
    bk.restore_database(backup, tmp_path / "new-pi" / bk.DB_NAME, now=clock.now())
    new = Daemon(site_config(broker.url, pub), clock=clock, data_dir=tmp_path / "new-pi", simulated=True)
    await new.start()
    try:
        # the captured command replayed (or redelivered) within its hour: refused, the door stays shut
        res = await _handle(new, cmd)
        assert (res.ok, res.code) == (False, "issued_before_restore")
        assert "restored" in res.message
        assert await _fired(new) == 0
        # a repeat of it gets the same answer, from the inbox
        assert (await _handle(new, cmd)).code == "issued_before_restore"
        assert await _fired(new) == 0
        # what cannot open a door is still accepted from before the restore
        assert (await _handle(new, status)).code == "ok"
        # and a door command HQ signs after the restore opens the door
        clock.advance(1)
        again = command(key, clock, "door.open", OPEN, site=SITE, ttl_s=300)
        assert (await _handle(new, again)).code == "ok"
        assert await _fired(new) == 1
        audit = await new.store.read(lambda tx: tx.all(
            "SELECT action FROM audit WHERE target = ?", (cmd["id"],)))
        assert [a["action"] for a in audit] == ["cmd.door.open"]
    finally:
        await new.stop()


def test_hq_words_the_refusal() -> None:
    zh, en = REFUSALS["issued_before_restore"]
    assert "备份" in zh and "重新发送" in zh
    assert "backup" in en and "again" in en


async def test_a_daemon_never_restored_takes_old_door_commands(broker, signing_key, tmp_path: Path) -> None:
    key, pub = signing_key
    clock = SimClock()
    d = Daemon(site_config(broker.url, pub), clock=clock, data_dir=tmp_path / "data", simulated=True)
    await d.start()
    try:
        cmd = command(key, clock, "door.open", OPEN, site=SITE, ttl_s=3600, issued_delta_s=-1800)
        assert (await _handle(d, cmd)).code == "ok"
    finally:
        await d.stop()
