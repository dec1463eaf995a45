"""Stage 5, enriched articles -> alerts: subscriber rules, story dedup, spikes, their state."""
