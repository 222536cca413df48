"""Chinese text normalisation, with a map back to the original characters on request.

The normaliser undoes what makes the same message look different: Unicode
compatibility forms (NFKC: full-width letters and digits, circled digits),
invisible characters (zero-width spaces, joiners, variation selectors, control
characters), runs of white space, a separator written between every character
(``加、微、信``, ``1*3*8*0*0*1*3*8*0*0*0``, ``转.账.到.安.全.账.户``), spaces and separator
symbols between Chinese characters (刷 单 返 利, 加-微-信), Traditional script
(converted to Simplified with OpenCC), ASCII letter case, and the variant spellings
that people and scammers use for platforms and money words (:data:`VARIANTS`: 薇信,
绿泡泡 and vx for 微信, 扣扣 for QQ, zfb for 支付宝, 转帐 for 转账, ``+v`` for 加微信,
``5w`` for 5万...). It then replaces entities whose exact value carries no meaning,
only their presence, by placeholder tokens:

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

Separators between every character (:func:`separator_runs`) are undone before the
placeholders are looked for, so a spelled-out phone number or link is still found,
while genuine enumerations (「水、电、燃气费」, 「A、B、C 三档」), dates and prices
(``2024.1.5``, ``1,234.50``) read as they are.

Two functions give the same text: :func:`normalize_text`, the fast one the models
use, works on strings; :func:`normalize_with_offsets` also remembers the span of the
original text that every output character came from, so that explanations can point
at what the user sees. Both run the same stages (:data:`_STAGES`).

Examples
--------
>>> normalize_text("【順豐】您的包裹異常，請加ＶＸ：ab_12345 或致電13812345678")
'【顺丰】您的包裹异常,请加微信: WXID 或致电 PHONE'
>>> normalize_text("点击 https://t.cn/A6x 领取¥188红包")
'点击 URL 领取 MONEY 红包'
>>> normalize_text("加、微、信、：、1、3、8、0、0、1、3、8、0、0、0、，、日、结")
'加微信: PHONE ,日结'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
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
_LATIN_VARIANTS = tuple(v for v in _VARIANT_OF if re.search("[a-z]", v))
_LATIN_VARIANT_RE = _variant_pattern(_LATIN_VARIANTS)
# "+v", "➕微信", "+ q 123": a plus sign before a contact platform means 加 (add me on).
_PLUS_CONTACT_RE = re.compile(r"[+➕](?= ?(?:微信|qq|企鹅|[vq](?![a-z])))")
# "加v", "加 q": a lone v or q after 加 is the platform.
_ADD_LETTER_RE = re.compile(r"(?<=加) ?[vq](?![a-z])")
# "5w", "1.5w": w after a number is 万 (ten thousand); not inside ids such as "kefu8w",
# nor before a placeholder ("0w0元" -> "0w MONEY" must stay so when normalised again).
_TEN_THOUSAND_RE = re.compile(r"(?<![a-z0-9_.])([0-9]+(?:\.[0-9]+)?)w(?![a-z0-9_]| ?[A-Z])")

# An upper-case run is lower-cased unless it is a placeholder token (group 1).
_UPPER_RE = re.compile(rf"((?<![A-Za-z])(?:{'|'.join(PLACEHOLDERS)})(?![A-Za-z]))|[A-Z]+")
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me"}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A Chinese character, then spaces or separator symbols (group 1) before another one.
_CJK_GAP_RE = re.compile(rf"[{_CJK}]([ \-*|·/_~.]+)(?=[{_CJK}])")

# Letters, digits, kana, hangul and Chinese characters: the characters a separated run
# is made of. Anything else (punctuation, symbols, spaces, emoji) can separate them.
_WORD = (
    "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
    "\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\uac00-\ud7af\U00020000-\U0003134f" + _CJK
)
_W, _S = f"[{_WORD}]", f"[^{_WORD}]"
# The same separator (1 to 3 characters, group "sep") between every two characters,
# which may be punctuation too, the separator itself included (h、t、t、p、:、/、/;
# 了,,,请 is 了,请 separated by commas); a letter, digit or Chinese character at either
# end touches no other one.
_SAME_SEPARATOR = (
    rf"(?:(?<!{_W})|(?!{_W})).(?P<sep>{_S}{{1,3}})(?:.(?P=sep))+"
    rf"(?!(?P=sep))(?:{_W}(?!{_W})|{_S})"
)
# Any one separator between letters, digits and Chinese characters that each stand
# alone, or a punctuation mark with a separator on each side (加🔥微✨信🔥,✨领), or
# three alike (one "…" after NFKC).
_ANY_SEPARATOR = rf"(?<!{_W}){_W}(?:(?:{_S}|{_S}{{3}}){_W}(?!{_W}))+"
_SEPARATED_RE = re.compile(f"{_SAME_SEPARATOR}|{_ANY_SEPARATOR}", re.S)
# Necessary for either: a separator, then a word character and a separator, or any
# character and the same separator. Cheap, so it is tried first.
_MAYBE_SEPARATED_RE = re.compile(rf"{_S}(?:{_W}{_S}|(?<=(.)).\1)", re.S)
_WORD_RE = re.compile(_W)
_GAP_RE = re.compile(f"{_S}+", re.S)

MIN_RUN = 3
"""Fewest letters, digits and Chinese characters a separated run must hold to be undone
when the runs hold most of them (:data:`SPREAD`): a message written with a separator
between every character."""
MIN_LONE_RUN = 8
"""Fewest a separated run must hold to be undone in a message mostly written as usual:
shorter runs are read as enumerations (金、木、水、火、土)."""
SPREAD = 0.75
"""Share of a message's letters, digits and Chinese characters that must lie in
separated runs for the message to count as written with separators throughout."""

_Piece = tuple[str, int, int]  # an output character and the original span it came from


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


class _CharTable(dict):
    """Code point -> what one character becomes: NFKC, white space as ' ', invisible
    characters dropped. Filled on first sight of each character (``str.translate``
    reads it); characters that stay as they are are also kept in :attr:`plain`."""

    def __init__(self) -> None:
        super().__init__()
        self.plain: set[str] = set()

    def __missing__(self, code: int) -> str:
        out = "".join(
            " " if c.isspace() else c
            for c in unicodedata.normalize("NFKC", chr(code))
            if c.isspace() or unicodedata.category(c) not in _INVISIBLE_CATEGORIES
        )
        self[code] = out
        if out == chr(code):
            self.plain.add(out)
        return out


_CHARS = _CharTable()


def separator_runs(text: str) -> list[tuple[int, int, int, list[int]]]:
    """Find the runs of ``text`` written with a separator between every character.

    A run has one separator between each two of its characters: the same one
    throughout (1 to 3 symbols, spaces or punctuation marks; the characters may be
    punctuation too: ``h、t、t、p、:、/、/``), or any single one between letters, digits
    and Chinese characters, not digits alone (``加🔥微✨信``; a mark with a separator on
    each side is kept: ``好🔥,✨加``; ``1:0,2:1`` is a list). A letter, digit or Chinese
    character at either end touches no other one, and the run holds at least
    :data:`MIN_RUN` of them.

    Parameters
    ----------
    text : str
        Text after the Unicode stage of the normaliser (one space for any white space).

    Returns
    -------
    list of (start, end, count, separators)
        ``text[start:end]`` is the run, with ``count`` letters, digits and Chinese
        characters; ``separators`` are the positions to drop to undo it.

    Examples
    --------
    >>> text = "加、微、信,速、回"
    >>> [(text[s:e], n, gaps) for s, e, n, gaps in separator_runs(text)]
    [('加、微、信', 3, [1, 3])]
    >>> separator_runs("水、电、燃气费,1,234.50元,2024.1.5")
    []
    """
    runs = []
    for match in _SEPARATED_RE.finditer(text):
        start, end = match.span()
        if match.group("sep"):
            step = len(match.group("sep")) + 1
            chars = range(start, end, step)
            gaps = [i for i in range(start, end) if (i - start) % step]
        else:  # one separator, or a mark between two (kept unless all three are alike)
            chars = range(start, end)
            gaps = []
            for gap in _GAP_RE.finditer(text, start, end):
                first, last = gap.span()
                if last - first == 1 or text[first] == text[first + 1] == text[first + 2]:
                    gaps += range(first, last)
                else:
                    gaps += [first, last - 1]
        words = "".join(text[i] for i in chars if _WORD_RE.match(text, i))
        # mixed separators between digits alone are a list (scores 1:0,2:1,3:2)
        if len(words) >= MIN_RUN and (match.group("sep") or not words.isdigit()):
            runs.append((start, end, len(words), gaps))
    return runs


def _separators_to_drop(text: str) -> list[int]:
    """Positions of the separators of the runs to undo: runs of :data:`MIN_RUN` word
    characters when runs hold :data:`SPREAD` of them, else of :data:`MIN_LONE_RUN`."""
    if not _MAYBE_SEPARATED_RE.search(text):
        return []
    runs = separator_runs(text)
    if not runs:
        return []
    spread = sum(count for *_, count, _ in runs) >= SPREAD * len(_WORD_RE.findall(text))
    shortest = MIN_RUN if spread else MIN_LONE_RUN
    return [gap for *_, count, gaps in runs if count >= shortest for gap in gaps]


def _to_simplified(text: str) -> str:
    """Traditional -> Simplified script, one output character for each input one."""
    converted = _t2s().convert(text)
    if len(converted) != len(text):  # a phrase changed length: convert char by char
        converted = "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in text)
    return converted


def _lower_ascii(text: str) -> str:
    """Lower-case ASCII letters, except in placeholder tokens."""
    return _UPPER_RE.sub(lambda m: m.group() if m.group(1) else m.group().lower(), text)


def _has(*needles: str) -> Callable[[str], bool]:
    return re.compile("|".join(map(re.escape, needles))).search  # type: ignore[return-value]


def _matches(pattern: str) -> Callable[[str], bool]:
    return re.compile(pattern).search  # type: ignore[return-value]


class _Stage:
    """One step of the normaliser, on a string and on pieces with their origins.

    ``needed(text)`` is False only when the step cannot change ``text``.
    """

    needed: Callable[[str], bool] = staticmethod(lambda text: True)  # type: ignore[assignment]

    def text(self, text: str) -> str:
        raise NotImplementedError

    def pieces(self, pieces: list[_Piece]) -> list[_Piece]:
        raise NotImplementedError


class _MapChars(_Stage):
    """Each character to :class:`_CharTable`'s form (NFKC, spaces, invisible dropped)."""

    def text(self, text: str) -> str:
        return text if _CHARS.plain.issuperset(text) else text.translate(_CHARS)

    def pieces(self, pieces: list[_Piece]) -> list[_Piece]:
        return [(c, s, e) for char, s, e in pieces for c in _CHARS[ord(char)]]


class _Drop(_Stage):
    """Drop characters: the positions ``find(text)`` returns, or the matches (group 1 if
    the pattern has one) of ``pattern``; with ``repeat``, until nothing is left to drop."""

    def __init__(self, pattern=None, *, find=None, needed=None, fast=None, repeat=False):
        self.pattern, self.find, self.fast, self.repeat = pattern, find, fast, repeat
        if needed is not None:
            self.needed = needed

    def _positions(self, text: str) -> list[int]:
        if self.find is not None:
            return self.find(text)
        group = 1 if self.pattern.groups else 0
        return [i for m in self.pattern.finditer(text) for i in range(*m.span(group))]

    def text(self, text: str) -> str:
        if self.fast is not None:
            return self.fast(text)
        if self.find is None:
            return self.pattern.sub(self._kept, text)
        while drop := set(self.find(text)):
            text = "".join(c for i, c in enumerate(text) if i not in drop)
            if not self.repeat:
                break
        return text

    def _kept(self, match: re.Match[str]) -> str:
        if not self.pattern.groups:
            return ""
        start, end = match.start(1) - match.start(), match.end(1) - match.start()
        return match.group()[:start] + match.group()[end:]

    def pieces(self, pieces: list[_Piece]) -> list[_Piece]:
        while drop := set(self._positions("".join(p[0] for p in pieces))):
            pieces = [p for i, p in enumerate(pieces) if i not in drop]
            if not self.repeat:
                break
        return pieces


class _Relabel(_Stage):
    """A change that keeps the length: character ``i`` keeps its origin."""

    def __init__(self, change: Callable[[str], str], needed=None):
        self.change = change
        if needed is not None:
            self.needed = needed

    def text(self, text: str) -> str:
        return self.change(text)

    def pieces(self, pieces: list[_Piece]) -> list[_Piece]:
        changed = self.change("".join(p[0] for p in pieces))
        return [(c, s, e) for c, (_, s, e) in zip(changed, pieces)]


class _Replace(_Stage):
    """Replace ``group`` of each match of ``pattern`` by ``replace(match)``; every new
    character keeps the original span of the whole replaced group."""

    def __init__(self, pattern: re.Pattern[str], replace, group: int = 0, needed=None):
        self.pattern, self.replace, self.group = pattern, replace, group
        if needed is not None:
            self.needed = needed

    def text(self, text: str) -> str:
        if not self.group:
            return self.pattern.sub(self.replace, text)

        def whole(match: re.Match[str]) -> str:
            start, end = match.span(self.group)
            left, right = start - match.start(), end - match.start()
            return match.group()[:left] + self.replace(match) + match.group()[right:]

        return self.pattern.sub(whole, text)

    def pieces(self, pieces: list[_Piece]) -> list[_Piece]:
        text = "".join(p[0] for p in pieces)
        for match in reversed(list(self.pattern.finditer(text))):
            start, end = match.span(self.group)
            origin = (pieces[start][1], pieces[end - 1][2])
            pieces[start:end] = [(c, *origin) for c in self.replace(match)]
        return pieces


def _placeholder(token: str):
    return lambda _: f" {token} "


_QQ, _CODE = _has("qq", "企鹅"), _has("码", "code")
_FOUR_DIGITS, _FIVE_DIGITS = _matches("[0-9]{4}"), _matches("[0-9]{5}")
# What each entity pattern cannot match without: its longest run of digits, or a word.
_ENTITY_NEEDS: dict[str, Callable[[str], bool]] = {
    "IDNO": _matches("[0-9]{17}"),
    "CARD": _FOUR_DIGITS,
    "PHONE": _matches("[0-9]{3}"),
    "QQID": lambda text: bool(_QQ(text) and _FIVE_DIGITS(text)),
    "WXID": _has("微信", "wechat", "line", "whatsapp"),
    "CODE": lambda text: bool(_CODE(text) and _FOUR_DIGITS(text)),
    "MONEY": _matches("[0-9]"),
}
_collapse_spaces = _Drop(re.compile(r"^ +| +$| (?= )"), fast=lambda text: " ".join(text.split()))
_join_cjk = _Drop(_CJK_GAP_RE)
_STAGES: tuple[_Stage, ...] = (
    _MapChars(),
    _collapse_spaces,
    _Drop(find=_separators_to_drop, repeat=True),
    _join_cjk,
    _Relabel(_to_simplified, needed=lambda text: not text.isascii()),
    _Relabel(_lower_ascii, needed=_matches("[A-Z]")),
    _Replace(_CHINESE_VARIANT_RE, _canonical_word),
    # Links and e-mail addresses, then the Latin spellings (see _CHINESE_VARIANT_RE).
    _Replace(_ENTITY_PATTERNS[0][1], _placeholder("EMAIL"), needed=_has("@")),
    _Replace(_ENTITY_PATTERNS[1][1], _placeholder("URL"), needed=_has(".", "://")),
    _Replace(_LATIN_VARIANT_RE, _canonical_word, needed=_has(*_LATIN_VARIANTS)),
    _Replace(_PLUS_CONTACT_RE, lambda _: "加", needed=_has("+", "➕")),
    _Replace(
        _ADD_LETTER_RE, lambda m: "微信" if m.group().strip() == "v" else "qq", needed=_has("加")
    ),
    _Replace(_TEN_THOUSAND_RE, lambda m: m.group(1) + "万", needed=_has("w")),
    _join_cjk,  # the variants may have made new Chinese neighbours
    *(
        _Replace(pattern, _placeholder(token), group, needed=_ENTITY_NEEDS[token])
        for token, pattern, group in _ENTITY_PATTERNS[2:]
    ),
    _collapse_spaces,
)
"""The stages of the normaliser, in order."""


def normalize_with_offsets(text: str) -> NormalizedText:
    """Normalise ``text`` and keep the original span of every output character.

    Parameters
    ----------
    text : str
        One message.

    Returns
    -------
    NormalizedText
        Its ``text`` is ``normalize_text(text)``.

    Examples
    --------
    >>> n = normalize_with_offsets("請匯款到帳戶 6222 0212 3456 7890")
    >>> n.text
    '请汇款到账户 CARD'
    >>> n.original[slice(*n.original_span(7, 11))]
    '6222 0212 3456 7890'
    """
    pieces = [(char, i, i + 1) for i, char in enumerate(text)]
    for stage in _STAGES:
        if stage.needed("".join(p[0] for p in pieces)):
            pieces = stage.pieces(pieces)
    return NormalizedText(
        text="".join(p[0] for p in pieces),
        origins=tuple((s, e) for _, s, e in pieces),
        original=text,
    )


def normalize_text(text: str) -> str:
    """Return the normalised form of one message (see the module docstring).

    It is ``normalize_with_offsets(text).text``, computed without the offsets.

    >>> normalize_text("  加我 QQ：１２３４５６７８ ")
    '加我 qq: QQID'
    """
    for stage in _STAGES:
        if stage.needed(text):
            text = stage.text(text)
    return text


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
