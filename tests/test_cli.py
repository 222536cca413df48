import csv
import io
import json
import sys

import pytest

from conftest import DOCS
from scamtext.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def lines(out):
    return [json.loads(line) for line in out.splitlines()]


def test_classify_arguments(capsys):
    code, out, _ = run(capsys, "classify", "今晚一起吃饭吗？", "刷单返利，先垫付后返佣金")
    assert code == 0
    records = lines(out)
    assert [r["text"] for r in records] == ["今晚一起吃饭吗？", "刷单返利，先垫付后返佣金"]
    assert records[1]["label"] == "brushing" and records[1]["is_scam"] is True
    assert set(records[0]) == {"text", "label", "is_scam", "score", "probabilities"}


def test_classify_jsonl_passes_ids_through_in_order(tmp_path, capsys):
    path = tmp_path / "msgs.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": i, "text": t, "channel": "sms"}, ensure_ascii=False) + "\n"
            for i, (t, _) in enumerate(DOCS)
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "classify", "--input", str(path), "--batch-size", "4")
    assert code == 0
    records = lines(out)
    assert [r["id"] for r in records] == list(range(len(DOCS)))
    assert all(r["channel"] == "sms" and "label" in r for r in records)


def test_classify_csv_and_output_file(tmp_path, capsys):
    src = tmp_path / "msgs.csv"
    src.write_text("id,text\na,您的验证码是123456\nb,\n", encoding="utf-8")
    dest = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "classify", "-i", str(src), "-o", str(dest))
    assert code == 0 and out == ""
    records = lines(dest.read_text(encoding="utf-8"))
    assert [(r["id"], r["label"]) for r in records] == [("a", "normal"), ("b", "normal")]


def test_classify_stdin_txt(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("明天见\n\n".encode())))
    code, out, _ = run(capsys, "classify")
    assert code == 0
    assert [r["text"] for r in lines(out)] == ["明天见", ""]


def test_malformed_line_stops_with_file_and_line(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a"}\n{"text": 5}\n{"text": "c"}\n', encoding="utf-8")
    code, out, err = run(capsys, "classify", "--input", str(path))
    assert code == 1
    assert err.strip().splitlines() == [
        "scamtext: 2 read, 1 written, 0 skipped",  # the record before the bad line is written
        f"scamtext: error: {path}:2: 'text' must be a string (int)",
    ]
    assert [r["text"] for r in lines(out)] == ["a"]


def test_skip_bad_processes_the_rest(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a"}\nnot json\n{"text": "c"}\n', encoding="utf-8")
    with pytest.warns(UserWarning, match="bad.jsonl:2: invalid JSON"):
        code, out, err = run(capsys, "classify", "--input", str(path), "--skip-bad")
    assert code == 0
    assert [r["text"] for r in lines(out)] == ["a", "c"]
    assert "3 read, 2 written, 1 skipped" in err


def test_verbose_shows_the_traceback(tmp_path, capsys):
    code, _, err = run(capsys, "-v", "classify", "--input", str(tmp_path / "missing.txt"))
    assert code == 1 and "Traceback" in err and "No such file" in err


def test_usage_errors_exit_2(capsys):
    assert run(capsys, "classify", "--batch-size", "x")[0] == 2
    assert run(capsys, "nope")[0] == 2
    code, out, _ = run(capsys, "classify", "--help")
    assert code == 0 and "--skip-bad" in out


def test_explain_plain_and_json(capsys):
    text = "【公安局】你名下银行卡涉嫌洗钱，请将资金转入安全账户"
    code, out, _ = run(capsys, "explain", text)
    assert code == 0
    assert out.splitlines()[0] == "label: impersonate_police (冒充公检法及政府机关)   scam: yes"
    assert "[+" in out and "score" in out and "要求把钱转入所谓安全账户核查" in out
    code, out, _ = run(capsys, "explain", text, "--json", "--top-k", "3")
    data = json.loads(out)
    assert data["label"] == "impersonate_police" and len(data["evidence"]) == 3
    for ev in data["evidence"]:
        assert text[ev["start"] : ev["end"]] == ev["text"]


@pytest.mark.parametrize("kind", ["linear", "gbdt"])
def test_train_from_files_then_evaluate(kind, tmp_path, capsys):
    data = tmp_path / "train.jsonl"
    data.write_text(
        "".join(
            json.dumps({"text": t, "label": y}, ensure_ascii=False) + "\n" for t, y in DOCS * 3
        ),
        encoding="utf-8",
    )
    out_dir = tmp_path / "model"
    code, _, err = run(capsys, "train", "--out", str(out_dir), "--kind", kind, "--data", str(data))
    assert code == 0, err
    assert "training a" in err and f"saved {kind} model" in err
    meta = json.loads((out_dir / "metadata.json").read_text())
    assert meta["kind"] == kind and meta["training_data"]["messages"] == len(DOCS) * 3
    code, out, _ = run(capsys, "evaluate", "--model", str(out_dir), "--data", str(data), "--json")
    assert code == 0
    assert json.loads(out)["accuracy"] >= 0.9


def test_evaluate_default_model_on_test_split(capsys):
    code, out, _ = run(capsys, "evaluate")
    assert code == 0
    assert "macro-F1" in out and "hard negatives flagged as scam" in out


def test_two_jobs_give_the_same_records_in_order(tmp_path, capsys):
    path = tmp_path / "msgs.txt"
    path.write_text("\n".join(t for t, _ in DOCS * 3) + "\n", encoding="utf-8")
    code1, out1, _ = run(capsys, "classify", "-i", str(path), "-j", "1", "--batch-size", "5")
    code2, out2, _ = run(capsys, "classify", "-i", str(path), "-j", "2", "--batch-size", "5")
    assert code1 == code2 == 0
    assert out1 == out2
    assert len(lines(out2)) == len(DOCS) * 3


def test_evaluate_writes_plots_for_a_labeled_file(tmp_path, capsys):
    data = tmp_path / "labeled.csv"
    with open(data, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("text", "label"), *DOCS])
    code, out, err = run(
        capsys, "evaluate", "--data", str(data), "--plots", str(tmp_path / "plots")
    )
    assert code == 0 and "macro-F1" in out
    for name in ("confusion.png", "reliability.png"):
        assert (tmp_path / "plots" / name).stat().st_size > 5000
