"""python shots.py TAG [paths...]: HQ pages at 1366x768 and 390x844, zh and en -> docs/screenshots/hq39/TAG-*.png;
prints sideways scroll and the raw-words check for the Chinese pages."""
import sys
sys.path.insert(0, "/work/hq39")
from playwright.sync_api import sync_playwright
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser import test_people
TOKEN = open("/tmp/hq39t/api.token").read().strip()
OUT = "/work/hq39/docs/screenshots/hq39"
tag = sys.argv[1]
pages = sys.argv[2:] or ["/", "/sites/sunny-gardens", "/sites/gardens-east", "/sites/gpio-north"]
test_people.CONFIGURED[:] = ["sunny-gardens", "gardens-east", "gpio-north", "Sunny Gardens", "8-door GPIO cabinet"]
with sync_playwright() as pw:
    b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    for w, h in [(1366, 768), (390, 844)]:
        ctx = b.new_context(viewport={"width": w, "height": h})
        ctx.add_cookies([{"name": "lockerd_hq", "value": TOKEN, "url": "http://127.0.0.1:8490/"}])
        p = ctx.new_page()
        errs = []
        p.on("console", lambda m: errs.append(m.text) if m.type == "error" else None)
        for path in pages:
            for lang in ("zh", "en"):
                sep = "&" if "?" in path else "?"
                p.goto(f"http://127.0.0.1:8490{path}{sep}lang={lang}")
                p.wait_for_timeout(600)
                wide = p.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                name = (path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "fleet")
                f = f"{OUT}/{tag}-{name}-{lang}-{w}.png"
                p.screenshot(path=f, full_page=True)
                raw = []
                if lang == "zh":
                    texts = [t for t in p.evaluate(test_people.TEXT_JS) if t.strip() != "English"]
                    raw = test_people.raw_words(texts)
                print(f, "sideways", wide, "raw", raw[:12])
        print("console errors", errs[:5])
        ctx.close()
    b.close()
