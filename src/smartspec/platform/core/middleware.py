"""The platform's own middleware: a Content-Security-Policy, and a request id that the logs,
the X-Request-ID header and the error page share (a user quotes it, the log finds it)."""

import logging
import re
import uuid
from contextvars import ContextVar

from django.http import HttpResponseServerError
from django.template.loader import render_to_string

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

HEADER = "X-Request-ID"
#: An incoming id is kept when it looks like one (a proxy's or a load balancer's), else replaced.
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

current_request_id: ContextVar[str] = ContextVar("request_id", default="-")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        return response


def request_id_of(request) -> str:
    """The incoming X-Request-ID if well formed, else a new random id."""
    given = request.headers.get(HEADER, "")
    return given if WELL_FORMED.fullmatch(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id (``request.request_id``), sets it for the log records made
    while the request runs, and returns it in the X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record: the request's own when the record carries it
    (django.request does), else the id of the request being served, else "-"."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True


def server_error(request):
    """The 500 page (``handler500``): the request id to quote, no paths and no traceback. Rendered
    without the request's context processors, which may be what failed."""
    return HttpResponseServerError(render_to_string("500.html", {"request_id": getattr(request, "request_id", "")}))
