import json
from pathlib import Path

import numpy as np
import pytest

import scamtext
from scamtext.taxonomy import LABELS

GOLDEN = [
    json.loads(line)
    for line in open(Path(__file__).parent / "golden" / "messages.jsonl", encoding="utf-8")
]


def test_golden_messages_cover_every_label():
    assert {row["label"] for row in GOLDEN} == set(LABELS)


@pytest.mark.parametrize("row", GOLDEN, ids=[f"{r['label']}-{i}" for i, r in enumerate(GOLDEN)])
def test_shipped_model_labels_golden_messages(row):
    result = scamtext.predict(row["text"])[0]
    assert result.label == row["label"]
    assert result.is_scam == (row["label"] != "normal")


def test_prediction_fields():
    result = scamtext.predict(["【招商银行】您尾号1234的账户入账8,650.00元"])[0]
    assert set(result.to_dict()) == {"label", "is_scam", "score", "probabilities"}
    assert set(result.probabilities) == set(LABELS)
    assert result.score == max(result.probabilities.values())
    assert sum(result.probabilities.values()) == pytest.approx(1.0)


def test_empty_and_whitespace_messages_are_normal():
    results = scamtext.predict(["", "   ", "\n"])
    assert [r.label for r in results] == ["normal"] * 3
    assert scamtext.predict([]) == []


@pytest.mark.parametrize(
    "bad, message",
    [
        ([None], r"texts\[0\] is NoneType \(None\); expected str"),
        (["ok", b"bytes"], r"texts\[1\] is bytes"),
        (["ok", "ok", float("nan")], r"texts\[2\] is float \(nan\)"),
        ([1], r"texts\[0\] is int \(1\)"),
        (b"bytes", r"texts is bytes; expected a list of str"),
        (42, r"texts is int"),
    ],
)
def test_bad_input_names_position_and_type(bad, message):
    with pytest.raises(scamtext.InvalidInputError, match=message):
        scamtext.predict(bad)


def test_classify_iter_matches_predict_in_order():
    texts = [row["text"] for row in GOLDEN]
    streamed = list(scamtext.classify_iter(iter(texts), batch_size=7))
    assert [p.label for p in streamed] == [p.label for p in scamtext.predict(texts)]


def test_train_and_predict_with_a_model_object():
    from conftest import LABELS as Y
    from conftest import TEXTS as X

    model = scamtext.train(X, Y, kind="linear", min_df=1, calibrate=False)
    assert isinstance(model, scamtext.ScamClassifier)
    assert scamtext.predict(X[:2], model=model)[0].label == Y[0]


def test_load_model_gives_a_copy_that_cannot_change_predict(default_model):
    before = scamtext.predict(GOLDEN[0]["text"])[0]
    mine = scamtext.load_model()
    assert mine is not scamtext.load_model()
    mine.set_params(calibrate=False, min_df=1).fit(["刷单返利", "明天见"], ["brushing", "normal"])
    assert list(mine.classes_) == ["brushing", "normal"]
    assert scamtext.predict(GOLDEN[0]["text"])[0] == before


def test_default_model_is_calibrated(default_model):
    assert 0.05 < default_model.temperature_ < 20
    proba = default_model.predict_proba([row["text"] for row in GOLDEN])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
