"""Stage 1, raw -> text: HTML extraction, clutter removal, language, near-duplicate fingerprint."""
