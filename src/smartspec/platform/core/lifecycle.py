"""A strategy's versions: revisions and what changed between two versions."""

from __future__ import annotations

from smartspec.platform.core.exchange import export_strategy, import_strategy
from smartspec.platform.core.models import Strategy


def revise(strategy: Strategy, user=None) -> Strategy:
    """A new version of the strategy (status: under revision); the old version stays as it was."""
    return import_strategy(export_strategy(strategy), user, status=Strategy.Status.REVISION)


def _by(items, key):
    return {x[key]: x for x in items}


def _changes(a: dict, b: dict, skip=("key",)) -> dict:
    return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if k not in skip and a.get(k) != b.get(k)}


def _comparable(item: dict, section: str, area_names: dict) -> dict:
    """An exported item as the diff compares it: references by name, lists as readable text."""
    item = dict(item)
    item.pop("key", None)
    if section == "goals":
        item["areas"] = sorted(area_names.get(k, k) for k in item.get("areas", []))
    if section in ("actions", "indicators") and item.get("area"):
        item["area"] = area_names.get(item["area"], item["area"])
    for ref in ("goal", "action", "lead", "organisation", "steering_group", "partners", "observations"):
        item.pop(ref, None)
    if isinstance(item.get("activities"), list):
        item["activities"] = ", ".join(x["nace"] if x.get("weight", 1) == 1 else f"{x['nace']}×{x['weight']:g}"
                                       for x in item["activities"])
    if "targets" in item:
        item["targets"] = ", ".join(f"{t['year']}: {t['value']:g}" for t in item["targets"])
    if "milestones" in item:
        item["milestones"] = ", ".join(m["title"] for m in item["milestones"])
    return item


def diff(old: dict, new: dict) -> dict:
    """What changed between two exports: per section, added, dropped and changed items
    (matched by name or title), with the changed fields."""
    old_areas = {x["key"]: x["name"] for x in old.get("areas", [])}
    new_areas = {x["key"]: x["name"] for x in new.get("areas", [])}
    out = {"strategy": _changes(old["strategy"], new["strategy"], skip=("version", "status"))}
    for section, ident in (("areas", "name"), ("goals", "title"), ("actions", "title"), ("indicators", "name"),
                           ("actors", "name")):
        a = {k: _comparable(v, section, old_areas) for k, v in _by(old.get(section, []), ident).items()}
        b = {k: _comparable(v, section, new_areas) for k, v in _by(new.get(section, []), ident).items()}
        out[section] = {"added": sorted(set(b) - set(a)), "dropped": sorted(set(a) - set(b)),
                        "changed": {k: _changes(a[k], b[k]) for k in sorted(set(a) & set(b)) if _changes(a[k], b[k])}}
    return out
