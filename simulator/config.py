"""Run-time settings of a simulation, read by the models and the fault layer.

Plain module state on purpose: moto's backends are process-global, so the settings that shape
them are too. `launcher` sets them when a simulation starts.
"""

from dataclasses import dataclass


@dataclass
class Settings:
    # Seconds a distribution stays InProgress after a create or an update.
    deploy_seconds: float = 2.0
    # Added latency per request, and the share of requests answered with a throttling error.
    latency_ms: float = 0.0
    fault_rate: float = 0.0


settings = Settings()
