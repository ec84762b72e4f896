"""Ways to run the simulator: in-process (`simulate`) and as a loopback HTTP server (`serve`).

Both run the same moto backends with the simulator's extensions installed (`install.install`),
and read the same process-global `config.settings` (deploy delay, latency, fault rate).

The served app (`SimulatorApp`) is a thin WSGI layer in front of moto's own
`DomainDispatcherApplication`. It is the one place where requests are told apart by `Host`:
`_edge_handler(environ)` returns the WSGI app of CloudFront's edge for a viewer request (a `Host`
that is a `*.cloudfront.net` domain name or a distribution's alias) and None for everything
else, which goes to moto. One path is the simulator's own, never AWS's: `/_simulator/clock`
(GET: the clock; POST `{"advance": SECONDS}`: move it on), which `simulator.clock_now` and
`simulator.advance_clock` use with an `endpoint_url`.
"""

from __future__ import annotations

import functools
import inspect
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any

from .config import settings

WSGIApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


def _configure(options: dict[str, Any]) -> dict[str, Any]:
    """Apply simulation options to `settings`; return the previous values to restore later."""
    from . import faults
    from .edge import propagation

    previous = settings.change(options)
    faults.reseed(settings.fault_seed)
    propagation.reseed(settings.edge_seed)
    return previous


def _install() -> None:
    from . import clock
    from .install import install

    install()
    clock.reset()  # a new simulation starts on the wall clock


class simulate:  # noqa: N801 - named like moto's mock_aws, which it wraps
    """In-process simulator: `with simulate(): ...` or `@simulate` / `@simulate(...)`.

    Starts moto's mock (fake credentials, no request leaves the process) with the simulator's
    extensions installed, and fresh state. The settings given here hold until it stops, then the
    previous ones come back. `fault_seed` makes the fault draw repeatable. On a class (a
    `unittest.TestCase`, a pytest class) it decorates the methods as `@mock_aws` does.
    """

    def __new__(cls, func: Any = None, **options: Any) -> Any:
        if inspect.isclass(func):  # `@simulate` on a class: the class itself, decorated
            return _decorate_class(func, cls(**options)._options)
        return super().__new__(cls)

    def __init__(
        self,
        func: Any = None,
        *,
        deploy_seconds: float = 2.0,
        latency_ms: float = 0.0,
        fault_rate: float = 0.0,
        fault_seed: int | None = None,
    ) -> None:
        self._options = dict(
            deploy_seconds=deploy_seconds,
            latency_ms=latency_ms,
            fault_rate=fault_rate,
            fault_seed=fault_seed,
        )
        # Fail at the call site, not when the decorated function first runs.
        probe = type(settings)(**self._options)
        probe.validate()
        self._mock: Any = None
        self._previous: dict[str, Any] | None = None
        self._func = func
        if func is not None:
            functools.update_wrapper(self, func)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._func is not None:
            with simulate(**self._options):
                return self._func(*args, **kwargs)
        func = args[0]
        if inspect.isclass(func):
            return _decorate_class(func, self._options)

        @functools.wraps(func)
        def wrapper(*a: Any, **kw: Any) -> Any:
            with simulate(**self._options):
                return func(*a, **kw)

        return wrapper

    def start(self) -> simulate:
        from moto import mock_aws

        # Settings first: parts of install() may read them.
        self._previous = _configure(self._options)
        _install()
        self._mock = mock_aws()
        self._mock.start()
        return self

    def stop(self) -> None:
        from . import clock, traffic

        traffic.reset()  # simulated viewers end with their simulation
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
            clock.reset()
        if self._previous is not None:
            settings.apply(self._previous)
            self._previous = None

    def __enter__(self) -> simulate:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _decorate_class(klass: type, options: dict[str, Any]) -> type:
    """`@simulate` on a class: moto's own class decoration (which methods, when state is reset:
    setUp / setup_method and each test share one fresh world), with the simulator's settings
    and extensions around every start."""
    from moto import mock_aws

    class ClassMock(type(mock_aws())):  # type: ignore[misc]
        def start(self, reset: bool = True) -> None:
            self.previous_settings = _configure(options)
            _install()
            super().start(reset=reset)

        def stop(self, remove_data: bool = True) -> None:
            super().stop(remove_data=remove_data)
            settings.apply(self.previous_settings)

    return ClassMock()(klass)


def _host_of(environ: dict[str, Any]) -> str:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    if host.startswith("["):  # IPv6 literal, [::1]:5000
        return host[1 : host.find("]")].lower()
    return host.rsplit(":", 1)[0].lower()


def _edge_handler(environ: dict[str, Any]) -> WSGIApp | None:
    """The WSGI app answering this request as CloudFront's edge, or None for an API request.

    The one place where the served simulator tells viewer requests from API calls: a request
    whose Host is a `*.cloudfront.net` domain name, or a distribution's alternate domain name
    (CNAME), goes to `simulator.edge.wsgi_app`, which answers as CloudFront would (the object,
    or 403 with the reason); the rest go to moto.
    """
    host = _host_of(environ)
    if host.endswith(".cloudfront.net"):
        from . import edge

        return edge.wsgi_app
    if _may_be_alias(host):
        from . import edge

        if edge.is_edge_host(host):
            return edge.wsgi_app
    return None


def _may_be_alias(host: str) -> bool:
    # API calls reach the endpoint by IP or localhost, or name an AWS service host: those are
    # never looked up among the distributions' aliases.
    if not host or "." not in host or host.endswith((".amazonaws.com", ".localhost")):
        return False
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
    except OSError:
        return True
    return False


CLOCK_PATH = "/_simulator/clock"
# The simulator's own actions beyond AWS's API, for a served simulator: POST `{"action": NAME,
# ...arguments}` -> `{"result": ...}`, or 400 `{"error": REASON}` (the ValueError's sentence).
ACTION_PATH = "/_simulator/action"


def _action_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    import json

    status = "200 OK"
    if environ.get("REQUEST_METHOD") != "POST":
        status, payload = "405 Method Not Allowed", {"error": "POST an action"}
    else:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            payload = {"result": _run_action(body)}
        except (ValueError, TypeError, KeyError) as exc:
            status, payload = "400 Bad Request", {"error": str(exc)}
    data = json.dumps(payload).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def _run_action(body: dict[str, Any]) -> Any:
    """The in-process action a served request names (the same code in both modes)."""
    action = body.get("action")
    if action == "issue_certificate":
        from . import acm

        return acm.issue(str(body["arn"]))
    if action == "create_key_pair":
        from .key_pairs import create

        return list(create(str(body.get("account_id") or "123456789012")))
    raise ValueError(f"unknown simulator action {action!r}")


def _clock_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """GET: `{"now": EPOCH, "offset": SECONDS, "held": BOOL}`; POST `{"advance": SECONDS}` and/or
    `{"hold": true|false}`: the same, after."""
    import json

    from . import clock

    status = "200 OK"
    if environ.get("REQUEST_METHOD") == "POST":
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            hold = body.get("hold")
            if hold is not None and not isinstance(hold, bool):
                raise ValueError('"hold" is true or false')
            if hold is True:
                clock.hold()
            clock.advance(float(body.get("advance", 0)))
            if hold is False:
                clock.release()
        except (ValueError, TypeError, AttributeError) as exc:
            status = "400 Bad Request"
            payload = {"error": str(exc) or 'give {"advance": SECONDS}'}
        else:
            payload = {"now": clock.now(), "offset": clock.offset(), "held": clock.held()}
    elif environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
        payload = {"now": clock.now(), "offset": clock.offset(), "held": clock.held()}
    else:
        status, payload = "405 Method Not Allowed", {"error": "GET or POST"}
    data = json.dumps(payload).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


class SimulatorApp:
    """The served simulator: CloudFront's edge for viewer requests, moto for API calls."""

    def __init__(self) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        self._moto = DomainDispatcherApplication(create_backend_app)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO")
        if path in (CLOCK_PATH, ACTION_PATH) and not _host_of(environ).endswith(".cloudfront.net"):
            app = _clock_app if path == CLOCK_PATH else _action_app
            return app(environ, start_response)
        edge = _edge_handler(environ)
        if edge is not None:
            return edge(environ, start_response)
        return self._moto(environ, start_response)


def _request_handler() -> type:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class QuietRequestHandler(MotoRequestHandler):
        # One line per request on stderr is noise for a background simulator; errors still show.
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass

        def send_response(self, code: int, message: str | None = None) -> None:
            # http.server adds its own Server header; the app's (moto: amazon.com, the edge:
            # CloudFront) is the one AWS would send, so answer with that one only.
            self.log_request(code)
            self.send_response_only(code, message)
            self.send_header("Date", self.date_time_string())

    return QuietRequestHandler


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class ServedSimulator:
    """A simulator served over HTTP on a thread of this process (see `serve_in_thread`)."""

    def __init__(self, server: Any, previous: dict[str, Any] | None = None) -> None:
        self._server = server
        self._previous = previous
        host, port = server.server_address[:2]
        self.url = _url(str(host), port)
        # A short poll interval: shutdown() waits for the serving loop to notice it.
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.1,), name="simulator-server", daemon=True
        )
        self._thread.start()

    def reset(self) -> None:
        """Fresh state, as a new server would have (moto's reset covers every backend), and the
        clock back on the wall clock."""
        from moto.core.base_backend import BackendDict

        from . import clock

        BackendDict.reset()
        clock.reset()

    def stop(self) -> None:
        """Stop accepting requests, finish the ones in flight, restore the previous settings."""
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()
        if self._previous is not None:
            settings.apply(self._previous)
            self._previous = None


def serve_in_thread(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    deploy_seconds: float = 2.0,
    latency_ms: float = 0.0,
    fault_rate: float = 0.0,
    fault_seed: int | None = None,
    state_file: str | None = None,
) -> ServedSimulator:
    """Start the served simulator on a background thread and return once it accepts requests.

    The socket is bound and listening when this returns (port 0 picks a free port; see `.url`).
    `state_file`, if given, is loaded before the first request can arrive (`state.StateError`
    if it cannot be).
    """
    from werkzeug.serving import make_server

    previous = _configure(
        dict(
            deploy_seconds=deploy_seconds,
            latency_ms=latency_ms,
            fault_rate=fault_rate,
            fault_seed=fault_seed,
        )
    )
    try:
        _install()
        if state_file is not None:
            from .state import load_state

            load_state(state_file)
        # Bind here rather than in werkzeug, which answers a port in use with sys.exit().
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host, port), family=family, backlog=128) as listening:
            server = make_server(
                host,
                port,
                SimulatorApp(),
                threaded=True,
                request_handler=_request_handler(),
                fd=listening.fileno(),  # werkzeug keeps a duplicate of it
            )
    except BaseException:
        settings.apply(previous)
        raise
    return ServedSimulator(server, previous)
