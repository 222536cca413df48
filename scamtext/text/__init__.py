"""Text in, tokens and cues out: the model-free first stage of the pipeline.

- :mod:`~scamtext.text.normalize`: one canonical form (script, width, variants, placeholders).
- :mod:`~scamtext.text.segment`: jieba word segmentation with the domain dictionary.
- :mod:`~scamtext.text.cues`: scam-intent cues found in normalised text.
- :mod:`~scamtext.text.attacks`: evasion rewrites, for robustness tests and augmentation.
"""
