"""Pages of the assessments app, one module per concern (reports, inspections, schemes, people, meetings);
`urls.py` maps them."""
