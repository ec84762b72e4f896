"""URL paths of the operations the simulator adds to (or takes over from) moto's CloudFront."""


def install() -> None:
    """Register the simulator's url paths in moto's table (read by moto on every request)."""
