"""The storage fee's currency follows the site's country (trial 2026-12-07d: a Hong Kong site's fee defaulted to
CNY): HKD at a site whose holiday calendar is HK, CNY in mainland China, the policy's `storage_fee.currency` when it
names one; written with its symbol in the fee notice ("HK$2", "¥2") and in the fee the service reports."""

from __future__ import annotations

from typing import Any

from edge.money import money, site_currency
from edge.policy import Policy

FEE = {"storage_fee": {"enabled": True, "free_hours": 48, "notice_hours": 12, "fee_per_period": 2, "cap": 12.5}}


def test_the_currency_of_the_sites_country_and_its_symbol() -> None:
    assert site_currency("", "HK") == "HKD" and site_currency("", "CN") == "CNY"
    assert site_currency("", "DE-BY") == "EUR" and site_currency("", "") == "CNY" and site_currency("", "XX") == "CNY"
    assert site_currency("usd", "HK") == "USD"  # the policy's override
    assert money(2, "HKD", "en") == "HK$2" and money(2, "HKD", "zh-CN") == "HK$2"
    assert money(2, "CNY", "zh-CN") == "¥2" and money(12.5, "CNY", "en") == "CN¥12.50"
    assert money(3, "CHF", "en") == "3 CHF"
    assert Policy().storage_fee.currency == ""  # the default follows the site


def _fee_notice(make_site: Any, **kw: Any) -> str:
    s = make_site(policy=Policy.model_validate(FEE), **kw)
    s.add_parcel()
    s.advance(36)
    s.sweep()
    texts = [n["text"] for n in s.q("SELECT text FROM notifications WHERE kind = 'fee_notice'")]
    assert len(texts) == 1, texts
    return str(texts[0])


def test_a_hong_kong_sites_fee_notice_is_in_hong_kong_dollars(make_site: Any) -> None:
    en = _fee_notice(make_site, tz="Asia/Hong_Kong", cal="HK", lang="en")
    assert "HK$2 per 24 h, at most HK$12.50" in en, en
    assert "CNY" not in en and "HKD" not in en
    zh = _fee_notice(make_site, tz="Asia/Hong_Kong", cal="HK")
    assert "每24小时HK$2，最高HK$12.50" in zh, zh
    cn = _fee_notice(make_site)
    assert "每24小时¥2，最高¥12.50" in cn and "CNY" not in cn, cn


async def test_the_fee_due_says_the_sites_currency(make_site: Any) -> None:
    s = make_site(policy=Policy.model_validate(FEE), tz="Asia/Hong_Kong", cal="HK")
    pid = s.add_parcel()
    s.advance(50)
    assert (await s.service.fee_due(pid))["currency"] == "HKD"
    pinned = make_site(policy=Policy.model_validate({"storage_fee": {**FEE["storage_fee"], "currency": "CNY"}}),
                       tz="Asia/Hong_Kong", cal="HK")
    pid = pinned.add_parcel()
    assert (await pinned.service.fee_due(pid))["currency"] == "CNY"
