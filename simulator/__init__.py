"""An offline CloudFront that behaves like AWS: moto, extended and corrected.

`simulate()` is the in-process entry point (like moto's `mock_aws`); `python -m simulator serve`
runs the same backends on a loopback HTTP server. Importing this package is cheap: moto is
imported only when a simulation starts.
"""

from .launcher import simulate

__all__ = ["simulate"]
