"""Chinese text normalisation that keeps a map back to the original characters.

The normaliser undoes what makes the same message look different: Unicode
compatibility forms (NFKC: full-width letters and digits, circled digits),
invisible characters (zero-width spaces, joiners, variation selectors, control
characters), runs of white space, spaces and separator symbols between Chinese
characters (刷 单 返 利, 加-微-信), Traditional script (converted to Simplified
with OpenCC), ASCII letter case, and the variant spellings that people and scammers
use for platforms and money words (:data:`VARIANTS`: 薇信, 绿泡泡 and vx for 微信,
扣扣 for QQ, zfb for 支付宝, 转帐 for 转账, ``+v`` for 加微信, ``5w`` for 5万...).
It then replaces entities whose exact value carries no meaning, only their
presence, by placeholder tokens:

============  ===========================================================
``URL``       web links, with or without ``http://``
``EMAIL``     e-mail addresses
``IDNO``      18-digit Chinese ID-card numbers
``CARD``      16-19 digit bank-card numbers
``PHONE``     mainland, Hong Kong and Taiwan phone numbers, 400/800 lines
``QQID``      the number after ``QQ`` / ``扣扣``
``WXID``      the account after ``微信`` / ``vx`` / ``wx``
``CODE``      the digits after ``验证码`` / ``动态码`` / ``取件码``
``MONEY``     amounts with a currency sign or unit (``¥88``, ``3,860元``)
============  ===========================================================

Every character of the normalised text remembers the span of the original text
it came from, so explanations can point at what the user sees.

Examples
--------
>>> normalize_text("【順豐】您的包裹異常，請加ＶＸ：ab_12345 或致電13812345678")
'【顺丰】您的包裹异常,请加微信: WXID 或致电 PHONE'
>>> normalize_text("点击 https://t.cn/A6x 领取¥188红包")
'点击 URL 领取 MONEY 红包'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sklearn.base import BaseEstimator, TransformerMixin

from .._validation import StatelessTextTransformer, check_texts

PLACEHOLDERS: tuple[str, ...] = (
    "URL",
    "EMAIL",
    "IDNO",
    "CARD",
    "PHONE",
    "QQID",
    "WXID",
    "CODE",
    "MONEY",
)
"""Placeholder tokens, in the order their patterns are applied."""

_D = r"(?<![0-9])"  # not preceded by a digit
_ND = r"(?![0-9])"  # not followed by a digit
_NOT_URL_CHAR = r"[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef,;!?()<>\"'，。！？]"
_TLD = (
    r"(?:cn|com|net|org|cc|top|xyz|vip|me|io|co|hk|tw|info|shop|site|club|app|ly"
    r"|link|ink|tk|live|pro|online|gov|edu|mobi|asia|ren|wang|biz)"
)

# (placeholder, pattern, group to replace). Patterns run on lower-cased text.
_ENTITY_PATTERNS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("EMAIL", re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"), 0),
    (
        "URL",
        re.compile(
            rf"(?:https?://|www\.){_NOT_URL_CHAR}+"
            rf"|(?<![a-z0-9@.\-_])(?:[a-z0-9-]+\.)+{_TLD}(?![a-z0-9-])(?:/{_NOT_URL_CHAR}*)?"
        ),
        0,
    ),
    ("IDNO", re.compile(rf"{_D}[1-9][0-9]{{16}}[0-9x]{_ND}"), 0),
    ("CARD", re.compile(rf"{_D}[0-9]{{4}}(?:[ -]?[0-9]{{4}}){{3}}[0-9]{{0,3}}{_ND}"), 0),
    (
        "PHONE",
        re.compile(
            rf"{_D}(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{{4}}){{2}}{_ND}"
            rf"|\+?852[ -]?[2-9][0-9]{{3}}[ -]?[0-9]{{4}}{_ND}"
            rf"|{_D}(?:\+?886[ -]?9|09)[0-9]{{2}}[ -]?[0-9]{{3}}[ -]?[0-9]{{3}}{_ND}"
            rf"|{_D}0[0-9]{{2,3}}-[0-9]{{7,8}}{_ND}"
            rf"|{_D}[48]00[ -]?[0-9]{{3}}[ -]?[0-9]{{4}}{_ND}"
        ),
        0,
    ),
    (
        "QQID",
        re.compile(rf"(?:qq|企鹅)(?:号码|号|群)?[:： ]*({_D}[1-9][0-9]{{4,10}}){_ND}"),
        1,
    ),
    (
        "WXID",
        re.compile(
            r"(?:微信|wechat|line|whatsapp)(?:号|id)?[:： ]*"
            r"([a-z][-_a-z0-9]{4,19})(?![-_a-z0-9])"
        ),
        1,
    ),
    (
        "CODE",
        re.compile(
            rf"(?:验证码|校验码|动态码|动态密码|认证码|取件码|提货码|code)"
            rf"(?:是|为)?[:： ]*({_D}[0-9]{{4,8}}){_ND}"
        ),
        1,
    ),
    (
        "MONEY",
        re.compile(
            rf"(?:[¥$]|rmb|hk\$|nt\$|us\$){{1,2}} ?{_D}[0-9][0-9,]*(?:\.[0-9]+)?"
            rf"(?: ?(?:万|千|百|k|w))?"
            rf"|{_D}[0-9][0-9,]*(?:\.[0-9]+)? ?(?:万元|千元|元|块钱|块|万|港币|港元"
            rf"|台币|新台币|美元|美金|usdt|rmb)"
        ),
        0,
    ),
)

VARIANTS: dict[str, tuple[str, ...]] = {
    "微信": (
        *("薇信", "威信", "徽信", "维信", "微芯", "v信", "绿泡泡", "绿色泡泡"),
        *("vx", "wx", "weixin"),
    ),
    "qq": ("扣扣", "抠抠"),
    "qq号": ("企鹅号",),
    "支付宝": ("zfb",),
    "银行卡": ("yhk",),
    "身份证": ("sfz",),
    "信用卡": ("xyk",),
    "博彩": ("菠菜",),
    "账户": ("帐户",),
    "账号": ("帐号",),
    "转账": ("转帐",),
    "到账": ("到帐",),
    "账单": ("帐单",),
}
"""Canonical word -> variant spellings replaced by it (after Simplified conversion and
lower-casing). Latin letters only match as whole tokens: ``wx`` in ``wxid`` and ``v信``
in ``vxv信`` stay."""

_VARIANT_OF = {variant: word for word, variants in VARIANTS.items() for variant in variants}


def _canonical_word(match: re.Match[str]) -> str:
    return _VARIANT_OF[match.group()]


def _variant_pattern(variants) -> re.Pattern[str]:
    """One pattern for ``variants``, longest first, Latin letters matching whole tokens."""
    return re.compile(
        "|".join(
            ("(?<![a-z])" if v[0].isascii() else "")
            + re.escape(v)
            + ("(?![a-z])" if v[-1].isascii() else "")
            for v in sorted(variants, key=len, reverse=True)
        )
    )


# Chinese spellings are replaced before links and e-mail addresses (they may complete
# one: 扣扣.com), spellings with Latin letters after (they must not rewrite one's insides).
_CHINESE_VARIANT_RE = _variant_pattern(v for v in _VARIANT_OF if not re.search("[a-z]", v))
_LATIN_VARIANT_RE = _variant_pattern(v for v in _VARIANT_OF if re.search("[a-z]", v))
# "+v", "➕微信", "+ q 123": a plus sign before a contact platform means 加 (add me on).
_PLUS_CONTACT_RE = re.compile(r"[+➕](?= ?(?:微信|qq|企鹅|[vq](?![a-z])))")
# "加v", "加 q": a lone v or q after 加 is the platform.
_ADD_LETTER_RE = re.compile(r"(?<=加) ?[vq](?![a-z])")
# "5w", "1.5w": w after a number is 万 (ten thousand); not inside ids such as "kefu8w",
# nor before a placeholder ("0w0元" -> "0w MONEY" must stay so when normalised again).
_TEN_THOUSAND_RE = re.compile(r"(?<![a-z0-9_.])([0-9]+(?:\.[0-9]+)?)w(?![a-z0-9_]| ?[A-Z])")

_PLACEHOLDER_RE = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(PLACEHOLDERS)})(?![A-Za-z])")
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me"}


@dataclass(frozen=True)
class NormalizedText:
    """A normalised message and the original span of each of its characters.

    Attributes
    ----------
    text : str
        The normalised text.
    origins : tuple of (int, int)
        ``origins[i]`` is the ``(start, end)`` slice of the original text that
        produced ``text[i]``.
    original : str
        The text before normalisation.
    """

    text: str
    origins: tuple[tuple[int, int], ...]
    original: str

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised slice ``[start, end)`` to a slice of the original.

        >>> n = normalize_with_offsets("ＡＢ 微\u200b信")
        >>> n.text, n.original_span(3, 5)
        ('ab 微信', (3, 6))
        """
        if not 0 <= start < end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) outside 0..{len(self.text)}")
        covered = self.origins[start:end]
        return min(s for s, _ in covered), max(e for _, e in covered)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _is_invisible(char: str) -> bool:
    if char in "\n\t\r":
        return False
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES


def _unicode_pieces(text: str) -> list[tuple[str, int, int]]:
    """NFKC per character, drop invisible characters, map white space to ' '."""
    pieces = []
    for index, original_char in enumerate(text):
        for char in unicodedata.normalize("NFKC", original_char):
            if char.isspace():
                char = " "
            elif _is_invisible(char):
                continue
            pieces.append((char, index, index + 1))
    return pieces


def _collapse_spaces(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    for piece in pieces:
        if piece[0] == " " and (not out or out[-1][0] == " "):
            continue
        out.append(piece)
    if out and out[-1][0] == " ":
        out.pop()
    return out


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SEPARATORS = frozenset(" -*|·/_~.")


def _join_separated_cjk(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Drop runs of spaces and separator symbols between two Chinese characters.

    Scammers write 刷 单 返 利 or 加-微-信 to split keywords; Chinese puts no spaces
    between words, so nothing is lost.
    """
    keep = [True] * len(pieces)
    i = 0
    while i < len(pieces):
        if pieces[i][0] in _SEPARATORS and i > 0 and _CJK.match(pieces[i - 1][0]):
            j = i
            while j < len(pieces) and pieces[j][0] in _SEPARATORS:
                j += 1
            if j < len(pieces) and _CJK.match(pieces[j][0]):
                keep[i:j] = [False] * (j - i)
            i = j
        else:
            i += 1
    return [piece for piece, kept in zip(pieces, keep) if kept]


def _to_simplified(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    text = "".join(p[0] for p in pieces)
    converted = _t2s().convert(text)
    if len(converted) != len(text):  # a phrase changed length: convert char by char
        converted = "".join(c if len(c := _t2s().convert(p[0])) == 1 else p[0] for p in pieces)
    return [(c, s, e) for c, (_, s, e) in zip(converted, pieces)]


def _lower_ascii(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    text = "".join(p[0] for p in pieces)
    keep: set[int] = set()
    for match in _PLACEHOLDER_RE.finditer(text):
        keep.update(range(match.start(), match.end()))
    return [
        (c.lower() if "A" <= c <= "Z" and i not in keep else c, s, e)
        for i, (c, s, e) in enumerate(pieces)
    ]


def _substitute(
    pieces: list[tuple[str, int, int]], pattern: re.Pattern[str], replace, group: int = 0
) -> list[tuple[str, int, int]]:
    """Replace ``group`` of each match of ``pattern`` by ``replace(match)``.

    Every new character keeps the original span of the whole replaced group.
    """
    text = "".join(p[0] for p in pieces)
    for match in reversed(list(pattern.finditer(text))):
        start, end = match.span(group)
        origin = (pieces[start][1], pieces[end - 1][2])
        pieces[start:end] = [(c, *origin) for c in replace(match)]
    return pieces


def _canonical_variants(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Replace variant spellings with Latin letters by their canonical word (see
    :data:`VARIANTS`), and "+v", "加q", "5w" by 加微信, 加qq, 5万."""
    for pattern, replace in (
        (_LATIN_VARIANT_RE, _canonical_word),
        (_PLUS_CONTACT_RE, lambda _: "加"),
        (_ADD_LETTER_RE, lambda m: "微信" if m.group().strip() == "v" else "qq"),
        (_TEN_THOUSAND_RE, lambda m: m.group(1) + "万"),
    ):
        pieces = _substitute(pieces, pattern, replace)
    return pieces


def _replace_entities(
    pieces: list[tuple[str, int, int]], patterns=_ENTITY_PATTERNS
) -> list[tuple[str, int, int]]:
    for token, pattern, group in patterns:
        pieces = _substitute(pieces, pattern, lambda _, token=token: f" {token} ", group)
    return pieces


def normalize_with_offsets(text: str) -> NormalizedText:
    """Normalise ``text`` and keep the original span of every output character.

    Parameters
    ----------
    text : str
        One message.

    Returns
    -------
    NormalizedText

    Examples
    --------
    >>> n = normalize_with_offsets("請匯款到帳戶 6222 0212 3456 7890")
    >>> n.text
    '请汇款到账户 CARD'
    >>> n.original[slice(*n.original_span(7, 11))]
    '6222 0212 3456 7890'
    """
    pieces = _join_separated_cjk(_collapse_spaces(_unicode_pieces(text)))
    # Chinese variant spellings, links and e-mail addresses, then the Latin spellings.
    pieces = _substitute(_lower_ascii(_to_simplified(pieces)), _CHINESE_VARIANT_RE, _canonical_word)
    pieces = _replace_entities(pieces, _ENTITY_PATTERNS[:2])
    pieces = _join_separated_cjk(_canonical_variants(pieces))  # may make new Chinese neighbours
    pieces = _collapse_spaces(_replace_entities(pieces, _ENTITY_PATTERNS[2:]))
    return NormalizedText(
        text="".join(p[0] for p in pieces),
        origins=tuple((s, e) for _, s, e in pieces),
        original=text,
    )


def normalize_text(text: str) -> str:
    """Return the normalised form of one message (see the module docstring).

    >>> normalize_text("  加我 QQ：１２３４５６７８ ")
    '加我 qq: QQID'
    """
    return normalize_with_offsets(text).text


class TextNormalizer(StatelessTextTransformer, TransformerMixin, BaseEstimator):
    """Normalise a list of messages; a stateless scikit-learn transformer.

    Examples
    --------
    >>> TextNormalizer().fit_transform(["恭喜中獎！領取：www.abc.top"])
    ['恭喜中奖!领取: URL']
    """

    def transform(self, X) -> list[str]:
        """Return the normalised messages, in order."""
        return [normalize_text(text) for text in check_texts(X)]
