"""The foundation's seed steps, in order: areas (10), party_orgs (20), users (30), residents (40).
Later parts register theirs from `<app>/demo.py` with orders above 100 (see docs/demo.md)."""

from grassroots.demo.steps import areas, party_orgs, residents, users

__all__ = ["areas", "party_orgs", "residents", "users"]
