"""Reads of the assessments app that pages, the API and other parts share, one module per concern. Every
list goes through the scoping function (outside the scope → 404) and runs a fixed number of queries."""
