"""The `orderhub` command (`main`, the console script). Each module registers its commands
on the app of `app.py` when imported:

app.py       the app and its shared groups, console, options, settings; prepare, main
serve.py     serve | worker | bench | db upgrade | sandbox load
demo.py      demo [--flow consumer|partner|onboarding|care]
orders.py    orders set-status | advance | list | show
b2b.py       b2b advance
data.py      catalog | business-catalog | onboarding-catalog | customers | numbers load
partners.py  partners | exceptions
"""

# Importing a module registers its commands, and `--help` lists commands in the order they
# were registered: serve.py (serve, worker, bench) before demo.py.
from orderhub.cli import serve  # noqa: F401

# isort: split
from orderhub.cli import b2b, data, demo, operators, orders, partners  # noqa: F401
from orderhub.cli.app import app, console, main, prepare

__all__ = ["app", "console", "main", "prepare"]
