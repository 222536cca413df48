"""Normalised text to a label: features, the estimator, explanations and model files.

- :mod:`~scamtext.model.features`: TF-IDF and cue features.
- :mod:`~scamtext.model.classifier`: :class:`ScamClassifier` (linear or gradient-boosted).
- :mod:`~scamtext.model.augment`: training copies that teach robustness.
- :mod:`~scamtext.model.explain`: additive evidence for one prediction.
- :mod:`~scamtext.model.persistence`: safe (skops) model folders.
"""
