"""xlsx import and export of areas and Party organizations. One column layout (`layout.py`) serves the
template, the export and the importer, so that an export can be imported elsewhere unchanged. Importing the
package registers the importer with grassroots.imports (`importer.py`)."""

from grassroots.areas.transfer import importer  # noqa: F401
