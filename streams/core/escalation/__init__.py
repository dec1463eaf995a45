"""Stage 4, text -> escalation: level, categories, actions and the matched terms."""
