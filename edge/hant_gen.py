"""Regenerate the shipped simplified -> Hong Kong traditional table (edge/hant_table.py) from the Chinese we ship
(docs/decisions/0050-zh-hk-by-conversion.md).

    .venv/bin/python -m edge.hant_gen          # writes the table
    .venv/bin/python -m edge.hant_gen --check  # exit 1 when it would change

A development tool: it needs OpenCC's dictionaries (`opencc-python-reimplemented`, Apache-2.0, in the `test`
extra); the daemon only reads the generated table.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "edge" / "hant_table.py"
#: the shipped trees whose Chinese is scanned, and the kinds of file that carry it
SOURCES = ("edge", "kiosk", "cloudsync", "drivers")
SUFFIXES = {".py", ".html", ".js", ".json", ".jsonl", ".toml", ".txt", ".css", ".j2", ".md"}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

#: words a Hong Kong reader says differently from a character-by-character conversion (simplified -> HK). Kept
#: short and hand-written; every one is applied wherever the simplified phrase occurs in a zh string.
HK_OVERRIDES: dict[str, str] = {
    "信息": "訊息",
    "短信": "短訊",
    "快递员": "速遞員",
    "快递": "速遞",
    "联系": "聯絡",
    "登录": "登入",
    "设置": "設定",
    "默认": "預設",
    "链接": "連結",
    "电子邮件": "電郵",
    "邮箱": "電郵",
    "账号": "帳號",
    "账户": "帳户",  # 户: Hong Kong's standard form (OpenCC HKVariants)
    "手机号码": "手機號碼",
    "手机号": "手機號碼",
    "服务器": "伺服器",
    "周一": "星期一",
    "周二": "星期二",
    "周三": "星期三",
    "周四": "星期四",
    "周五": "星期五",
    "周六": "星期六",
    "周日": "星期日",
    "视频": "影片",
    "屏幕": "螢幕",
    "销毁": "銷毀",
    "导出": "匯出",
    "导入": "匯入",
}


def _dict(path: Path) -> dict[str, str]:
    """An OpenCC dictionary file: key -> its first candidate."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        key, _, cands = line.partition("\t")
        out[key] = cands.split(" ")[0]
    return out


def _opencc_dir() -> Path:
    try:
        import opencc  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - the tool's own message
        raise SystemExit("edge.hant_gen needs opencc-python-reimplemented (pip install -e '.[test]')") from exc
    return Path(opencc.__file__).resolve().parent / "dictionary"


def shipped_files() -> list[Path]:
    """Every shipped file that may carry Chinese, the generated ones left out."""
    out = []
    for top in SOURCES:
        for p in sorted((ROOT / top).rglob("*")):
            if not p.is_file() or p.suffix not in SUFFIXES or "__pycache__" in p.parts:
                continue
            if p == TABLE or any(part.endswith(".egg-info") for part in p.parts):
                continue
            out.append(p)
    return out


def shipped_runs() -> set[str]:
    runs: set[str] = set()
    for p in shipped_files():
        runs.update(CJK.findall(p.read_text(encoding="utf-8", errors="ignore")))
    for s, t in HK_OVERRIDES.items():
        runs.update((s, t))
    return runs


def build(runs: set[str]) -> tuple[dict[str, str], str, dict[str, str]]:
    """(character map of the characters that change, the characters checked that stay, phrase map)."""
    d = _opencc_dir()
    chars_st = _dict(d / "STCharacters.txt")
    phrases_st = _dict(d / "STPhrases.txt")
    hk = _dict(d / "HKVariants.txt")
    maxlen = max(len(k) for k in phrases_st)

    def hk_form(text: str) -> str:
        return "".join(hk.get(c, c) for c in text)

    def char_conv(c: str) -> str:
        return hk_form(chars_st.get(c, c))

    shipped = sorted({c for r in runs for c in r})
    # every character OpenCC converts, not only those of our strings: what a site types (its name, the desk's place,
    # a courier's or a resident's name) is converted whole on a zh-HK page, never half ("碧桂園凤凰城" once; look42,
    # docs/decisions/0054-zh-hk-every-character.md); one BMP character each (an SMS counts UCS-2 units)
    every = sorted(set(shipped) | set(chars_st))

    def one_char(t: str) -> bool:  # and traditional: a target OpenCC would convert again is left out
        return len(t) == 1 and ord(t) < 0x10000 and char_conv(t) == t

    cmap = {c: char_conv(c) for c in every if char_conv(c) != c and one_char(char_conv(c))}
    same = "".join(c for c in shipped if c not in cmap)
    phrases: dict[str, str] = {}
    for run in runs:
        for i in range(len(run)):
            for n in range(2, min(maxlen, len(run) - i) + 1):
                w = run[i:i + n]
                if w in phrases_st:
                    t = hk_form(phrases_st[w])
                    # an override wins inside a longer phrase too (联系方式: 聯絡方式, not OpenCC's 聯繫方式)
                    if t != "".join(char_conv(c) for c in w) and not any(o in w for o in HK_OVERRIDES):
                        phrases[w] = t
    phrases |= HK_OVERRIDES
    # longest match is not OpenCC's segmentation everywhere ("最长几小时": 長几 would win over 幾小時): a run whose
    # conversion differs from OpenCC's, overrides aside, is kept whole
    import opencc  # type: ignore[import-untyped]

    ref = opencc.OpenCC("s2hk")
    from edge.hant import _Table

    for run in sorted(runs):
        if any(o in run for o in HK_OVERRIDES):
            continue
        tab = _Table({"SIMPLIFIED": "".join(cmap), "TRADITIONAL": "".join(cmap.values()), "PHRASES": phrases})
        want = ref.convert(run)
        if tab.convert(run) != want:
            phrases[run] = want
    return cmap, same, phrases


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def table_text(cmap: dict[str, str], same: str, phrases: dict[str, str]) -> str:
    keys = sorted(cmap)
    lines = [
        '"""Simplified -> Hong Kong traditional Chinese: GENERATED by `python -m edge.hant_gen`, do not edit',
        '(docs/decisions/0050-zh-hk-by-conversion.md, 0054). Every character OpenCC converts; the phrases of the Chinese we ship."""',
        "",
        "#: each character of SIMPLIFIED becomes the one at the same place in TRADITIONAL",
        f"SIMPLIFIED = {_lit(''.join(keys))}",
        f"TRADITIONAL = {_lit(''.join(cmap[k] for k in keys))}",
        "#: characters of our strings that are the same in both scripts (checked, not forgotten)",
        f"SAME = {_lit(same)}",
        "#: phrases converted as a whole (OpenCC's s2hk phrases our strings use, and edge/hant_gen.py HK_OVERRIDES)",
        "PHRASES = {",
    ]
    lines += [f"    {_lit(k)}: {_lit(phrases[k])}," for k in sorted(phrases)]
    lines += ["}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m edge.hant_gen", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when a generated file would change")
    args = ap.parse_args(argv)
    table = table_text(*build(shipped_runs()))
    changed = []
    if not TABLE.exists() or TABLE.read_text(encoding="utf-8") != table:
        changed.append(TABLE)
        if not args.check:
            TABLE.write_text(table, encoding="utf-8")
    for p in changed:
        print(f"{'would change' if args.check else 'wrote'} {p.relative_to(ROOT)}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
