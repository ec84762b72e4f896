"""Settings for the whole suite.

No test may reach past this machine: the last step of boto3's credential chain asks the
instance metadata service (169.254.169.254), so it is turned off here, for this process and
for every subprocess that inherits its environment (`subprocess_env` keeps it).
"""

from __future__ import annotations

import os

os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def subprocess_env(**extra: str) -> dict[str, str]:
    """This environment without the developer's AWS settings, with fake keys and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(extra)
    return env
