"""Template folding (one carrier's thousand variants -> one key) and signer/place extraction.

`fold(text)` works on the lower-cased, whitespace-folded text: phone numbers become ``<tel>``, other digit
runs ``0``, the name after a courier/signer label (派件人: 方彪) ``<name>``, and a bracketed place
(【济南转运中心】, [Leipzig]) keeps only the words that change a milestone (丰巢, 驿站, 柜, 门卫, 前台...), so
``【苏州市】 快件已经到达 【常熟天下淘宝四】`` and ``【上海市】 快件已经到达 【上海浦东中心】`` share one template
while ``签收人在【丰巢...柜】领取`` keeps its locker word. The classifier matches and caches on the template.
"""

from __future__ import annotations

import re
import unicodedata


# --- character folding: accents and widths (applied to texts and to every pattern alike) -------------
def _latin_table() -> dict[int, str]:
    """Latin letters with diacritics (U+00C0-U+024F) -> their base letters, lower case (é->e, ü->u, ç->c,
    ã->a); ß, æ, œ, ø, ł, đ spelled out. One character stays one character wherever that keeps regex
    character classes intact ([eé] -> [ee])."""
    out: dict[int, str] = {}
    for cp in range(0x00C0, 0x0250):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii() and base:
            out[cp] = base.lower()
    out.update({ord("ß"): "ss", ord("æ"): "ae", ord("œ"): "oe", ord("ø"): "o", ord("ł"): "l", ord("đ"): "d",
                ord("Æ"): "ae", ord("Œ"): "oe", ord("Ø"): "o", ord("Ł"): "l", ord("Đ"): "d"})
    # typographic apostrophes (n’a pas pu, l’expéditeur, ʼ) read as the ASCII one the patterns are written with
    out.update({0x2019: "'", 0x2018: "'", 0x02BC: "'", 0x2032: "'"})
    return out


# Traditional Chinese characters -> their simplified forms (round 22, packs22b): 轉運, 簽收, 攬件, 待發貨, 驛站 read like
# 转运, 签收, 揽件, 待发货, 驿站, so the zh pack, the guard's locker/station/point words and the bracket words below (all
# written in simplified characters) hold on texts from Taiwan and Hong Kong. Only characters Japanese does not write
# this way are folded (Japanese uses 転, 発, 単, 駅, 関, 検...): a Japanese text is never changed, and characters both
# scripts share (運, 輸, 達, 郵, 難, 異, 貨) stay as they are (the zh pack spells those variants out).
_TRAD = ("丟來們傳價內兩劃區啟單嗎國圍壓壞實寫寶將專對屆屬幫廣廳從應戲戶揀撥擊擋擔據攔攬數會條樓樞樣檢櫃櫥歷歸滯滿濕濟灣營狀產"
         "當發盜盡碼稅竊簽綁經縣總繫續聯臺與舉萬蘇處號裝覽詢證讀賣賬轉辦這遞遲鄉鄰銷鋪錄錢錶鍵鐵閘閱關險顯餘驗驛麼點齊隨憑",
         "丢来们传价内两划区启单吗国围压坏实写宝将专对届属帮广厅从应戏户拣拨击挡担据拦揽数会条楼枢样检柜橱历归滞满湿济湾营状产"
         "当发盗尽码税窃签绑经县总系续联台与举万苏处号装览询证读卖账转办这递迟乡邻销铺录钱表键铁闸阅关险显余验驿么点齐随凭")
_LATIN = _latin_table() | {ord(t): s for t, s in zip(*_TRAD, strict=True)}
# full-width ASCII letters and digits (Ａ, ｚ, ０) and half-width katakana (ｶﾞ -> ガ); full-width punctuation
# (：，（） of Chinese texts) is kept, the patterns use it
_WIDE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff61-\uff9f]+")


def _nfkc(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group()).lower()


def fold_chars(text: str) -> str:
    """Accents, widths and typographic apostrophes folded: ``livré`` and ``livre``, ``n’a`` and ``n'a``, ``Zurück`` and ``zuruck``, ``ＳＦ`` and ``sf``,
    ``ﾊｲﾀﾂ`` and ``ハイタツ`` read alike. Texts and patterns both pass through it (classify.py, guard.py)."""
    if text.isascii():
        return text
    if _WIDE.search(text) is not None:
        text = _WIDE.sub(_nfkc, text)
    return text.translate(_LATIN)


def folded_re(pattern: str) -> re.Pattern[str]:
    """Compiled over the folded form, like the texts it reads (é/e, ü/u, full-width: fold_chars)."""
    return re.compile(fold_chars(pattern))


# words inside brackets that decide a milestone: lockers, stations, points, third parties, return
_KEEP = re.compile(
    r"丰巢|蜂巢|菜鸟|驿站|兔喜|近邻宝|速递易|妈妈|快递柜|智能柜|快件柜|自提|代收|代理点|服务站|超市|便利店|门卫|前台|物业|保安|传达室|收发室|邻居|家人|本人|寄件人|发件人"
    r"|柜|驿|指定地点|packstation|locker|parcel ?shop|service point|pick[ -]?up point|post office"
)
_BRACKET = re.compile(r"【([^】]{0,80})】|\[([^\]]{0,80})\]")
_TEL = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)|(?<!\d)\d{3,4}-\d{7,8}(?!\d)|(?<!\d)400\d{7}(?!\d)|(?<!\d)95\d{3,4}(?!\d)")
_DIGITS = re.compile(r"\d+")
_NAME = re.compile(r"((?:派件人|派送人|派件员|派送员|快递员|投递员|取件人|收件员|业务员|配送员|签收人|快递小哥)[:：]?\s?)"
                   r"(?!本人|门卫|前台|物业|他人|家人|邻居|快递柜|丰巢|驿站|已|凭|在|正|开始|将|取|派|送)([\u4e00-\u9fff]{2,4})"
                   r"(?=[\s(（,，:：<]|电话)")


# a bracket that names the scan itself, not a place (STO: 正在进行【装袋】扫描, 【拆包】, 【卸车】): kept whole
_SCAN_OP = re.compile(r"(?:装袋|拆包|拆袋|建包|集包|解包|装车|卸车|封车|发车|到车|装箱|发件|到件|派件|收件|揽收|揽件|签收|入库|出库|入柜|分拣|称重)(?:扫描)?")


# a bracket that names the status (【已签收】感谢使用..., 【派送中】): kept whole, it is the event (round 8)
_STATUS = re.compile(r"(?:已|正在)?(?:签收|揽收|揽件|派送|派件|发货|妥投|运输|投柜|退回|拒收|退签)(?:中|成功|完成)?")


_HUB = re.compile(r"分拨|转运|集散|分拣|中转")


# a bracket that is a Japanese mail's title (【出荷完了のお知らせ】, 【発送遅延のお詫び】, 【発送通知】): kept whole, it is the
# notice itself, not a place or a shop name (round 20, packs20b)
_NOTICE = re.compile(r"お知らせ|ご案内|ご連絡|お詫び|(?:発送|出荷)通知")


def _bracket(m: re.Match[str]) -> str:
    inner = m.group(1) if m.group(1) is not None else m.group(2)
    keep = (_KEEP.search(inner) or _SCAN_OP.fullmatch(inner.strip()) or _STATUS.fullmatch(inner.strip())
            or _NOTICE.search(inner))
    if keep:
        return f"【{inner}】"
    # round 9: a hub or sorting centre folds to one kind token, so "已送达【北京分拨中心】" keeps that it is a hub
    return "【分拨中心】" if _HUB.search(inner) else "【】"


def _name(m: re.Match[str]) -> str:
    return m.group(0) if _KEEP.search(m.group(2)) else m.group(1) + "<name>"


_ANY_DIGIT = re.compile(r"\d")
_LONG_DIGITS = re.compile(r"\d{5}")


def fold(text: str) -> str:
    if not text:
        return text
    out = _BRACKET.sub(_bracket, text) if ("【" in text or "[" in text) else text
    out = _NAME.sub(_name, out) if not out.isascii() else out
    if _ANY_DIGIT.search(out) is None:
        return out
    if _LONG_DIGITS.search(out) is not None or "-" in out:
        out = _TEL.sub("<tel>", out)
    return _DIGITS.sub("0", out)


MAX_TEXT = 2000


def template(text: str | None) -> str:
    """The folded template a text is classified and cached under: whitespace collapsed, lower-cased, accents and
    widths folded, digits, names, phones and bracketed places folded (the classifier's and the fallback's key)."""
    return fold(fold_chars(" ".join(text[:MAX_TEXT].split()).lower())) if isinstance(text, str) else ""


# --- who signed, and where the parcel is (for the delivered_not_here check) -------------------------
_SIGNER_ZH = re.compile(r"(?:签收人|收件人|代收人|取件人)\s*(?:是|为|[:：])?\s*([\u4e00-\u9fffA-Za-z]{1,12}?)(?=\s|[，,。；;!！)）】]|已|签收|领取|$)")
_SIGNER_ZH_IN = re.compile(r"签收人在【([^】]{1,60})】")
_SIGNER_EN = re.compile(r"(?:signed (?:for )?by|received by|signature of|left with|delivered to)\s*[:：]?\s*([A-Za-z][A-Za-z .'\-]{1,40})", re.I)
_PLACE_ZH = re.compile(r"【([^】]*(?:柜|驿站|代收点|服务站|自提点|超市|便利店|门卫|物业|前台)[^】]*)】")
_PLACE_EN = re.compile(r"\b(?:at|to|in)\s+(?:the\s+)?((?:[\w'-]+\s){0,4}(?:parcel ?(?:locker|shop)|packstation|service point|access point|post office|pick[ -]?up point)(?:\s[\w'-]+){0,3})", re.I)
_NEIGHBOUR = re.compile(r"neighbou?r|nachbar|voisin|buren|vecino|vizinho|隣|邻居", re.I)


def signer_and_place(text: str) -> tuple[str | None, str | None]:
    """Best-effort (signer, place) from the raw text; None when the text names neither."""
    if not text:
        return None, None
    signer: str | None = None
    place: str | None = None
    if not text.isascii():
        m = _SIGNER_ZH_IN.search(text)
        if m:
            place = m.group(1)
        else:
            m = _SIGNER_ZH.search(text)
            if m and m.group(1) not in ("已", "凭"):
                signer = m.group(1)
        if place is None:
            p = _PLACE_ZH.search(text)
            if p:
                place = p.group(1)
    m2 = _SIGNER_EN.search(text)
    if m2 and signer is None:
        signer = m2.group(1).strip()
    if signer is None and _NEIGHBOUR.search(text):
        signer = "neighbour"
    if place is None:
        p2 = _PLACE_EN.search(text)
        if p2:
            place = p2.group(1).strip()
    return signer, place
