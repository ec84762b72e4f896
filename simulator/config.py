"""Run-time settings of a simulation, read by the models and the fault layer.

Plain module state on purpose: moto's backends are process-global, so the settings that shape
them are too. `launcher` sets them when a simulation starts and puts the previous ones back
when it stops.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Settings:
    # Seconds a distribution stays InProgress after a create or an update.
    deploy_seconds: float = 2.0
    # Added latency per request, and the share of requests answered with a throttling error.
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    # Seed of the fault draw, for repeatable runs; None draws from the OS.
    fault_seed: int | None = None
    # While a distribution is InProgress, the share of edge requests served by its previous
    # deployed configuration (the rest by the new one), and the seed of that draw
    # (simulator.edge.propagation).
    previous_share: float = 0.5
    edge_seed: int | None = None

    def validate(self) -> None:
        """Raise ValueError with a one-line reason for a setting out of range."""
        if self.deploy_seconds < 0:
            raise ValueError(f"deploy_seconds must be >= 0, not {self.deploy_seconds}")
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must be >= 0, not {self.latency_ms}")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError(f"fault_rate must be between 0 and 1, not {self.fault_rate}")
        if not 0.0 <= self.previous_share <= 1.0:
            raise ValueError(f"previous_share must be between 0 and 1, not {self.previous_share}")

    def snapshot(self) -> dict:
        return asdict(self)

    def apply(self, values: dict) -> None:
        for key, value in values.items():
            setattr(self, key, value)

    def change(self, values: dict) -> dict:
        """Apply `values` if every setting is known and the result valid, else ValueError and
        nothing changes. Returns the previous settings, to `apply` back later."""
        unknown = set(values) - set(self.snapshot())
        if unknown:
            raise ValueError(f"unknown setting {', '.join(sorted(unknown))}")
        previous = self.snapshot()
        self.apply(values)
        try:
            self.validate()
        except ValueError:
            self.apply(previous)
            raise
        return previous


settings = Settings()
