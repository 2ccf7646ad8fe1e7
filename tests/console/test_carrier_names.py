"""A courier's company as people type it ("京东", "京东快递") is the glossary's carrier (京东物流 / JD Logistics)
everywhere: recorded on the deposit, in the resident's message, the carrier report and the console's flash
(issue 18, user trial: 京东 not normalised)."""

from __future__ import annotations

import pytest

from edge.services.directory import company_label, parcel_carrier_code
from edge.web.console import queries
from tests.conftest import Site


@pytest.mark.parametrize("company", ["京东", "京东快递", "京东物流", "JD", "jd logistics", "JDL"])
def test_the_company_names_the_carrier(company: str) -> None:
    assert parcel_carrier_code("78123456789012", company) == "JD"
    assert company_label(company, "zh") == "京东物流" and company_label(company, "en") == "JD Logistics"
    assert queries.carrier_of("78123456789012", None, company) == "JD"


def test_the_number_names_it_when_the_company_does_not() -> None:
    assert parcel_carrier_code("SF1234567890123", "物业代收") == "SF"
    assert parcel_carrier_code("SF1234567890123", None) == "SF"
    # a company the glossary does not know names the carrier as the courier's record writes it (trial39: Kerry
    # Express's numbers were FedEx's); nothing tells: "?"
    assert parcel_carrier_code("12", "某某同城") == "某某同城"
    assert queries.carrier_of("12", None, "某某同城") == "某某同城"
    assert queries.carrier_of("12", None, None) == "?"


async def test_a_jd_couriers_deposit_is_jd_in_the_message_and_the_report(site: Site) -> None:
    await site.daemon.store.write(lambda tx: site.svc.couriers.add_tx(tx, "200002", "京东", "李师傅"))
    login = await site.svc.couriers.login("200002", kiosk="test")
    assert login["courier"]["company"] == "京东物流"  # what the kiosk shows (in the site's language)
    site.courier = login["courier"]
    dep = await site.deposit("9876543210123")  # a number whose pattern names no carrier
    p = await site.parcel(dep["parcel_id"])
    assert p["carrier"] == "JD"
    text = await site.daemon.store.read(lambda tx: tx.scalar(
        "SELECT text FROM notifications WHERE parcel_id = ? ORDER BY id DESC LIMIT 1", (dep["parcel_id"],)))
    assert "京东物流 9876543210123" in text, text
    report = await site.daemon.store.read(lambda tx: queries.carrier_storage_report(tx, 30))
    assert [(r["carrier"], r["parcels"]) for r in report] == [("JD", 1)]


async def test_the_report_chart_shows_the_deposits_until_tracking_has_rates(console) -> None:
    """With deposits but no tracking rates yet the chart was an empty rate chart (labels, no bars)."""
    import re

    from tests.console.conftest import HTML

    await console.site.deposit("SF1234567890123")
    client, _ = await console.as_user("staff")
    page = (await client.get("/reports/carriers?days=7&lang=zh", headers=HTML)).text
    chart = page[page.index('class="chartbox"'):page.index("</svg>")]
    legend = re.findall(r"<text[^>]*>([^<]+)</text>", chart)
    assert "包裹" in legend and "首扫率" not in legend, legend
    assert "顺丰速运" in legend


def test_a_prefixed_number_outranks_the_couriers_company() -> None:
    """A 顺丰 courier carrying a JD parcel (the simulator's demo courier carries every carrier's)."""
    assert parcel_carrier_code("JD0012345678901", "顺丰速运") == "JD"
    assert parcel_carrier_code("SF1234567890123", "京东") == "SF"
    assert parcel_carrier_code("78123456789012", "顺丰速运") == "SF"  # all digits: the company decides
