"""xlsx import and export of areas and Party organizations. One column layout (`layout.py`) serves the
template, the export and the importer, so that an export can be imported elsewhere unchanged."""
