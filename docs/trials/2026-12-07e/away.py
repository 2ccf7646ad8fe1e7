from day import *
adv = lambda s: site("A").post("/api/v1/sim/clock", json={"advance_seconds": s}).json()
cmd = lambda typ, data, ttl: HQ.post("/api/v1/sites/sunny-gardens/commands", json={"type": typ, "data": data, "ttl_s": ttl}).json()["id"]
ids = {"away_open_ttl60": cmd("door.open", {"compartment": "A-07", "reason": "resident locked out", "operator": "li.na"}, 60),
       "away_tele_ttl3600": cmd("telemetry.now", {}, 3600)}
r = HQ.post("/api/v1/sites/sunny-gardens/tracking", json={"tracking_number": "SF1234567890126", "carrier": "sf", "events": [{"time": "2026-12-07T18:00:00+08:00", "text": "快件已送达智能快递柜，请凭取件码取件"}]}); print(r.text)
n = 0
for step in range(4):
    for i in range(3):
        n += 1
        deposit("A", f"SF55{step}{i}000000001", ["1-101","2-502","3-1201","5-801"][(step+i) % 4], ["1234","5678","0420","8888"][(step+i) % 4])
    if step:
        pickup("A", f"SF55{step-1}0000000001"); pickup("A", f"SF55{step-1}1000000001")
    print(adv(6 * 3600))
json.dump(ids, open("/tmp/hq39t/away_ids.json", "w"))
