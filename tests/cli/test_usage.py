"""The command line as a user meets it: examples in every command's help that parse as
written, shell completion made from the parser, and progress as a bar or plain lines."""

import io
import shlex
import subprocess

import pytest

from smartspec.cli import build_parser, main
from smartspec.cli.progress import Reporter
from smartspec.cli.usage import EXAMPLES, commands
from smartspec.progress import Step


def test_every_command_has_examples_that_parse():
    parser = build_parser()
    paths = [path for path, _ in commands(parser)]
    assert set(paths) - {"manage"} <= set(EXAMPLES), "a command without examples"
    for path, lines in EXAMPLES.items():
        for line in lines:
            argv = shlex.split(line.split(">")[0])[1:]
            if argv[:1] == ["manage"]:
                continue  # passed to Django untouched
            args = parser.parse_args(argv)  # exits (SystemExit) on an example that no longer parses
            assert getattr(args, "handler", None) is not None, line


def test_help_shows_examples(capsys):
    with pytest.raises(SystemExit):
        main(["analyse", "--help"])
    assert "examples:\n  smartspec analyse Värmland" in capsys.readouterr().out


def _complete(script: str, words: list[str]) -> list[str]:
    line = " ".join(shlex.quote(w) for w in words)
    program = f'{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _smartspec; echo "${{COMPREPLY[@]}}"'
    return subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True).stdout.split()


def test_bash_completion_follows_the_parser(capsys):
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert _complete(script, ["smartspec", "ana"]) == ["analyse"]
    assert _complete(script, ["smartspec", "data", "fetch", ""]) == ["eurostat", "scb", "--help"]
    assert "--out-dir" in _complete(script, ["smartspec", "analyse", "--out"])


def test_zsh_and_fish_scripts(capsys):
    assert main(["completion", "zsh"]) == 0
    assert capsys.readouterr().out.startswith("#compdef smartspec")
    assert main(["completion", "fish"]) == 0
    assert "complete -c smartspec -n '__fish_use_subcommand' -f -a 'analyse'" in capsys.readouterr().out


def test_progress_is_plain_lines_off_a_terminal():
    stream = io.StringIO()
    reporter = Reporter(stream)
    reporter(Step("relatedness", 5, 8))
    reporter("writing x.json")
    reporter.close()
    assert stream.getvalue() == "… [5/8] relatedness (50% done)\n… writing x.json\n"


def test_progress_draws_a_bar_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    reporter = Reporter(stream)
    for i in range(1, 9):
        reporter(Step(f"step {i}", i, 8))
    reporter.close()
    assert "8/8" in stream.getvalue() and "━" in stream.getvalue()
