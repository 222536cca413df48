import gzip
import io

import pytest

from scamtext import SchemaError
from scamtext.io.records import BadRecordError, RecordReader, format_of, open_text


def read(content, fmt, skip_bad=False):
    reader = RecordReader(io.StringIO(content), fmt=fmt, name="in." + fmt, skip_bad=skip_bad)
    return list(reader), reader


def test_txt_keeps_every_line_including_empty_ones():
    records, _ = read("第一条\n\n第三条\r\n", "txt")
    assert records == [{"text": "第一条"}, {"text": ""}, {"text": "第三条"}]


def test_jsonl_passes_fields_through_and_names_bad_lines():
    records, _ = read('{"id": 7, "text": "a"}\n\n{"id": 8, "text": "b"}\n', "jsonl")
    assert records == [{"id": 7, "text": "a"}, {"id": 8, "text": "b"}]
    with pytest.raises(BadRecordError, match=r"in.jsonl:2: invalid JSON"):
        read('{"text": "a"}\n{oops\n', "jsonl")
    with pytest.raises(BadRecordError, match=r"in.jsonl:1: 'text' must be a string \(NoneType\)"):
        read('{"text": null}\n', "jsonl")
    with pytest.raises(
        BadRecordError, match=r"in.jsonl:1: 'text' must be a string \(no 'text' field\)"
    ):
        read('{"id": 1}\n', "jsonl")


def test_skip_bad_warns_and_counts():
    with pytest.warns(UserWarning, match="in.jsonl:2"):
        records, reader = read('{"text": "a"}\n[1]\n{"text": "c"}\n', "jsonl", skip_bad=True)
    assert [r["text"] for r in records] == ["a", "c"]
    assert reader.skipped == 1


def test_csv_needs_a_text_column_and_full_rows():
    records, _ = read('id,text\n1,你好\n2,"多行\n消息"\n', "csv")
    assert records == [{"id": "1", "text": "你好"}, {"id": "2", "text": "多行\n消息"}]
    with pytest.raises(BadRecordError, match="no 'text' column"):
        read("id,body\n1,x\n", "csv")
    with pytest.raises(BadRecordError, match="in.csv:3: row does not have as many fields"):
        read("id,text\n1,a\n2\n", "csv")


def test_format_of_and_gzip(tmp_path):
    names = ("a.txt", "a.jsonl", "a.csv.gz", "a.json", "a.NDJSON.gz")
    assert [format_of(n) for n in names] == ["txt", "jsonl", "csv", "jsonl", "jsonl"]
    assert format_of("anything", "json") == "jsonl"
    for unknown in ("a.tsv", "a", "a.gz", "a.parquet"):
        with pytest.raises(SchemaError, match="cannot tell the format of .* use one of .txt"):
            format_of(unknown)
    path = tmp_path / "m.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("压缩的消息\n")
    with open_text(path) as stream:
        assert stream.read() == "压缩的消息\n"
