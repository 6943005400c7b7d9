"""`python -m orderhub ...`: the `orderhub` command, for when its script is not on PATH."""

from orderhub.cli import main

main()
