"""Features: word and character n-gram TF-IDF plus hand-made scam-intent cues.

:func:`make_features` assembles the feature union that both model kinds share.
:class:`CueFeatures` counts placeholder tokens and scam-intent cues (a request
to transfer money, fees before a payout, secrecy, urgency...) in normalised
text; each cue carries a plain Chinese and English description that
explanations show.

Examples
--------
>>> cues = CueFeatures().fit(["x"])
>>> cues.get_feature_names_out()[:3].tolist()
['has_URL', 'has_EMAIL', 'has_IDNO']
>>> [c.id for c in find_cues("请立即将资金转到安全账户,不要告诉家人")]
['transfer_request', 'safe_account', 'secrecy', 'urgency']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from ._validation import TextInputMixin, check_texts
from .normalize import PLACEHOLDERS
from .segment import JiebaSegmenter


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

_CUE_BY_ID = {cue.id: cue for cue in CUES}
_PLACEHOLDER_PATTERNS = {
    token: re.compile(rf"(?<![A-Za-z]){token}(?![A-Za-z])") for token in PLACEHOLDERS
}


def find_cues(text: str) -> list[Cue]:
    """Return the cues found in normalised ``text``, in :data:`CUES` order."""
    return [cue for cue in CUES if cue.pattern.search(text)]


class CueFeatures(TextInputMixin, TransformerMixin, BaseEstimator):
    """Binary features: each placeholder present, each scam-intent cue present.

    Works on normalised text (see :func:`scamtext.normalize.normalize_text`).
    Binary rather than counts, so that long messages do not score higher just
    by being long.

    Attributes
    ----------
    feature_names_ : ndarray of str
        ``has_<PLACEHOLDER>`` then ``cue_<id>``.
    """

    def fit(self, X, y=None):
        """Check ``X`` and set :attr:`feature_names_`."""
        check_texts(X)
        self.feature_names_ = np.array(
            [f"has_{token}" for token in PLACEHOLDERS] + [f"cue_{cue.id}" for cue in CUES],
            dtype=object,
        )
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        """Return a sparse 0/1 matrix, one row per message."""
        texts = check_texts(X)
        patterns = list(_PLACEHOLDER_PATTERNS.values()) + [cue.pattern for cue in CUES]
        rows, cols = [], []
        for row, text in enumerate(texts):
            for col, pattern in enumerate(patterns):
                if pattern.search(text):
                    rows.append(row)
                    cols.append(col)
        data = np.ones(len(rows), dtype=np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(texts), len(patterns)))

    def locate(self, text: str, feature: str) -> list[tuple[int, int]]:
        """Return the spans of normalised ``text`` that set ``feature``.

        >>> CueFeatures().locate("加 vx 领奖", "cue_prize_claim")
        [(5, 7)]
        """
        kind, _, name = feature.partition("_")
        pattern = _PLACEHOLDER_PATTERNS[name] if kind == "has" else _CUE_BY_ID[name].pattern
        return [m.span() for m in pattern.finditer(text)]

    def get_feature_names_out(self, input_features=None):
        """Return :attr:`feature_names_`."""
        return self.feature_names_


class CompactTfidfVectorizer(TfidfVectorizer):
    """A ``TfidfVectorizer`` that stays small in memory and on disk.

    It forgets the terms it pruned (``stop_words_``, kept by scikit-learn only
    for introspection: hundreds of thousands of strings on a real corpus), and
    saves its vocabulary as one newline-joined string instead of a dict, which
    skops would otherwise store node by node (slow to write and to load).
    Normalised text holds no newlines, so no term contains one.
    """

    def fit(self, raw_documents, y=None):
        super().fit(raw_documents, y)
        self.__dict__.pop("stop_words_", None)
        return self

    def fit_transform(self, raw_documents, y=None):
        X = super().fit_transform(raw_documents, y)
        self.__dict__.pop("stop_words_", None)
        return X

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: never change the live object
        if "vocabulary_" in state:
            terms = sorted(state["vocabulary_"], key=state["vocabulary_"].get)
            state["vocabulary_"] = "\n".join(terms)
        return state

    def __setstate__(self, state):
        if isinstance(state.get("vocabulary_"), str):
            terms = state["vocabulary_"].split("\n") if state["vocabulary_"] else []
            state = {**state, "vocabulary_": {term: i for i, term in enumerate(terms)}}
        super().__setstate__(state)


def make_features(
    *,
    word_ngram_range: tuple[int, int] = (1, 2),
    char_ngram_range: tuple[int, int] = (1, 3),
    word_max_features: int | None = 60_000,
    char_max_features: int | None = 60_000,
    min_df: int = 2,
) -> FeatureUnion:
    """Return the feature union ``words`` + ``chars`` + ``cues`` over normalised text.

    ``words`` is TF-IDF over jieba words (n-grams of words), ``chars`` TF-IDF over
    character n-grams (robust to segmentation errors), ``cues`` the
    :class:`CueFeatures`. TF-IDF uses sublinear term frequency and l2 rows, so
    message length alone does not move the score.

    Examples
    --------
    >>> union = make_features(min_df=1).fit(["加 vx 领奖", "您的 CODE"])
    >>> union.transform(["加 vx"]).shape[0]
    1
    """
    words = Pipeline(
        [
            ("segment", JiebaSegmenter()),
            (
                "tfidf",
                CompactTfidfVectorizer(
                    token_pattern=r"\S+",
                    lowercase=False,
                    ngram_range=word_ngram_range,
                    min_df=min_df,
                    max_features=word_max_features,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )
    chars = CompactTfidfVectorizer(
        analyzer="char",
        lowercase=False,
        ngram_range=char_ngram_range,
        min_df=min_df,
        max_features=char_max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
    return FeatureUnion([("words", words), ("chars", chars), ("cues", CueFeatures())])
