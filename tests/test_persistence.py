import hashlib
import json
import os
import pickle
import time

import numpy as np
import pytest
import skops.io as sio

import scamtext
from conftest import TEXTS
from scamtext import ModelLoadError, load_model, save_model
from scamtext.model.persistence import METADATA_FILE, MODEL_FILE, read_metadata


def _reseal(folder):
    """Make metadata.json's checksum match a replaced model file (as an attacker would)."""
    metadata = json.loads((folder / METADATA_FILE).read_text())
    metadata["sha256"] = hashlib.sha256((folder / MODEL_FILE).read_bytes()).hexdigest()
    (folder / METADATA_FILE).write_text(json.dumps(metadata))


@pytest.mark.parametrize("fixture", ["small_linear", "small_gbdt"])
def test_round_trip_gives_identical_probabilities(fixture, request, tmp_path):
    clf = request.getfixturevalue(fixture)
    folder = save_model(clf, tmp_path / "model", metadata={"note": "test"})
    loaded = load_model(folder)
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), clf.predict_proba(TEXTS))
    assert loaded.get_params() == clf.get_params()
    assert loaded.metadata_["note"] == "test"
    assert loaded.metadata_["labels"] == clf.classes_.tolist()
    assert loaded.metadata_["versions"]["scikit-learn"]


class _Payload:
    def __reduce__(self):
        return (os.system, ("touch pwned-by-model-file",))


def test_malicious_pickle_is_refused_and_not_run(small_linear, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = save_model(small_linear, tmp_path / "model")
    (folder / MODEL_FILE).write_bytes(pickle.dumps(_Payload()))
    _reseal(folder)
    with pytest.raises(ModelLoadError, match="not a skops file"):
        load_model(folder)
    assert not (tmp_path / "pwned-by-model-file").exists()


def test_skops_file_with_untrusted_types_is_refused(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    sio.dump({"call": time.sleep}, folder / MODEL_FILE)
    (folder / METADATA_FILE).write_text(json.dumps({"format": "scamtext-model/1"}))
    _reseal(folder)
    with pytest.raises(ModelLoadError, match=r"untrusted types \['time.sleep'\]"):
        load_model(folder)


def test_tampered_model_file_fails_the_checksum(small_linear, tmp_path):
    folder = save_model(small_linear, tmp_path / "model")
    with open(folder / MODEL_FILE, "ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelLoadError, match="does not match the checksum"):
        load_model(folder)


def test_foreign_or_missing_folders(tmp_path):
    with pytest.raises(ModelLoadError, match="no such model folder"):
        load_model(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="no metadata.json"):
        load_model(tmp_path / "empty")
    (tmp_path / "empty" / METADATA_FILE).write_text("{not json")
    with pytest.raises(ModelLoadError, match="not valid JSON"):
        read_metadata(tmp_path / "empty")


def test_a_failed_save_leaves_the_old_model_intact(small_linear, tmp_path, monkeypatch):
    folder = save_model(small_linear, tmp_path / "model")
    before = (folder / MODEL_FILE).read_bytes()

    def broken_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(sio, "dump", broken_dump)
    with pytest.raises(OSError, match="disk full"):
        save_model(small_linear, folder)
    assert (folder / MODEL_FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # no temporary left


def test_shipped_model_is_small_and_described(default_model):
    metadata = default_model.metadata_
    from scamtext.model.persistence import default_model_path

    size = sum(p.stat().st_size for p in default_model_path().iterdir())
    assert size < 20e6
    assert metadata["kind"] == "linear"
    assert set(metadata["labels"]) == set(__import__("scamtext").LABELS)
    assert len(metadata["training_data"]["sha256"]) == 64
    assert metadata["test_metrics"]["macro_f1"] > 0.9


def test_shipped_model_loads_quickly():
    from scamtext.model.persistence import load_model as load_from_disk

    started = time.perf_counter()
    load_from_disk(None)
    assert time.perf_counter() - started < 2.0


def test_a_model_saved_by_scamtext_0_1_still_loads(tmp_path):
    """Saved with the flat 0.1 layout (scamtext.models...): migrated on load, same output."""
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    expected = json.loads((fixtures / "model_v0_1_0_expected.json").read_text(encoding="utf-8"))
    model = scamtext.load_model(fixtures / "model_v0_1_0")
    assert type(model).__module__ == "scamtext.model.classifier"
    assert model.classes_.tolist() == expected["classes"]
    np.testing.assert_allclose(
        model.predict_proba(expected["messages"]), expected["probabilities"], atol=1e-9
    )
    resaved = scamtext.save_model(model, tmp_path / "resaved")
    assert "scamtext.models" not in (resaved / "metadata.json").read_text(encoding="utf-8")
    np.testing.assert_allclose(
        scamtext.load_model(resaved).predict_proba(expected["messages"]),
        expected["probabilities"],
        atol=1e-9,
    )
