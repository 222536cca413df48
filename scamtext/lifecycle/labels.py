"""Label hygiene: what a label id may look like, and labels that only imitate a known one.

A label id is 1 to 40 lower-case ASCII letters, digits or ``_``, starting with a letter
(:data:`LABEL_PATTERN`): ``etc_phishing``, ``sextortion``. Anything else (``Normal``,
``正常``, a Cyrillic look-alike ``nоrmal``, ``../../etc/passwd``, a name with a newline
or an escape code) is refused. A new label that is a near-duplicate of a known one is
refused too, with a message naming the known label. Near-duplicates are found by
folding both to one key (:func:`label_key`): letter case, full-width and accented
letters, look-alike letters of other scripts (Cyrillic ``о``, Greek ``ο``) and digits
(``0`` for ``o``, ``1`` for ``l``), separators, a plural ``s`` (in ids without digits:
``scam1`` and ``scam15`` are two labels); and the Chinese names of the taxonomy, in
Simplified or Traditional script (``正常``, ``刷單返利``). Ids that differ in a letter
(``scheme_a``, ``scheme_b``) are different labels.

A retrain takes at most :data:`MAX_NEW_LABELS` new labels and :data:`MAX_CASES` cases:
each label adds a row of weights the size of the vocabulary to the model and to its
optimiser, and 300 new labels at once drove a retrain past 11 GB of memory.

Examples
--------
>>> check_label("etc_phishing")
'etc_phishing'
>>> check_label("Normal")
Traceback (most recent call last):
...
scamtext.lifecycle.labels.LabelNameError: label 'Normal' is refused: it imitates the known \
label 'normal' (letter case); use 'normal'
>>> check_label("刷单返利")
Traceback (most recent call last):
...
scamtext.lifecycle.labels.LabelNameError: label '刷单返利' is refused: it imitates the known \
label 'brushing' (its Chinese name); use 'brushing'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from ..exceptions import InvalidLabelError
from ..taxonomy import LABELS, get_label

LABEL_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
"""A label id: 1-40 lower-case ASCII letters, digits or ``_``, starting with a letter."""

MAX_NEW_LABELS = 10
"""Most labels new to the model that one retrain learns."""

MAX_CASES = 20_000
"""Most cases that one retrain learns from (the corpus has about 18,000 messages)."""

_ID = re.compile(LABEL_PATTERN)
_LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "м": "m", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
        "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "һ": "h",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        # digits and signs that pass for letters
        "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "|": "l", "!": "i",
        "$": "s", "@": "a",
    }
)  # fmt: skip
_SEPARATORS = re.compile(r"[\s_\-./\\:·・]+")
_DIGIT = re.compile(r"[0-9]")


class LabelNameError(InvalidLabelError):
    """A label id that breaks :data:`LABEL_PATTERN` or imitates a known label."""

    def __init__(self, label: object, reason: str, known: str | None = None):
        self.label = label
        self.known = known
        message = f"label {label!r} is refused: {reason}"
        if known is not None:
            message += f"; use {known!r}"
        ValueError.__init__(self, message)


def label_key(label: str) -> str:
    """Fold ``label`` to the key that near-duplicates share.

    >>> label_key("Fake-Prize"), label_key("nоrmal"), label_key("n0rmal"), label_key("ｌｏａｎ")
    ('fakeprize', 'normal', 'normal', 'loan')
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", label).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _SEPARATORS.sub("", text.translate(_LOOK_ALIKES)).replace("rn", "m").replace("vv", "w")
    return text


def _chinese_names() -> dict[str, str]:
    """Each Chinese name of a taxonomy label (and each part of it between ``/``) to its id."""
    names = {}
    for label in LABELS:
        whole = get_label(label).name_zh
        for name in (whole, *whole.split("/")):
            names[name] = label
    return names


def _simplified(text: str) -> str:
    from ..text.normalize import _t2s

    return _t2s().convert(text)


def _imitated(label: str, known: Iterable[str]) -> tuple[str, str] | None:
    """Return ``(known label, how)`` when ``label`` imitates one of ``known``, else None."""
    known = list(known)
    if not label.isascii():
        name = unicodedata.normalize("NFKC", label).strip()
        chinese = _chinese_names()
        for candidate, how in ((name, "its Chinese name"), (_simplified(name), "its Chinese name")):
            if candidate in chinese and chinese[candidate] in known:
                return chinese[candidate], how
    key = label_key(label)
    for other in known:
        other_key = label_key(other)
        if key == other_key:
            if label.casefold() == other.casefold():
                return other, "letter case"
            if label.isascii():
                return other, "the same letters apart from separators or look-alike digits"
            return other, "look-alike letters: another script, full-width or accented"
        if key in (other_key + "s", other_key + "es") and not _DIGIT.search(label + other):
            return other, "a plural"  # not scam15 of scam1
    return None


def check_label(label: object, known: Iterable[str] = LABELS) -> str:
    """Return ``label`` if it is a known label or a well-formed new one; else raise.

    Parameters
    ----------
    label : str
    known : iterable of str, default: the taxonomy's labels
        The labels already in use (the taxonomy, the model's, the case store's).

    Raises
    ------
    LabelNameError
        If ``label`` imitates a known label (naming it) or breaks :data:`LABEL_PATTERN`.
    """
    known = list(known)
    if label in known:
        return label  # type: ignore[return-value]
    if not isinstance(label, str):
        raise LabelNameError(label, f"a label id is a str, not {type(label).__name__}")
    near = _imitated(label, known)
    if near is not None:
        other, how = near
        raise LabelNameError(label, f"it imitates the known label {other!r} ({how})", other)
    if not _ID.fullmatch(label):
        raise LabelNameError(
            label,
            "a label id is 1-40 lower-case ASCII letters, digits or _, starting with a letter "
            "(e.g. etc_phishing)",
        )
    return label


def check_labels_to_learn(labels: Iterable[str], known: Iterable[str] = LABELS) -> Counter:
    """Check the labels of the cases of one retrain; return how many cases each new label has.

    Every label must pass :func:`check_label` against ``known`` and against the other new
    labels; there may be at most :data:`MAX_CASES` cases and :data:`MAX_NEW_LABELS` new
    labels.

    >>> check_labels_to_learn(["loan", "etc_phishing", "etc_phishing"])
    Counter({'etc_phishing': 2})
    >>> check_labels_to_learn(["etc_phishing", "etc_phishing", "ETC-phishing"])
    Traceback (most recent call last):
    ...
    scamtext.lifecycle.labels.LabelNameError: label 'ETC-phishing' is refused: it imitates \
the known label 'etc_phishing' (the same letters apart from separators or look-alike \
digits); use 'etc_phishing'
    """
    labels = list(labels)
    if len(labels) > MAX_CASES:
        raise ValueError(
            f"{len(labels):,} cases are more than the {MAX_CASES:,} one retrain learns from; "
            "retrain on a part of them (scamtext cases export, then --cases FILE)"
        )
    in_use = list(dict.fromkeys(known))
    counts = Counter(labels)
    new: Counter = Counter()
    for label, n in counts.most_common():
        check_label(label, in_use)
        if label not in in_use:
            new[label] = n
            in_use.append(label)
    if len(new) > MAX_NEW_LABELS:
        raise ValueError(
            f"the cases hold {len(new)} new labels, more than the {MAX_NEW_LABELS} one retrain "
            f"learns (each adds a row of weights to the model and to its memory); new labels: "
            + ", ".join(f"{label} ({n})" for label, n in new.most_common())
        )
    return new
