"""The label taxonomy: ids, Chinese names, descriptions, whether each is a scam, and advice.

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

from dataclasses import asdict, dataclass

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
        "Dating or friendship that turns into money requests (emergencies, travel, "
        "gifts), paid dating-app memberships and matchmaking fees; a partner who steers "
        "the victim to a trading or betting platform is investment.",
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
    Label(
        "fake_shopping",
        "虚假购物服务",
        "Paying for goods or services that never come or are fake: scalped tickets, scarce "
        "pre-sale goods, second-hand deals moved off the platform, fake 代购, pets with "
        "endless shipping fees, deposit-taking group buys and procurement orders.",
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


@dataclass(frozen=True)
class Advice:
    """What to tell a person who received a scam: a teller, a teacher or an app shows it.

    Attributes
    ----------
    label : str
        The scam label the advice is for.
    zh, en : str
        The advice in Chinese and in English: what the scam is, what not to do, and
        where to call or report (96110, the 国家反诈中心 app).
    """

    label: str
    zh: str
    en: str

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return asdict(self)


_REPORT_ZH = "如有疑问或已经转账，请立即拨打96110反诈专线或报警电话110，并在“国家反诈中心”App举报。"
_REPORT_EN = (
    "If in doubt, or if you have already paid, call the anti-fraud hotline 96110 or the "
    "police on 110 at once, and report it in the National Anti-Fraud Center app (国家反诈中心)."
)
_GENERIC_ADVICE = (
    "这条消息很可能是诈骗。不要转账付款，不要点击链接，不要透露银行卡号、密码和验证码。",
    "This message is likely a scam. Do not transfer or pay money, do not click links, and do "
    "not share card numbers, passwords or verification codes.",
)
_ADVICE = {
    "impersonate_police": (
        "这是冒充公检法诈骗：公安、检察院、法院不会通过电话或网络办案，不会要求把钱转入“安全账户”，"
        "也不会要求保密或屏幕共享。不要转账，不要透露银行卡号、密码和验证码，不要下载对方指定的软件。",
        "This is a fake police scam: police, prosecutors and courts never handle a case by "
        "phone or chat, never ask you to move money to a 'safe account', and never demand "
        "secrecy or screen sharing. Do not transfer money, do not give card numbers, "
        "passwords or codes, and do not install the app they name.",
    ),
    "loan": (
        "这是虚假贷款诈骗：正规贷款放款前不收手续费、保证金或解冻费，也不需要“刷流水”；"
        "“注销校园贷”“征信修复”同样是骗局。不要先交任何费用，不要提供验证码。",
        "This is a fake loan scam: real lenders never charge a fee, a deposit or an "
        "'unfreezing fee' before paying out, and never ask you to 'boost your bank flow'; "
        "'cancelling a student loan' and 'credit repair' are scams too. Pay nothing up front "
        "and never share a verification code.",
    ),
    "refund": (
        "这是冒充电商、物流客服的退款理赔诈骗：真正的退款和理赔在原购物平台内原路退回，"
        "客服不会让你扫码、共享屏幕、开通借款或“取消会员扣费”。不要按对方的指示操作，"
        "请通过官方App或官方电话核实。",
        "This is a fake customer-service refund scam: real refunds and compensation go back "
        "through the shopping platform itself, and real staff never ask you to scan a code, "
        "share your screen, take a loan or 'cancel a membership charge'. Do not follow their "
        "steps; check through the official app or the official phone number.",
    ),
    "impersonate_acquaintance": (
        "这是冒充领导、熟人或亲友的诈骗：对方常用新账号，以急事为由要求转账。不要转账，"
        "先用原来的电话号码或当面核实对方身份。",
        "This is an impersonation scam: someone posing as your boss, a relative or a friend, "
        "often on a new account, urgently asks for money. Do not transfer anything; call the "
        "person on the number you already know, or ask in person, first.",
    ),
    "brushing": (
        "这是刷单返利诈骗：刷单本身违法，“先垫付后返利”的任务只会要你越投越多，本金拿不回来。"
        "不要垫付任何钱，不要交押金或会员费。",
        "This is a task (brushing) scam: fake orders are illegal, and 'advance the money, get "
        "a rebate' tasks only ask for more and more until nothing comes back. Do not advance "
        "any money, deposit or membership fee.",
    ),
    "romance": (
        "这是网络婚恋交友诈骗：没见过面的网友以各种理由借钱、要礼物，或引你去投资、博彩平台。"
        "不要给没见过面的网友转账，不要下载对方推荐的App。",
        "This is a romance scam: an online partner you have never met asks for money or "
        "gifts, or steers you to an investment or betting platform. Never send money to "
        "someone you have not met, and do not install the apps they recommend.",
    ),
    "game_trade": (
        "这是网络游戏虚假交易诈骗：游戏账号、装备和游戏币只在官方平台交易；“交易被冻结，"
        "交保证金解冻”是骗局。不要私下交易，不要向对方转账或交保证金。",
        "This is a fake game-trade scam: buy and sell game accounts, items and coins only on "
        "the official platform; 'your trade is frozen, pay a deposit to unfreeze it' is a lie. "
        "Do not trade off the platform and do not pay any deposit.",
    ),
    "fake_prize": (
        "这是虚假中奖诈骗：真正的中奖和积分兑换不会要求先交手续费、保证金或税费，"
        "也不会让你在不明链接里填写银行卡信息。不要点链接，不要付款，不要填写银行卡号和验证码。",
        "This is a fake prize scam: real prizes and point rewards never ask for a fee, a "
        "deposit or tax first, and never send you to an unknown link to enter card details. "
        "Do not click the link, do not pay, and do not enter card numbers or codes.",
    ),
    "group_payment": (
        "这是冒充老师在群内收费的诈骗：学校收费走学校的官方渠道，老师不会在群里让家长扫码"
        "或转账到个人账户。不要扫码付款，先打电话或当面向老师核实。",
        "This is a fake-teacher fee scam: schools collect fees through their official "
        "system, and teachers never ask parents in a group chat to scan a code or pay into a "
        "personal account. Do not pay; call the teacher or ask in person first.",
    ),
    "investment": (
        "这是虚假投资理财诈骗：承诺“稳赚不赔”“高回报”的荐股群、虚拟币、外汇和博彩平台都是骗局，"
        "前期小赚是诱饵，后期无法提现。不要下载对方推荐的平台，不要转账投资。",
        "This is a fake investment scam: stock-tip groups, crypto, forex and betting "
        "platforms that promise guaranteed high returns are traps; small early wins are the "
        "bait and later withdrawals fail. Do not install their platform and do not invest.",
    ),
    "fake_shopping": (
        "这是虚假购物服务诈骗：低价门票、紧俏商品、代购或宠物交易被引到平台外私下付款，"
        "付款后不发货或不断加收费用。只在正规平台下单付款，不要私下转账。",
        "This is a fake shopping scam: cheap tickets, scarce goods, personal shoppers or pets "
        "are sold off the platform; after you pay nothing comes, or more fees keep being "
        "added. Order and pay only on a trusted platform, never by private transfer.",
    ),
}


def advice(label_id: str) -> Advice | None:
    """Return the advice to show a person for a scam label; None for ``normal``.

    A scam label outside the taxonomy (a new type learned from reported cases) gets a
    general warning. Every advice ends with where to call and report.

    >>> advice("normal") is None
    True
    >>> tip = advice("group_payment")
    >>> tip.zh.startswith("这是冒充老师在群内收费的诈骗"), "96110" in tip.zh, "96110" in tip.en
    (True, True, True)
    >>> advice("etc_phishing").en.startswith("This message is likely a scam.")
    True
    """
    if not is_scam(label_id):
        return None
    zh, en = _ADVICE.get(label_id, _GENERIC_ADVICE)
    return Advice(label_id, zh + _REPORT_ZH, f"{en} {_REPORT_EN}")
