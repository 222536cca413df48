import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scamtext.text.normalize import (
    TextNormalizer,
    normalize_text,
    normalize_with_offsets,
    separator_runs,
)


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


# Separators between every character are undone before placeholders are looked for.
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("加、微、信", "加微信"),
        ("转.账.到.安.全.账.户", "转账到安全账户"),
        ("1*3*8*0*0*1*3*8*0*0*0", "PHONE"),
        ("加 / 微 / 信 / 1 / 3 / 8 / 0 / 0 / 1 / 3 / 8 / 0 / 0 / 0", "加微信 PHONE"),
        ("加…微…信", "加微信"),  # … is three characters after NFKC
        ("点、击、h、t、t、p、s、:、/、/、t、.、c、n、/、a、b、领、取", "点击 URL 领取"),
        ("【、顺、丰、】、请、加、Q、Q、2、7、9、5、5、1、8、8、3、0", "【顺丰】请加qq QQID"),
        ("加🔥微✨信💰，👉领❗红★包", "加微信,领红包"),  # a separator drawn anew each gap
        ("请❤\ufe0f转❤\ufe0f账❤\ufe0f5❤\ufe0f0❤\ufe0f0❤\ufe0f元", "请转账 MONEY"),
        ("z-h-a-n-g-8-8-6-1 是我微信", "zhang8861 是我微信"),
    ],
)
def test_a_separator_between_every_character_is_undone(raw, expected):
    assert normalize_text(raw) == expected
    assert normalize_with_offsets(raw).text == expected


@pytest.mark.parametrize(
    "genuine",
    [
        "本月水、电、燃气费共计 MONEY ,请于月底前缴纳",
        "本月金、木、水、火、土五行课程调整到周三",
        "周一、三、五上课,周二、四休息",
        "a、b、c、d 四档套餐任选",
        "会议时间 2024.1.5 下午 3:30,地点 3-2-1 会议室",
        "ip 8.8.8.8 与 1.1.1.1 均可访问",
        "第1、2、3、4、5条已删除",
        "分数 1:0,2:1,3:2",
        "开奖号码 3,7,1,9,0,5,2 特别号 8",
        "哈哈哈!!!太好了~~~",
        "好的好的,我知道了。",
        "a b c 三个选项",
    ],
)
def test_genuine_enumerations_dates_and_prices_read_as_they_are(genuine):
    assert normalize_text(genuine) == genuine


def test_prices_keep_their_separators_before_becoming_money():
    assert normalize_text("合计¥1,234.50,余额 4,215.77元") == "合计 MONEY ,余额 MONEY"


def test_a_long_separated_run_is_undone_inside_an_ordinary_message():
    # eight characters or more (MIN_LONE_RUN): longer than enumerations of single characters
    raw = "您好,这是正常通知,请加 v、x、k、e、f、u、8、8 了解"
    assert normalize_text(raw) == "您好,这是正常通知,请加 vxkefu88 了解"
    assert normalize_text("您好,请选v、x、k、e 中的一项") == "您好,请选v、x、k、e 中的一项"


def test_separator_runs_report_what_is_dropped():
    text = "加、微、信,速、回"
    assert [(text[s:e], n, gaps) for s, e, n, gaps in separator_runs(text)] == [
        ("加、微、信", 3, [1, 3])
    ]
    mixed = "加🔥微✨信🔥,✨领"
    [(start, end, count, gaps)] = separator_runs(mixed)
    assert (start, end, count) == (0, len(mixed), 4)
    assert "".join(c for i, c in enumerate(mixed) if i not in gaps) == "加微信,领"


def test_offsets_of_a_separated_message_point_at_each_character():
    raw = "转.账.到.卡"
    n = normalize_with_offsets(raw)
    assert n.text == "转账到卡"
    assert [raw[slice(*n.original_span(i, i + 1))] for i in range(4)] == list("转账到卡")


ALPHABET = list("加微信转账12345 qQvV.、,，。*·-_~|/🔥❤\ufe0f…:：¥元号")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=40) | st.text(max_size=40))
@example("a、!、b、!、c、!、d、!、e")  # a run whose characters are a run themselves
@example("1、、2、、3")
def test_fast_path_and_offsets_give_the_same_text_and_it_is_stable(text):
    fast = normalize_text(text)
    assert normalize_with_offsets(text).text == fast
    assert normalize_text(fast) == fast


def test_fast_path_equals_offsets_on_the_repository_messages():
    # every 20th message: scripts/benchmark_speed.py checks them all
    texts = [text for text, _ in _repository_messages()][::20]
    assert len(texts) > 1000
    mismatched = [t for t in texts if normalize_text(t) != normalize_with_offsets(t).text]
    assert mismatched == []


def _repository_messages():
    import gzip
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "data").rglob("*.jsonl")) + sorted(
        (root / "scamtext" / "data" / "corpus").glob("*.jsonl.gz")
    )
    for file in files:
        opener = gzip.open if file.suffix == ".gz" else open
        with opener(file, "rt", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    yield row["text"], row.get("label")
