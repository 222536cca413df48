import json
import multiprocessing

import pytest

from scamtext.cli import main
from scamtext.lifecycle.cases import CaseStore, mask_personal


@pytest.mark.parametrize(
    "raw, masked",
    [
        ("请联系13812345678", "请联系138****5678"),
        ("电话 138-1234-5678", "电话 138****5678"),
        ("卡号 6222 0212 3456 7890 123", "卡号 ****0123"),
        ("身份证11010519491231002X", "身份证110105********002X"),
        ("我是张伟，你儿子出事了", "我是张**，你儿子出事了"),
        ("我是刘德警官", "我是刘**警官"),
        ("陈晓红老师说要交资料费", "陈**老师说要交资料费"),
        ("明天开会", "明天开会"),
    ],
)
def test_masking(raw, masked):
    assert mask_personal(raw) == masked


def test_add_merges_duplicates_and_keeps_unmasked_when_asked(tmp_path):
    store = CaseStore(tmp_path)
    first = store.add(["加微信 abc123 领红包", "加微信 abc123 领红包 "], "fake_prize")
    assert first[0] == first[1]  # same message after normalisation
    store.add(["我是张伟，借我点钱"], "impersonate_acquaintance", mask=False, source="bank")
    cases = store.list()
    assert [c["reports"] for c in cases] == [2, 1]
    assert cases[1]["text"] == "我是张伟，借我点钱" and cases[1]["source"] == "bank"
    assert store.list(label="fake_prize")[0]["label"] == "fake_prize"
    with pytest.raises(ValueError, match="label '' is refused"):
        store.add(["x"], "")


def _add_many(folder, worker):
    store = CaseStore(folder)
    for i in range(25):
        store.add([f"第{worker}号进程的第{i}条举报消息，刷单返利"], "brushing")


def test_concurrent_adds_lose_nothing(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_many, args=(tmp_path, w)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    assert len(CaseStore(tmp_path).list()) == 100


def test_cli_add_list_export(tmp_path, capsys):
    store = tmp_path / "store"
    assert (
        main(
            [
                "cases",
                "--store",
                str(store),
                "add",
                "--label",
                "loan",
                "无抵押贷款，先交保证金",
                "征信修复，联系13812345678",
            ]
        )
        == 0
    )
    src = tmp_path / "more.jsonl"
    src.write_text(
        json.dumps({"text": "新型骗局", "label": "brand_new"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    assert main(["cases", "--store", str(store), "add", "--input", str(src)]) == 0
    capsys.readouterr()
    assert main(["cases", "--store", str(store), "list"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [c["label"] for c in listed] == ["loan", "loan", "brand_new"]
    assert listed[1]["text"] == "征信修复，联系138****5678"
    out = tmp_path / "export.jsonl"
    assert main(["cases", "--store", str(store), "export", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert main(["cases", "--store", str(store), "add", "没有标签"]) == 1
