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
    e.add_argument("--anonymise", action="store_true",
                   help="consultation respondents as 'respondent 1' …, no usernames or e-mails")
    e.add_argument("--snapshots", action="store_true",
                   help="include the analysis results, so that another server can restore the evidence")
    e.set_defaults(handler=cmd_export)
    i = s.add_parser("import", help="import a strategy JSON file (a new version when it exists)")
    i.add_argument("file")
    i.add_argument("--user", help="username recorded as the importer (stands in for a decision maker not on this server)")
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
        json.dump(export_strategy(strategy, anonymise=args.anonymise, include_snapshots=args.snapshots), fh,
                  ensure_ascii=False, indent=1)
    print(f"exported {strategy} v{strategy.version} to {args.out}")
    return 0


def cmd_import(args, progress):
    _django()
    _migrate(progress)
    # after django.setup(): these import the models
    from django.contrib.auth import get_user_model

    from smartspec.platform.core.exchange import restore

    try:
        with open(args.file, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as exc:
        raise InputError(f"not a readable JSON file ({exc})", path=args.file) from None
    user = None
    if args.user:
        user = get_user_model().objects.filter(username=args.user).first()
        if user is None:
            raise InputError(f"no user {args.user!r} on this server", path="--user")
    imported = restore(doc, user)
    strategy = imported.strategy
    print(f"imported {strategy} as version {strategy.version} (id {strategy.pk})", file=sys.stdout)
    for note in imported.notes:
        print(f"note: {note}", file=sys.stdout)
    return 0
