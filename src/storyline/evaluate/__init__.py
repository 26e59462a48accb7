"""Evaluation against public gold data (kept outside the repository, passed by path)."""
