"""The retrain loop on a small corpus: new label, gate, versions, rollback, crash safety."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from scamtext.cli import main
from scamtext.lifecycle.corpus import load_corpus
from scamtext.lifecycle.registry import ModelRegistry
from scamtext.lifecycle.retrain import retrain, update
from scamtext.lifecycle.training import train_and_save
from scamtext.model.persistence import load_model

NEW_CASES = [
    json.loads(line)
    for line in open(Path(__file__).parent / "fixtures" / "new_label_cases.jsonl", encoding="utf-8")
]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """1,500 training and 500 test messages of the shipped corpus, for fast retraining."""
    folder = tmp_path_factory.mktemp("corpus")
    corpus = load_corpus()
    rng = np.random.default_rng(0)
    for split, n in (("train", 1500), ("validation", 50), ("test", 500)):
        rows = corpus[split].select(sorted(rng.choice(len(corpus[split]), n, replace=False)))
        with open(folder / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder


@pytest.fixture(scope="module")
def champion(small_corpus, tmp_path_factory):
    """A linear model trained on the small corpus: the model to beat.

    Without calibration, which retrained challengers inherit: it halves their training time.
    """
    path = tmp_path_factory.mktemp("champion") / "model"
    train_and_save(path, corpus_dir=small_corpus, params={"calibrate": False})
    return path


def test_a_new_label_is_learned_from_40_cases(small_corpus, champion, tmp_path):
    registry = ModelRegistry(tmp_path / "models")
    # On a 1,500-message corpus, macro-F1 over 500 test messages moves by about a point from
    # run to run, so this test allows 2 points; the gate itself is tested below.
    result = retrain(
        NEW_CASES[:40], registry=registry, base=champion, corpus_dir=small_corpus, tolerance=0.02
    )
    assert result.promoted, result.report["gate"]
    assert registry.current() == result.version
    model = load_model(registry.path(result.version))
    assert "etc_phishing" in model.classes_
    unseen = [c["text"] for c in NEW_CASES[40:]]
    assert np.mean(model.predict(unseen) == "etc_phishing") >= 0.8
    meta = model.metadata_
    assert meta["parent_version"] == "model"
    assert meta["retrain"]["challenger"]["held_back_case_accuracy"] >= 0.7
    assert len(meta["training_data"]["sha256"]) == 64


def test_gate_refuses_a_regressing_challenger(small_corpus, champion, tmp_path, capsys):
    corpus = load_corpus(small_corpus)
    wrong = [
        {"text": t, "label": "loan"}
        for t, y in zip(corpus["test"]["text"], corpus["test"]["label"])
        if y == "normal"
    ][:150]  # genuine messages reported as loan scams
    wrong_file = tmp_path / "wrong.jsonl"
    wrong_file.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in wrong), "utf-8")
    registry_dir = tmp_path / "models"
    argv = [
        "retrain",
        "--cases",
        str(wrong_file),
        "--base",
        str(champion),
        "--out",
        str(registry_dir),
        "--corpus",
        str(small_corpus),
    ]
    code = main(argv)
    out = capsys.readouterr().out
    assert code == 1
    assert "NOT made current: test macro-F1 drops by" in out
    registry = ModelRegistry(registry_dir)
    assert registry.current() is None and len(registry.versions()) == 1
    code = main([*argv, "--force"])
    assert code == 0 and "(forced)" in capsys.readouterr().out
    assert registry.current() is not None


def test_versions_use_and_rollback(small_corpus, champion, tmp_path, capsys):
    registry = ModelRegistry(tmp_path / "models")
    first = retrain(
        NEW_CASES[:30], registry=registry, base=champion, corpus_dir=small_corpus, force=True
    ).version
    second = retrain(
        NEW_CASES[30:], registry=registry, base=first, corpus_dir=small_corpus, force=True
    ).version
    assert registry.current() == second
    assert load_model(registry.path(second)).metadata_["parent_version"] == first
    assert main(["models", "--registry", str(registry.folder), "list"]) == 0
    listed = capsys.readouterr().out
    assert f"* {second}" in listed and f"  {first}" in listed
    assert main(["models", "--registry", str(registry.folder), "rollback"]) == 0
    assert registry.current() == first
    assert main(["models", "--registry", str(registry.folder), "use", second]) == 0
    assert registry.current() == second
    assert main(["models", "--registry", str(registry.folder), "use", "nope"]) == 1
    code = main(
        [
            "classify",
            "--registry",
            str(registry.folder),
            "--model",
            first,
            "【ETC服务】您的ETC已失效",
        ]
    )
    assert code == 0 and '"label"' in capsys.readouterr().out


def test_a_killed_retrain_leaves_the_current_model_intact(small_corpus, champion, tmp_path):
    registry = ModelRegistry(tmp_path / "models")
    kept = retrain(
        NEW_CASES[:20], registry=registry, base=champion, corpus_dir=small_corpus, force=True
    ).version
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in NEW_CASES), "utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scamtext",
            "retrain",
            "--cases",
            str(cases),
            "--out",
            str(registry.folder),
            "--corpus",
            str(small_corpus),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(4)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert registry.current() == kept
    assert [v["version"] for v in registry.versions()] == [kept]
    assert load_model(registry.path(kept)).predict(["明天开会"])[0] == "normal"


def test_fast_update_absorbs_cases_of_known_labels(small_corpus, champion):
    model = load_model(champion)
    texts = [c["text"] for c in NEW_CASES[:20]]
    started = time.perf_counter()
    updated = update(model, texts, ["refund"] * 20, corpus_dir=small_corpus)
    assert time.perf_counter() - started < 60
    assert list(updated.classes_) == list(model.classes_)
    assert np.mean(updated.predict(texts) == "refund") > np.mean(model.predict(texts) == "refund")
    assert model.pipeline_[-1] is not updated.pipeline_[-1]  # the original is unchanged
    with pytest.raises(ValueError, match="use retrain to add labels"):
        update(model, texts[:1], ["etc_phishing"], corpus_dir=small_corpus)


def test_fast_update_of_an_augmented_model_augments_too(small_corpus, champion, monkeypatch):
    import scamtext.model.classifier

    model = load_model(champion)
    model.set_params(augment=True)
    seen = []
    monkeypatch.setattr(
        scamtext.model.classifier, "augment", lambda t, y, **kw: seen.append(len(t)) or (t, y)
    )
    update(model, [NEW_CASES[0]["text"]], ["refund"], corpus_dir=small_corpus, max_iter=5)
    model.set_params(augment=False)
    update(model, [NEW_CASES[0]["text"]], ["refund"], corpus_dir=small_corpus, max_iter=5)
    assert len(seen) == 1 and seen[0] > 1


def test_a_new_label_with_few_cases_is_accepted_with_a_warning(small_corpus, champion, tmp_path):
    registry = ModelRegistry(tmp_path / "models")
    with pytest.warns(UserWarning, match="new label 'etc_phishing' has only 6 case"):
        result = retrain(
            NEW_CASES[:6], registry=registry, base=champion, corpus_dir=small_corpus, force=True
        )
    assert "etc_phishing" in load_model(registry.path(result.version)).classes_
