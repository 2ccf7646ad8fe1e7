"""After HQ's v8: the captured door.open replayed again, a forged door.open (another key) to gardens-east, an expired
one (HQ's key) to gpio-north; then what HQ says."""
from day import *
import subprocess, datetime, uuid
sys.path.insert(0, "/work/hq39")
from cloudsync.signing import sign_command
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
pub = lambda t, m: subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", "18830", "-V", "5", "-q", "1", "-t", t, "-m", m], check=True)
pub("lockerd/v1/sunny-gardens/cmd", open("/tmp/hq39t/replayed.json").read())
now = datetime.datetime.now(datetime.UTC); iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
other = Ed25519PrivateKey.generate()
forged = sign_command({"id": str(uuid.uuid4()), "site": "gardens-east", "type": "door.open", "issued_at": iso(now), "expires_at": iso(now + datetime.timedelta(minutes=5)),
                       "data": {"compartment": "A-10", "reason": "forged", "operator": "mallory"}}, other)
pub("lockerd/v1/gardens-east/cmd", json.dumps(forged))
key = load_pem_private_key(open("/tmp/hq39t/commands.key.pem", "rb").read(), None)
exp = sign_command({"id": str(uuid.uuid4()), "site": "gpio-north", "type": "door.open", "issued_at": iso(now - datetime.timedelta(hours=5)),
                    "expires_at": iso(now - datetime.timedelta(hours=4)), "data": {"compartment": "A-03", "reason": "old capture", "operator": "x"}}, key)
pub("lockerd/v1/gpio-north/cmd", json.dumps(exp))
time.sleep(4)
print(HQ.get("/api/v1/metrics").json())
