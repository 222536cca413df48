"""Scam-intent cues: patterns on normalised text that mark a step of a scheme.

Each :class:`Cue` is a request to transfer money, a fee before a payout, secrecy,
urgency, a move off-platform...; it carries a plain Chinese and English description
that explanations show. The model counts them as features
(:class:`scamtext.model.features.CueFeatures`).

Examples
--------
>>> [c.id for c in find_cues("请立即将资金转到安全账户,不要告诉家人")]
['transfer_request', 'safe_account', 'secrecy', 'urgency']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import PLACEHOLDERS


@dataclass(frozen=True)
class Cue:
    """A scam-intent cue: a pattern on normalised text and what it means."""

    id: str
    pattern: re.Pattern[str]
    zh: str
    en: str


# English words of mixed messages: whole words, though Chinese may touch them (请transfer到).
_EN, _NE = r"(?<![a-z])", r"(?![a-z])"


def _cue(id: str, pattern: str, zh: str, en: str) -> Cue:
    return Cue(id, re.compile(pattern), zh, en)


CUES: tuple[Cue, ...] = (
    _cue(
        "transfer_request",
        r"(?:转账|汇款|打款|转入|转到|转给|打到|汇到|存入|付款到|扫码(?:支付|付款|缴费)|转过来|转一下|转我"
        rf"|{_EN}(?:transfer|paynow|duitnow|bank in){_NE})",
        "要求转账或付款",
        "asks for a transfer or payment",
    ),
    _cue(
        "safe_account",
        r"(?:安全账户|安全帐户|资金核查|资金清查|清查账户|核查账户)",
        "要求把钱转入所谓安全账户核查",
        "asks to move money to a so-called safe account for checking",
    ),
    _cue(
        "secrecy",
        r"(?:保密|不要告诉|别告诉|不要声张|不要跟任何人|不得向他人透露|不要和家人说)",
        "要求保密、不让告诉他人",
        "demands secrecy",
    ),
    _cue(
        "urgency",
        r"(?:立即|立刻|马上|尽快|赶紧|火速|今天之内|今日内|\d+小时内|逾期|过期作废|限时|否则)",
        "制造紧迫感、设定期限",
        "creates urgency or a deadline",
    ),
    _cue(
        "upfront_fee",
        r"(?:手续费|保证金|解冻费|激活费|工本费|押金|个人所得税|所得税|公证费|会员费|刷流水|验资|先交|先付|先缴"
        rf"|{_EN}(?:(?:admin|processing|handling|release|activation|unlock|clearance) fees?"
        rf"|customs clearance|pay (?:a |the )?(?:fee|tax|deposit)){_NE})",
        "放款、兑奖或提现前先收费",
        "asks for a fee before a payout",
    ),
    _cue(
        "credentials",
        r"(?:验证码|密码|银行卡号|卡号|身份证号|cvv|安全码|有效期"
        rf"|{_EN}(?:otp|password|card details){_NE})",
        "索要或提及验证码、密码、卡号等凭证",
        "asks for or mentions codes, passwords or card numbers",
    ),
    _cue(
        "off_platform",
        r"(?:加(?:我)?(?:微信|qq|好友|群|line|whatsapp|telegram)|私聊|下载.{0,6}(?:app|软件|客户端)"
        r"|屏幕共享|共享屏幕|会议软件|私下交易|线下交易|不走平台|绕过平台)",
        "引导到私人聊天、下载软件或共享屏幕",
        "moves the talk off-platform, to an app or screen sharing",
    ),
    _cue(
        "link_with_action",
        r"(?:点击|登录|打开|进入|填写|访问).{0,8}URL|URL.{0,8}(?:领取|登记|办理|填写|激活|兑换)",
        "要求点击链接登记或领取",
        "asks to click a link to register or claim",
    ),
    _cue(
        "guaranteed_gain",
        r"(?:稳赚|包赚|保本|零风险|无风险|高回报|日赚|躺赚|轻松赚|收益翻倍|带你赚|内幕|包赢"
        rf"|{_EN}(?:guarantee[ds]?|risk[- ]free|[0-9]+x return){_NE})",
        "承诺稳赚高收益",
        "promises guaranteed or high returns",
    ),
    _cue(
        "prize_claim",
        r"(?:中奖|获奖|幸运(?:用户|观众|客户)|领奖|奖品|奖金|大奖|积分(?:兑换|清零|即将过期|到期))",
        "称中奖或积分待兑换",
        "announces a prize or points to redeem",
    ),
    _cue(
        "authority_claim",
        r"(?:公安局|派出所|检察院|法院|警官|民警|刑警|海关|社保局|医保局|通缉|逮捕|涉嫌|立案|洗钱)",
        "自称公检法或政府机关、称涉案",
        "claims to be police or a government office, or that you are under investigation",
    ),
    _cue(
        "new_identity",
        r"(?:换号|新号码|新微信|新号|这是我(?:的)?新|手机坏了|我是你(?:领导|老板|表哥|表姐|同学)|猜猜我是谁)",
        "自称熟人换了新号码或新账号",
        "claims to be someone you know on a new number or account",
    ),
    _cue(
        "personal_account",
        r"(?:个人|私人)(?:微信|支付宝|收款码|二维码|码)"
        r"|(?:转|付|汇|打|存|交)[^。!?;,\n]{0,8}(?:个人|私人)(?:账户|账号|银行卡|卡)"
        rf"|{_EN}personal (?:account|bank){_NE}",
        "要求付款到个人账户或个人收款码",
        "asks to pay into a personal account or QR code",
    ),
    _cue(
        "denies_request",
        r"(?:不会|从不|从未|绝不|决不|不存在)[^。!?;,\n]{0,15}"
        r"(?:转账|汇款|收费|收款码|安全账户|验证码|密码|缴费|付款|私下交易|充值|储值|费用)"
        r"|没有(?:所谓的?)?安全账户",
        "否认会要求转账、收费或索要验证码（常见于正规通知）",
        "denies asking for transfers, fees or codes (common in genuine notices)",
    ),
    _cue(
        "anti_fraud_advice",
        r"(?:谨防|警惕|提防|切勿|请勿|不要相信|反诈|防骗|诈骗|骗局|96110|不会要求)",
        "反诈提醒用语（常见于正规提醒）",
        "anti-fraud warning wording (common in genuine reminders)",
    ),
    _cue(
        "unsubscribe",
        r"(?:退订|回t|拒收|回复td|回复n)",
        "营销短信退订说明（常见于正规广告）",
        "unsubscribe instructions (common in genuine ads)",
    ),
)

CUE_BY_ID = {cue.id: cue for cue in CUES}
PLACEHOLDER_PATTERNS = {
    token: re.compile(rf"(?<![A-Za-z]){token}(?![A-Za-z])") for token in PLACEHOLDERS
}


def find_cues(text: str) -> list[Cue]:
    """Return the cues found in normalised ``text``, in :data:`CUES` order."""
    return [cue for cue in CUES if cue.pattern.search(text)]


SCHEME_STEP_CUES: tuple[str, ...] = (
    "transfer_request",
    "safe_account",
    "upfront_fee",
    "credentials",
    "off_platform",
    "link_with_action",
    "guaranteed_gain",
    "prize_claim",
    "personal_account",
)
"""Cues that are a step of a scheme: an ask for money, data, a click, an app or a contact move."""

SCHEME_STEP_PLACEHOLDERS: tuple[str, ...] = (
    "URL",
    "EMAIL",
    "CARD",
    "PHONE",
    "QQID",
    "WXID",
    "MONEY",
)
"""Placeholders that carry a step: a link, a contact to move to, a card, an amount."""


def has_scheme_step(text: str) -> bool:
    """Whether normalised ``text`` holds any step of a scheme (see ``TAXONOMY.md``).

    A greeting or small talk holds none, so it cannot be called a scam on its evidence.

    >>> has_scheme_step("你好，在吗？"), has_scheme_step("先交MONEY保证金才能放款")
    (False, True)
    """
    return any(CUE_BY_ID[c].pattern.search(text) for c in SCHEME_STEP_CUES) or any(
        PLACEHOLDER_PATTERNS[p].search(text) for p in SCHEME_STEP_PLACEHOLDERS
    )
