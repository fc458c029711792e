"""Examples for every command's ``--help``, and shell completion scripts made from the
parser itself (``smartspec completion bash|zsh|fish``), so they never drift from it."""

from __future__ import annotations

import argparse

EXAMPLES = {
    "": ["smartspec analyse Värmland --out varmland.html",
         "smartspec data fetch eurostat nama_10r_3empers",
         "smartspec serve --demo"],
    "data": ["smartspec data list", "smartspec data show sbs_r_nuts06_r2 --region SE31"],
    "data list": ["smartspec data list"],
    "data show": ["smartspec data show sbs_r_nuts06_r2 --region SE31 --estimates"],
    "data link": ["smartspec data link jobs_2024 jobs_2025 --dataset jobs_linked"],
    "data import": ["smartspec data import jobs.xlsx --dataset my_jobs",
                    "smartspec data import agg.parquet --dataset kommun_class"],
    "data fetch": ["smartspec data fetch eurostat nama_10r_3empers",
                   "smartspec data fetch scb TAB4723 --annual mean --activity 03=G-U"],
    "data fetch eurostat": ["smartspec data fetch eurostat nama_10r_3empers"],
    "data fetch scb": ["smartspec data fetch scb TAB4723 --annual mean --activity 03=G-U --dataset scb_employment"],
    "data remove": ["smartspec data remove my_jobs"],
    "analyse": ["smartspec analyse Värmland --out varmland.html --lang sv",
                "smartspec analyse SE31 --out se31.json --out se31.pdf",
                "smartspec analyse Karlstad --dataset kommun_class --out karlstad.html",
                "smartspec analyse --all --level lan --out-dir reports --format json,html --lang sv,en"],
    "microdata": ["smartspec microdata generate --rows 100000 --out micro",
                  "smartspec microdata aggregate micro --out agg.parquet"],
    "microdata generate": ["smartspec microdata generate --rows 100000 --years 2016-2020 --out micro"],
    "microdata aggregate": ["smartspec microdata aggregate micro --out agg.parquet",
                            "smartspec microdata aggregate micro --out agg.parquet --engine spark"],
    "serve": ["smartspec serve --demo --port 8000"],
    "manage": ["smartspec manage createsuperuser"],
    "backup": ["smartspec backup smartspec-2026-11-30.tar.gz"],
    "restore": ["smartspec restore smartspec-2026-11-30.tar.gz"],
    "demo": ["smartspec demo load"],
    "strategy": ["smartspec strategy export SE31 --out strategy.json", "smartspec strategy import strategy.json"],
    "strategy export": ["smartspec strategy export SE31 --out strategy.json"],
    "strategy import": ["smartspec strategy import strategy.json"],
    "completion": ["smartspec completion bash > ~/.local/share/bash-completion/completions/smartspec",
                   "smartspec completion zsh > ~/.zfunc/_smartspec",
                   "smartspec completion fish > ~/.config/fish/completions/smartspec.fish"],
}


def commands(parser: argparse.ArgumentParser, prefix: str = ""):
    """``(command path, parser)`` for the parser and every subcommand, depth first."""
    yield prefix, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, f"{prefix} {name}".strip())


def add_examples(parser: argparse.ArgumentParser) -> None:
    """Give every command's help its examples (kept as written)."""
    for path, sub in commands(parser):
        if path in EXAMPLES:
            sub.formatter_class = argparse.RawDescriptionHelpFormatter
            sub.epilog = "examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[path])


def _words(parser: argparse.ArgumentParser) -> tuple[list[str], list[str]]:
    """A command's subcommands and its options."""
    subs = [name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices]
    options = [o for action in parser._actions for o in action.option_strings if o.startswith("--")]
    return subs, options


def bash(parser: argparse.ArgumentParser) -> str:
    """A bash completion script (also for zsh through ``bashcompinit``)."""
    cases = []
    for path, sub in commands(parser):
        subs, options = _words(sub)
        cases.append(f'    "{path}") words="{" ".join(subs + options)}";;')
    return "\n".join([
        "# smartspec completion for bash: source it, or put it in bash-completion's completions folder",
        "_smartspec() {",
        '  local cur=${COMP_WORDS[COMP_CWORD]} path="" w words',
        '  for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do',
        '    case "$w" in -*) ;; *) case " $(_smartspec_words "${path}") " in *" $w "*) path="${path:+$path }$w";; esac;; esac',
        "  done",
        '  COMPREPLY=($(compgen -W "$(_smartspec_words "$path")" -- "$cur"))',
        '  case "$cur" in -*|"") ;; *) [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"));; esac',
        "}",
        "_smartspec_words() {",
        '  local words=""',
        '  case "$1" in',
        *cases,
        "  esac",
        '  echo "$words"',
        "}",
        "complete -o default -F _smartspec smartspec",
        ""])


def zsh(parser: argparse.ArgumentParser) -> str:
    return "#compdef smartspec\nautoload -U +X bashcompinit && bashcompinit\n" + bash(parser)


def fish(parser: argparse.ArgumentParser) -> str:
    lines = ["# smartspec completion for fish"]
    for path, sub in commands(parser):
        subs, options = _words(sub)
        depth = len(path.split()) if path else 0
        cond = "__fish_use_subcommand" if not path else \
            f"__fish_seen_subcommand_from {path.split()[-1]}; and test (count (commandline -opc)) -ge {depth + 1}"
        lines += [f"complete -c smartspec -n '{cond}' -f -a '{name}'" for name in subs]
        lines += [f"complete -c smartspec -n '{cond}' -l {o[2:]}" for o in options]
    return "\n".join(lines) + "\n"


SHELLS = {"bash": bash, "zsh": zsh, "fish": fish}


def register(sub, parser_of) -> None:
    """``smartspec completion SHELL``; ``parser_of()`` gives the whole parser."""
    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh, fish)")
    p.add_argument("shell", choices=sorted(SHELLS))
    p.set_defaults(handler=lambda args, progress: print(SHELLS[args.shell](parser_of()), end="") or 0)
