"""xlsx import and export of members (layout, lookups, validation, writing, export). Importing the package
registers the importer and the exporter with grassroots.imports (which imports every app's `transfer`)."""

from grassroots.core.members.transfer import export, importer  # noqa: F401
