"""cfshell: a stateful shell for private CloudFront distributions."""

__version__ = "0.1.0"
