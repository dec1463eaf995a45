"""Stage 2, text -> times: datelines, the publication time and resolved time expressions."""
