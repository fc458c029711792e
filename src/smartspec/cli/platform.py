"""``smartspec serve``, ``smartspec manage …`` and ``smartspec demo load``."""

import os
import sys

from smartspec.optional import import_optional, missing_extra


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartspec.platform.settings")
    # an extra, and only for the platform commands: analyse and data do not import it
    django = import_optional("django", "The platform")
    try:
        django.setup()  # imports the settings and the apps: Django's companions
    except ModuleNotFoundError as exc:
        raise missing_extra(exc, "The platform") from None


def register(sub):
    p = sub.add_parser("serve", help="run the web platform")
    p.add_argument("--demo", action="store_true", help="load the demo region first")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=cmd_serve)
    m = sub.add_parser("manage", help="Django management commands (migrate, createsuperuser, …)", add_help=False)
    m.add_argument("args", nargs="*")
    m.set_defaults(handler=cmd_manage)
    b = sub.add_parser("backup", help="back up the platform database and the data store to one archive")
    b.add_argument("file")
    b.set_defaults(handler=cmd_backup)
    r = sub.add_parser("restore", help="restore a backup made by `smartspec backup` (replaces the current data)")
    r.add_argument("file")
    r.set_defaults(handler=cmd_restore)
    d = sub.add_parser("demo", help="the demo region")
    d.add_argument("action", choices=["load"])
    d.set_defaults(handler=cmd_demo)


def cmd_manage(args, progress):
    _django()
    from django.core.management import (
        execute_from_command_line,  # lazy: this costs ~25 ms at start-up
    )

    execute_from_command_line(["smartspec manage", *args.args])
    return 0


def _migrate(progress):
    from django.core.management import (
        call_command,  # lazy: django.core.management costs ~25 ms at start-up
    )

    progress("migrating the database")
    call_command("migrate", interactive=False, verbosity=0)


def cmd_demo(args, progress):
    _django()
    _migrate(progress)
    from smartspec.platform.demo import (  # after django.setup(): it imports the models
        demo_logins,
        load_demo,
    )

    progress("loading the demo region SE31 (runs its analysis)")
    strategy = load_demo()
    print(f"demo strategy: {strategy} (id {strategy.pk})")
    logins = demo_logins()
    if logins:
        print("demo logins (user password), also in", os.path.join(os.environ.get("SMARTSPEC_HOME", "SMARTSPEC_HOME"), "demo_logins.txt"))
        print(logins, end="")
    return 0


def cmd_serve(args, progress):
    _django()
    _migrate(progress)
    if args.demo:
        cmd_demo(args, progress)
    from django.core.management import (
        call_command,  # lazy: django.core.management costs ~25 ms at start-up
    )

    url = f"http://{args.host}:{args.port}/"
    print(f"smartspec platform at {url}  (Ctrl-C stops it)", flush=True)
    sys.stdout.flush()
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True, skip_checks=False)
    return 0


def cmd_backup(args, progress):
    _django()
    _migrate(progress)
    from smartspec.platform.backup import (
        backup,  # lazy: its django.core.management costs ~25 ms at start-up
    )

    manifest = backup(args.file)
    print(f"backed up {manifest['records']} records{' and the data store' if manifest['store'] else ''} to {args.file}")
    return 0


def cmd_restore(args, progress):
    _django()
    _migrate(progress)
    from smartspec.platform.backup import (
        restore,  # lazy: its django.core.management costs ~25 ms at start-up
    )

    manifest = restore(args.file)
    print(f"restored {manifest['records']} records from {args.file} (made {manifest['created']})")
    return 0
