"""The voting services: one function per action, keyword-only, atomic (docs/voting.md)."""
