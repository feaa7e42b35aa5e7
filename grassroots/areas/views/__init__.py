"""Pages of the areas app, one module per concern: tree.py (the tree and its htmx fragments), area.py (an
area's page and its create/edit/move/retire forms), party_orgs.py, transfer.py (xlsx import and export)."""
