from day import *
import subprocess, datetime, uuid
sys.path.insert(0, "/work/hq39")
from cloudsync.signing import sign_command
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
pub = lambda t, m: subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", "18830", "-V", "5", "-q", "1", "-t", t, "-m", m], check=True)
pub("lockerd/v1/gpio-north/events", "not json {")
pub("lockerd/v1/gpio-north/events", json.dumps({"id": str(uuid.uuid4()), "seq": "11", "stream": "x", "type": "door.opened", "ts": "2026-12-07T14:00:00Z", "site": "gpio-north", "data": {}}))
pub("lockerd/v1/gpio-north/events", json.dumps({"id": str(uuid.uuid4()), "seq": 11, "stream": "x", "type": "door.opened", "ts": "2026-12-07T14:00:00Z", "site": "gardens-east", "data": {}}))
pub("lockerd/v1/gpio-north/status", '{"online": "yes"}')
pub("lockerd/v1/gpio-north/telemetry", '[1,2,3]')
pub("lockerd/v1/gpio-north/cmd/result", '{"id": 5}')
# a command signed with a key no site trusts, to gardens-east
other = Ed25519PrivateKey.generate()
now = datetime.datetime.now(datetime.UTC); iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
forged = sign_command({"id": str(uuid.uuid4()), "site": "gardens-east", "type": "door.open", "issued_at": iso(now), "expires_at": iso(now + datetime.timedelta(minutes=5)),
                       "data": {"compartment": "A-10", "reason": "forged", "operator": "mallory"}}, other)
pub("lockerd/v1/gardens-east/cmd", json.dumps(forged))
json.dump({"forged": forged["id"]}, open("/tmp/hq39t/forged.json", "w"))
# HTTP bodies
for path, body in [("/api/v1/sites/gardens-east/commands", "{not json"), ("/api/v1/sites/gardens-east/commands", '{"type": "door.open", "data": "A-01"}'),
                   ("/api/v1/sites/gardens-east/tracking", '{"tracking_number": 5}'), ("/api/v1/tracking", '[]'),
                   ("/api/v1/sites/gardens-east/commands", '{"type": "door.open", "data": {"compartment": "A-01"}, "ttl_s": "300"}'),
                   ("/api/v1/sites/nowhere/commands", '{"type": "telemetry.now", "data": {}}')]:
    r = HQ.post(path, content=body, headers={"content-type": "application/json"}); print(r.status_code, path, body[:40], "->", r.text[:220])
r = httpx.post("http://127.0.0.1:8490/api/v1/sites/gardens-east/commands", content="{}", headers={"authorization": "Bearer wrong"}); print(r.status_code, r.text[:200])
time.sleep(3)
print(HQ.get("/api/v1/metrics").json())
