"""Console forms run the registry's operations (edge/web/console/forms.py): a bad field is refused with
words staff have for it, in their language, and nothing is written."""

from __future__ import annotations

from tests.console.conftest import flash


async def test_expected_form_refuses_a_field_in_words(console) -> None:
    client, csrf = await console.as_user("admin")
    cases = [({"tracking_number": "SF3030303030303"}, ("请填写房号", "give the unit")),
             ({"tracking_number": "SF3030303030303", "unit": "1-101", "category": "weird"}, ("类别不正确", "unknown category")),
             ({"unit": "1-101"}, ("运单号不正确", "the tracking number is not valid"))]
    for data, words in cases:
        r = await client.post("/expected", data={"_csrf": csrf, **data})
        assert r.status_code == 303
        shown = await flash(client)
        assert shown.startswith("error") and any(w in shown for w in words), (data, shown)
        assert "Input should" not in shown or "unknown category" in shown  # pydantic's words only as a detail
    n = await console.daemon.store.read(lambda tx: tx.scalar(
        "SELECT COUNT(*) FROM parcels WHERE tracking_number = 'SF3030303030303'"))
    assert n == 0
    r = await client.post("/expected", data={"_csrf": csrf, "tracking_number": "SF3030303030303", "unit": "1-101",
                                             "category": "fresh", "cross_border": "是"})
    assert (await flash(client)).startswith("ok")
    row = await console.daemon.store.read(lambda tx: tx.one(
        "SELECT category, state FROM parcels WHERE tracking_number = 'SF3030303030303'"))
    assert row is not None and row["category"] == "fresh" and row["state"] == "expected"


async def test_compartment_disable_form_is_the_operation(console) -> None:
    client, csrf = await console.as_user("admin")
    await client.post("/compartments/Z-99/disable", data={"_csrf": csrf, "reason": "sticky lock"})
    assert (await flash(client)).startswith("error")  # the service's refusal, through the operation
    await client.post("/compartments/A-04/disable", data={"_csrf": csrf, "reason": "sticky lock"})
    assert (await flash(client)).startswith("ok")
    audit = await console.daemon.store.read(lambda tx: tx.one(
        "SELECT actor FROM audit WHERE action LIKE 'compartment.disable%' ORDER BY rowid DESC LIMIT 1"))
    assert audit is not None and audit["actor"].startswith("staff:")
    state = await console.daemon.store.read(lambda tx: tx.scalar("SELECT state FROM compartments WHERE id = 'A-04'"))
    assert state == "disabled"
