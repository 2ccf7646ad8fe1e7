"""The console's CSV exports in 繁體 for a staff member who chose it (helper hant41; ADR 0050): the parcel list,
the audit and the carrier report, their headings and words converted as the pages are, tracking numbers and units
as stored; 简体 as before for a 简体 reader."""

from __future__ import annotations

from pathlib import Path

from edge.web.app import create_app
from tests.conftest import start_site
from tests.console.conftest import Console
from tests.i18n.test_hant_table import assert_traditional


async def test_csv_exports_in_traditional_chinese(tmp_path: Path) -> None:
    s = await start_site(tmp_path / "site", site__languages=["zh-HK", "en", "zh-CN"])
    try:
        await s.deposit("SF1234567890123")
        client, _csrf = await Console(s, create_app(s.daemon)).as_user()
        parcels = (await client.get("/parcels.csv?lang=zh-HK")).text
        head = parcels.lstrip("\ufeff").splitlines()[0]
        assert "速遞單號" in head or "單號" in head, head
        assert "SF1234567890123" in parcels
        assert_traditional(parcels)
        audit = (await client.get("/audit.csv?lang=zh-HK")).text
        assert audit.count("\n") > 1 and "時間" in audit.splitlines()[0], audit[:300]
        assert_traditional(audit)
        carriers = (await client.get("/reports/carriers.csv?lang=zh-HK")).text
        assert_traditional(carriers)
        cn = (await client.get("/parcels.csv?lang=zh")).text
        assert cn.splitlines()[0] != head and cn.splitlines()[0].lstrip("\ufeff") != head
    finally:
        await s.daemon.stop()
