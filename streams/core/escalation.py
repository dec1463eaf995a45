"""Escalation language: lexicon matches with action, category, modality, and a level."""

from __future__ import annotations

from streams.models import Escalation

__all__ = ["assess_escalation"]


def assess_escalation(text: str, title: str | None = None) -> Escalation:
    """Score how far the story escalates, from the matches of the escalation lexicon."""
    raise NotImplementedError
