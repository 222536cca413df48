"""The label taxonomy: ids, Chinese names, descriptions and whether each is a scam.

This module is the one place that knows the labels of ``TAXONOMY.md``; every
prediction, data file and report uses the ids defined here.

Examples
--------
>>> from scamtext.taxonomy import LABELS, get_label
>>> LABELS[:3]
('normal', 'impersonate_police', 'loan')
>>> get_label("group_payment").name_zh
'冒充老师/群内收费'
>>> get_label("normal").is_scam
False
"""

from __future__ import annotations

from dataclasses import dataclass

from .exceptions import InvalidLabelError


@dataclass(frozen=True)
class Label:
    """One label of the taxonomy.

    Attributes
    ----------
    id : str
        Stable identifier used in every output, e.g. ``"loan"``.
    name_zh : str
        Chinese name, as police bulletins use it.
    description : str
        What makes a message this label.
    is_scam : bool
        False only for ``normal``.
    """

    id: str
    name_zh: str
    description: str
    is_scam: bool


_TAXONOMY = (
    Label(
        "normal",
        "正常",
        "Not a scam: chat, genuine notices, ads with 退订, bank/operator notices, "
        "verification codes, genuine anti-fraud reminders.",
        False,
    ),
    Label(
        "impersonate_police",
        "冒充公检法及政府机关",
        "Claims to be police, procuratorate, court, customs or a social-security "
        "bureau: your card or ID is involved in a case, warrants, 安全账户, secrecy, "
        "screen sharing.",
        True,
    ),
    Label(
        "loan",
        "虚假贷款/代办信用卡/征信",
        "Easy loans that first need a fee (解冻费, 保证金, 刷流水), credit-card "
        "processing, 征信修复, 注销校园贷.",
        True,
    ),
    Label(
        "refund",
        "冒充电商物流客服退款理赔",
        "Fake customer service: lost-parcel compensation, quality refunds, cancelling "
        "a mistaken VIP membership, airline refund or 改签.",
        True,
    ),
    Label(
        "impersonate_acquaintance",
        "冒充领导熟人亲友",
        "A boss, relative, classmate or friend, often on a new account, who urgently "
        "needs money transferred.",
        True,
    ),
    Label(
        "brushing",
        "刷单返利/兼职",
        "Paid tasks: likes, follows, orders, advance the money and get a rebate, "
        "part-time jobs that ask for deposits.",
        True,
    ),
    Label(
        "romance",
        "网络婚恋交友",
        "Dating or friendship that turns into money requests, dating-app "
        "memberships, 杀猪盘 openings.",
        True,
    ),
    Label(
        "game_trade",
        "网络游戏虚假交易",
        "Buying or selling game accounts, items or coins off-platform; frozen trades "
        "needing a deposit.",
        True,
    ),
    Label(
        "fake_prize",
        "虚假中奖/积分兑换",
        "You won a prize, lottery or TV-show award and must pay a fee or tax; points "
        "about to expire, redeem via a link.",
        True,
    ),
    Label(
        "group_payment",
        "冒充老师/群内收费",
        "Someone posing as a teacher in a QQ/DingTalk/WeChat group collects fees "
        "through a QR code or personal account.",
        True,
    ),
    Label(
        "investment",
        "虚假投资理财/博彩",
        "Stock tips, crypto, forex, gambling or guaranteed-return platforms, investment groups.",
        True,
    ),
)

LABELS: tuple[str, ...] = tuple(label.id for label in _TAXONOMY)
"""All label ids, ``normal`` first."""

SCAM_LABELS: tuple[str, ...] = tuple(label.id for label in _TAXONOMY if label.is_scam)
"""The label ids that are scams."""

_BY_ID = {label.id: label for label in _TAXONOMY}


def get_label(label_id: str) -> Label:
    """Return the :class:`Label` with id ``label_id``.

    Raises
    ------
    InvalidLabelError
        If ``label_id`` is not in the taxonomy.

    Examples
    --------
    >>> get_label("loan").is_scam
    True
    """
    try:
        return _BY_ID[label_id]
    except (KeyError, TypeError):
        raise InvalidLabelError(label_id, LABELS) from None


def is_scam(label_id: str) -> bool:
    """Return True when ``label_id`` is a scam label.

    Labels outside the taxonomy, such as a new scam type learned from reported
    cases, count as scams: only ``normal`` is not.

    >>> is_scam("normal"), is_scam("romance"), is_scam("sextortion")
    (False, True, True)
    """
    return label_id != "normal"
