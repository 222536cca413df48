"""Training-time augmentation: more ways of writing the messages a model learns from.

Two kinds of extra training rows, each a copy of a training message with its label:

- **excerpts**: one to three consecutive sentences cut from a long message (at
  least :data:`MIN_EXCERPT_SOURCE` characters), between 15 and 150 characters;
  for a scam, only excerpts that carry a scam cue of :data:`scamtext.model.features.CUES`
  (not one of the cues of genuine notices, :data:`GENUINE_CUES`) are kept, so that
  the excerpt still shows the scam. Long call-style scams then
  also teach the short SMS and chat forms of the same scheme.
- **evasions**: the message rewritten by one attack of :mod:`scamtext.text.attacks`
  drawn at random (all but ``combined``), seeded apart from the evaluation seed
  of the benchmark.

Examples
--------
>>> texts, labels = augment(["今晚吃饭吗"], ["normal"], excerpts=0.0, evasions=1.0, seed=1)
>>> len(texts), labels
(2, ['normal', 'normal'])
>>> texts[0]
'今晚吃饭吗'
"""

from __future__ import annotations

import numbers
import random
import re
from collections.abc import Sequence

from ..text.attacks import ATTACKS
from ..text.cues import find_cues
from ..text.normalize import normalize_text

AUGMENT_SEED = 11
"""Default seed of training-time augmentation; differs from the benchmark's ``ATTACK_SEED``."""

MIN_EXCERPT_SOURCE = 150
"""Messages shorter than this (characters) give no excerpt."""

GENUINE_CUES = frozenset({"anti_fraud_advice", "denies_request", "unsubscribe"})
"""Cues of genuine notices: they do not make an excerpt of a scam show the scam."""

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*")
_EVASIONS = tuple(name for name in ATTACKS if name != "combined")


def _shows_scam(piece: str) -> bool:
    return any(cue.id not in GENUINE_CUES for cue in find_cues(normalize_text(piece)))


def augment_seed(random_state) -> int:
    """Return the augmentation seed of an estimator's ``random_state``.

    >>> augment_seed(0), augment_seed(5), augment_seed(None)
    (11, 16, 11)
    """
    if isinstance(random_state, numbers.Integral):
        return AUGMENT_SEED + int(random_state)
    return AUGMENT_SEED


def excerpt(text: str, label: str, rng: random.Random) -> str | None:
    """Return a random excerpt of 1-3 sentences of ``text``, or None if there is none.

    For a scam ``label`` the excerpt must carry a scam cue.

    >>> scam = "您的包裹丢失，我们将赔偿您三倍运费，请加微信办理理赔手续。"
    >>> text = "您好，这里是快递客服。" * 6 + scam * 4
    >>> excerpt(text, "refund", random.Random(0))
    '您的包裹丢失，我们将赔偿您三倍运费，请加微信办理理赔手续。'
    >>> print(excerpt("您好，这里是快递客服。" * 20, "refund", random.Random(0)))  # no scam cue
    None
    """
    if len(text) < MIN_EXCERPT_SOURCE:
        return None
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    windows = [
        piece
        for start in range(len(sentences))
        for width in (1, 2, 3)
        if start + width <= len(sentences)
        and 15 <= len(piece := "".join(sentences[start : start + width]).strip()) <= 150
    ]
    if label != "normal":
        windows = [piece for piece in windows if _shows_scam(piece)]
    return rng.choice(windows) if windows else None


def augment(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    excerpts: float = 1.0,
    evasions: float = 0.3,
    seed: int = AUGMENT_SEED,
) -> tuple[list[str], list[str]]:
    """Return the messages and labels followed by the augmented copies.

    Parameters
    ----------
    texts, labels : sequence of str
        Training messages and their label ids.
    excerpts : float, default=1.0
        Probability that a long message gives an excerpt (see :func:`excerpt`).
    evasions : float, default=0.3
        Probability that a message gives a copy rewritten by a random attack.
    seed : int, default=AUGMENT_SEED
        The same seed and inputs give the same output.

    Returns
    -------
    texts, labels : list of str
        The originals, in order, then the copies.
    """
    for name, value in (("excerpts", excerpts), ("evasions", evasions)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} must be between 0 and 1; got {value!r}")
    rng = random.Random(seed)
    out_texts, out_labels = list(texts), list(labels)
    for text, label in zip(texts, labels):
        if excerpts and rng.random() < excerpts and (piece := excerpt(text, label, rng)):
            out_texts.append(piece)
            out_labels.append(label)
        if evasions and rng.random() < evasions:
            out_texts.append(ATTACKS[rng.choice(_EVASIONS)](text, rng))
            out_labels.append(label)
    return out_texts, out_labels
