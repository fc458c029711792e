"""MkDocs hook: the platform's screenshots, taken by the browser tests, in the built site.

The browser tests (tests/platform/test_journeys*.py) write PNGs to ``$SMARTSPEC_SCREENSHOTS``
(default ``out/screenshots/``). This hook adds every PNG found there to the site as
``assets/screenshots/NAME.png``, so that pages can show them as
``![…](../assets/screenshots/NAME.png)``. A page that names a screenshot the tests did not
write is an error in strict mode (``mkdocs build --strict``: the build fails and says which,
and how to make it) and a warning otherwise.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.screenshots")
TARGET = "assets/screenshots"
REFERENCE = re.compile(r"assets/screenshots/([\w.-]+\.png)")


def _source(config) -> Path:
    env = os.environ.get("SMARTSPEC_SCREENSHOTS")
    root = Path(config["config_file_path"]).parent
    return Path(env) if env else root / "out" / "screenshots"


def on_files(files, config):
    source = _source(config)
    found = sorted(source.glob("*.png")) if source.is_dir() else []
    for png in found:
        files.append(File.generated(config, f"{TARGET}/{png.name}", abs_src_path=str(png)))
    log.info("screenshots: %d PNGs from %s", len(found), source)
    return files


def on_page_markdown(markdown, page, config, files):
    missing = sorted({name for name in REFERENCE.findall(markdown) if files.get_file_from_path(f"{TARGET}/{name}") is None})
    if missing:
        message = (f"{page.file.src_path} shows screenshots that are not in {_source(config)}: {', '.join(missing)}. "
                   "Run the browser tests first (pytest tests/platform/test_journeys.py "
                   "tests/platform/test_journeys_part2.py), or set SMARTSPEC_SCREENSHOTS.")
        if config.get("strict"):
            raise PluginError(message)
        log.warning(message)
    return markdown
