"""One translation system: the report's messages are in the platform's gettext catalogue,
each with its Swedish translation, and the catalogue compiles from its source."""

import subprocess

from smartspec.analysis.sections import PORTFOLIO_RULES
from smartspec.report import i18n


def _keys(context, messages):
    return [f"{context}\x04{m}" for m in messages]


def test_every_report_message_has_a_swedish_translation():
    catalog = i18n.catalogue("sv")._catalog  # the compiled .mo's entries, "context\x04msgid" → msgstr
    wanted = (_keys("report", i18n.MESSAGES.values()) + _keys("activity level", i18n.LEVELS.values())
              + _keys("region tier", i18n.TIERS.values()) + _keys(i18n.RULE_CONTEXT, PORTFOLIO_RULES.values()))
    missing = [k.split("\x04")[1][:60] for k in wanted if not catalog.get(k)]
    assert missing == []


def test_the_compiled_catalogue_matches_its_source(tmp_path):
    po = i18n.LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.po"
    mo = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
    assert mo.read_bytes() == (i18n.LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.mo").read_bytes()


def test_the_same_term_reads_the_same_in_report_and_platform():
    assert i18n.level_name("division", "sv") == "huvudgrupp" and i18n.level_name("class", "sv") == "undergrupp"
    assert i18n.t("profile", "sv") == "1. Profil" and i18n.t("profile", "en") == "1. Profile"
