"""Command line: ``algeo COMMAND ...``. The only place in algeo that prints.

Exit codes: 0 success; 1 the run finished but a check failed (the result is
written and flagged); 2 bad input or usage (nothing written); 3 a backend is missing.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from .exceptions import AlgeoError, BackendUnavailableError, BudgetExceededError, InputError

#: Each module under algeo.commands provides ``register(subparsers)``, which sets ``func``.
COMMAND_MODULES = ("solve", "relu", "sweep", "table", "check", "plot")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit 2 with a one-line message, like InputError
        self.print_usage(sys.stderr)
        print(f"algeo: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="algeo", description="Critical points of neural-network losses, exactly checked.")
    parser.add_argument("--verbose", "-v", action="store_true", help="log progress details to stderr")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"algeo.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except InputError as error:
        print(f"algeo: error: {error}", file=sys.stderr)
        return 2
    except BudgetExceededError as error:
        print(f"algeo: error: {error}", file=sys.stderr)
        return 2
    except BackendUnavailableError as error:
        print(f"algeo: error: {error}", file=sys.stderr)
        return 3
    except AlgeoError as error:
        print(f"algeo: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("algeo: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
