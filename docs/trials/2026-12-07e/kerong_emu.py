"""Kerong CU16 emulator on a pty, with a loopback control: POST /close/A-01, /jam/A-01, /unjam/A-01, /force/A-01; GET /doors."""
import json, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
sys.path.insert(0, "/work/hq39")
from drivers.emulators.base import EmuDoor
from drivers.emulators.kerong import KerongCU16Emulator
import tomllib
cfg = tomllib.load(open("/work/hq39/firmware-config/kerong-cu16.toml", "rb"))
doors = [EmuDoor(c["id"], c["board"], c["lock"], c["size"]) for b in cfg["banks"] for c in b["compartments"]]
emu = KerongCU16Emulator(doors, workdir="/tmp/hq39t/emu", name="bank-A").start()
print("tty", emu.url, flush=True)
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        self._ok(emu.sim_doors())
    def do_POST(self):
        _, op, comp = self.path.split("/")
        {"close": emu.sim_close, "force": emu.sim_force_open, "jam": lambda c: emu.sim_jam(c, True),
         "unjam": lambda c: emu.sim_jam(c, False)}[op](comp)
        self._ok({"ok": True})
    def _ok(self, body):
        b = json.dumps(body, default=str).encode(); self.send_response(200); self.send_header("content-length", str(len(b))); self.end_headers(); self.wfile.write(b)
HTTPServer(("127.0.0.1", 8489), H).serve_forever()
