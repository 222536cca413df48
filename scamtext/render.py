"""Show an :class:`~scamtext.model.explain.Explanation` to a person: terminal text or an HTML page.

Evidence that pushes towards the label is red, evidence against it green; stronger
evidence is marked more strongly. Without colour (a pipe, a file), spans are marked
``[+...]`` and ``[-...]``.

Examples
--------
>>> from scamtext.model.explain import Evidence, Explanation
>>> exp = Explanation("请转入安全账户", "impersonate_police", 0.97, "impersonate_police", 3.1,
...                   -1.0, (Evidence(3, 7, "安全账户", 3.5),), 0.6, 0.0, ())
>>> print(format_text(exp).splitlines()[3])
请转入[+安全账户]
"""

from __future__ import annotations

import html
import unicodedata

from .model.explain import Explanation
from .taxonomy import LABELS, advice, get_label, is_scam

_RESET = "\033[0m"


def _strength(weight: float, strongest: float) -> float:
    return min(1.0, abs(weight) / strongest) if strongest else 0.0


def _ansi(weight: float, strongest: float) -> str:
    strong = _strength(weight, strongest) >= 0.5
    if weight > 0:
        return "\033[1;97;41m" if strong else "\033[1;31m"
    return "\033[1;97;42m" if strong else "\033[1;32m"


def _pieces(explanation: Explanation):
    """Yield ``(text, evidence or None)`` pieces covering the message in order."""
    text, position = explanation.text, 0
    for ev in sorted(explanation.evidence, key=lambda e: e.start):
        if ev.start < position:
            continue
        if ev.start > position:
            yield text[position : ev.start], None
        yield ev.text, ev
        position = ev.end
    if position < len(text):
        yield text[position:], None


def _title(explanation: Explanation) -> str:
    label = explanation.label
    name = f" ({get_label(label).name_zh})" if label in LABELS else ""
    return f"label: {label}{name}   scam: {'yes' if is_scam(label) else 'no'}"


def _signed(value: float) -> str:
    """``value`` to 3 decimals with its sign; rounding error never shows as ``-0.000``."""
    return f"{round(value, 3) + 0.0:+.3f}"


def _sum_line(explanation: Explanation) -> str:
    evidence = sum(e.weight for e in explanation.evidence)
    return (
        f"score {_signed(explanation.score)} = evidence {_signed(evidence)} + other spans "
        f"{_signed(explanation.other)} + absent words {_signed(explanation.unlocated)} + bias "
        f"{_signed(explanation.bias)}"
        + (f" + no step of a scheme {_signed(explanation.no_step)}" if explanation.no_step else "")
    )


def _visible(text: str) -> str:
    """``text`` with control and format characters as visible escapes (new lines and tabs kept).

    A message must not drive the terminal: ``\\x1b[2J`` would clear the screen,
    ``\\u202e`` reverse the text after it.

    >>> print(_visible("ok\\x1b[2J\\u200b end"))
    ok\\x1b[2J\\u200b end
    """
    return "".join(
        c
        if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
        else ascii(c)[1:-1]
        for c in text
    )


def format_text(explanation: Explanation, *, ansi: bool = False) -> str:
    """Return the label, the marked message, the evidence, the cues and how they add up.

    Control and format characters of the message are shown as escapes (``\\x1b``).
    """
    strongest = max((abs(e.weight) for e in explanation.evidence), default=0.0)
    marked = "".join(
        _visible(piece)
        if ev is None
        else f"{_ansi(ev.weight, strongest)}{_visible(piece)}{_RESET}"
        if ansi
        else f"[{'+' if ev.weight > 0 else '-'}{_visible(piece)}]"
        for piece, ev in _pieces(explanation)
    )
    lines = [
        _title(explanation),
        f"probability of {explanation.explained_label}: {explanation.probability:.3f}",
        "",
        marked,
        "",
        f"evidence for {explanation.explained_label} (+ towards it, - against it):",
        *(f"  {ev.weight:+7.3f}  {_visible(ev.text)}" for ev in explanation.evidence),
    ]
    if explanation.window is not None:
        start, end = explanation.window
        lines.insert(
            2,
            f"(a long message: classified and explained on characters {start:,}-{end:,} of "
            f"{len(explanation.text):,}, its most suspicious part)",
        )
    if explanation.cues:
        lines.append("cues:")
        lines += [f"  - {cue.zh} / {cue.en}" for cue in explanation.cues]
    tip = advice(explanation.label)
    if tip is not None:
        lines += ["advice:", f"  {tip.zh}", f"  {tip.en}"]
    lines.append(_sum_line(explanation))
    return "\n".join(lines)


def format_html(explanation: Explanation) -> str:
    """Return a self-contained HTML page (inline CSS, no scripts, no external files)."""
    strongest = max((abs(e.weight) for e in explanation.evidence), default=0.0)
    spans = []
    for piece, ev in _pieces(explanation):
        if ev is None:
            spans.append(html.escape(piece))
            continue
        alpha = 0.15 + 0.75 * _strength(ev.weight, strongest)
        colour = "220,38,38" if ev.weight > 0 else "22,163,74"
        spans.append(
            f'<mark style="background:rgba({colour},{alpha:.2f})" '
            f'title="{ev.weight:+.3f}">{html.escape(piece)}</mark>'
        )
    rows = "".join(
        f"<tr><td class=w>{ev.weight:+.3f}</td><td>{html.escape(ev.text)}</td></tr>"
        for ev in explanation.evidence
    )
    cues = "".join(f"<li>{html.escape(c.zh)} / {html.escape(c.en)}</li>" for c in explanation.cues)
    tip = advice(explanation.label)
    advice_html = (
        ""
        if tip is None
        else f'<h2>Advice / 提示</h2><p lang="zh">{html.escape(tip.zh)}</p>'
        f'<p lang="en">{html.escape(tip.en)}</p>'
    )
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<title>scamtext: {html.escape(explanation.label)}</title>
<style>
body {{ font-family: system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif; max-width: 46rem;
       margin: 2rem auto; line-height: 1.6; color: #111; }}
.message {{ font-size: 1.25rem; padding: 1rem; border: 1px solid #ddd; border-radius: .5rem; }}
mark {{ border-radius: .2rem; padding: 0 .1rem; color: inherit; }}
td.w {{ font-family: monospace; text-align: right; padding-right: 1rem; }}
.legend mark {{ font-size: .9rem; }}
</style></head><body>
<h1>{html.escape(_title(explanation))}</h1>
<p>probability of {html.escape(explanation.explained_label)}: {explanation.probability:.3f}</p>
<p class="message">{"".join(spans)}</p>
<p class="legend"><mark style="background:rgba(220,38,38,.6)">towards the label</mark>
<mark style="background:rgba(22,163,74,.6)">against it</mark>;
stronger colour, stronger evidence.</p>
<h2>Evidence</h2><table>{rows}</table>
{"<h2>Cues</h2><ul>" + cues + "</ul>" if cues else ""}
{advice_html}
<p><small>{html.escape(_sum_line(explanation))}</small></p>
</body></html>
"""
