import pytest

from scamtext.taxonomy import LABELS, SCAM_LABELS, get_label, is_scam


def test_ids_follow_the_taxonomy_contract():
    assert LABELS == (
        "normal",
        "impersonate_police",
        "loan",
        "refund",
        "impersonate_acquaintance",
        "brushing",
        "romance",
        "game_trade",
        "fake_prize",
        "group_payment",
        "investment",
        "fake_shopping",
    )
    assert SCAM_LABELS == LABELS[1:]


def test_labels_have_names_and_descriptions():
    assert get_label("impersonate_police").name_zh == "冒充公检法及政府机关"
    assert get_label("fake_prize").name_zh == "虚假中奖/积分兑换"
    assert get_label("fake_shopping").name_zh == "虚假购物服务"
    assert all(get_label(i).description for i in LABELS)
    assert [get_label(i).is_scam for i in LABELS] == [False] + [True] * 11


def test_unknown_label():
    with pytest.raises(ValueError, match="unknown label 'spam'; expected one of: normal"):
        get_label("spam")
    assert is_scam("a_new_scam_type") and not is_scam("normal")
