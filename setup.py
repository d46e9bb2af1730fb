"""Only what pyproject.toml cannot say: the packages, found, plus ``resources/`` (the icons)
mapped to ``slamodeler.resources`` (``[tool.setuptools.package-dir]``) so the wheel holds it."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["slamodeler*"]), "slamodeler.resources"])
