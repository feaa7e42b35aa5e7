"""Actions of self-governance, one function each, keyword-only and atomic (views, API, demo and tests call
them): `opinions` (submit, record on behalf, support, group, reject) and `matters` (create, hearing, comments,
decision vote, the steps)."""
