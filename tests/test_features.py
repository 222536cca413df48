import pickle

import numpy as np

from scamtext.model.features import CompactTfidfVectorizer, CueFeatures, make_features
from scamtext.text.cues import CUES, find_cues


def test_cues_found_in_a_police_scam():
    found = [c.id for c in find_cues("警官称你涉嫌洗钱,请立即转到安全账户,不要告诉家人")]
    assert found == ["transfer_request", "safe_account", "secrecy", "urgency", "authority_claim"]


def test_payment_to_a_personal_account_and_its_denial_are_told_apart():
    scam = [c.id for c in find_cues("@全体成员 课本费请转李老师个人微信")]
    genuine = [c.id for c in find_cues("班主任不会在群里收费,也不会发个人收款码")]
    assert scam == ["personal_account"]
    assert genuine == ["personal_account", "denies_request"]
    assert "denies_request" in [c.id for c in find_cues("公安机关没有安全账户")]
    scam = "此案涉密,不得告诉家人,立即把资金转账到安全账户;如果今天没有完成转账,账户将被冻结"
    assert "denies_request" not in [c.id for c in find_cues(scam)]
    assert find_cues("您尾号1234的个人账户于10:00入账 MONEY") == []


def test_english_words_of_mixed_messages_raise_cues():
    found = [c.id for c in find_cues("guaranteed 3x return, 请 transfer 到 personal account")]
    assert found == ["transfer_request", "guaranteed_gain", "personal_account"]
    assert find_cues("coffee and pineapple, a pin badge") == []
    genuine = "your deposit of sgd 500 has been received; no fees; tax refund available"
    assert find_cues(genuine) == []
    assert [c.id for c in find_cues("pay the admin fee first")] == ["upfront_fee"]
    touching = [c.id for c in find_cues("请输入otp和password,转到personal account")]
    assert touching == ["transfer_request", "credentials", "personal_account"]


def test_every_cue_has_both_descriptions():
    assert all(c.zh and c.en for c in CUES)
    assert len({c.id for c in CUES}) == len(CUES)


def test_cue_features_values_and_names():
    cues = CueFeatures().fit(["x"])
    X = cues.transform(["点击 URL 领奖", "今晚吃饭"]).toarray()
    names = cues.get_feature_names_out().tolist()
    assert X[0, names.index("has_URL")] == 1
    assert X[0, names.index("cue_prize_claim")] == 1
    assert X[0, names.index("cue_link_with_action")] == 1
    assert X[1].sum() == 0


def test_locate_returns_spans_of_the_cue():
    assert CueFeatures().locate("请 加微信 私聊", "cue_off_platform") == [(2, 5), (6, 8)]
    assert CueFeatures().locate("打开 URL", "has_URL") == [(3, 6)]


def test_compact_vectorizer_forgets_pruned_terms_and_round_trips():
    docs = ["aa bb cc", "aa bb dd", "aa ee ff"]
    vec = CompactTfidfVectorizer(min_df=2).fit(docs)
    assert not hasattr(vec, "stop_words_")
    state = vec.__getstate__()
    assert isinstance(state["vocabulary_"], str)
    assert isinstance(vec.vocabulary_, dict)  # the live object is unchanged
    restored = pickle.loads(pickle.dumps(vec))
    assert restored.vocabulary_ == vec.vocabulary_
    np.testing.assert_array_equal(restored.transform(docs).toarray(), vec.transform(docs).toarray())


def test_feature_union_names_carry_their_group():
    union = make_features(min_df=1).fit(["加 vx 领奖", "您的 CODE"])
    names = union.get_feature_names_out()
    groups = {name.split("__")[0] for name in names}
    assert groups == {"words", "chars", "cues"}
    assert "words__领奖" in names and "chars__领" in names
