"""Ways to run the simulator: in-process (`simulate`) and as a loopback HTTP server (`serve`)."""

from __future__ import annotations

import functools
from typing import Any

from .config import settings


class simulate:  # noqa: N801 - named like moto's mock_aws, which it wraps
    """In-process simulator: `with simulate(): ...` or `@simulate` / `@simulate(...)`.

    Starts moto's mock (fake credentials, no request leaves the process) with the simulator's
    extensions installed, and fresh state.
    """

    def __init__(
        self,
        func: Any = None,
        *,
        deploy_seconds: float = 2.0,
        latency_ms: float = 0.0,
        fault_rate: float = 0.0,
    ) -> None:
        self._options = dict(
            deploy_seconds=deploy_seconds, latency_ms=latency_ms, fault_rate=fault_rate
        )
        self._mock: Any = None
        self._func = func
        if func is not None:
            functools.update_wrapper(self, func)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._func is not None:
            with simulate(**self._options):
                return self._func(*args, **kwargs)
        func = args[0]

        @functools.wraps(func)
        def wrapper(*a: Any, **kw: Any) -> Any:
            with simulate(**self._options):
                return func(*a, **kw)

        return wrapper

    def start(self) -> simulate:
        from moto import mock_aws

        from .install import install

        install()
        for key, value in self._options.items():
            setattr(settings, key, value)
        self._mock = mock_aws()
        self._mock.start()
        return self

    def stop(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None

    def __enter__(self) -> simulate:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ServedSimulator:
    """A simulator served over HTTP on a thread of this process (see `serve_in_thread`)."""

    def __init__(self, server: Any) -> None:
        self._server = server
        host, port = server.get_host_and_port()
        self.url = f"http://{host}:{port}"

    def reset(self) -> None:
        """Fresh state, as a new server would have (moto's reset covers every backend)."""
        from moto.core.base_backend import BackendDict

        BackendDict.reset()

    def stop(self) -> None:
        self._server.stop()


def serve_in_thread(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    deploy_seconds: float = 2.0,
    latency_ms: float = 0.0,
    fault_rate: float = 0.0,
) -> ServedSimulator:
    """Start the served simulator on a background thread and return once it accepts requests."""
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    from .install import install

    install()
    settings.deploy_seconds = deploy_seconds
    settings.latency_ms = latency_ms
    settings.fault_rate = fault_rate
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    return ServedSimulator(server)
