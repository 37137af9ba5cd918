"""Use cases. Each runs in one unit of work and queues the messages it causes in the same transaction."""
