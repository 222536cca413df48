import pickle

import jieba
from hypothesis import given, settings
from hypothesis import strategies as st

from scamtext.text.normalize import normalize_text
from scamtext.text.segment import JiebaSegmenter


def test_domain_words_stay_whole():
    seg = JiebaSegmenter()
    assert seg.segment("请将资金转入安全账户") == ["请", "将", "资金", "转入", "安全账户"]
    assert "刷单返利" in seg.segment("兼职刷单返利日结")


def test_without_user_dict_jieba_splits_domain_words():
    assert "安全账户" not in JiebaSegmenter(user_dict=None).segment("请将资金转入安全账户")


def test_custom_user_dict(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("薅羊毛群 500 n\n", encoding="utf-8")
    assert "薅羊毛群" in JiebaSegmenter(user_dict=words).segment("快进薅羊毛群领券")


def test_global_jieba_dictionary_is_untouched():
    JiebaSegmenter().segment("安全账户刷单返利")
    assert "刷单返利" not in jieba.dt.FREQ


def test_pickle_round_trip_keeps_behaviour():
    seg = JiebaSegmenter()
    before = seg.segment("点击 URL 领取积分兑换礼品")
    restored = pickle.loads(pickle.dumps(seg))
    assert "_jieba" not in restored.__dict__
    assert "_jieba" in seg.__dict__  # pickling a copy leaves the live tokenizer alone
    assert restored.segment("点击 URL 领取积分兑换礼品") == before


def test_tokenize_offsets_and_transform():
    seg = JiebaSegmenter()
    assert seg.tokenize("加 vx 领红包") == [
        ("加", 0, 1),
        ("vx", 2, 4),
        ("领", 5, 6),
        ("红包", 6, 8),
    ]
    assert seg.transform(["点击 URL 领取", ""]) == ["点击 URL 领取", ""]


SEGMENTER = JiebaSegmenter()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_words_give_back_the_normalized_text(text):
    normalized = normalize_text(text)
    words = SEGMENTER.segment(normalized)
    assert "".join(words) == normalized.replace(" ", "")
