"""make bench: the benchmark harness's own databases on the same PostGIS server (see bench/)."""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")

from .base import *

DEBUG = False  # DEBUG keeps every query in memory: it would falsify the memory figures
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# The harness switches this connection between <name>_bench_tpl and <name>_bench_<size>.
DATABASES["default"]["NAME"] = os.environ.get("KARTA_BENCH_DB", f"{DATABASES['default']['NAME']}_bench")
DATABASES["default"]["CONN_MAX_AGE"] = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The Lighthouse scenario serves static files as production does (hashed names, compressed, cached
# for a year), collected by bench/lighthouse.py into this directory: what a visitor downloads.
if os.environ.get("KARTA_BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["KARTA_BENCH_STATIC_ROOT"])
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    WHITENOISE_USE_FINDERS = False
# The harness measures the code, not the limits that protect it.
RATELIMIT_ENABLE = False
AXES_ENABLED = False
# The load scenario sends every simulated user from 127.0.0.1: the per-address API throttle would
# answer 429 to most of them (it protects the internet-facing site; the harness measures the code).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anonymous_read": "1000000/min",
        "gis_read": "1000000/min",
        "write": "1000000/min",
    },
}
