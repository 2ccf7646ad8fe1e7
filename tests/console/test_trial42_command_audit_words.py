"""Trial42: on the Chinese audit, the site's refusals of HQ commands read in the contract's English ("signature does
not verify against this site's keys", "this site was restored from a backup at 2026-12-08T00:17:17.346Z; …") and a
carried-out remote open read "其他". The refusal codes and command types now have words, shared with HQ's pages."""

from __future__ import annotations

from tests.console.conftest import HTML, Console

ENGLISH = ("signature does not verify", "this site was restored from a backup")


async def test_command_refusals_read_in_words(console: Console) -> None:
    def write(tx):  # type: ignore[no-untyped-def]
        tx.audit("hq", "cmd.refused", "c1", "signature does not verify against this site's keys", code="bad_signature")
        tx.audit("hq:zhou", "cmd.door.open", "c2", "this site was restored from a backup at 2026-12-08T00:17:17.346Z;"
                 " a door command issued before that may already have been carried out", ok=False,
                 code="issued_before_restore")
        tx.audit("hq:zhou", "cmd.telemetry.now", "c3", "", ok=True, code="ok")

    await console.site.daemon.store.write(write)
    client, _csrf = await console.as_user("admin")
    zh = (await client.get("/audit?lang=zh", headers=HTML)).text
    assert "签名与站点配置的命令公钥不符" in zh and "站点已从备份恢复" in zh
    assert "总部指令：远程开门" in zh and "总部指令：立即上报状态" in zh
    assert not [e for e in ENGLISH if e in zh]
    en = (await client.get("/audit?lang=en", headers=HTML)).text
    assert "the signature does not match the command key" in en and "HQ command: open a door" in en
    csv_zh = (await client.get("/audit.csv?lang=zh")).text
    assert "站点已从备份恢复" in csv_zh and not [e for e in ENGLISH if e in csv_zh]
