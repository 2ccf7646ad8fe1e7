import pytest

from edge.tracking.carriers import detect_carrier, normalise_tracking_number, s10_check_digit


@pytest.mark.parametrize(
    ("number", "carrier"),
    [
        ("SF1234567890123", "SF"),
        ("sf 1234 5678 9012", "SF"),
        ("JD0012345678901", "JD"),
        ("JDVA12345678901", "JD"),
        ("YT1234567890123", "YTO"),
        ("YT2212345678901234", "YUNEXPRESS"),
        ("JT0001234567890", "JT"),
        ("DPK123456789012", "DEPPON"),
        ("LP00123456789012", "CAINIAO"),
        ("1Z999AA10123456784", "UPS"),
        ("1z 999 aa1 0123 4567 84", "UPS"),
        ("9400100000000000000000", "USPS"),
        ("92055901755477000000000", None),  # 23 digits: no known shape
        ("9622001900000000000000", "FEDEX"),
        ("7731234567890", "STO"),
        ("773123456789012", "STO"),
        ("SFA123456789012", "SF"),
        ("621123456789012", "CAINIAO"),
        ("434567890123456", "YUNDA"),
        ("5123456789012", "YUNDA"),
        ("731234567890", "ZTO"),
        ("78123456789012", "ZTO"),
        ("4312345678901", "YUNDA"),
        ("1123456789012", "EMS"),
        ("9812345678901", "CHINAPOST"),
        ("8812345678901", "CHINAPOST"),
        ("EA123456785CN", "EMS"),
        ("RR123456785CN", "CHINAPOST"),
        ("LZ123456785US", "USPS"),
        ("RR123456785GB", "ROYALMAIL"),
        ("CP123456785FR", "POST"),
        ("TBA123456789012", "AMAZON"),
        ("GM12345678901234567", "DHLECOM"),
        ("1234567890", "DHL"),
        ("012345678901234", "FEDEX"),
        ("HELLO", None),
        ("", None),
        ("快递", None),
    ],
)
def test_detect_carrier(number: str, carrier: str | None) -> None:
    assert detect_carrier(number) == carrier


def test_s10_bad_check_digit_is_not_a_post_number() -> None:
    assert s10_check_digit("12345678") == 5
    assert detect_carrier("EA123456784CN") is None


def test_region_tie_break() -> None:
    assert detect_carrier("731234567890") == "ZTO"
    assert detect_carrier("731234567890", region="intl") == "FEDEX"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [(" sf-1234 5678 9012 ", "SF123456789012"), ("1z.999/aa1", "1Z999AA1"), ("ab_12", "AB12")],
)
def test_normalise(raw: str, clean: str) -> None:
    assert normalise_tracking_number(raw) == clean


@pytest.mark.parametrize(
    ("raw", "message"),
    [("", "empty"), ("  - ", "empty"), ("A" * 41, "too long"), ("SF12#34", "letters and digits"), ("顺丰123", "letters")],
)
def test_normalise_refuses(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_tracking_number(raw)
