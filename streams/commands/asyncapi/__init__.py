"""The AsyncAPI document's parts that do not come from the models: `catalogue` (topics,
operations, messages, the payloads no model describes) and `examples` (one fictional story,
built as the models); streams.commands.asyncapi_export assembles the document."""
