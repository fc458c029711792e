"""A small HTTP client for the statistical APIs: retries with back-off, clear offline errors."""

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

from smartspec import __version__
from smartspec.errors import OfflineError, SmartspecError

USER_AGENT = f"smartspec/{__version__} (+https://github.com/smartspec)"
RETRY_STATUS = {429, 500, 502, 503, 504}


class HTTPStatusError(SmartspecError):
    def __init__(self, status: int, url: str, body: bytes = b""):
        self.status, self.url, self.body = status, url, body
        super().__init__(f"HTTP {status} from {url}: {body[:300].decode('utf-8', 'replace')}")

#: Hosts that SMARTSPEC_OFFLINE still lets through (local test servers).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def request(url: str, *, params=None, json_body=None, retries: int = 4, backoff: float = 1.0,
            timeout: float = 120, sleep=time.sleep) -> bytes:
    """GET (or POST ``json_body``) and return the body. Retries 429/5xx and network errors."""
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params, doseq=True)}"
    data = None if json_body is None else json.dumps(json_body).encode()
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    host = urllib.parse.urlsplit(url).hostname or ""
    if os.environ.get("SMARTSPEC_OFFLINE") and host not in LOCAL_HOSTS:
        raise OfflineError(f"not fetching from {host}: SMARTSPEC_OFFLINE is set. Use the offline mirror with "
                           "--data-dir / SMARTSPEC_DATA_DIR.")
    last: Exception | None = None
    for attempt in range(retries + 1):
        req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()
            if exc.code not in RETRY_STATUS or attempt == retries:
                raise HTTPStatusError(exc.code, url, body) from None
            wait = exc.headers.get("Retry-After")
            last = exc
            sleep(float(wait) if wait and wait.isdigit() else backoff * 2 ** attempt)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            last = exc
            if attempt == retries:
                break
            sleep(backoff * 2 ** attempt)
    reason = getattr(last, "reason", last)
    raise OfflineError(f"cannot reach {urllib.parse.urlsplit(url).netloc} ({reason}) after {retries + 1} attempts. Are you offline? "
                       "Use the offline mirror with --data-dir / SMARTSPEC_DATA_DIR, or try again later.")
