"""zh-HK by conversion (docs/decisions/0050-zh-hk-by-conversion.md): the converter, its shipped table, and the
check that nothing simplified is left in a zh-HK text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from edge import hant, hant_gen, hant_table

HAVE_OPENCC = importlib.util.find_spec("opencc") is not None


def simplified_only() -> set[str]:
    """Characters that are simplified forms only (never written in traditional text): OpenCC's STCharacters
    entries whose candidates do not include the character itself, when OpenCC is installed; else the table's."""
    if not HAVE_OPENCC:  # a character some table entry writes in traditional text (阿里, 口占) is not simplified-only
        return set(hant_table.SIMPLIFIED) - set(hant_table.TRADITIONAL) - set("".join(hant_table.PHRASES.values()))
    import opencc  # type: ignore[import-untyped]

    out = set()
    d = Path(opencc.__file__).parent / "dictionary"
    # Hong Kong's standard forms (OpenCC HKVariants: 户, 税 as Hong Kong writes them) are not simplified
    hk_forms = {line.partition("\t")[2] for line in (d / "HKVariants.txt").read_text(encoding="utf-8").splitlines()}
    path = d / "STCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, cands = line.partition("\t")
        if key not in cands.split(" ") and key not in hk_forms:
            out.add(key)
    return out


SIMPLIFIED_ONLY = simplified_only()


def assert_traditional(text: str) -> None:
    left = sorted({c for c in text if c in SIMPLIFIED_ONLY})
    assert not left, f"simplified characters {left} in a zh-HK text: {text!r}"


@pytest.mark.parametrize(("zh", "hk"), [
    ("【阳光花园】您的包裹（顺丰速运 SF1234567890123）已存入智能柜 A-03 格口，取件码 1234567890。",
     "【陽光花園】您的包裹（順豐速運 SF1234567890123）已存入智能櫃 A-03 格口，取件碼 1234567890。"),
    ("请于1月5日 20:00前取件，逾期将移至包裹室保管。", "請於1月5日 20:00前取件，逾期將移至包裹室保管。"),
    # Hong Kong words (edge/hant_gen.py HK_OVERRIDES)
    ("短信通知", "短訊通知"), ("信息", "訊息"), ("快递员投递", "速遞員投遞"), ("请联系物业前台", "請聯絡物業前台"),
    ("联系方式", "聯絡方式"),  # the override wins inside OpenCC's longer phrase 聯繫方式
    ("手机号", "手機號碼"), ("手机号码", "手機號碼"), ("二维码", "二維碼"), ("12月8日（周二）", "12月8日（星期二）"),
    ("员工登录", "員工登入"), ("电子邮件", "電郵"),
    # OpenCC's phrases where a character alone would go wrong, and our own runs kept whole
    ("在柜最长几小时", "在櫃最長幾小時"), ("合并", "合併"), ("回复", "回覆"),
    # what stays: 包裹, ASCII, traditional text already
    ("包裹", "包裹"), ("SF Express A-03 10:00", "SF Express A-03 10:00"), ("繁體中文", "繁體中文"), ("", ""),
])
def test_conversion(zh: str, hk: str) -> None:
    assert hant.convert(zh) == hk
    assert_traditional(hant.convert(zh))


def test_languages_by_name() -> None:
    assert [hant.norm(v) for v in ("zh", "zh-CN", "zh_hk", "zh-Hant", "zh-TW", "en-GB", "繁")] == [
        "zh-CN", "zh-CN", "zh-HK", "zh-HK", "zh-HK", "en", "zh-HK"]
    assert hant.base("zh-HK") == "zh-CN" and hant.base("en") == "en"
    assert hant.out("信息", "zh-CN") == "信息" and hant.out("信息", "zh-HK") == "訊息"


def test_every_chinese_character_we_ship_is_in_the_table() -> None:
    """A new zh string with a character the table has not checked fails here: regenerate with
    `.venv/bin/python -m edge.hant_gen` (then the zh-HK text of it is converted, not left simplified)."""
    known = set(hant_table.SIMPLIFIED) | set(hant_table.SAME)
    missing: dict[str, str] = {}
    for p in hant_gen.shipped_files():
        for run in hant_gen.CJK.findall(p.read_text(encoding="utf-8", errors="ignore")):
            for c in run:
                if c not in known:
                    missing.setdefault(c, str(p.relative_to(hant_gen.ROOT)))
    assert not missing, f"not in edge/hant_table.py (run python -m edge.hant_gen): {missing}"


def test_the_table_maps_into_traditional_and_one_ucs2_unit_each() -> None:
    """Every converted character is a traditional form (none simplified-only) and in the BMP: an SMS's UCS-2 length
    is its character count, as drivers/protocols/sms.py counts parts (70, or 67 a part)."""
    assert len(hant_table.SIMPLIFIED) == len(hant_table.TRADITIONAL)
    assert_traditional(hant_table.TRADITIONAL + "".join(hant_table.PHRASES.values()))
    assert all(ord(c) < 0x10000 for c in hant_table.TRADITIONAL + "".join(hant_table.PHRASES.values()))


@pytest.mark.skipif(not HAVE_OPENCC, reason="opencc-python-reimplemented (the test extra) regenerates the table")
def test_regenerating_gives_the_same_files() -> None:
    assert hant_gen.main(["--check"]) == 0, "edge/hant_table.py is stale: python -m edge.hant_gen"


def test_the_kiosk_dictionary_has_every_key_and_nothing_simplified() -> None:
    """/kiosk/i18n/zh-HK.js, the kiosk's zh-CN.js converted when first asked for."""
    import json
    import re

    def keys(text: str) -> dict[str, str]:
        return dict(re.findall(r'^\s*("[^"]+"):\s*("(?:[^"\\]|\\.)*")', text, flags=re.M) and
                    [(json.loads(k), json.loads(v)) for k, v in
                     re.findall(r'^\s*("[^"]+"):\s*("(?:[^"\\]|\\.)*")', text, flags=re.M)])

    from kiosk import web

    zh = keys((web.STATIC_DIR / "i18n" / "zh-CN.js").read_text(encoding="utf-8"))
    hk = keys(web.zh_hk_js().decode("utf-8"))  # what /kiosk/i18n/zh-HK.js serves
    assert zh and set(zh) == set(hk)
    for k, v in hk.items():
        assert_traditional(v)
        assert v == hant.convert(zh[k])


def test_the_glossary_module_carries_zh_hk_only_where_it_is_offered() -> None:
    """A site without 繁體 sends the kiosk no zh-HK words and builds no table for them (kiosk/web.py passes hk)."""
    import json

    from edge import glossary

    def words(js: str) -> dict[str, dict[str, str]]:
        return dict(json.loads(js.split("export default ", 1)[1].rstrip().rstrip(";")))

    plain, hk = words(glossary.as_js()), words(glossary.as_js(hk=True))
    assert "zh-HK" not in plain and set(hk["zh-HK"]) == set(hk["zh-CN"])
    assert hk["zh-HK"]["place.parcel_room"] == "包裹室" and hk["zh-HK"]["carrier.SF"] == "順豐速運"
    assert_traditional("".join(hk["zh-HK"].values()))
