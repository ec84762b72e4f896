"""The Session: the one object every cfshell CommandSet receives in its constructor.

It holds what a command needs besides its arguments:

- the **mode**: `simulate` (in-process simulator, fake credentials, nothing leaves the process),
  `endpoint_url` (every AWS call goes there, e.g. a running `cfshell-sim`), or real AWS through
  boto3's credential chain with an optional `profile` and `region`;
- `context` (cfshell.context.Context): what is selected;
- `renderer` (cfshell.render.Renderer): data -> renderables, with the `output` default;
- settings: `output`, `concurrency`, `wait_timeout`, `poll_interval`, `assume_yes` (`--yes`),
  `interactive` (a terminal is there to answer confirmations);
- `client(service_name)`: a boto3 client for the mode, created on first use and cached;
- `clock()`: now, as the services see it (the simulator's clock offline, which replays
  advance), and `advance_clock(seconds)` in a simulator;
- `transcripts`: the recording and replay state, once a command set has made it.

Use it from any cmd2 4.x app::

    from cfshell.session import Session
    from cfshell.commands.streaming import StreamingCommands
    session = Session(simulate=True)
    app = cmd2.Cmd(command_sets=[StreamingCommands(session)])

boto3 and the simulator (moto) are imported on first use of `client()`, never at import.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from .context import Context
from .errors import UsageError
from .render import Renderer

if TYPE_CHECKING:
    from .commands.transcripts import Transcripts

FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
DEFAULT_REGION = "us-east-1"  # CloudFront is global and lives in us-east-1
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# CloudFront takes ACM certificates from us-east-1 only: cfshell's ACM client is always there,
# whatever the session's region.
PINNED_REGIONS = {"acm": "us-east-1"}


class Session:
    """Mode, context, renderer, settings and lazily created boto3 clients (see module doc)."""

    def __init__(
        self,
        *,
        simulate: bool = False,
        endpoint_url: str | None = None,
        profile: str | None = None,
        region: str | None = None,
        output: str = "table",
        concurrency: int = 32,  # requests in flight at once: bulk work waits on latency
        wait_timeout: float = 0.0,
        assume_yes: bool = False,
        interactive: bool = False,
        deploy_seconds: float | None = None,
        context: Context | None = None,
        renderer: Renderer | None = None,
    ) -> None:
        if simulate and endpoint_url:
            raise UsageError("--simulate and --endpoint-url exclude each other: choose one")
        if endpoint_url:
            parsed = urlparse(endpoint_url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise UsageError(
                    f"--endpoint-url {endpoint_url!r} is not a URL: give e.g. http://127.0.0.1:5000"
                )
        self.simulate = simulate
        self.endpoint_url = endpoint_url
        self.profile = profile
        self.region = region
        self.context = context if context is not None else Context()
        self.renderer = renderer if renderer is not None else Renderer(output)
        if renderer is not None:
            self.renderer.output = output
        self.concurrency = concurrency
        # Seconds `wait` waits at most; 0 means the AWS waiter's own limit.
        self.wait_timeout = wait_timeout
        # Seconds between polls of `wait`; None: 5 s against AWS (as the old tool), short offline.
        self.poll_interval: float | None = None
        self.assume_yes = assume_yes
        self.interactive = interactive
        self.deploy_seconds = deploy_seconds
        # Public key ID -> private key file `key generate` wrote in this session (names only,
        # never key material), so that `sign` finds the key it needs.
        self.generated_key_files: dict[str, str] = {}
        # Recording and replay state (cfshell.commands.transcripts), made on first use.
        self.transcripts: Transcripts | None = None
        self._clients: dict[str, Any] = {}
        self._boto3_session: Any = None
        self._simulation: Any = None
        self._served_clock: bool | None = None  # a loopback endpoint with a simulator clock
        self._lock = threading.Lock()

    # --- settings -----------------------------------------------------------------------

    @property
    def output(self) -> str:
        return self.renderer.output

    @output.setter
    def output(self, value: str) -> None:
        self.renderer.output = value

    @property
    def offline(self) -> bool:
        """True when calls go to a simulator (in-process, or a loopback endpoint)."""
        if self.simulate:
            return True
        if self.endpoint_url:
            return (urlparse(self.endpoint_url).hostname or "") in _LOOPBACK_HOSTS
        return False

    @property
    def mode(self) -> str:
        """ "simulator", "endpoint" or "aws"."""
        if self.simulate:
            return "simulator"
        if self.endpoint_url:
            return "endpoint"
        return "aws"

    @property
    def mode_label(self) -> str:
        """Short text for the prompt: `sim`, the endpoint's host:port, or profile@region."""
        if self.simulate:
            return "sim"
        if self.endpoint_url:
            return urlparse(self.endpoint_url).netloc
        profile = self.profile or "default"
        return f"{profile}@{self.region}" if self.region else profile

    def effective_poll_interval(self) -> float:
        if self.poll_interval is not None:
            return self.poll_interval
        return 0.25 if self.offline else 5.0

    def set_profile(self, profile: str | None) -> None:
        """Use another profile from the next call on."""
        with self._lock:
            self.profile = profile or None
            self._reset_clients()

    def set_region(self, region: str | None) -> None:
        """Use another region from the next call on."""
        with self._lock:
            self.region = region or None
            self._reset_clients()

    def _reset_clients(self) -> None:
        self._clients.clear()
        self._boto3_session = None

    # --- boto3 --------------------------------------------------------------------------

    @property
    def boto3_session(self) -> Any:
        """The boto3 Session for the mode (created on first use)."""
        with self._lock:
            return self._get_boto3_session()

    def _get_boto3_session(self) -> Any:
        if self._boto3_session is None:
            import boto3

            if self.simulate:
                self._start_simulation()
                self._boto3_session = boto3.session.Session(
                    region_name=self.region or DEFAULT_REGION, **FAKE_CREDENTIALS
                )
            elif self.offline:
                # A local simulator accepts any key, so the credential chain is never walked:
                # its last step asks the instance metadata service, which is off this machine.
                region = self.region
                if region is None and self.profile:
                    region = boto3.session.Session(profile_name=self.profile).region_name
                self._boto3_session = boto3.session.Session(
                    region_name=region or DEFAULT_REGION, **FAKE_CREDENTIALS
                )
            else:
                self._boto3_session = boto3.session.Session(
                    profile_name=self.profile, region_name=self.region
                )
                # MFA and SSO through boto3's providers: asked once, cached as the AWS CLI does.
                from .credentials import share_credential_cache

                share_credential_cache(self._boto3_session)
        return self._boto3_session

    def client(self, service_name: str) -> Any:
        """A cached boto3 client for `service_name` in this session's mode."""
        with self._lock:
            client = self._clients.get(service_name)
            if client is None:
                session = self._get_boto3_session()
                kwargs: dict[str, Any] = {}
                if self.endpoint_url:
                    kwargs["endpoint_url"] = self.endpoint_url
                if session.region_name is None:
                    kwargs["region_name"] = DEFAULT_REGION
                if service_name in PINNED_REGIONS:
                    kwargs["region_name"] = PINNED_REGIONS[service_name]
                if service_name == "s3":
                    # Bulk commands (oai grant --acl) run `concurrency` requests at once: a
                    # connection for each, not botocore's 10 and a new one for every extra.
                    from botocore.config import Config

                    kwargs["config"] = Config(max_pool_connections=max(10, self.concurrency))
                client = session.client(service_name, **kwargs)
                self._clients[service_name] = client
            return client

    # --- simulator ----------------------------------------------------------------------

    def _start_simulation(self) -> None:
        if self._simulation is None:
            from simulator import simulate

            options = {}
            if self.deploy_seconds is not None:
                options["deploy_seconds"] = self.deploy_seconds
            self._simulation = simulate(**options).start()

    def simulator_endpoint(self, what: str = "this command") -> str | None:
        """Where the simulator's own actions go: None for the in-process simulator (started
        now), the endpoint of a served simulator on this machine; else a UsageError."""
        if self.simulate:
            self.require_simulator(what)
            return None
        if self.endpoint_url and self.offline:
            return self.endpoint_url
        raise UsageError(
            f"{what} works only in a simulator: start cfshell with --simulate or with "
            "--endpoint-url of a simulator on this machine"
        )

    def require_simulator(self, what: str = "this command") -> None:
        """Refuse `what` unless this session runs the in-process simulator."""
        if not self.simulate:
            raise UsageError(f"{what} works only in simulator mode: start cfshell with --simulate")
        with self._lock:
            self._get_boto3_session()

    @property
    def has_simulator_clock(self) -> bool:
        """True when a simulator's clock can be read and advanced: in-process, or a served
        simulator at a loopback endpoint that answers on its clock route."""
        if self.simulate:
            return True
        if not self.offline:
            return False
        if self._served_clock is None:
            import simulator

            try:
                simulator.clock_now(endpoint_url=self.endpoint_url)
                self._served_clock = True
            except OSError:
                self._served_clock = False  # another local endpoint: the wall clock
        return self._served_clock

    def clock(self) -> float:
        """Now, in seconds since the epoch, as the services this session talks to see it: the
        simulator's clock (which replays advance), else the wall clock."""
        if self.simulate:
            import simulator

            with self._lock:
                self._get_boto3_session()  # the simulation is started
            return simulator.clock_now()
        if self.has_simulator_clock:
            import simulator

            return simulator.clock_now(endpoint_url=self.endpoint_url)
        import time

        return time.time()

    def advance_clock(self, seconds: float) -> float:
        """Move the simulator's clock on (UsageError outside a simulator); the new time."""
        if not self.has_simulator_clock:
            raise UsageError("only a simulator's clock can be advanced: AWS keeps its own time")
        import simulator

        if self.simulate:
            with self._lock:
                self._get_boto3_session()
            return simulator.advance_clock(seconds)
        return simulator.advance_clock(seconds, endpoint_url=self.endpoint_url)

    def hold_clock(self, held: bool) -> float:
        """Hold the simulator's clock (only advances move it) or let it run on; the time."""
        if not self.has_simulator_clock:
            raise UsageError("only a simulator's clock can be held: AWS keeps its own time")
        import simulator

        if self.simulate:
            with self._lock:
                self._get_boto3_session()
            return simulator.hold_clock(held)
        return simulator.hold_clock(held, endpoint_url=self.endpoint_url)

    @property
    def simulation_started(self) -> bool:
        return self._simulation is not None

    def close(self) -> None:
        """Stop the in-process simulator, if it was started."""
        with self._lock:
            if self._simulation is not None:
                self._simulation.stop()
                self._simulation = None
            self._reset_clients()
