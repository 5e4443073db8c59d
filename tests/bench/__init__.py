"""The edition's benchmark (``nox -s bench``); see ``__main__``."""
