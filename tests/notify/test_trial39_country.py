"""Trial 2026-12-07d (trial39): a Hong Kong site's modem sent "9234 5678" (a number as the management office's
list writes it, without +852) to +8692345678, a mainland number: the channel's country code defaulted to 86
whatever the site. It now follows the site's holiday_calendar (HK: 852) unless the channel names one."""

from __future__ import annotations

from pathlib import Path

from drivers.emulators.modem import GsmModemEmulator
from edge.notify.config import site_country_code
from edge.services.directory import upsert_unit_tx
from edge.services.unit_rows import UnitIn
from tests.conftest import start_site
from tests.notify.conftest import wait_for


def test_the_calling_code_follows_the_sites_calendar() -> None:
    assert site_country_code("HK") == "852" and site_country_code("CN") == "86"
    assert site_country_code("DE-BY") == "49" and site_country_code("US-CA") == "1"
    assert site_country_code("XX") is None


async def _one_sms(tmp_path: Path, channel: dict[str, object]) -> str:
    (tmp_path / "modem").mkdir()
    modem = GsmModemEmulator(workdir=tmp_path / "modem").start()
    try:
        s = await start_site(tmp_path / "site", site__holiday_calendar="HK", site__timezone="Asia/Hong_Kong",
                             notify={"channels": [{"kind": "gsm-modem", "port": modem.url, "timeout_s": 1, **channel}]})
        try:
            await s.daemon.store.write(lambda tx: upsert_unit_tx(tx, UnitIn(unit="1-101", phone="9234 5678"),
                                                                 actor="t", source="t"))
            await s.deposit("SF1234567890123")
            await wait_for(lambda: modem.messages(), what="an SMS")
            return str(modem.messages()[0][0])
        finally:
            await s.daemon.stop()
    finally:
        modem.stop()


async def test_a_hong_kong_number_goes_to_hong_kong(tmp_path: Path) -> None:
    assert await _one_sms(tmp_path, {}) == "+85292345678"


async def test_a_country_code_the_channel_names_wins(tmp_path: Path) -> None:
    assert await _one_sms(tmp_path, {"country_code": "853"}) == "+85392345678"


async def test_twilio_sends_a_number_without_plus_to_the_sites_country(tmp_path: Path) -> None:
    """Twilio refused "9234 5678" ("needs the number in international form"), so a Hong Kong site's list, written
    without +852, reached nobody through it."""
    import json
    from urllib.parse import parse_qsl

    from tests.notify.receiver import Receiver

    sent: list[str] = []

    def handler(r: Receiver, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        sent.append(dict(parse_qsl(body.decode()))["To"])
        return 201, json.dumps({"sid": "SM1", "status": "queued"}).encode()

    token = tmp_path / "tw.token"
    token.write_text("tw-token\n")
    token.chmod(0o600)
    srv = Receiver(handler).start()
    try:
        s = await start_site(tmp_path / "site", site__holiday_calendar="HK", site__timezone="Asia/Hong_Kong",
                             notify={"channels": [{"kind": "sms-twilio", "account_sid": "AC" + "0" * 32,
                                                   "auth_token_file": str(token), "from_number": "+15005550006",
                                                   "endpoint": srv.url, "timeout_s": 2}]})
        try:
            await s.daemon.store.write(lambda tx: upsert_unit_tx(tx, UnitIn(unit="1-101", phone="9234 5678"),
                                                                 actor="t", source="t"))
            await s.deposit("SF1234567890123")
            await wait_for(lambda: sent, what="a Twilio request")
            assert sent == ["+85292345678"]
        finally:
            await s.daemon.stop()
    finally:
        srv.stop()
