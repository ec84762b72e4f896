"""Install cfshell's extensions into moto, once per process.

Everything that touches moto's internals is reached from here, so that an upgrade of moto
breaks in one place. Each part's own `install()` is idempotent.
"""

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from . import acm, faults, invalidations, keys, oac, s3, serialize, urls, web

    serialize.install()
    urls.install()
    web.install()
    s3.install()
    keys.install()
    oac.install()
    invalidations.install()
    acm.install()
    faults.install()
    _installed = True
