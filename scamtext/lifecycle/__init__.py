"""A model's life after the first fit: corpus, training, evaluation, cases, versions, retraining.

- :mod:`~scamtext.lifecycle.corpus`: the labeled corpus and labeled files.
- :mod:`~scamtext.lifecycle.training`: train, evaluate and save.
- :mod:`~scamtext.lifecycle.evaluate`: metrics and their report.
- :mod:`~scamtext.lifecycle.cases`: the store of reported cases.
- :mod:`~scamtext.lifecycle.registry`: model versions and the current one.
- :mod:`~scamtext.lifecycle.retrain`: challenger, gate, promotion.
"""
