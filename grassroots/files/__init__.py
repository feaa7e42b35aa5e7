"""Files: the one way uploaded and generated files are named, checked, served and purged (docs/files.md).

- naming.py  — unguessable stored names (`RandomName`, `random_name`);
- checks.py  — upload contents checked, not names: images re-encoded, other types by their magic bytes;
- uploads.py — the upload handler that refuses a file past its limit while it streams;
- serve.py   — the one response for a stored file (X-Accel-Redirect or FileResponse), after a scoped view
               decided who may have it: MEDIA_URL has no route, in any mode;
- services.py, tasks.py — the purge of import files and exports after FILES_RETENTION_DAYS.
"""
