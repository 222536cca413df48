import pickle

import jieba
import pytest
import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

from scamtext.text.normalize import normalize_text
from scamtext.text.segment import BACKENDS, JiebaSegmenter


@pytest.mark.parametrize("backend", BACKENDS)
def test_domain_words_stay_whole(backend):
    seg = JiebaSegmenter(backend=backend)
    assert seg.segment("请将资金转入安全账户") == ["请", "将", "资金", "转入", "安全账户"]
    assert "刷单返利" in seg.segment("兼职刷单返利日结")


def test_without_user_dict_jieba_splits_domain_words():
    assert "安全账户" not in JiebaSegmenter(user_dict=None).segment("请将资金转入安全账户")


def test_custom_user_dict(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("薅羊毛群 500 n\n", encoding="utf-8")
    assert "薅羊毛群" in JiebaSegmenter(user_dict=words).segment("快进薅羊毛群领券")


def test_global_dictionaries_are_untouched():
    for backend in BACKENDS:
        JiebaSegmenter(backend=backend).segment("安全账户刷单返利")
    assert "刷单返利" not in jieba.dt.FREQ
    assert not rjieba.has_word("刷单返利")


def test_rjieba_is_the_default_and_cuts_like_jieba():
    assert JiebaSegmenter().backend == "rjieba"
    text = normalize_text("【顺丰速运】您的快递丢失,客服为您办理双倍理赔,请添加QQ 2795518830 办理")
    assert JiebaSegmenter().segment(text) == JiebaSegmenter(backend="jieba").segment(text)


def test_the_backends_differ_on_joined_runs():
    # jieba-rs keeps runs such as 2-3 whole; jieba cuts them at the hyphen
    assert JiebaSegmenter().segment("月入3000-8000元") == ["月入", "3000-8000", "元"]
    jieba_cut = JiebaSegmenter(backend="jieba").segment("月入3000-8000元")
    assert jieba_cut == ["月入", "3000", "-", "8000", "元"]


def test_models_saved_before_the_backend_existed_keep_jieba():
    seg = JiebaSegmenter()
    state = seg.__getstate__()
    del state["backend"]
    old = JiebaSegmenter.__new__(JiebaSegmenter)
    old.__setstate__(state)
    assert old.backend == "jieba"
    restored = pickle.loads(pickle.dumps(JiebaSegmenter()))
    assert restored.backend == "rjieba"


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend must be one of"):
        JiebaSegmenter(backend="pkuseg").segment("你好")


def test_lone_surrogates_are_cut_and_kept():
    # jieba-rs takes UTF-8, which cannot hold them; the words come from the original text
    seg = JiebaSegmenter()
    assert seg.segment("领\ud800红包") == ["领", "\ud800", "红包"]
    assert seg.tokenize("加\ud800微信") == [("加", 0, 1), ("\ud800", 1, 2), ("微信", 2, 4)]


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


SEGMENTERS = {backend: JiebaSegmenter(backend=backend) for backend in BACKENDS}


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80), st.sampled_from(BACKENDS))
def test_words_give_back_the_normalized_text(text, backend):
    normalized = normalize_text(text)
    words = SEGMENTERS[backend].segment(normalized)
    assert "".join(words) == normalized.replace(" ", "")
