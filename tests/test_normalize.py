import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scamtext.text.normalize import TextNormalizer, normalize_text, normalize_with_offsets


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ＶＸ：ａｂｃ＿１２３４５", "微信: WXID"),  # full-width letters, digits, colon
        ("微\u200b信\u200d转\ufeff账", "微信转账"),  # zero-width characters removed
        ("請匯款到帳戶", "请汇款到账户"),  # Traditional -> Simplified, 帐 variant -> 账
        ("  多个   空格\t\n之间 ", "多个空格之间"),
        ("刷 单 返 利,加-微-信", "刷单返利,加微信"),  # separators between Chinese characters
        ("刷*单|返·利 日~结", "刷单返利日结"),
        ("qq 号 abc", "qq 号 abc"),  # only between two Chinese characters
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
    assert n.text == "请转账到 CARD ,联络qq QQID"
    card = n.text.index("CARD")
    assert raw[slice(*n.original_span(card, card + 4))] == "6222 0212 3456 7890"
    qq = n.text.index("QQID")
    assert raw[slice(*n.original_span(qq, qq + 4))] == "８８６６９９"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("加薇信领取", "加微信领取"),
        ("有事绿泡泡聊", "有事微信聊"),
        ("扣扣号：12345678", "qq号: QQID"),
        ("企鹅号 12345678", "qq号 QQID"),
        ("zfb 转我", "支付宝转我"),
        ("发一下yhk和sfz照片", "发一下银行卡和身份证照片"),
        ("玩菠菜稳赚", "玩博彩稳赚"),
        ("➕V：abc_123 日结", "加微信: WXID 日结"),  # plus sign before a platform is 加
        ("+q 12345678", "加qq QQID"),
        ("请加v", "请加微信"),
        ("加v信", "加微信"),  # the variant wins over the lone letter
        ("月入3w", "月入 MONEY"),  # w after a number is 万
        ("qwx 和 wxy", "qwx 和 wxy"),  # Latin variants match whole tokens only
        ("vivo v5", "vivo v5"),  # a lone v is 微信 only after 加
        ("+绿泡泡领红包", "加微信领红包"),  # variants first, then the plus sign
        ("➕ V：abc_123", "加微信: WXID"),
        ("+ q 12345678", "加qq QQID"),
        ("c++ vs java, 价格+vat", "c++ vs java, 价格+vat"),
        ("vx：sf_kefu8w", "微信: WXID"),  # 8w inside an id is not 8万
        ("登录 http://wx.abc.com/login 或发到 zfb@163.com", "登录 URL 或发到 EMAIL"),
    ],
)
def test_variant_spellings_become_the_canonical_word(raw, expected):
    assert normalize_text(raw) == expected
    assert normalize_text(expected) == expected


def test_variant_offsets_cover_the_variant():
    raw = "请加薇信转帳"
    n = normalize_with_offsets(raw)
    assert n.text == "请加微信转账"
    assert raw[slice(*n.original_span(2, 4))] == "薇信"
    assert raw[slice(*n.original_span(4, 6))] == "转帳"


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
@example("0w0元")  # "0w MONEY" must not become "0万 MONEY" on the second pass
@example("VxV信")  # "v信" inside a Latin token stays
@example("0@0.扣扣")  # 扣扣 -> qq completes the e-mail address on the first pass
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
