"""scamtext: classify Chinese text messages as normal or as a kind of scam."""
__version__ = "0.1.0"
