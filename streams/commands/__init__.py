"""The `newsstream` command line, the only package that prints to the console.

`main` runs a command from `parser`'s tree; each command lives in the module named for it
(`demo`, `worker`, `enrich`, `produce`, `alerts`, `topics`, `bench`), with `schema_export`
for the JSON Schema files, `asyncapi_export` for the AsyncAPI document (its texts and
examples in `asyncapi/`) and `broker` for the embedded broker and child process groups.
"""
