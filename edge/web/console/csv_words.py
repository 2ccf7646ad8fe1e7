"""Why a CSV upload was refused, in the staff's language.

The importers (edge/services/unit_csv.py, expected_csv.py) explain a refusal in English with the value in
it ("unknown column (use unit/房号, ...)", "3 values but 2 columns"); a Chinese console showed those
sentences as they were. Each known sentence has its Chinese form here; one it does not know is shown as
it is, after the Chinese line and column (the test on every importer sentence keeps this list whole).
"""

from __future__ import annotations

import re

from edge import glossary

#: (the importer's English sentence, as a pattern) -> its Chinese form ({0}, {1}: the pattern's groups)
_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), zh) for p, zh in (
    (r"^the file is larger than (\d+) MB$", "文件超过 {0} MB"),
    (r"^this file is UTF-16 text", "这是 UTF-16 文本（Excel 的“Unicode 文本”）；请另存为“CSV UTF-8”或 GB18030 编码的 CSV"),
    (r"^this is not a text file", "这不是文本文件（请另存为 CSV，UTF-8 或 GB18030 编码）"),
    (r"^the text is neither UTF-8 nor GB18030$", "文字编码既不是 UTF-8 也不是 GB18030"),
    (r"^the file is empty$", "文件是空的"),
    (r"^not CSV: ", "不是有效的 CSV 文件"),
    (r"^unknown column \(use ", "无法识别这一列（可用的列：房号、手机号、手机尾号、语言、低位柜门、同意入柜）"),
    (r"^the same column as (.+)$", "与“{0}”列重复"),
    (r"^no unit \(房号\) column: the file's columns are (.+); name", "缺少“房号”列（文件里的列：{0}；请把房号所在的列命名为“房号”、“单元”或“户号”）"),
    (r"^no unit \(房号\) column$", "缺少“房号”列"),
    (r"^(\d+) values but (\d+) columns$", "这一行有 {0} 个值，但表头有 {1} 列"),
    (r"^unit (.+) is already on line (\d+)$", "房号 {0} 已在第 {1} 行出现"),
    (r"^more than (\d+) units in one file$", "一个文件最多 {0} 个房号"),
    (r"^missing column\(s\): (.+)$", "缺少列：{0}"),
    (r"^more than (\d+) rows in one file; nothing after line (\d+) was read$",
     "一个文件最多 {0} 行；第 {1} 行之后的内容没有读取"),
    (r"^not a phone number", "不是电话号码（6-15 位数字，可以 + 开头）"),
    (r"^not a mainland China mobile number \(\+86", "不是中国大陆手机号（+86 加 11 位数字，以 13-19 开头）"),
    (r"^not a mainland China mobile number", "不是中国大陆手机号（11 位数字，以 13-19 开头）"),
    (r"^language is zh-CN", "语言填 中文、繁體中文 或 英文（也可填 zh-CN、zh-HK、en）"),
    (r"^expected yes or no", "请填 是/否（或 1/0）"),
    (r"^expected true or false$", "请填 是/否"),
    (r"^unit is 1-32 letters.* \(read as (.+)\)$", "房号为 1-32 个字母、数字、空格或 - / . , #（这一行读出的房号：{0}）"),
    (r"^unit is 1-32 letters", "房号为 1-32 个字母、数字、空格或 - / . , #"),
    (r"^phone tail is the last 4 digits", "手机尾号是手机号的后 4 位"),
    (r"^not an e-mail address$", "不是电子邮件地址"),
    (r"^phone_tail (\S+) is not the end of the phone number$", "手机尾号 {0} 与手机号的末尾不一致"),
    (r"^vacation_until (.+) is not a date and time with its time zone",
     "{0} 不是带时区的日期和时间，例如 2026-12-31T20:00+08:00"),  # after "第 4 行“休假至”列：", which names it
))


#: English sentences that name the field by its internal key after the line and column have named it ("line 4,
#: column 休假至: vacation_until '2026-13-01' is not ..." on the console, trial 2026-12-07): the key goes
_EN: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), en) for p, en in (
    (r"^vacation_until (.+)$", "{0}"),
))


#: the Chinese forms whose {0} is a list the importer joined with ", " (the file's column names): rejoined with "、"
_LISTS = frozenset({"缺少“房号”列（文件里的列：{0}；请把房号所在的列命名为“房号”、“单元”或“户号”）", "缺少列：{0}"})


def csv_reason(reason: str, lang: str) -> str:
    """An importer's refusal sentence in `lang` (zh or en)."""
    if lang != "zh":
        for pattern, en in _EN:
            m = pattern.search(reason)
            if m:
                return en.format(*m.groups())
        return reason
    for pattern, zh in _ZH:
        m = pattern.search(reason)
        if m:
            groups = list(m.groups())
            if zh in _LISTS and groups:
                groups[0] = glossary.listed(groups[0].split(", "), "zh")
            return zh.format(*groups)
    return reason


__all__ = ["csv_reason"]
