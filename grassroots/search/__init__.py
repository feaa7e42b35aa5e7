"""The one search box (docs/search.md): members, opinions and matters, disputes, partners, events and
documents, each found through a side table of jieba-segmented words (SQLite FTS5, PostgreSQL GIN) and shown
only when the list of its kind would show it to the user."""
