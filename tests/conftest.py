"""Shared fixtures: a dozen invented messages and small fitted models."""

from __future__ import annotations

import pytest

from scamtext.model.classifier import ScamClassifier

# Invented for the tests; no real people or numbers.
DOCS = [
    (
        "【公安局】你名下银行卡涉嫌洗钱，请将资金转入安全账户配合核查，不要告诉家人",
        "impersonate_police",
    ),
    ("我是市检察院王警官，你涉嫌一起诈骗案，马上下载会议软件屏幕共享", "impersonate_police"),
    ("无抵押贷款秒批，额度5万，放款前需先交2000保证金刷流水", "loan"),
    ("您的网贷账户银行卡号填错已冻结，缴纳解冻费后即可放款", "loan"),
    ("亲，您购买的面膜质量有问题，客服为您办理双倍理赔，请加QQ操作退款", "refund"),
    ("您在抖音开通了百万保障会员，不取消将每月扣费，请联系客服关闭", "refund"),
    ("刷单兼职，点赞一单返佣金5元，先垫付后返本金", "brushing"),
    ("在家做任务日赚300，做任务前需交押金，名额有限", "brushing"),
    ("家长您好，我是三年级二班班主任，请扫码缴纳资料费268元，不要在群里接龙", "group_payment"),
    ("班主任：本学期课本费请私聊我转账，今天下午截止", "group_payment"),
    ("今晚一起吃火锅吗？我订了七点的位子", "normal"),
    ("【招商银行】您尾号1234的账户于11月20日入账工资8,650.00元", "normal"),
    ("您的验证码是482913，5分钟内有效，请勿泄露给他人", "normal"),
    ("【菜鸟驿站】您的包裹已到小区东门驿站，取件码 3-2-1108", "normal"),
]
TEXTS = [text for text, _ in DOCS]
LABELS = [label for _, label in DOCS]


@pytest.fixture(autouse=True)
def private_data_home(tmp_path_factory, monkeypatch):
    """Keep case stores and model versions of every test out of the user's home."""
    monkeypatch.setenv("SCAMTEXT_HOME", str(tmp_path_factory.mktemp("scamtext-home")))


@pytest.fixture(scope="session")
def small_linear():
    """A linear model fitted on :data:`DOCS` (no calibration: too few messages)."""
    return ScamClassifier(kind="linear", min_df=1, calibrate=False).fit(TEXTS, LABELS)


@pytest.fixture(scope="session")
def small_gbdt():
    """A gradient-boosted model fitted on :data:`DOCS` repeated (trees need more rows)."""
    return ScamClassifier(
        kind="gbdt", min_df=1, calibrate=False, n_estimators=20, n_jobs=1, n_selected_features=500
    ).fit(TEXTS * 3, LABELS * 3)


@pytest.fixture(scope="session")
def default_model():
    """The model shipped inside the package."""
    from scamtext import load_model

    return load_model()
