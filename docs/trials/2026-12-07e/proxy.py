"""Loopback TCP proxy 127.0.0.1:18831 -> 18830 with a dead-path switch: POST /block (silence: bytes dropped both
ways, new connections accepted and never answered), POST /unblock (old connections closed, new ones forwarded)."""
import asyncio
class Tag:
    def __init__(self, dead): self.d = {"dead": dead}
    def __getitem__(self, k): return self.d[k]
    def __setitem__(self, k, v): self.d[k] = v
blocked = False
conns = set()
async def pipe(r, w, tag):
    try:
        while True:
            data = await r.read(65536)
            if not data: break
            if blocked or tag["dead"]: tag["dead"] = True; continue
            w.write(data); await w.drain()
    except Exception: pass
    finally:
        try: w.close()
        except Exception: pass
async def handle(cr, cw):
    tag = Tag(blocked)
    if blocked:
        conns.add((cw, None, tag)); 
        while blocked: await asyncio.sleep(0.2)
        cw.close(); return
    sr, sw = await asyncio.open_connection("127.0.0.1", 18830)
    conns.add((cw, sw, tag))
    await asyncio.gather(pipe(cr, sw, tag), pipe(sr, cw, tag))
async def ctl(r, w):
    global blocked
    line = (await r.readline()).decode()
    while (await r.readline()) not in (b"\r\n", b""): pass
    if "/unblock" in line:
        blocked = False
        for cw, sw, tag in list(conns):
            if tag["dead"] or True:
                pass
        for cw, sw, tag in list(conns):
            if tag["dead"]:
                cw.transport.abort()
                if sw: sw.transport.abort()
                conns.discard((cw, sw, tag))
    elif "/block" in line:
        blocked = True
        for _, _, tag in conns: tag["dead"] = True
    w.write(f"HTTP/1.0 200 OK\r\n\r\nblocked={blocked}\n".encode()); await w.drain(); w.close()
async def main():
    await asyncio.start_server(handle, "127.0.0.1", 18831)
    await asyncio.start_server(ctl, "127.0.0.1", 18839)
    await asyncio.Event().wait()
asyncio.run(main())
