"""Property tests (hypothesis) over the reader, the command line and predict/explain.

Small runs that fit in the suite; ``scripts/fuzz_reliability.py`` runs the same checks
over 20,000+ generated inputs and writes ``reports/reliability.md``.
"""

from __future__ import annotations

import io
import json
import re
import warnings
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scamtext
from scamtext._validation import MAX_CHARS
from scamtext.cli import main
from scamtext.exceptions import SchemaError
from scamtext.io.records import RecordReader

SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Lines a careless user or an attacker puts in a file: valid records, other encodings,
# broken JSON, lone surrogates, NaN, deep nesting, quotes and carriage returns, raw bytes.
_TEXT = st.text(max_size=30)
LINES = st.one_of(
    st.builds(lambda t: json.dumps({"text": t}, ensure_ascii=False).encode(), _TEXT),
    st.builds(lambda t: json.dumps({"text": t, "id": 1}).encode(), _TEXT),
    st.builds(lambda t: t.encode("utf-8"), _TEXT),
    st.builds(lambda t: t.encode("utf-16"), _TEXT),
    st.builds(lambda t: t.encode("gb18030", errors="ignore"), _TEXT),
    st.binary(max_size=30),
    st.sampled_from(
        [
            b'{"text": "a\\ud800"}',
            b'{"text": "b", "v": NaN}',
            b'{"text": "c", "n": 1e999}',
            b"[" * 2000,
            b'{"text": 5}',
            b'"unbalanced,quote',
            b'ok,"multi',
            b"\xef\xbb\xbftext,id",
            b"text,id",
            b"a\rb",
            b"",
        ]
    ),
)
FILES = st.lists(LINES, max_size=12).map(lambda lines: b"\n".join(lines))


@contextmanager
def quiet():
    """Let the reader's warnings pass silently: they are counted instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _check_records(records, reader):
    for record in records:
        assert isinstance(record["text"], str) and len(record["text"]) <= MAX_CHARS
        json.dumps(record, ensure_ascii=False, allow_nan=False).encode("utf-8")
    assert reader.read == len(records) + reader.skipped


@settings(SETTINGS, max_examples=300)
@given(data=FILES, fmt=st.sampled_from(["txt", "jsonl", "csv"]))
def test_the_reader_never_crashes_and_counts_every_record(data, fmt):
    reader = RecordReader(io.BytesIO(data), fmt=fmt, name="in", skip_bad=True)
    try:
        with quiet():
            records = list(reader)
    except SchemaError as error:  # the whole file: UTF-16, or a CSV header without 'text'
        reasons = "the file is UTF-16|no 'text' column|header names|unreadable header"
        assert re.match(rf"in(:\d+)?: ({reasons})", str(error))
        return
    _check_records(records, reader)
    if fmt == "txt":  # a line is a message: none is lost
        lines = data.split(b"\n")
        assert reader.read == len(lines) - (lines[-1] == b"")
    stopping = RecordReader(io.BytesIO(data), fmt=fmt, name="in")
    first = list(stopping.until_error())
    assert first == records[: len(first)]
    assert (stopping.error is None) == (reader.skipped == 0)


@pytest.fixture(scope="module")
def tiny(small_linear, tmp_path_factory):
    from scamtext.model.persistence import save_model

    return save_model(small_linear, tmp_path_factory.mktemp("tiny") / "model")


@settings(SETTINGS, max_examples=40)
@given(data=FILES)
def test_the_command_line_writes_every_good_record_and_says_how_many(
    data, tiny, tmp_path_factory, capsys
):
    src = tmp_path_factory.mktemp("fuzz") / "in.jsonl"
    src.write_bytes(data)
    with quiet():
        code = main(["classify", "--model", str(tiny), "-j", "1", "-i", str(src), "--skip-bad"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert code == 1 and "the file is UTF-16" in err and out == ""
        return
    assert code == 0
    written = [json.loads(line) for line in out.split("\n")[:-1]]
    read, n, skipped = map(
        int, re.search(r"(\d+) read, (\d+) written, (\d+) skipped", err).groups()
    )
    assert n == len(written) and read == n + skipped
    out.encode("utf-8")
    code = main(["classify", "--model", str(tiny), "-j", "1", "-i", str(src)])
    out, err = capsys.readouterr()
    assert code == (1 if skipped else 0) and "Traceback" not in err
    printed = [json.loads(line) for line in out.split("\n")[:-1]]
    assert printed == written[: len(printed)]
    if skipped:
        assert err.splitlines()[-1].startswith(f"scamtext: error: {src}:")


PIECES = st.sampled_from(
    [
        "你好",
        "今晚一起吃饭吗？",
        "刷单返利，先垫付后返佣金",
        "请将资金转入安全账户",
        " ",
        "\u200b",
        "a",
        "\n",
    ]
)


@settings(SETTINGS, max_examples=30)
@given(
    text=st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda piece, n, tail: piece * n + tail,
            PIECES,
            st.integers(0, 6_000),
            st.text(max_size=40),
        ),
    )
)
def test_predict_and_explain_always_agree(text, default_model):
    predicted = scamtext.predict(text, model=default_model)[0]
    explained = scamtext.explain(text, model=default_model)
    assert explained.label == predicted.label
    assert explained.probability == pytest.approx(predicted.score, abs=1e-9)
    assert abs(explained.total() - explained.score) < 1e-6
    assert all(text[e.start : e.end] == e.text for e in explained.evidence)
