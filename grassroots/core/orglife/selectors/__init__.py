"""Reads of organizational life shared by pages, the API, tasks and other parts."""
