"""Development: `make run`. Static files straight from the app directories."""

from .base import *

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # development: no collectstatic needed
