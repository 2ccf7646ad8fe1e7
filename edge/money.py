"""The storage fee's currency and how an amount is written (trial 2026-12-07d: a Hong Kong site charged "CNY").

The policy's `storage_fee.currency` is the override; empty (the default) is the currency of the site's country,
which its `holiday_calendar` names, as the notify channels' calling code does ("HK" -> HKD, "DE-BY" -> EUR), CNY
when the calendar names no country this table knows. Amounts are written with the currency's symbol as each
language writes it: "¥2" / "CN¥2", "HK$2.50"; a currency without a symbol here reads "2 CHF".
"""

from __future__ import annotations

#: ISO 4217 currency of the countries a site's holiday_calendar may name (its first two letters)
CURRENCY_BY_COUNTRY: dict[str, str] = {
    "CN": "CNY", "HK": "HKD", "MO": "MOP", "TW": "TWD", "SG": "SGD", "MY": "MYR", "TH": "THB", "VN": "VND",
    "PH": "PHP", "ID": "IDR", "JP": "JPY", "KR": "KRW", "IN": "INR", "AE": "AED", "AU": "AUD", "NZ": "NZD",
    "GB": "GBP", "IE": "EUR", "DE": "EUR", "FR": "EUR", "NL": "EUR", "BE": "EUR", "LU": "EUR", "AT": "EUR",
    "CH": "CHF", "IT": "EUR", "ES": "EUR", "PT": "EUR", "SE": "SEK", "NO": "NOK", "DK": "DKK", "FI": "EUR",
    "PL": "PLN", "CZ": "CZK", "US": "USD", "CA": "CAD", "MX": "MXN", "BR": "BRL",
}
#: (Chinese, English) symbol written before the amount
SYMBOLS: dict[str, tuple[str, str]] = {
    "CNY": ("¥", "CN¥"), "HKD": ("HK$", "HK$"), "MOP": ("MOP$", "MOP$"), "TWD": ("NT$", "NT$"),
    "SGD": ("S$", "S$"), "JPY": ("日元 ", "JP¥"), "KRW": ("₩", "₩"), "USD": ("US$", "US$"), "EUR": ("€", "€"),
    "GBP": ("£", "£"), "AUD": ("A$", "A$"), "CAD": ("C$", "C$"), "NZD": ("NZ$", "NZ$"), "INR": ("₹", "₹"),
}


def site_currency(configured: str, holiday_calendar: str) -> str:
    """The fee's currency: the policy's, else the site's country's (CNY when unknown)."""
    code = (configured or "").strip().upper()
    if code:
        return code
    return CURRENCY_BY_COUNTRY.get((holiday_calendar or "")[:2].upper(), "CNY")


def money(amount: float, currency: str, lang: str) -> str:
    """An amount with its currency's symbol: "¥2", "HK$2.50", "2 CHF" (whole amounts without decimals)."""
    number = f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"
    sym = SYMBOLS.get(currency.upper())
    if sym is None:
        return f"{number} {currency.upper()}"
    return f"{sym[0] if lang.startswith('zh') else sym[1]}{number}"
