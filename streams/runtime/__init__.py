"""The stream runtime: the Faust app and its agents, batching, publishing, topics, the worker."""
