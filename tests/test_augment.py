import random

import numpy as np
import pytest

import scamtext.model.classifier
from scamtext.model.augment import AUGMENT_SEED, MIN_EXCERPT_SOURCE, augment, augment_seed, excerpt
from scamtext.model.classifier import ScamClassifier
from scamtext.text.cues import find_cues
from scamtext.text.normalize import normalize_text

CALL = (
    "您好，这里是淘宝官方客服中心，工号8207。"
    "请问您上周是不是在我们平台买过一件羊毛大衣？"
    "很抱歉地通知您，这批大衣检测出甲醛超标，已被市场监管部门要求召回。"
    "我们会给您三倍赔偿，一共是一千七百四十元。"
    "理赔需要您先下载一个会议软件，打开屏幕共享，我来指导您操作。"
    "整个过程大概十分钟，请不要挂断电话，也不要和家里人说，以免影响理赔进度。"
)


def test_originals_come_first_then_the_copies():
    texts = [CALL, "今晚一起吃饭吗？我订了七点的位子"]
    labels = ["refund", "normal"]
    out_texts, out_labels = augment(texts, labels, excerpts=1.0, evasions=1.0, seed=3)
    assert out_texts[:2] == texts and out_labels[:2] == labels
    assert len(out_texts) == 5  # one excerpt (only CALL is long) and two evasions
    assert out_labels[2:] == ["refund", "refund", "normal"]


def test_same_seed_same_rows_and_rates_are_checked():
    texts, labels = [CALL] * 5, ["refund"] * 5
    assert augment(texts, labels, seed=1) == augment(texts, labels, seed=1)
    assert augment(texts, labels, seed=1) != augment(texts, labels, seed=2)
    with pytest.raises(ValueError, match="evasions"):
        augment(texts, labels, evasions=1.5)
    assert augment(texts, labels, excerpts=0.0, evasions=0.0) == (texts, labels)


def test_scam_excerpts_are_short_sentences_that_carry_a_cue():
    assert len(CALL) >= MIN_EXCERPT_SOURCE
    for seed in range(20):
        piece = excerpt(CALL, "refund", random.Random(seed))
        assert piece in CALL and 15 <= len(piece) <= 150
        assert find_cues(normalize_text(piece))
    assert excerpt(CALL[:100], "refund", random.Random(0)) is None


def test_advice_alone_is_not_an_excerpt_of_a_scam():
    advice = "温馨提示：谨防诈骗，保护好个人信息，陌生来电请核实。"
    text = advice * 8
    assert len(text) >= MIN_EXCERPT_SOURCE
    assert excerpt(text, "refund", random.Random(0)) is None
    assert excerpt(text, "normal", random.Random(0)) is not None


def test_any_random_state_gives_an_augmentation_seed():
    from conftest import LABELS, TEXTS

    assert augment_seed(0) == AUGMENT_SEED and augment_seed(3) == AUGMENT_SEED + 3
    assert augment_seed(None) == augment_seed(np.random.RandomState(0)) == AUGMENT_SEED
    ScamClassifier(min_df=1, augment=True, calibrate=False, random_state=None).fit(TEXTS, LABELS)


def test_evasion_copies_are_rewritten_messages():
    texts = ["请加微信转账到安全账户，不要告诉家人"] * 30
    copies, _ = augment(texts, ["impersonate_police"] * 30, excerpts=0.0, evasions=1.0)
    rewritten = copies[30:]
    assert len(rewritten) == 30
    assert sum(copy != texts[0] for copy in rewritten) >= 25


def test_classifier_augments_the_fitting_part_only(monkeypatch):
    from conftest import LABELS, TEXTS

    seen = []

    def spy(texts, labels, **kwargs):
        seen.append(len(texts))
        return augment(texts, labels, **kwargs)

    monkeypatch.setattr(scamtext.model.classifier, "augment", spy)
    texts, labels = TEXTS * 4, LABELS * 4
    model = ScamClassifier(min_df=1, augment=True, calibration_size=0.25).fit(texts, labels)
    assert seen == [42, 56]  # the calibration quarter is never augmented; the final fit is
    assert model.predict(["【公安局】你的银行卡涉嫌洗钱，转入安全账户核查"])[0] == (
        "impersonate_police"
    )
    seen.clear()
    ScamClassifier(min_df=1, calibrate=False).fit(texts, labels)
    assert seen == []
