"""The access layer: who may reach which records (see docs/architecture.md)."""
