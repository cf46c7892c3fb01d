"""pytest: a throwaway test database on the same PostGIS server."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")

from .base import *

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: test users only
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests; files come from the finders
# Concurrent runs on one server (several worktrees, a developer beside CI) need distinct names.
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("KARTA_TEST_DB", f"test_{DATABASES['default']['NAME']}")
}
# Flushes after transactional tests keep the session's geodata (tests/routers.py).
DATABASE_ROUTERS = ["tests.routers.KeepGeodataOnFlush", *DATABASE_ROUTERS]
