"""The pure enrichment core: plain functions over plain data, no Kafka and no asyncio."""
