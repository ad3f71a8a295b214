"""Loaded by pytest before Django's settings (`-p tests.development` in pyproject.toml).

Settings default DEBUG off, which needs a real SECRET_KEY; the suite tests the development profile as
`make test` runs it, so a bare `python -m pytest` gets the same switch. (pytest-django still sets DEBUG to
False while tests run; what DEBUG selects at start-up, such as the static files storage, stays development's.)
"""

import os

os.environ.setdefault("DEBUG", "True")
