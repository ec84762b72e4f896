"""`python -m simulator serve` / `cfshell-sim`: the simulator on a loopback HTTP endpoint.

Prints one line, the endpoint URL, once it accepts requests; stops cleanly on SIGINT or SIGTERM
(exit 0). With `--state FILE` the world is loaded from FILE on start (if it exists) and saved to
it atomically on exit, as the JSON document `simulator.state` describes; a FILE that is not one
is refused (one line: the line and the reason) and left as it is. Errors are one line on stderr
and a non-zero exit.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

PROG = "cfshell-sim"


def _non_negative(kind: type) -> object:
    def parse(text: str) -> object:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be >= 0: {text!r}")
        return value

    return parse


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0 to 65535: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Offline CloudFront and S3 simulator (moto, extended)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the simulator over HTTP",
        description="Serve the simulator over HTTP; prints the endpoint URL once it is ready.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument(
        "--port", type=_port, default=5000, help="port to listen on; 0 picks a free one (5000)"
    )
    serve.add_argument(
        "--deploy-seconds",
        type=_non_negative(float),
        default=2.0,
        metavar="S",
        help="seconds a distribution stays InProgress after a change (2)",
    )
    serve.add_argument(
        "--state",
        metavar="FILE",
        help="load the simulated world from FILE (a JSON state document), save it there on exit",
    )
    serve.add_argument(
        "--latency-ms",
        type=_non_negative(float),
        default=0.0,
        metavar="MS",
        help="latency added to every API request (0)",
    )
    serve.add_argument(
        "--fault-rate",
        type=_rate,
        default=0.0,
        metavar="R",
        help="share of API requests answered with Throttling / SlowDown, 0 to 1 (0)",
    )
    return parser


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr, flush=True)
    return 1


def serve(args: argparse.Namespace) -> int:
    from .launcher import serve_in_thread
    from .state import StateError, save_state

    state = args.state
    if state:
        folder = os.path.dirname(os.path.abspath(state))
        if not os.path.isdir(folder):
            return _fail(f"cannot save state to {state}: folder {folder} does not exist")
    stop = threading.Event()
    # Handlers first: a signal during start-up still stops cleanly.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        server = serve_in_thread(
            args.host,
            args.port,
            deploy_seconds=args.deploy_seconds,
            latency_ms=args.latency_ms,
            fault_rate=args.fault_rate,
            state_file=state if state and os.path.exists(state) else None,
        )
    except StateError as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(f"cannot listen on {args.host}:{args.port}: {err.strerror or err}")
    print(server.url, flush=True)
    while not stop.wait(3600):
        pass
    server.stop()
    if state:
        try:
            save_state(state)
        except StateError as err:
            return _fail(str(err))
    return 0


MOTO = "5.2.5"  # pyproject.toml's pin: the simulator extends moto's internals


def _moto_problem() -> str | None:
    """One line if the installed moto is not the one the simulator extends (else None):
    checked before moto is imported, so an older moto is not an ImportError traceback."""
    from importlib.metadata import PackageNotFoundError, version

    install = f"pip install 'moto[s3,cloudfront,acm,route53,server]=={MOTO}'"
    try:
        have = version("moto")
    except PackageNotFoundError:
        return f"needs moto=={MOTO}, which is not installed: {install}"
    return None if have == MOTO else f"needs moto=={MOTO}, found moto {have}: {install}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    trouble = _moto_problem()
    if trouble:
        return _fail(trouble)
    if args.command == "serve":
        return serve(args)
    return 2  # unreachable: argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
