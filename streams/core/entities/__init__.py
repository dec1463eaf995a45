"""Stage 3, text -> entities: people, organisations and places, with quotes and their speakers."""
