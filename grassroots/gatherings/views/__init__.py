"""Pages of gatherings: `pages` (what is read and the forms), `actions` (POST-only buttons)."""
