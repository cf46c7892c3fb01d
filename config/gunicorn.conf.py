"""gunicorn settings for `make serve` and the systemd unit in README.md (environment overrides)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", str(min(8, 2 * multiprocessing.cpu_count() + 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # exports of large layers stream for a while
graceful_timeout = 30
max_requests = 2000  # recycle workers: bounded memory over weeks of uptime
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# No client address and no query string: searches and filters may carry people's names (152-FZ).
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
