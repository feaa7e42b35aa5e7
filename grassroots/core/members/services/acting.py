"""Kept for the members' imports: the actor helpers live in `grassroots.audit.actor` (one for every part)."""

from grassroots.audit.actor import acting_as, log_access

__all__ = ["acting_as", "log_access"]
