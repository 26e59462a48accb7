"""Cleaning: Article -> Document."""

from storyline.clean.cleaner import Cleaner

__all__ = ["Cleaner"]
