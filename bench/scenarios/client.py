"""In-process requests through Django's test client, as the scenarios time them."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import Resolver404, resolve

from geo.models import Municipality
from registry.models import TeamMembership


def route_exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def get(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if getattr(response, "streaming", False):
        # Counted, not kept: a client that kept the body would be measured, not the server.
        return b"%d" % sum(len(chunk) for chunk in response.streaming_content)  # type: ignore[attr-defined,misc]
    return response.content


def team_member(municipality: Municipality) -> User:
    user, _ = User.objects.get_or_create(username="bench-organiser")
    TeamMembership.objects.get_or_create(user=user, municipality=municipality)
    return user
