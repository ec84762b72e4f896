"""The AWS regions botocore knows, read from its endpoints data (no request is sent).

botocore is imported when asked, never at import: the shell's start-up does not pay for it.
"""

from __future__ import annotations


def known_regions() -> list[str]:
    """Every region botocore knows, in every partition (read from its endpoints data)."""
    import botocore.session

    session = botocore.session.get_session()
    regions: set[str] = set()
    for partition in session.get_available_partitions():
        regions.update(session.get_available_regions("s3", partition_name=partition))
    return sorted(regions)
