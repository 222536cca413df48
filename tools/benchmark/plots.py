"""Benchmark plot: scam recall under each evasion attack, one bar per model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure


def plot_robustness(peers: Sequence[dict], path: str | Path) -> None:
    """Write grouped bars of scam recall, clean and under each attack, one bar per model."""
    attacks = ["clean"] + list(peers[0]["attacks"])
    fig = Figure(figsize=(13, 4.5))
    ax = fig.add_subplot()
    width = 0.8 / len(peers)
    for i, p in enumerate(peers):
        values = [p["clean"]["scam"]["recall"]] + [
            p["attacks"][a]["scam"]["recall"] for a in attacks[1:]
        ]
        ax.bar(np.arange(len(attacks)) + i * width, values, width, label=p["title"])
    ax.set_xticks(np.arange(len(attacks)) + 0.4 - width / 2, attacks, rotation=30, ha="right")
    ax.set_ylabel("scam recall")
    ax.set_ylim(0, 1)
    ax.set_title("Scam recall under each evasion attack")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
