"""Reads of the members app that several places share (pages, API, exports), one module per concern:
records (the list and its filter, a record, completeness), registration (dual registration), and those of
find, educate, manage and care. Import the module you need:
`from grassroots.core.members.selectors import records`."""
