"""gunicorn settings for ``make serve``: ``gunicorn --config policybase/gunicorn.conf.py policybase.wsgi``.

Environment: ``HOST`` / ``PORT`` (127.0.0.1:8000; a reverse proxy in front terminates TLS),
``WEB_CONCURRENCY`` (workers; default two per CPU this process may use, plus one), ``GUNICORN_TIMEOUT``.
Any other gunicorn option can be given with ``GUNICORN_CMD_ARGS``.
"""

import os

# Listen on the loopback interface only: the reverse proxy is the way in.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# Requests are CPU-bound (segmentation, ranking) and synchronous: the usual 2 × CPUs + 1 sync workers keep
# every core busy while some workers wait on the database. The CPUs counted are the ones this process
# may run on, not the whole host's.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * len(os.sched_getaffinity(0)) + 1)
# Threads, so a long streamed export (a complete CSV of a large corpus runs for minutes) neither holds a whole
# worker nor is killed as a hung one: with gthread the timeout watches the worker, not each request.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

# Load the app (and its segmentation dictionary, frozen out of the garbage collector's view by
# policybase.startup) once in the master: workers share those pages instead of loading a copy each,
# and a broken configuration stops the start instead of failing every worker.
preload_app = True

# An upload is parsed for up to IMPORT_PARSE_SECONDS (60 s) and an export can take several seconds:
# a worker silent for longer than this is stuck and is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
graceful_timeout = 30
keepalive = 5

# A worker is replaced after this many requests (spread so they do not all restart at once): memory a
# large export took is given back to the system.
max_requests = 1000
max_requests_jitter = 100

# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "policybase"

# Access and error logs on stdout, one JSON object per line like the application's own
# (policybase/logs.py): each access line has method, path, status, duration and the request id.
accesslog = "-"
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "policybase.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
    },
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}


# Read by policybase/wsgi.py: the app is loaded in the master (preload), where no applier should run.
os.environ["POLICYBASE_SEARCH_APPLIER"] = "post_fork"


def post_fork(server, worker):
    """Each worker runs a search applier; a lock lets one of them write at a time (search/applier.py).
    Started after the fork: threads do not survive it, and the index is opened per process."""
    from search.applier import start_background

    start_background()


# gunicorn's runtime control socket (gunicorn ≥ 24) is not used: signals and `make serve` manage the server.
control_socket_disable = True
