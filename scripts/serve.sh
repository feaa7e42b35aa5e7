#!/usr/bin/env bash
# Serve the web app, the background worker and the clock together. Each runs on its own: when one stops
# (a crash, a kill, the database away), it is started again and the others go on. One Ctrl-C (or a SIGTERM
# to this script) stops them all.
set -u
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
# The demo: DEBUG on (the settings default to off, production).
export DEBUG=${DEBUG:-1}
export PYTHONUNBUFFERED=1 # the three logs interleave in order

stop() {
	trap '' INT TERM # this script itself outlives the signal it sends:
	trap - EXIT
	kill 0 2>/dev/null # to its process group: the keepers and what they run
	wait
	exit 0
}
trap stop INT TERM EXIT

# keep NAME COMMAND…: run COMMAND; whenever it stops, say so and start it again — after 1 s, or longer (up
# to 30 s) while it keeps stopping within 10 s of its start.
keep() {
	local name=$1 pause=1 started status
	shift
	while :; do
		started=$SECONDS
		"$@"
		status=$?
		if ((SECONDS - started >= 10)); then pause=1; else pause=$((pause * 2 > 30 ? 30 : pause * 2)); fi
		echo "serve.sh: the ${name} stopped (exit ${status}); starting it again in ${pause} s" >&2
		sleep "$pause"
	done
}

keep worker "$PY" manage.py db_worker --queue-name "*" --no-reload &
keep clock "$PY" manage.py scheduler &
echo "Grassroots: http://127.0.0.1:${PORT}/  (Ctrl-C to stop)"
keep "web server" "$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload &
wait
