from day import *
import subprocess, datetime, uuid
sys.path.insert(0, "/work/hq39")
from cloudsync.signing import sign_command
from cryptography.hazmat.primitives.serialization import load_pem_private_key
r = HQ.post("/api/v1/sites/sunny-gardens/commands", json={"type": "door.open", "data": {"compartment": "A-06", "reason": "courier left a bag", "operator": "li.na"}}); cid = r.json()["id"]
time.sleep(3); close("A", "A-06"); time.sleep(1)
opens = lambda: [d["opens"] for d in site("A").get("/api/v1/sim/doors").json() if d["compartment"] == "A-06"][0]
print("A-06 opens before replay", opens())
line = [l for l in open("/tmp/hq39t/cmdcap.txt") if cid in l][0]
payload = line.split(" ", 1)[1].strip()
open("/tmp/hq39t/replayed.json", "w").write(payload)
subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", "18830", "-V", "5", "-q", "1", "-t", "lockerd/v1/sunny-gardens/cmd", "-m", payload], check=True)
time.sleep(3)
print("A-06 opens after replay", opens())
key = load_pem_private_key(open("/tmp/hq39t/commands.key.pem", "rb").read(), None)
now = datetime.datetime.now(datetime.UTC)
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
exp = sign_command({"id": "01a250ca-0000-7000-8000-" + uuid.uuid4().hex[:12], "site": "sunny-gardens", "type": "door.open", "issued_at": iso(now - datetime.timedelta(minutes=10)),
                    "expires_at": iso(now - datetime.timedelta(minutes=5)), "data": {"compartment": "A-07", "reason": "old capture", "operator": "x"}}, key)
open("/tmp/hq39t/expired.json", "w").write(json.dumps(exp))
subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", "18830", "-V", "5", "-q", "1", "-t", "lockerd/v1/sunny-gardens/cmd", "-m", json.dumps(exp)], check=True)
time.sleep(3)
print("orig", HQ.get(f"/api/v1/commands/{cid}").json())
print("expired id at HQ", HQ.get(f"/api/v1/commands/{exp['id']}").status_code)
print("A-07 opens", [d["opens"] for d in site("A").get("/api/v1/sim/doors").json() if d["compartment"] == "A-07"])
json.dump({"replayed": cid, "expired": exp["id"]}, open("/tmp/hq39t/replay_ids.json", "w"))
