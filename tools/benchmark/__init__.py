"""The benchmark of scamtext against its peers (repository tooling, not installed)."""
