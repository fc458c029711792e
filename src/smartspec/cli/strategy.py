"""``smartspec strategy export|import``: a whole strategy as JSON."""

import json
import sys

from smartspec.cli.platform import _django, _migrate
from smartspec.data.classifications import resolve_region
from smartspec.errors import InputError, SmartspecError


def register(sub):
    p = sub.add_parser("strategy", help="export or import a whole strategy as JSON")
    s = p.add_subparsers(dest="strategy_command", metavar="ACTION", required=True)
    e = s.add_parser("export", help="write a region's strategy to a JSON file")
    e.add_argument("region", help="region code or name")
    e.add_argument("--period", type=int, help="the strategy's first year (default: the latest)")
    e.add_argument("--out", required=True)
    e.set_defaults(handler=cmd_export)
    i = s.add_parser("import", help="import a strategy JSON file (a new version when it exists)")
    i.add_argument("file")
    i.set_defaults(handler=cmd_import)


def cmd_export(args, progress):
    _django()
    # after django.setup(): these import the platform's models
    from smartspec.platform.core.exchange import export_strategy
    from smartspec.platform.core.models import Strategy

    code = resolve_region(args.region).code
    qs = Strategy.objects.filter(region__code=code)
    if args.period:
        qs = qs.filter(period_start=args.period)
    strategy = qs.order_by("-period_start", "-version").first()
    if strategy is None:
        raise SmartspecError(f"no strategy for {code}" + (f" from {args.period}" if args.period else ""))
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(export_strategy(strategy), fh, ensure_ascii=False, indent=1)
    print(f"exported {strategy} v{strategy.version} to {args.out}")
    return 0


def cmd_import(args, progress):
    _django()
    _migrate(progress)
    from smartspec.platform.core.exchange import (
        import_strategy,  # after django.setup(): it imports the models
    )

    try:
        with open(args.file, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as exc:
        raise InputError(f"not a readable JSON file ({exc})", path=args.file) from None
    strategy = import_strategy(doc)
    print(f"imported {strategy} as version {strategy.version} (id {strategy.pk})", file=sys.stdout)
    return 0
