import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import FeatureUnion

from scamtext.model.features import (
    CompactTfidfVectorizer,
    CueFeatures,
    TextFeatures,
    make_features,
)
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


DOCS = ["加 vx 领奖 领奖", "您的 CODE 是", "刷单 返利 日结", "点击 URL 领取 大奖", "今晚 吃饭 吗"]


def _sklearn_transform(vec, docs):
    """What scikit-learn's own TfidfVectorizer.transform gives for the same fitted state."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    plain = TfidfVectorizer(**vec.get_params())
    fitted = {k: v for k, v in vec.__dict__.items() if k.endswith("_") or k == "_tfidf"}
    plain.__dict__.update(fitted)
    return plain.transform(docs)


@pytest.mark.parametrize(
    "params",
    [
        {"analyzer": "char", "ngram_range": (1, 3)},
        {"analyzer": "char", "ngram_range": (2, 3), "sublinear_tf": True},
        {"analyzer": "word", "token_pattern": r"\S+", "ngram_range": (1, 2), "norm": "l1"},
        {"analyzer": "word", "ngram_range": (1, 3), "binary": True},
        {"analyzer": "char_wb", "ngram_range": (1, 2)},  # scikit-learn's path
        {"analyzer": "char", "ngram_range": (1, 4)},  # four symbols do not fit: its path too
    ],
)
def test_fast_transform_gives_scikit_learns_matrix(params):
    vec = CompactTfidfVectorizer(lowercase=False, min_df=1, dtype=np.float32, **params).fit(DOCS)
    docs = [*DOCS, "领奖 领奖 URL vx", "", "  两个   空格 ", "未见过的 词"]
    fast, reference = vec.transform(docs), _sklearn_transform(vec, docs)
    assert fast.shape == reference.shape and fast.dtype == reference.dtype
    np.testing.assert_array_equal(fast.toarray(), reference.toarray())


TRAINED = CompactTfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False).fit(
    [*DOCS, *DOCS]
)
WORDS = CompactTfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), lowercase=False).fit(
    [*DOCS, *DOCS]
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("加 vx领奖刷单URL\n\t😀\ud800a")), max_size=30),
        min_size=1,
    )
)
def test_fast_transform_matches_on_any_text(docs):
    for vec in (TRAINED, WORDS):
        np.testing.assert_array_equal(
            vec.transform(docs).toarray(), _sklearn_transform(vec, docs).toarray()
        )


def test_lookup_tables_are_rebuilt_after_a_refit_and_never_saved():
    vec = CompactTfidfVectorizer(analyzer="char", min_df=1, lowercase=False).fit(["ab"])
    assert vec.transform(["ab"]).nnz == 2
    vec.fit(["cd", "ce"])
    assert vec.transform(["ab"]).nnz == 0 and vec.transform(["cd"]).nnz == 2
    assert "_tables_of" in vec.__dict__ and "_tables_of" not in vec.__getstate__()


def test_transform_before_fit_and_on_a_bare_string():
    with pytest.raises(NotFittedError):
        CompactTfidfVectorizer().transform(["a"])
    with pytest.raises(ValueError, match="string object received"):
        TRAINED.transform("加 vx")
    with pytest.raises(ValueError, match="0 sample"):  # as scikit-learn refuses it
        TRAINED.transform([])


def test_text_features_equal_a_plain_feature_union():
    union = make_features(min_df=1).fit(DOCS)
    assert isinstance(union, TextFeatures)
    plain = FeatureUnion(union.transformer_list)
    np.testing.assert_array_equal(union.transform(DOCS).toarray(), plain.transform(DOCS).toarray())
