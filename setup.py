from setuptools import setup

# Only for `scrapyd-deploy`, which builds an egg with `setup.py bdist_egg`; pyproject.toml holds the metadata.
setup()
