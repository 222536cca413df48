"""Tests of scamtext.batch.spark: the pandas UDF gives the in-process results, file to file."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

import scamtext

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java: no java on PATH and no JAVA_HOME", allow_module_level=True)

from scamtext.batch import spark as scamspark  # noqa: E402
from scamtext.exceptions import ScamTextError, SchemaError  # noqa: E402
from scamtext.model.persistence import default_model_path  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    # pyspark 4 warns on the driver when pandas >= 3 is installed; not ours to fix.
    "ignore:PySpark does not yet fully support pandas:FutureWarning",
)

# Invented for the tests; no real people, numbers or sites.
MESSAGES = [
    "【公安局】你名下银行卡涉嫌洗钱，请将资金转入安全账户配合核查，不要告诉家人",
    "我是市检察院刘警官，你涉嫌一起诈骗案，请立即下载会议软件开启屏幕共享",
    "你的社保卡在外地被冒用，已移交公安机关，请按提示转账到清查账户",
    "【公安局】你名下銀行卡涉嫌洗錢，請將資金轉入安全賬戶配合核查，不要告訴家人",
    "无抵押贷款秒批，额度5万，放款前需先交2000保证金刷流水",
    "您的网贷账户银行卡号填错已冻结，缴纳解冻费后即可放款",
    "無抵押貸款秒批，額度十萬，放款前先交保證金",
    "亲，您购买的面膜质量有问题，客服为您办理双倍理赔，请加QQ操作退款",
    "您在抖音开通了百万保障会员，不取消将每月扣费，请联系客服关闭",
    "刷单兼职，点赞一单返佣金5元，先垫付后返本金",
    "在家做任务日赚300，做任务前需交押金，名额有限",
    "家长您好，我是三年级二班班主任，请扫码缴纳资料费268元，不要在群里接龙",
    "班主任：本学期课本费请私聊我转账，今天下午截止",
    "恭喜您获得《奔跑吧》场外幸运观众二等奖，奖金12万元，请登录 hxbpb.com 领取",
    "恭喜您被抽中为幸运用户，获得苹果手机一部，只需支付邮费即可领取",
    "出售游戏账号，满级装备全送，先付定金再换绑，走私下交易更便宜",
    "老板，你的游戏装备有人出高价收购，请到这个交易平台登记收款",
    "爸，我手机掉水里了，这是我新号，急需交培训费5000，先转到这个卡上",
    "我是你领导张总，明天到我办公室，先帮我给这个账户转一笔款",
    "导师带你炒股，内部消息稳赚不赔，加入VIP群每天收益20%",
    "数字货币投资平台，充值一万当天返利三千，名额有限速来",
    "亲爱的，我在海外做跨境电商，带你一起投资，我们的未来需要你投入",
    "认识你很开心，我在平台上押注从没输过，你也充一点试试吧",
    "今晚一起吃火锅吗？我订了七点的位子",
    "【招商银行】您尾号1234的账户于11月20日入账工资8,650.00元",
    "您的验证码是482913，5分钟内有效，请勿泄露给他人",
    "【菜鸟驿站】您的包裹已到小区东门驿站，取件码 3-2-1108",
    "明天下午三点开会，记得带材料",
    "妈，我周末回家吃饭，帮我留点排骨",
    "今晚一起吃火鍋嗎？我訂了七點的位子",
    "【反诈中心】提醒您：凡是要求转账到安全账户的都是诈骗",
    "老师好，孩子今天发烧请假一天，谢谢",
    "会议改到周四上午十点，地点不变",
    "周末去爬山吗？天气预报说是晴天",
    "【中国移动】您本月话费账单已出，合计58.00元，回复TD退订",
    "快递已签收，放在门卫室了",
    "",
    "你好",
    "第一行：请家长缴费\n第二行：扫码转账给班主任，截止今天",
    "这周的读书会在图书馆三楼，欢迎带朋友来",
]
ROWS = [(i, text) for i, text in enumerate(MESSAGES)]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        # Python workers must run this interpreter, where scamtext is installed.
        patch.setenv("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", sys.executable))
        session = (
            SparkSession.builder.master("local[2]")
            .appName("scamtext-tests")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


@pytest.fixture(scope="module")
def messages(spark):
    df = spark.createDataFrame(ROWS, "id long, text string").repartition(3)
    assert df.rdd.getNumPartitions() == 3
    return df


@pytest.fixture(scope="module")
def expected():
    return dict(enumerate(scamtext.predict(MESSAGES)))


def _by_id(rows):
    return {row["id"]: row for row in rows}


def _assert_same_results(rows, expected):
    got = _by_id(rows)
    assert sorted(got) == sorted(expected)
    for i, want in expected.items():
        assert got[i]["label"] == want.label, MESSAGES[i]
        assert got[i]["is_scam"] is want.is_scam, MESSAGES[i]
        assert float(got[i]["score"]) == pytest.approx(want.score, abs=1e-9), MESSAGES[i]


def test_messages_cover_scams_and_normal(expected):
    labels = {p.label for p in expected.values()}
    assert "normal" in labels
    assert len(labels - {"normal"}) >= 5


def test_classify_dataframe_gives_the_in_process_results(messages, expected):
    result = scamspark.classify_dataframe(messages, batch_size=7)
    assert result.columns == ["id", "text", "label", "is_scam", "score"]
    assert dict(result.dtypes) == {
        "id": "bigint",
        "text": "string",
        "label": "string",
        "is_scam": "boolean",
        "score": "double",
    }
    rows = result.collect()
    assert len(rows) == len(MESSAGES)
    assert all(row["text"] == MESSAGES[row["id"]] for row in rows)
    _assert_same_results(rows, expected)


def test_probabilities_map_every_label_and_sums_to_one(messages, expected):
    result = scamspark.classify_dataframe(messages, probabilities=True)
    assert dict(result.dtypes)["probabilities"] == "map<string,double>"
    labels = set(scamtext.load_model().classes_.tolist())
    rows = result.collect()
    _assert_same_results(rows, expected)
    for row in rows:
        assert set(row["probabilities"]) == labels
        assert sum(row["probabilities"].values()) == pytest.approx(1.0, abs=1e-9)
        assert row["probabilities"][row["label"]] == row["score"]
        want = expected[row["id"]].probabilities
        assert row["probabilities"] == pytest.approx(want, abs=1e-9)


def test_null_text_gets_null_results(spark, expected):
    df = spark.createDataFrame(
        [(0, MESSAGES[0]), (1, None), (2, ""), (3, None)], "id long, text string"
    )
    # batch_size=1: chunks of nulls only, as well as chunks without nulls.
    rows = _by_id(scamspark.classify_dataframe(df, probabilities=True, batch_size=1).collect())
    for i in (1, 3):
        assert [rows[i][c] for c in ("label", "is_scam", "score", "probabilities")] == [None] * 4
    assert rows[0]["label"] == expected[0].label
    assert rows[2]["label"] == expected[MESSAGES.index("")].label == "normal"


def test_empty_dataframe_gives_an_empty_result(spark):
    df = spark.createDataFrame([], "id long, text string")
    result = scamspark.classify_dataframe(df, probabilities=True)
    assert result.columns == ["id", "text", "label", "is_scam", "score", "probabilities"]
    assert result.collect() == []


def test_model_is_loaded_once_per_worker_process(spark, tmp_path):
    # A copy under a new path, so no worker has it cached from an earlier test.
    model = shutil.copytree(default_model_path(), tmp_path / "model")
    # More partitions (tasks) than the 2 workers of local[2], and several Arrow batches
    # and chunks in each partition: a load per task or per batch would show in _loads.
    df = spark.createDataFrame(ROWS, "id long, text string").repartition(6)
    previous = spark.conf.get("spark.sql.execution.arrow.maxRecordsPerBatch")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "4")
    loaded_here = scamspark._loaded_models()
    try:
        rows = scamspark._classify(df, model_path=model, batch_size=3, debug=True).collect()
    finally:
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", previous)
    assert len(rows) == len(MESSAGES)
    assert {row["_loads"] for row in rows} == {1}
    pids = {row["_pid"] for row in rows}
    assert 1 <= len(pids) <= 2
    assert os.getpid() not in pids
    assert scamspark._loaded_models() == loaded_here  # the workers load it, not the driver


def test_model_shipped_as_archive_is_found_by_relative_path(spark, tmp_path, messages, expected):
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in default_model_path().iterdir():
            zf.write(file, file.name)
    spark.sparkContext.addArchive(f"{archive}#scamtext_test_model")
    rows = scamspark.classify_dataframe(messages, model_path="scamtext_test_model").collect()
    _assert_same_results(rows, expected)


def test_spark_classify_parquet(spark, messages, expected, tmp_path):
    source, target = str(tmp_path / "in.parquet"), str(tmp_path / "out.parquet")
    messages.write.parquet(source)
    assert scamspark.spark_classify(source, target) == target
    result = spark.read.parquet(target)
    assert result.columns == ["id", "text", "label", "is_scam", "score"]
    _assert_same_results(result.collect(), expected)
    with pytest.raises(scamspark.OutputExistsError, match="out.parquet already exists"):
        scamspark.spark_classify(source, target)


def test_missing_model_fails_the_job_and_leaves_no_output(spark, messages, tmp_path):
    source, target = str(tmp_path / "in.parquet"), tmp_path / "out.parquet"
    messages.write.parquet(source)
    with pytest.raises(Exception, match="no_such_model: no such model folder on this executor"):
        scamspark.spark_classify(source, target, model_path="no_such_model")
    assert not target.exists()


def _write_json_lines(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for i, text in rows:
            f.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")


def test_spark_classify_json_lines(tmp_path, expected):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_json_lines(source, ROWS)
    scamspark.spark_classify(source, target, probabilities=True)
    lines = [
        json.loads(line)
        for part in sorted(target.glob("part-*"))
        for line in part.read_text(encoding="utf-8").splitlines()
    ]
    assert len(lines) == len(MESSAGES)
    assert set(lines[0]) == {"id", "text", "label", "is_scam", "score", "probabilities"}
    _assert_same_results(lines, expected)
    with pytest.raises(FileExistsError, match="already exists"):
        scamspark.spark_classify(source, target)


def test_spark_classify_json_lines_to_csv(tmp_path, expected):
    source, target = tmp_path / "in.json", tmp_path / "out"
    _write_json_lines(source, ROWS)
    scamspark.spark_classify(source, target, output_format="csv", probabilities=True)
    assert all(part.suffix == ".csv" for part in target.glob("part-*"))
    rows = []
    for part in sorted(target.glob("part-*.csv")):
        with open(part, encoding="utf-8", newline="") as f:
            rows += list(csv.DictReader(f))
    assert len(rows) == len(MESSAGES)
    for row in rows:
        row["id"] = int(row["id"])
        row["is_scam"] = {"true": True, "false": False}[row["is_scam"]]
        assert row["text"] == MESSAGES[row["id"]]  # line breaks survive the quoting
        assert set(json.loads(row["probabilities"])) == set(expected[0].probabilities)
    _assert_same_results(rows, expected)


def test_spark_classify_reads_csv_with_line_breaks(spark, tmp_path, expected):
    source, target = tmp_path / "in.csv", str(tmp_path / "out.parquet")
    with open(source, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text"])
        writer.writerows(ROWS)
    scamspark.spark_classify(source, target)  # the format follows the output's extension
    rows = [row.asDict() for row in spark.read.parquet(target).collect()]
    for row in rows:
        row["id"] = int(row["id"])
    assert len(rows) == len(MESSAGES)
    _assert_same_results(rows, expected)


def test_missing_input_and_unknown_format_are_clear_errors(spark, tmp_path):
    with pytest.raises(scamspark.InputNotFoundError, match="nowhere.parquet does not exist"):
        scamspark.spark_classify(tmp_path / "nowhere.parquet", tmp_path / "out.parquet")
    with pytest.raises(SchemaError, match="cannot tell the format of .*messages.txt"):
        scamspark.spark_classify(tmp_path / "messages.txt", tmp_path / "out.parquet")
    with pytest.raises(SchemaError, match="format 'orc' is not one of parquet, csv, jsonl"):
        scamspark.spark_classify(tmp_path / "in.parquet", tmp_path / "out.orc", output_format="orc")
    assert issubclass(scamspark.OutputExistsError, ScamTextError)


def test_bad_dataframes_are_refused_before_the_job(spark):
    df = spark.createDataFrame([(1, "你好", "normal")], "id long, body string, label string")
    with pytest.raises(SchemaError, match="no column 'text'; its columns are id, body, label"):
        scamspark.classify_dataframe(df)
    with pytest.raises(SchemaError, match="column 'id' is bigint; expected string"):
        scamspark.classify_dataframe(df, text_col="id")
    with pytest.raises(SchemaError, match="already has column\\(s\\) label"):
        scamspark.classify_dataframe(df, text_col="body")
    with pytest.raises(ValueError, match="batch_size must be an int of at least 1, got 0"):
        scamspark.classify_dataframe(df, text_col="body", batch_size=0)


def test_import_without_pyspark_says_how_to_install(monkeypatch):
    import importlib

    for name in ("pyspark", "pyspark.sql"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "scamtext.batch.spark")
    with pytest.raises(ImportError, match=r"needs pyspark: pip install 'scamtext\[spark\]'"):
        importlib.import_module("scamtext.batch.spark")
