import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamtext.exceptions import InvalidInputError
from scamtext.text.attacks import (
    ATTACKS,
    EVERY_GAP_SEPARATORS,
    HOMOGLYPHS,
    PINYIN,
    attack,
    combined,
    emoji,
    fullwidth,
    homoglyphs,
    latin_suffix,
    pinyin,
    separated,
    separated_mixed,
    spaces,
    symbols,
    traditional,
    zero_width,
)
from scamtext.text.normalize import normalize_text

SCAM = "恭喜您中奖了，请加微信领取，转账到银行卡，刷单返利日结"
LONG = SCAM * 4 + "，联系QQ客服，下载链接，支付宝转200元手续费"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
DECORATIONS = "🔥💰🎁✨👉❗★☆♥"


def rng(seed=0):
    return random.Random(seed)


def is_subsequence(short, long):
    chars = iter(long)
    return all(c in chars for c in short)


def without(text, chars):
    return "".join(c for c in text if c not in chars)


def test_registry_order():
    assert list(ATTACKS) == [
        "spaces",
        "symbols",
        "fullwidth",
        "traditional",
        "homoglyphs",
        "zero_width",
        "pinyin",
        "emoji",
        "latin_suffix",
        "combined",
        "separated",
        "separated_mixed",
    ]


@pytest.mark.parametrize("name", list(ATTACKS))
def test_every_attack_changes_a_scam_message(name):
    message = SCAM + "，VX: ab123"  # with some ASCII, for fullwidth
    out = ATTACKS[name](message, rng())
    assert isinstance(out, str)
    assert out != message


def test_spaces_only_adds_spaces_between_chinese_characters():
    out = spaces(SCAM, rng())
    assert out.replace(" ", "") == SCAM
    gaps = sum(bool(re.match(r"[\u4e00-\u9fff]{2}", SCAM[i:])) for i in range(len(SCAM)))
    assert out.count(" ") == round(0.5 * gaps)
    assert re.fullmatch(r"[^ ]+( [^ ]+)*", out)  # never two spaces in a row or at the ends
    for match in re.finditer(" ", out):
        assert re.match(r"[\u4e00-\u9fff]", out[match.start() - 1])
        assert re.match(r"[\u4e00-\u9fff]", out[match.end()])


@pytest.mark.parametrize("rate, expected", [(0.0, 0), (1.0, 3), (0.01, 1)])
def test_spaces_rate(rate, expected):
    assert spaces("恭喜中奖", rng(), rate=rate).count(" ") == expected


def test_symbols_inserts_separators():
    out = symbols(SCAM, rng())
    assert without(out, "-*|·/_~") == SCAM
    assert len(out) > len(SCAM)
    assert symbols("ab cd", rng()) == "ab cd"  # no Chinese gap: nothing to do


def test_fullwidth_leaves_no_printable_ascii():
    out = fullwidth("加VX: ab_12!~ 领取", rng())
    assert out == "加ＶＸ：\u3000ａｂ＿１２！～\u3000领取"
    assert not re.search(r"[\x20-\x7e]", out)
    assert fullwidth(SCAM, rng()) == SCAM  # no ASCII in it: unchanged


def test_traditional_converts_script():
    out = traditional(SCAM, rng())
    assert "獎" in out and "轉" in out
    assert len(out) == len(SCAM)
    assert traditional("a\ud800中奖", rng()) == "a\ud800中獎"  # lone surrogate kept


def test_homoglyphs_replaces_keywords():
    out = homoglyphs(SCAM, rng())
    for word in ("微信", "转账", "中奖", "银行卡", "刷单", "返利"):
        assert word not in out
    assert out.startswith("恭喜您") and out.endswith("日结")


def test_homoglyph_table_has_the_required_words():
    assert len(HOMOGLYPHS) >= 29
    assert set(HOMOGLYPHS["微信"]) == {"徽信", "威信", "薇信", "微♥", "V信"}
    assert all(
        word not in spelling for word, spellings in HOMOGLYPHS.items() for spelling in spellings
    )


def test_homoglyphs_picks_each_spelling_with_the_rng():
    outs = {homoglyphs("微信", rng(seed)) for seed in range(100)}
    assert outs == set(HOMOGLYPHS["微信"])
    assert homoglyphs("安全账户", rng()) in HOMOGLYPHS["安全账户"]  # longest word first


def test_zero_width_removed_gives_the_original():
    out = zero_width(SCAM, rng())
    assert without(out, ZERO_WIDTH) == SCAM
    assert len(out) - len(SCAM) == round(0.5 * (len(SCAM) - 1))
    assert zero_width("a", rng()) == "a"


def test_pinyin_replaces_contact_words():
    out = pinyin("加微信或QQ，转200元到支付宝，淘宝抖音", rng())
    for word in ("微信", "QQ", "支付宝", "淘宝", "抖音", "元", "加"):
        assert word not in out
    assert "转200" in out
    assert pinyin("加QQ", rng(1)) in {a + b for a in PINYIN["加"] for b in PINYIN["QQ"]}


def test_emoji_pads_start_end_and_middle():
    for seed in range(20):
        out = emoji(SCAM, rng(seed))
        assert out[0] in DECORATIONS and out[-1] in DECORATIONS
        assert 3 <= len(out) - len(SCAM) <= 8
        assert without(out, DECORATIONS) == SCAM


def test_latin_suffix_appends_random_ascii():
    prefixed = 0
    for seed in range(30):
        out = latin_suffix(SCAM, rng(seed))
        match = re.fullmatch(r"(?:([A-Za-z0-9]{4,10}) )?(.*) ([A-Za-z0-9]{4,10})", out)
        assert match and match.group(2) == SCAM
        prefixed += match.group(1) is not None
    assert 0 < prefixed < 30


def test_combined_applies_all_four():
    out = combined(SCAM, rng())
    assert "微信" not in out and "转账" not in out
    assert " " in out
    assert out[0] in DECORATIONS and out[-1] in DECORATIONS


@pytest.mark.parametrize("name", list(ATTACKS))
def test_same_seed_same_output(name):
    assert attack([LONG], name, seed=7) == attack([LONG], name, seed=7)


def test_different_seed_different_output():
    for name in ("spaces", "symbols", "homoglyphs", "zero_width", "emoji", "latin_suffix"):
        assert attack([LONG], name, seed=1) != attack([LONG], name, seed=2)


def test_seed_names_the_generator():
    expected = spaces(LONG, random.Random("5:spaces:1"), rate=0.3)
    assert attack(["", LONG], "spaces", seed=5, rate=0.3)[1] == expected


@pytest.mark.parametrize("name", list(ATTACKS))
def test_result_does_not_depend_on_other_texts(name):
    alone = attack(["你好", LONG], name, seed=3)[1]
    assert attack(["别的消息，很长很长的消息", LONG, "再来一条"], name, seed=3)[1] == alone


def test_separated_puts_one_separator_between_every_two_characters():
    text = "加微信13800138000,领¥88"
    for seed in range(40):
        out = separated(text, rng(seed))
        separator = next(s for s in EVERY_GAP_SEPARATORS if out == s.join(text))
        assert len(out) == len(text) + (len(text) - 1) * len(separator)
    assert {separated("ab", rng(seed))[1:-1] for seed in range(300)} == set(EVERY_GAP_SEPARATORS)
    assert separated("", rng()) == "" and separated("a", rng()) == "a"


def _gap_choices(out: str, text: str) -> list[list[str]] | None:
    """Every way to read ``out`` as ``text`` with one separator in each gap."""
    if not text:
        return [[]] if not out else []
    if not out.startswith(text[0]):
        return []
    if len(text) == 1:
        return [[]] if out == text else []
    ways = []
    for separator in EVERY_GAP_SEPARATORS:
        rest = out[1:]
        if rest.startswith(separator):
            ways += [[separator, *w] for w in _gap_choices(rest[len(separator) :], text[1:])]
    return ways


def test_separated_mixed_draws_a_separator_for_every_gap():
    text = "加微信13800138000,领¥88"
    out = separated_mixed(text, rng())
    ways = _gap_choices(out, text)
    assert ways
    assert len(set(ways[0])) > 5  # drawn anew, not one for the whole message


@pytest.mark.parametrize("name", ["separated", "separated_mixed"])
def test_the_normaliser_undoes_separators_between_every_character(name):
    # the same separator throughout is undone exactly; drawn anew for every gap, it is
    # undone between letters, digits and Chinese characters
    undone = sum(
        normalize_text(out) == normalize_text(SCAM) for out in attack([SCAM] * 50, name, seed=1)
    )
    assert undone == 50 if name == "separated" else undone >= 35


@pytest.mark.parametrize(
    "name", ["spaces", "symbols", "zero_width", "emoji", "latin_suffix", "separated_mixed"]
)
def test_inserting_attacks_keep_every_character(name):
    assert is_subsequence(LONG, attack([LONG], name)[0])


@settings(max_examples=60, deadline=None)
@given(text=st.text(), name=st.sampled_from(list(ATTACKS)), seed=st.integers(0, 2**32))
def test_attacks_never_raise(text, name, seed):
    out = ATTACKS[name](text, random.Random(seed))
    assert isinstance(out, str)


@settings(max_examples=60, deadline=None)
@given(text=st.text())
def test_zero_width_is_invisible_for_any_text(text):
    clean = without(text, ZERO_WIDTH)
    assert without(zero_width(clean, rng()), ZERO_WIDTH) == clean


def test_empty_text():
    assert attack([""], "fullwidth") == [""]
    assert attack([], "spaces") == []


def test_unknown_attack_lists_the_names():
    with pytest.raises(ValueError, match="unknown attack 'typo'.*spaces, symbols.*combined"):
        attack(["hi"], "typo")


def test_non_str_item_names_its_position():
    with pytest.raises(InvalidInputError, match=r"texts\[1\] is NoneType"):
        attack(["ok", None], "spaces")
    with pytest.raises(ValueError, match="single str"):
        attack("hi", "spaces")


def test_rate_out_of_range():
    with pytest.raises(ValueError, match="rate must be between 0 and 1"):
        attack(["恭喜中奖"], "spaces", rate=1.5)
