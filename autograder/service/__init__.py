"""The submission service: web app (``app``), grading workers (``worker``), web security (``security``).

Importing this package is cheap; FastAPI is imported only by ``autograder.service.app``.
"""
