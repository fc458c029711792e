"""Keep the gettext catalogue in step with the report's messages: adds or updates the
entries of ``smartspec.report.i18n`` (context "report", "activity level", "region tier",
"portfolio rule") in ``smartspec/…/locale/sv/LC_MESSAGES/django.po`` from a table of
Swedish translations, and compiles the catalogue with msgfmt.

Usage: python scripts/catalogue.py KEY=SWEDISH ...   (KEY of i18n.MESSAGES; with none: prune and compile)
"""

import re
import subprocess
import sys

from smartspec.report import i18n


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def entry(context: str, msgid: str, msgstr: str) -> str:
    return f"#: report/i18n.py\nmsgctxt {quote(context)}\nmsgid {quote(msgid)}\nmsgstr {quote(msgstr)}\n"


def set_entry(po: str, context: str, msgid: str, msgstr: str) -> str:
    pattern = re.compile(rf'#: report/i18n\.py\nmsgctxt {re.escape(quote(context))}\nmsgid (".*")\nmsgstr ".*"\n')
    for match in pattern.finditer(po):
        if match.group(1) == quote(msgid):
            return po[:match.start()] + entry(context, msgid, msgstr) + po[match.end():]
    return po.rstrip("\n") + "\n\n" + entry(context, msgid, msgstr)


def prune(po: str, context: str, keep: set[str]) -> str:
    """Drop the context's entries whose message is no longer in the code."""
    pattern = re.compile(rf'\n*#: report/i18n\.py\nmsgctxt {re.escape(quote(context))}\nmsgid (".*")\nmsgstr ".*"\n')
    return pattern.sub(lambda m: m.group(0) if m.group(1) in keep else "\n", po)


def main(pairs: list[str]) -> None:
    path = i18n.LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.po"
    po = path.read_text(encoding="utf-8")
    for pair in pairs:
        key, _, swedish = pair.partition("=")
        po = set_entry(po, "report", i18n.MESSAGES[key], swedish)
    po = prune(po, "report", set(map(quote, i18n.MESSAGES.values())))
    path.write_text(po, encoding="utf-8")
    subprocess.run(["msgfmt", "--check-format", "-o", str(path.with_suffix(".mo")), str(path)], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
