"""Account pages, one module per concern: auth.py (login, password, two-factor, language), verification.py
(resident registration and real-name verification), grants.py (users and role grants)."""
