"""`python -m jcpp` is the `jcpp` command."""

from jcpp.cli import app

app()
