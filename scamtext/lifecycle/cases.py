"""A store of reported cases: new labeled messages to fold into the next model.

Cases live in one JSON Lines file in a folder (default: the per-user data folder,
``$SCAMTEXT_HOME/cases`` or ``$XDG_DATA_HOME/scamtext/cases``, else
``~/.local/share/scamtext/cases``). Every case has an id, a label, the time it was
first and last reported, its source and how often it was reported: adding a message
that is already stored with the same label (after normalisation) merges the two.
Phone, bank-card and ID numbers and names are masked before anything is written,
unless the caller opts out. Writes hold a file lock and replace the file atomically,
so several processes adding at once lose nothing.

Every line is checked when it is read: a line that is not a case (invalid JSON, no
``text`` or ``label``, a label that breaks :mod:`scamtext.lifecycle.labels`, a field of
the wrong type) is left out of :meth:`CaseStore.list` and retraining, with a warning
naming the file and line, and is kept as it is when the store is rewritten. Nothing
blocks on it; :meth:`CaseStore.check` (``scamtext cases check``) lists such lines and
``--repair`` moves them to ``cases.rejected.jsonl``.

Examples
--------
>>> import tempfile
>>> store = CaseStore(tempfile.mkdtemp())
>>> ids = store.add(["我是王建国警官，请联系13812345678配合调查"], "impersonate_police")
>>> store.list()[0]["text"]
'我是王**警官，请联系138****5678配合调查'
>>> store.add(["我是王建国警官，请联系13812345678配合调查"], "impersonate_police") == ids
True
>>> store.list()[0]["reports"]
2
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock

from .._validation import MAX_CHARS, check_texts
from ..exceptions import SchemaError
from ..io.atomic import atomic_write, remove_stale_staging
from ..io.records import format_of, parse_json_line, read_labeled, read_records
from ..taxonomy import LABELS
from ..text.normalize import normalize_text
from .labels import check_label
from .paths import cases_dir

CASES_FILE = "cases.jsonl"
REJECTED_FILE = "cases.rejected.jsonl"

_FIELDS = {
    "id": str,
    "text": str,
    "label": str,
    "source": str,
    "first_reported": str,
    "last_reported": str,
    "reports": int,
    "masked": bool,
}
_REQUIRED = ("id", "text", "label")

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_TITLES = (
    "警官|警察|民警|先生|女士|老师|经理|总|主任|科长|法官|检察官|同学|阿姨|叔叔|律师|医生|会计|专员"
)
_MASKS = (
    # 18-digit ID numbers: keep the first 6 and last 4
    (re.compile(r"(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])"), r"\1********\2"),
    # bank cards, 16-19 digits with optional spaces or dashes: keep the last 4
    (
        re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){15,18}(?![0-9])"),
        lambda m: "****" + re.sub(r"[^0-9]", "", m.group())[-4:],
    ),
    # mainland mobile numbers: keep the first 3 and last 4
    (re.compile(r"(?<![0-9])(1[3-9][0-9])[ -]?[0-9]{4}[ -]?([0-9]{4})(?![0-9])"), r"\1****\2"),
    # names: a surname and one or two characters before a title, or after 我是/姓名
    (re.compile(rf"([{_SURNAMES}])[\u4e00-\u9fff]{{1,2}}(?=(?:{_TITLES}))"), r"\1**"),
    (
        re.compile(
            rf"((?:我是|我叫|姓名[:：]?)\s*[{_SURNAMES}])[\u4e00-\u9fff]{{1,2}}(?=[，,。.!！\s]|$)"
        ),
        r"\1**",
    ),
)


def mask_personal(text: str) -> str:
    """Mask ID numbers, bank cards, mobile numbers and names in ``text``.

    >>> mask_personal("卡号6222 0212 3456 7890，身份证110105194912310021，联系李明老师")
    '卡号****7890，身份证110105********0021，联系李**老师'
    """
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def _case_id(text: str, label: str) -> str:
    return hashlib.sha256(f"{label}\n{normalize_text(text)}".encode("utf-8")).hexdigest()[:12]


def parse_case(raw: bytes) -> dict:
    """Return the case on one line of ``cases.jsonl``; ``ValueError`` says why it is not one.

    >>> parse_case(b'{"id": "a1", "text": "x", "label": "loan", "reports": 2}')["label"]
    'loan'
    >>> parse_case(b'{"id": "a1", "text": "x"}')
    Traceback (most recent call last):
    ...
    ValueError: no 'label'
    """
    try:
        case = parse_json_line(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text ({error.reason} at byte {error.start + 1})") from None
    if not isinstance(case, dict):
        raise ValueError(f"expected a JSON object, got {type(case).__name__}")
    missing = [name for name in _REQUIRED if name not in case]
    if missing:
        raise ValueError(f"no {', '.join(repr(name) for name in missing)}")
    for name, kind in _FIELDS.items():
        value = case.get(name, kind())
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueError(f"{name!r} is {type(value).__name__}, not {kind.__name__}")
    if case.get("reports", 1) < 1:
        raise ValueError("'reports' is less than 1")
    if len(case["text"]) > MAX_CHARS:
        raise ValueError(f"'text' is longer than {MAX_CHARS:,} characters")
    check_label(case["label"])
    return case


@dataclass
class _Line:
    """One line of the store: a case, or a line that is not one (kept as it is)."""

    number: int
    raw: bytes
    case: dict | None
    problem: str | None


class CaseStore:
    """Reported cases in ``folder/cases.jsonl``; see the module docstring."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder is not None else cases_dir()
        self.file = self.folder / CASES_FILE

    def _lines(self) -> list[_Line]:
        """Every non-blank line of the store, checked, numbered as in the file."""
        if not self.file.exists():
            return []
        lines = []
        with open(self.file, "rb") as f:
            for number, raw in enumerate(f, 1):
                if not raw.strip():
                    continue
                raw = raw.rstrip(b"\r\n")
                try:
                    lines.append(_Line(number, raw, parse_case(raw), None))
                except ValueError as error:
                    lines.append(_Line(number, raw, None, str(error)))
        return lines

    def _checked_lines(self) -> list[_Line]:
        """:meth:`_lines`, with a warning that names the lines that are not cases."""
        lines = self._lines()
        bad = [line for line in lines if line.problem is not None]
        if bad:
            shown = "; ".join(f"line {line.number}: {line.problem}" for line in bad[:3])
            warnings.warn(
                f"{self.file}: {len(bad)} line(s) are not cases and are left out ({shown}"
                f"{'; ...' if len(bad) > 3 else ''}); run `scamtext cases check`",
                stacklevel=4,
            )
        return lines

    def _read(self) -> list[dict]:
        """The cases of the store; lines that are not cases are left out, with a warning."""
        return [line.case for line in self._checked_lines() if line.case is not None]

    def _write(self, lines: list[_Line]) -> None:
        with atomic_write(self.file, binary=True) as f:
            for line in lines:
                raw = line.raw if line.case is None else json.dumps(line.case, ensure_ascii=False)
                f.write((raw if isinstance(raw, bytes) else raw.encode("utf-8")) + b"\n")

    def check(self, *, repair: bool = False) -> list[tuple[int, str]]:
        """Return ``(line, problem)`` for each line of the store that is not a case.

        With ``repair``, those lines move to ``cases.rejected.jsonl`` in the same folder
        (appended, as they were) and unfinished staging files are removed.
        """
        if not self.folder.is_dir():
            return []
        with FileLock(str(self.folder / ".lock")):
            lines = self._lines()
            bad = [line for line in lines if line.problem is not None]
            if repair:
                remove_stale_staging(self.folder)
            if repair and bad:
                with open(self.folder / REJECTED_FILE, "ab") as rejected:
                    rejected.writelines(line.raw + b"\n" for line in bad)
                self._write([line for line in lines if line.problem is None])
        return [(line.number, line.problem or "") for line in bad]

    def add(self, texts, label: str, *, source: str = "manual", mask: bool = True) -> list[str]:
        """Store messages under ``label``; return their case ids (merged duplicates keep theirs)."""
        texts = check_texts(texts, allow_single=True, max_chars=MAX_CHARS)
        self.folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        ids = []
        with FileLock(str(self.folder / ".lock")):
            lines = self._checked_lines()  # lines that are not cases are written back as they are
            check_label(label, [*LABELS, *(line.case["label"] for line in lines if line.case)])
            remove_stale_staging(self.folder)  # under the lock, none is in use
            by_id = {line.case["id"]: line.case for line in lines if line.case is not None}
            for text in texts:
                stored = mask_personal(text) if mask else text
                case_id = _case_id(stored, label)
                if case_id in by_id:
                    by_id[case_id]["reports"] = by_id[case_id].get("reports", 1) + 1
                    by_id[case_id]["last_reported"] = now
                else:
                    by_id[case_id] = {
                        "id": case_id,
                        "text": stored,
                        "label": label,
                        "source": source,
                        "first_reported": now,
                        "last_reported": now,
                        "reports": 1,
                        "masked": mask,
                    }
                    lines.append(_Line(0, b"", by_id[case_id], None))
                ids.append(case_id)
            self._write(lines)
        return ids

    def add_file(
        self,
        path: str | Path,
        *,
        label: str | None = None,
        source: str = "manual",
        mask: bool = True,
    ) -> list[str]:
        """Store the messages of a file.

        ``.jsonl``/``.csv`` rows carry their ``label``; a ``.txt`` file needs ``label``.

        Returns the case ids, grouped by label.
        """
        if format_of(path) == "txt":
            if label is None:
                raise SchemaError(f"{path}: a .txt file has no labels; give the label")
            with read_records(path) as reader:
                return self.add([r["text"] for r in reader], label, source=source, mask=mask)
        by_label: dict[str, list[str]] = {}
        for text, case_label in zip(*read_labeled(path)):
            by_label.setdefault(case_label, []).append(text)
        return [
            case_id
            for case_label, texts in by_label.items()
            for case_id in self.add(texts, case_label, source=source, mask=mask)
        ]

    def list(self, *, label: str | None = None) -> list[dict]:
        """Return the stored cases (of one label if given), oldest first."""
        return [case for case in self._read() if label is None or case["label"] == label]

    def export(self, path: str | Path) -> int:
        """Write the cases as JSON Lines (``text``, ``label`` and the rest); return how many."""
        cases = self.list()
        with atomic_write(path) as f:
            for case in cases:
                f.write(json.dumps(case, ensure_ascii=False) + "\n")
        return len(cases)
