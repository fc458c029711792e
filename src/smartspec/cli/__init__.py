"""The ``smartspec`` command line. One module per command group."""

import argparse
import sys

from smartspec import __version__, config
from smartspec.cli import analyse, data, microdata, platform, strategy, usage
from smartspec.cli.platform import cmd_manage
from smartspec.cli.progress import Reporter
from smartspec.errors import SmartspecError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smartspec", description="Smart specialisation (S3) analysis and platform.")
    parser.add_argument("--version", action="version", version=f"smartspec {__version__}")
    parser.add_argument("--data-dir", help="source-data directory (default: $SMARTSPEC_DATA_DIR)")
    parser.add_argument("--home", help="workspace for the store and downloads (default: $SMARTSPEC_HOME)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    data.register(sub)
    analyse.register(sub)
    microdata.register(sub)
    platform.register(sub)
    strategy.register(sub)
    usage.register(sub, build_parser)
    usage.add_examples(parser)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["manage"]:  # pass everything after "manage" to Django untouched
        return cmd_manage(argparse.Namespace(args=argv[1:]), Reporter())
    args = parser.parse_args(argv)
    if args.data_dir:
        config.set_data_dir(args.data_dir)
    if args.home:
        config.set_home(args.home)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    progress = Reporter()
    try:
        return args.handler(args, progress=progress) or 0
    except USER_ERRORS as exc:
        if args.debug:
            raise
        print(f"smartspec: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    finally:
        progress.close()


#: Errors that come from what the user gave (a value, a file, a name): one line and exit status 2,
#: as argparse does for bad options; ``--debug`` shows the traceback.
USER_ERRORS = (SmartspecError, ValueError, KeyError, LookupError, OSError)


def _one_line(exc: BaseException) -> str:
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return " ".join(text.split()) or type(exc).__name__
