import json, sys, time, httpx
TOKEN = open("/tmp/hq39t/api.token").read().strip()
HQ = httpx.Client(base_url="http://127.0.0.1:8490", headers={"authorization": f"Bearer {TOKEN}"}, timeout=10)
SITES = {"A": ("sunny-gardens", 8481), "B": ("gardens-east", 8482), "C": ("gpio-north", 8483)}
COURIER = {"A": "100001", "B": "200001", "C": "100001"}

def site(k): return httpx.Client(base_url=f"http://127.0.0.1:{SITES[k][1]}", timeout=15)

def close(k, comp):
    if k == "B":
        httpx.post(f"http://127.0.0.1:8489/close/{comp}")
    else:
        site(k).post(f"/api/v1/sim/doors/{comp}/close").raise_for_status()

def jam(k, comp):
    if k == "B": httpx.post(f"http://127.0.0.1:8489/jam/{comp}")
    else: site(k).post(f"/api/v1/sim/doors/{comp}/jam").raise_for_status()

def unjam(k, comp):
    if k == "B": httpx.post(f"http://127.0.0.1:8489/unjam/{comp}")
    else: site(k).post(f"/api/v1/sim/doors/{comp}/unjam").raise_for_status()

def deposit(k, tn, unit, tail, courier=None, do_close=True):
    s = site(k)
    r = s.post("/api/v1/kiosk/courier/session", json={"courier_code": courier or COURIER[k]}); r.raise_for_status()
    tok = r.json()["token"]
    r = s.post("/api/v1/kiosk/deposits", headers={"authorization": f"Bearer {tok}"},
               json={"tracking_number": tn, "unit": unit, "phone_tail": tail})
    if r.status_code >= 300:
        print("deposit refused", k, tn, r.status_code, r.text); return None
    d = r.json(); comp = d["compartment"]
    time.sleep(0.8)
    if do_close:
        close(k, comp)
        for _ in range(30):
            st = s.get(f"/api/v1/kiosk/deposits/{d['deposit_id']}", headers={"authorization": f"Bearer {tok}"}).json()
            if st.get("door") == "closed" or st.get("state") == "stored": break
            time.sleep(0.3)
    print("deposit", k, tn, comp, d.get("door"))
    return d

def code_for(k, tn):
    """Pickup code: the simulator's notifications, or (site B, lockerd run) HQ's parcel.stored event."""
    if k != "B":
        for n in reversed(site(k).get("/api/v1/sim/notifications").json()):
            if n.get("tracking_number") == tn and n.get("pickup_code"): return n["pickup_code"]
    for _ in range(20):
        ev = HQ.get(f"/api/v1/sites/{SITES[k][0]}/events", params={"type": "parcel.stored"}).json()
        for e in ev:
            if e["data"].get("tracking_number") == tn: return e["data"]["pickup_code"]
        time.sleep(0.5)
    raise RuntimeError("no code for " + tn)

def pickup(k, tn):
    code = code_for(k, tn); s = site(k)
    r = s.post("/api/v1/kiosk/pickup", json={"code": code})
    print("pickup", k, tn, r.status_code, r.text[:200])
    if r.status_code < 300:
        time.sleep(0.8)
        for c in r.json().get("compartments", []) or [x.get("compartment") for x in r.json().get("parcels", [])]:
            if isinstance(c, dict): c = c.get("compartment") or c.get("id")
            if c: close(k, c)
    return r

if __name__ == "__main__":
    exec(sys.argv[1])
