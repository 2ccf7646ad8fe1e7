import json, sqlite3, psycopg, collections
db = json.load(open("/tmp/hq39t/pg.json"))["db"]
pg = psycopg.connect(db)
for k, site in [("A", "sunny-gardens"), ("B", "gardens-east"), ("C", "gpio-north")]:
    lite = sqlite3.connect(f"/tmp/hq39t/{k}/lockerd.db")
    cols = [r[1] for r in lite.execute("pragma table_info(events)")]
    rows = lite.execute("select id, type from events").fetchall()
    s_ev = {i for i, t in rows if t != "cmd.result"}
    s_res = {i for i, t in rows if t == "cmd.result"}
    outbox = lite.execute("select count(*) from outbox").fetchone()[0]
    h = pg.execute("select id::text, seq, stream from events where site=%s", (site,)).fetchall()
    ids = [r[0] for r in h]
    dup_ids = [i for i, n in collections.Counter(ids).items() if n > 1]
    seqs = collections.defaultdict(list)
    for _, s, st in h: seqs[st].append(s)
    gaps = {st: (min(v), max(v), len(v), len(set(v))) for st, v in seqs.items()}
    print(site, "site events", len(s_ev), "results", len(s_res), "outbox", outbox, "| HQ rows", len(h), "distinct ids", len(set(ids)),
          "dups", len(dup_ids), "missing at HQ", len(s_ev - set(ids)), "extra at HQ", len(set(ids) - s_ev), "streams(min,max,n,distinct)", gaps)
print("held", pg.execute("select count(*) from held").fetchone(), "rejects", pg.execute("select reason, count(*) from rejects group by 1").fetchall())
