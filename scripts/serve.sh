#!/usr/bin/env bash
# Serve the web app, the background worker and the clock together; one Ctrl-C stops them all.
set -u
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
# The demo: DEBUG on (the settings default to off, production).
export DEBUG=${DEBUG:-1}
trap 'kill 0' INT TERM EXIT
"$PY" manage.py db_worker --queue-name "*" --no-reload &
"$PY" manage.py scheduler &
echo "Grassroots: http://127.0.0.1:${PORT}/  (Ctrl-C to stop)"
"$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload &
wait -n
