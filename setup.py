"""Only the package list lives here: templates/ and alembic/ ship inside jcpp/ in a wheel."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["jcpp*", "nlp*", "scheduler*"]), "jcpp._templates", "jcpp._alembic"],
    package_dir={"jcpp._templates": "templates", "jcpp._alembic": "alembic"},
)
