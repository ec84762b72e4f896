"""The profiles of the user's AWS config and credentials files, as botocore reads them.

botocore is imported when asked, never at import: the shell's start-up does not pay for it.
"""

from __future__ import annotations


def known_profiles() -> list[str]:
    """Profile names from ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE...)."""
    import botocore.session

    return sorted(botocore.session.Session().available_profiles)
