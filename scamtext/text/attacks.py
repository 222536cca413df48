"""Evasion tricks that scammers use to slip past text filters, for robustness tests.

Each attack is a pure function ``(text, rng) -> text`` that disguises a message
the way real scam messages are disguised, while a human still reads the same
words. Randomness comes only from the ``random.Random`` passed in, so a run is
reproducible; :func:`attack` applies one attack to a list of messages with one
generator per message, seeded from ``seed``, the attack name and the position.

An attack never raises on a string (the empty one too) and never deletes
characters of the message, except where a word is swapped for its look-alike,
its pinyin or its Traditional form.

================  ==============================================================
``spaces``        a space in a fraction ``rate`` of the gaps between two Chinese
                  characters
``symbols``       a separator (``- * | · / _ ~``) in a fraction ``rate`` of the gaps
                  between two Chinese characters
``fullwidth``     ASCII letters, digits and punctuation to full-width forms,
                  space to the ideographic space U+3000
``traditional``   Simplified to Traditional script (OpenCC ``s2t``)
``homoglyphs``    scam keywords to look-alike or homophone spellings (微信 → 薇信)
``zero_width``    an invisible character (U+200B, U+200C, U+200D, U+2060, U+FEFF)
                  in a fraction ``rate`` of the gaps between two characters
``pinyin``        platform and contact words to pinyin or shorthand (微信 → vx)
``emoji``         3 to 8 emoji or decorative symbols: at the start, at the end
                  and at random places
``latin_suffix``  a random run of 4-10 ASCII letters and digits after a space at
                  the end, and sometimes also before a space at the start
``combined``      ``homoglyphs``, then ``pinyin``, ``spaces`` and ``emoji``
``separated``     one separator (a space, 、，。 or other punctuation of either width, a
                  symbol or an emoji, drawn once per message) between every two
                  characters, Chinese, digits and Latin letters alike
``separated_mixed``  as ``separated``, a separator drawn anew for every gap
================  ==============================================================

Examples
--------
>>> attack(["请加微信领取红包"], "pinyin", seed=1)
['请+VX领取红包']
>>> attack(["恭喜中奖"], "spaces", rate=1.0)
['恭 喜 中 奖']
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from functools import lru_cache

from .._validation import check_texts

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SEPARATORS = ("-", "*", "|", "·", "/", "_", "~")
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
EVERY_GAP_SEPARATORS: tuple[str, ...] = (
    *(" ", "、", "，", "。", "．", "／", "＊", "｜", "～", "－", "…"),
    *(",", ".", "·", "-", "*", "|", "/", "_", "~", "+", "=", "#"),
    *("★", "☆", "♥", "※", "→", "🔥", "💰", "👉", "✨", "❤\ufe0f"),
)
"""Separators :func:`separated` and :func:`separated_mixed` put between every two
characters: white space, Chinese and full-width punctuation, ASCII punctuation,
symbols and emoji (``❤️`` is two code points: a heart and a variation selector)."""
_DECORATIONS = ("🔥", "💰", "🎁", "✨", "👉", "❗", "★", "☆", "♥")
_SURROGATES = re.compile(r"([\ud800-\udfff]+)")
_FULLWIDTH = {**{code: code + 0xFEE0 for code in range(0x21, 0x7F)}, 0x20: 0x3000}

HOMOGLYPHS: dict[str, tuple[str, ...]] = {
    "微信": ("徽信", "威信", "薇信", "微♥", "V信"),
    "转账": ("转帐", "砖账"),
    "刷单": ("刷単", "唰单"),
    "返利": ("返理", "反利"),
    "贷款": ("贷疑", "带款"),
    "中奖": ("中獎", "仲奖"),
    "银行卡": ("银行咔", "银hang卡"),
    "验证码": ("验正码", "验证妈"),
    "账户": ("帐户", "账护"),
    "保证金": ("保正金",),
    "客服": ("可服", "客F"),
    "兼职": ("兼只", "监职"),
    "支付宝": ("支付保", "支F宝"),
    "退款": ("退kuan", "腿款"),
    "投资": ("投姿", "投zi"),
    "理财": ("理材", "里财"),
    "彩金": ("彩今", "采金"),
    "博彩": ("博采", "搏彩"),
    "公安": ("公an", "工安"),
    "警官": ("警馆", "井官"),
    "安全账户": ("安全帐户", "安全账护"),
    "链接": ("链结", "琏接"),
    "下载": ("下崽", "下栽"),
    "加我": ("伽我", "+我"),
    "红包": ("红苞", "虹包", "HB"),
    "积分": ("积汾", "机分"),
    "佣金": ("拥金", "用金"),
    "押金": ("压金", "鸭金"),
    "手续费": ("手绪费", "手续废"),
    "冻结": ("冻洁", "栋结"),
    "解冻": ("解栋", "届冻"),
    "充值": ("冲值", "充直"),
    "提现": ("题现", "提xian"),
    "网贷": ("网袋", "网dai"),
    "赌博": ("赌搏", "堵博"),
}
"""Scam keyword -> look-alike or homophone spellings used by :func:`homoglyphs`."""

PINYIN: dict[str, tuple[str, ...]] = {
    "微信": ("vx", "VX", "wx", "v信", "weixin"),
    "QQ": ("扣扣", "企鹅", "q q"),
    "加": ("+", "jia"),
    "支付宝": ("zfb", "ZFB"),
    "淘宝": ("tb", "TB"),
    "抖音": ("dy", "DY"),
    "元": ("块", "r", "rmb"),
    "拼多多": ("pdd", "PDD"),
    "京东": ("jd", "JD"),
    "快手": ("ks", "KS"),
    "微博": ("wb", "WB"),
    "电话": ("dh", "电h"),
    "客服": ("kf", "KF"),
    "银行卡": ("yhk", "YHK"),
}
"""Platform and contact word -> pinyin or shorthand used by :func:`pinyin`."""


def _word_pattern(table: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """Match any key of ``table``, the longest one first where keys overlap."""
    return re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))


_HOMOGLYPH_RE = _word_pattern(HOMOGLYPHS)
_PINYIN_RE = _word_pattern(PINYIN)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _insert_at(text: str, insertions: list[tuple[int, str]]) -> str:
    """Insert each ``(position, piece)`` before ``text[position]``."""
    out, last = [], 0
    for position, piece in sorted(insertions, key=lambda item: item[0]):
        out += [text[last:position], piece]
        last = position
    return "".join(out) + text[last:]


def _fill_gaps(
    text: str, rng: random.Random, rate: float, pieces: tuple[str, ...], *, cjk_only: bool
) -> str:
    """Insert a random one of ``pieces`` into a fraction ``rate`` of the gaps of ``text``.

    A gap lies between two neighbouring characters (two Chinese characters if
    ``cjk_only``). At least one gap is filled when ``rate > 0`` and one exists.
    """
    gaps = [
        i
        for i in range(1, len(text))
        if not cjk_only or (_CJK.match(text[i - 1]) and _CJK.match(text[i]))
    ]
    count = min(len(gaps), max(1, round(rate * len(gaps)))) if rate > 0 else 0
    return _insert_at(text, [(i, rng.choice(pieces)) for i in sorted(rng.sample(gaps, count))])


def _replace_words(
    text: str, rng: random.Random, table: dict[str, tuple[str, ...]], pattern: re.Pattern[str]
) -> str:
    """Replace each match of ``pattern`` by a random spelling from ``table``."""
    return pattern.sub(lambda match: rng.choice(table[match.group()]), text)


def spaces(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Insert a space into a fraction ``rate`` of the gaps between two Chinese characters.

    The gaps are drawn without replacement; ``round(rate * gaps)`` of them, and at
    least one when ``rate > 0``. Removing the added spaces gives back ``text``.

    >>> spaces("请加微信领取", random.Random(0))
    '请加微信 领 取'
    """
    return _fill_gaps(text, rng, rate, (" ",), cjk_only=True)


def symbols(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Insert a separator into a fraction ``rate`` of the gaps between two Chinese characters.

    Gaps are chosen as in :func:`spaces`; each gets one of ``- * | · / _ ~``.

    >>> symbols("请加微信领取", random.Random(0))
    '请加微信-领|取'
    """
    return _fill_gaps(text, rng, rate, _SEPARATORS, cjk_only=True)


def fullwidth(text: str, rng: random.Random) -> str:
    """Turn ASCII letters, digits and punctuation (U+0021..U+007E) into full-width forms.

    Each becomes its U+FF01..U+FF5E twin and the space becomes U+3000; other
    characters are kept. ``rng`` is not used.

    >>> fullwidth("加VX: ab12", random.Random(0))
    '加ＶＸ：\\u3000ａｂ１２'
    """
    return text.translate(_FULLWIDTH)


def traditional(text: str, rng: random.Random) -> str:
    """Convert Simplified Chinese to Traditional script with OpenCC (``s2t``).

    Lone surrogates, which OpenCC cannot encode, are kept as they are. ``rng``
    is not used.

    >>> traditional("恭喜您中奖了，转账到银行卡", random.Random(0))
    '恭喜您中獎了，轉賬到銀行卡'
    """
    parts = _SURROGATES.split(text)  # odd positions hold the surrogates
    return "".join(p if i % 2 else _s2t().convert(p) for i, p in enumerate(parts))


def homoglyphs(text: str, rng: random.Random) -> str:
    """Replace every scam keyword of :data:`HOMOGLYPHS` by a random look-alike spelling.

    Keywords are matched left to right, the longest first (安全账户 before 账户);
    each occurrence gets its own draw.

    >>> homoglyphs("加微信转账到安全账户", random.Random(0))
    '加微♥砖账到安全帐户'
    """
    return _replace_words(text, rng, HOMOGLYPHS, _HOMOGLYPH_RE)


def zero_width(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Insert an invisible character into a fraction ``rate`` of the gaps between characters.

    Gaps are chosen as in :func:`spaces`, but between any two characters; each
    gets one of U+200B, U+200C, U+200D, U+2060 and U+FEFF.

    >>> zero_width("转账", random.Random(0))
    '转\\u2060账'
    """
    return _fill_gaps(text, rng, rate, _ZERO_WIDTH, cjk_only=False)


def pinyin(text: str, rng: random.Random) -> str:
    """Replace every platform or contact word of :data:`PINYIN` by pinyin or shorthand.

    Words are matched as in :func:`homoglyphs`; single characters such as 加 and
    元 are replaced wherever they stand.

    >>> pinyin("加微信，转200元到支付宝", random.Random(0))
    'jiav信，转200块到ZFB'
    """
    return _replace_words(text, rng, PINYIN, _PINYIN_RE)


def emoji(text: str, rng: random.Random) -> str:
    """Pad ``text`` with 3 to 8 emoji or decorative symbols (🔥💰🎁✨👉❗★☆♥).

    One goes at the start, one at the end and the rest at random positions.
    Each is a single code point, so the output is 3 to 8 characters longer.

    >>> emoji("限时领取", random.Random(0))
    '☆☆限时❗领👉取★✨'
    """
    count = rng.randint(3, 8)
    positions = [0, len(text)] + [rng.randint(0, len(text)) for _ in range(count - 2)]
    return _insert_at(text, [(p, rng.choice(_DECORATIONS)) for p in positions])


def latin_suffix(text: str, rng: random.Random) -> str:
    """Append a space and 4-10 random ASCII letters and digits; in 1 of 3 cases, prefix too.

    The prefix is a second such run followed by a space. A random tail makes
    each copy of a mass message different, which defeats exact-match filters.

    >>> latin_suffix("点击领取", random.Random(2))
    'NX1Fx6F 点击领取 6dfZTPtLLK'
    """

    def run() -> str:
        return "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(4, 10)))

    text = f"{text} {run()}"
    return f"{run()} {text}" if rng.random() < 1 / 3 else text


def combined(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Apply :func:`homoglyphs`, :func:`pinyin`, :func:`spaces` and :func:`emoji` in turn.

    All four draw from the same ``rng``; ``rate`` goes to :func:`spaces`.

    >>> combined("加微信领红包", random.Random(0))
    '♥+微♥👉领👉虹💰 包🎁🎁'
    """
    text = pinyin(homoglyphs(text, rng), rng)
    return emoji(spaces(text, rng, rate=rate), rng)


def separated(text: str, rng: random.Random) -> str:
    """Put one separator of :data:`EVERY_GAP_SEPARATORS`, drawn once, between every two
    characters (Chinese, digits, Latin letters, punctuation alike).

    >>> separated("加微信13800138000", random.Random(1))
    '加～微～信～1～3～8～0～0～1～3～8～0～0～0'
    """
    return rng.choice(EVERY_GAP_SEPARATORS).join(text)


def separated_mixed(text: str, rng: random.Random) -> str:
    """Put a separator of :data:`EVERY_GAP_SEPARATORS` between every two characters,
    drawn anew for each gap.

    >>> separated_mixed("转账到卡", random.Random(0))
    '转☆账※到，卡'
    """
    return _insert_at(text, [(i, rng.choice(EVERY_GAP_SEPARATORS)) for i in range(1, len(text))])


ATTACKS: dict[str, Callable[[str, random.Random], str]] = {
    "spaces": spaces,
    "symbols": symbols,
    "fullwidth": fullwidth,
    "traditional": traditional,
    "homoglyphs": homoglyphs,
    "zero_width": zero_width,
    "pinyin": pinyin,
    "emoji": emoji,
    "latin_suffix": latin_suffix,
    "combined": combined,
    "separated": separated,
    "separated_mixed": separated_mixed,
}
"""Attack name -> function ``(text, rng) -> text``, in a fixed order."""

_TAKE_RATE = frozenset({"spaces", "symbols", "zero_width", "combined"})


def attack(texts: list[str], name: str, *, seed: int = 0, rate: float = 0.5) -> list[str]:
    """Apply the attack ``name`` to every message, reproducibly.

    Parameters
    ----------
    texts : list of str
        The messages.
    name : str
        A key of :data:`ATTACKS`.
    seed : int
        Message ``i`` gets its own ``random.Random(f"{seed}:{name}:{i}")``, so its
        result depends on the seed, the attack and its position only, not on
        the other messages.
    rate : float
        Fraction of gaps filled by ``spaces``, ``symbols``, ``zero_width`` and
        ``combined``, between 0 and 1; the other attacks do not use it.

    Returns
    -------
    list of str
        The attacked messages, in order.

    Raises
    ------
    ValueError
        For an unknown ``name`` (the message lists the known ones) or a ``rate``
        outside [0, 1].
    InvalidInputError
        If ``texts`` is not a list of str (a ``ValueError`` too).

    Examples
    --------
    >>> attack(["转账到银行卡", ""], "homoglyphs", seed=3)
    ['砖账到银行咔', '']
    >>> attack(["hi"], "typo")
    Traceback (most recent call last):
    ...
    ValueError: unknown attack 'typo'; expected one of: spaces, symbols, fullwidth, \
traditional, homoglyphs, zero_width, pinyin, emoji, latin_suffix, combined, separated, \
separated_mixed
    """
    texts = check_texts(texts)
    if not isinstance(name, str) or name not in ATTACKS:
        raise ValueError(f"unknown attack {name!r}; expected one of: {', '.join(ATTACKS)}")
    if not 0 <= rate <= 1:
        raise ValueError(f"rate must be between 0 and 1; got {rate!r}")
    function = ATTACKS[name]
    options = {"rate": rate} if name in _TAKE_RATE else {}
    return [
        function(text, random.Random(f"{seed}:{name}:{i}"), **options)
        for i, text in enumerate(texts)
    ]
