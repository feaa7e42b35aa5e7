"""The households import (xlsx) through the generic import runner (grassroots.imports)."""

from grassroots.voting.transfer import importer  # noqa: F401  (registers the importer)
