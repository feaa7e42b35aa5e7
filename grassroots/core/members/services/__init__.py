"""Actions of the members app, one module per concern: records, registration (dual registration), find,
educate, manage, care, imports. Import the module you need:
`from grassroots.core.members.services import records`."""
