import sys, json
sys.path.insert(0, "/work/hq39")
from tests.hq.pgserver import PgServer
import psycopg
pg = PgServer().start()
url = f"postgresql://postgres@127.0.0.1:{pg.port}/postgres"
with psycopg.connect(url, autocommit=True) as c:
    c.execute("CREATE DATABASE lockerd_hq")
json.dump({"pg_port": pg.port, "pg_dir": str(pg.dir), "db": f"postgresql://postgres@127.0.0.1:{pg.port}/lockerd_hq"}, open("/tmp/hq39t/pg.json", "w"))
print(open("/tmp/hq39t/pg.json").read())
