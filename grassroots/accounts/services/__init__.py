"""Actions on accounts, one module per concern: grants.py (granting and revoking roles),
verification.py (resident registration and real-name verification)."""
