import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamtext.normalize import TextNormalizer, normalize_text, normalize_with_offsets


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ＶＸ：ａｂｃ＿１２３４５", "vx: WXID"),  # full-width letters, digits, colon
        ("微\u200b信\u200d转\ufeff账", "微信转账"),  # zero-width characters removed
        ("請匯款到帳戶", "请汇款到帐户"),  # Traditional -> Simplified
        ("  多个   空格\t\n之间 ", "多个空格之间"),
        ("刷 单 返 利,加-微-信", "刷单返利,加微信"),  # separators between Chinese characters
        ("刷*单|返·利 日~结", "刷单返利日结"),
        ("vx 号 abc", "vx 号 abc"),  # only between two Chinese characters
        ("点击 https://t.cn/A6x9Kq 领取", "点击 URL 领取"),
        ("登录 jd-vip-tk.cn/login 办理", "登录 URL 办理"),
        ("发到 abc.de@qq.com", "发到 EMAIL"),
        ("致电13812345678或 138-1234-5678", "致电 PHONE 或 PHONE"),
        ("WhatsApp +852 9123 4567", "whatsapp PHONE"),
        ("卡号6222021234567890123", "卡号 CARD"),
        ("身份证11010519491231002X", "身份证 IDNO"),
        ("加QQ：12345678", "加qq: QQID"),
        ("验证码：482913", "验证码: CODE"),
        ("只需¥1,288.50或3万元", "只需 MONEY 或 MONEY"),
        ("①②③", "123"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_placeholders_survive_a_second_pass():
    once = normalize_text("加微信 abc123 或致电13812345678")
    assert once == "加微信 WXID 或致电 PHONE"
    assert normalize_text(once) == once


def test_offsets_point_at_the_original_entity():
    raw = "請轉帳到 6222 0212 3456 7890，聯絡ＱＱ８８６６９９"
    n = normalize_with_offsets(raw)
    assert n.text == "请转帐到 CARD ,联络qq QQID"
    card = n.text.index("CARD")
    assert raw[slice(*n.original_span(card, card + 4))] == "6222 0212 3456 7890"
    qq = n.text.index("QQID")
    assert raw[slice(*n.original_span(qq, qq + 4))] == "８８６６９９"


def test_offsets_skip_removed_characters():
    raw = "安\u200b全\u200b账\u200b户"
    n = normalize_with_offsets(raw)
    assert n.text == "安全账户"
    assert n.original_span(0, 4) == (0, len(raw))
    assert n.original_span(1, 2) == (2, 3)


def test_original_span_rejects_bad_ranges():
    n = normalize_with_offsets("你好")
    with pytest.raises(IndexError):
        n.original_span(1, 5)


def test_transformer_refuses_a_bare_string():
    with pytest.raises(ValueError, match="single str"):
        TextNormalizer().transform("你好")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_is_idempotent_on_any_unicode(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("微信转账qQ１２３4567890 .:/httpsw中獎①\u200b\u3000-¥元")),
        max_size=60,
    )
)
def test_normalize_is_idempotent_on_scam_like_text(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_every_output_character_maps_into_the_original(text):
    n = normalize_with_offsets(text)
    assert len(n.origins) == len(n.text)
    for start, end in n.origins:
        assert 0 <= start < end <= len(text)
