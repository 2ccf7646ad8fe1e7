from day import *
close("B","A-16"); unjam("B","A-04")
def cmd(k, typ, data, ttl=300):
    r = HQ.post(f"/api/v1/sites/{SITES[k][0]}/commands", json={"type": typ, "data": data, "ttl_s": ttl}); print(typ, k, r.status_code, r.text)
    return r.json().get("id")
ids = {}
ids["open_A"] = cmd("A", "door.open", {"compartment": "A-05", "reason": "resident locked out", "operator": "li.na"})
ids["open_B"] = cmd("B", "door.open", {"compartment": "A-09", "reason": "staff check", "operator": "li.na"})
ids["expect_A"] = cmd("A", "parcel.expect", {"tracking_number": "SF1234567890199", "unit": "2-502", "carrier": "sf", "phone_tail": "5678"})
ids["expect_C"] = cmd("C", "parcel.expect", {"tracking_number": "SF3234567890199", "unit": "1-101", "carrier": "sf"})
ids["unit_B"] = cmd("B", "unit.upsert", {"unit": "5-801", "phone_tail": "8888", "lang": "en"})
ids["tele_C"] = cmd("C", "telemetry.now", {})
time.sleep(4)
close("A","A-05")
for n, i in ids.items():
    print(n, HQ.get(f"/api/v1/commands/{i}").json())
json.dump(ids, open("/tmp/hq39t/cmds.json","w"))
