"""Generic xlsx import and export jobs: one upload (`ImportJob`) validated row by row and written all or
nothing by a registered importer, with progress, a report and a workbook of the rejected rows; one large
export (`ExportJob`) written in the background for its requester. See docs/imports.md."""
