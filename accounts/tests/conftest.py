from typing import Any

from django.test import Client

PASSWORD = "correct horse battery staple"


def log_in(client: Client, email: str, password: str = PASSWORD, **extra: Any):
    """Log in through the real login page (so axes, session tracking and the language cookie run)."""
    return client.post("/account/login/", {"username": email, "password": password}, **extra)
