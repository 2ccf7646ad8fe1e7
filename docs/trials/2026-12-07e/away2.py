"""gardens-east (lockerd run, Kerong) away: its path to the broker dies, 6 deposits and 3 pickups, HQ sends a door.open
(ttl 120 s) and a unit.upsert (ttl 1 h), then the path comes back. Codes from the site's database (with the cloud
cut, HQ, the default notify channel, has none to send)."""
import sqlite3
from day import *
def code_local(tn):
    return sqlite3.connect("/tmp/hq39t/B/lockerd.db").execute("select pickup_code from parcels where tracking_number=?", (tn,)).fetchone()[0]
def pick(tn):
    r = site("B").post("/api/v1/kiosk/pickup", json={"code": code_local(tn)}); print("pickup", tn, r.status_code, r.text[:160])
    time.sleep(0.8)
    for p in r.json().get("parcels", []): close("B", p["compartment"])
httpx.post("http://127.0.0.1:18839/block"); print("blocked", time.strftime("%H:%M:%S"))
cmd = lambda typ, data, ttl: HQ.post("/api/v1/sites/gardens-east/commands", json={"type": typ, "data": data, "ttl_s": ttl}).json()["id"]
time.sleep(40)  # the broker's keep-alive has given up on the site by now
ids = {"away2_open": cmd("door.open", {"compartment": "A-20", "reason": "resident locked out", "operator": "li.na"}, 120),
       "away2_unit": cmd("unit.upsert", {"unit": "6-602", "phone_tail": "6602", "lang": "zh"}, 3600)}
units = [("1-101", "1234"), ("2-502", "5678"), ("3-1201", "9012"), ("5-801", "8888")]
for i in range(6):
    u, t = units[i % 4]
    deposit("B", f"SF66{i}0000000001", u, t)
pick("SF6600000000001"); pick("SF6620000000001"); pick("SF6630000000001")
json.dump(ids, open("/tmp/hq39t/away2_ids.json", "w"))
print("done", time.strftime("%H:%M:%S"))
