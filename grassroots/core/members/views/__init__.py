"""Pages of the members app, one module per concern (records, registration, find, educate, manage, care,
worklist, transfer); `urls.py` maps them."""
