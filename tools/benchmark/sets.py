"""Evaluation sets that no model trains on, and the figures a deployment asks of them.

- the **unseen source**: every TFT5/TFT8 row of ``data/research`` (all three splits), a
  source the MIT corpus never saw: long call-style scams and short advertising SMS;
- the **benchmark sets** of ``data/benchmark``: long formal scam notices and everyday
  short chat (:func:`scamtext.lifecycle.corpus.load_benchmark_set`).

On such sets three figures matter: how many scams are caught (under any scam label),
how many normal messages are flagged, and how many scams get their own label.

>>> figures = detection_figures(["loan", "refund", "normal"], ["loan", "loan", "normal"])
>>> figures["scam_recall"], figures["category_accuracy"], figures["false_alarm_rate"]
(1.0, 0.5, 0.0)
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from scamtext.taxonomy import is_scam


def _share(hits: int, total: int) -> float | None:
    return None if total == 0 else round(hits / total, 4)


def detection_figures(labels: Sequence[str], predicted: Sequence[str]) -> dict:
    """Return detection figures of ``predicted`` against the true ``labels``.

    Returns
    -------
    dict
        ``n``, ``scams`` and ``normals`` (message counts); ``scam_recall`` (share of scam
        messages predicted as any scam label), ``false_alarm_rate`` (share of normal
        messages predicted as a scam) and ``category_accuracy`` (share of scam messages
        predicted as exactly their label), each None when the set has no message of
        that kind; ``per_label``: for each true label, ``n``, ``flagged`` (share
        predicted as a scam), ``correct`` (share predicted as that label) and
        ``predicted`` (count of each predicted label, most frequent first).

    Examples
    --------
    >>> figures = detection_figures(["normal", "normal"], ["normal", "romance"])
    >>> figures["false_alarm_rate"], figures["scam_recall"]
    (0.5, None)
    >>> figures["per_label"]["normal"]["predicted"]
    {'normal': 1, 'romance': 1}
    """
    if len(labels) != len(predicted):
        raise ValueError(f"{len(labels)} labels but {len(predicted)} predictions")
    pairs = [(str(y), str(p)) for y, p in zip(labels, predicted)]
    scams = [(y, p) for y, p in pairs if is_scam(y)]
    normals = [p for y, p in pairs if not is_scam(y)]
    per_label = {}
    for label in sorted({y for y, _ in pairs}):
        guesses = [p for y, p in pairs if y == label]
        per_label[label] = {
            "n": len(guesses),
            "flagged": _share(sum(map(is_scam, guesses)), len(guesses)),
            "correct": _share(guesses.count(label), len(guesses)),
            "predicted": dict(Counter(guesses).most_common()),
        }
    return {
        "n": len(pairs),
        "scams": len(scams),
        "normals": len(normals),
        "scam_recall": _share(sum(is_scam(p) for _, p in scams), len(scams)),
        "false_alarm_rate": _share(sum(map(is_scam, normals)), len(normals)),
        "category_accuracy": _share(sum(y == p for y, p in scams), len(scams)),
        "per_label": per_label,
    }


def sample_mask(total: int, n: int | None, seed: int = 0) -> list[bool]:
    """Return which of ``total`` positions to keep: ``n`` drawn with ``seed``, or all.

    >>> sample_mask(4, 2)
    [False, True, False, True]
    >>> sample_mask(3, None)
    [True, True, True]
    """
    if n is None or n >= total:
        return [True] * total
    keep = set(random.Random(seed).sample(range(total), n))
    return [i in keep for i in range(total)]


def unseen_source_rows(sample: int | None = None) -> dict[str, list]:
    """Return every TFT5/TFT8 row of ``data/research`` (all splits) as columns.

    Keys: ``text``, ``label``, ``source`` (``tft5`` or ``tft8``), ``hard_negative``.
    ``sample`` keeps that many rows, drawn with a fixed seed, in order.
    """
    from scamtext.lifecycle.corpus import load_corpus, repository_data_dir

    research = load_corpus(repository_data_dir() / "research")
    columns = ("text", "label", "source", "hard_negative")
    rows = {c: sum((list(research[split][c]) for split in research), []) for c in columns}
    keep = sample_mask(len(rows["text"]), sample)
    return {c: [v for v, k in zip(values, keep) if k] for c, values in rows.items()}
