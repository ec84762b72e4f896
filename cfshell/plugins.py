"""Third-party command sets, found through the entry-point group `cfshell.plugins`.

A plugin is an installed distribution that declares, in its pyproject.toml::

    [project.entry-points."cfshell.plugins"]
    example = "cfshell_example_plugin:ExampleCommands"

The entry point names either a cmd2 `CommandSet` subclass (built with the Session when its
constructor takes an argument, with nothing otherwise) or a factory `f(session)` returning a
CommandSet or a list of them. The entry point's name is the plugin's NAME in
`plugin list|load|unload`.

Start-up reads the entry points once and imports nothing else until a plugin is loaded. A plugin
that cannot be imported or built, or whose command (or settable) already exists, is skipped with
one line on stderr; the shell starts anyway.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

GROUP = "cfshell.plugins"


class PluginError(Exception):
    """A plugin that could not be loaded or unloaded; the message is one sentence."""


@dataclass
class Plugin:
    """One entry point of the group, and the command sets it registered while loaded."""

    name: str
    target: str  # "module:attribute"
    entry_point: Any = None  # importlib.metadata.EntryPoint (None: built by hand, e.g. tests)
    sets: list[Any] = field(default_factory=list)
    error: str = ""

    @property
    def loaded(self) -> bool:
        return bool(self.sets)

    @property
    def status(self) -> str:
        if self.sets:
            return "loaded"
        return "failed" if self.error else "not loaded"

    @property
    def distribution(self) -> str:
        """`name version` of the distribution that declares it (read only when asked)."""
        dist = getattr(self.entry_point, "dist", None)
        if dist is None:
            return ""
        try:
            return f"{dist.metadata['Name']} {dist.version}"
        except Exception:  # noqa: BLE001 - a broken METADATA file only loses this label
            return ""

    def commands(self) -> list[str]:
        return sorted(name for s in self.sets for name in command_names(s))

    def load_target(self) -> Any:
        if self.entry_point is None:
            raise PluginError(f"plugin {self.name}: nothing to import")
        return self.entry_point.load()


def discover() -> dict[str, Plugin]:
    """Every plugin declared by an installed distribution, by name (one scan of the metadata)."""
    from importlib.metadata import entry_points

    found: dict[str, Plugin] = {}
    for ep in entry_points(group=GROUP):
        if ep.name in found:
            # Two distributions claim one name: the first on sys.path wins, as for imports.
            continue
        found[ep.name] = Plugin(ep.name, ep.value, ep)
    return found


def command_names(command_set: Any) -> list[str]:
    """The commands (`do_X` -> X) a CommandSet defines."""
    return [name[3:] for name in dir(type(command_set)) if name.startswith("do_")]


def build_sets(target: Any, session: Any) -> list[Any]:
    """The CommandSets an entry point's object makes: a CommandSet subclass or a factory."""
    import cmd2

    if isinstance(target, type):
        if not issubclass(target, cmd2.CommandSet):
            raise PluginError(f"{target.__name__} is not a cmd2 CommandSet")
        return [target(session) if _takes_argument(target) else target()]
    if not callable(target):
        raise PluginError(f"{target!r} is neither a CommandSet class nor a factory")
    made = target(session)
    made = list(made) if isinstance(made, list | tuple) else [made]
    wrong = [type(m).__name__ for m in made if not isinstance(m, cmd2.CommandSet)]
    if wrong or not made:
        raise PluginError(f"its factory returned {', '.join(wrong) or 'nothing'}, not CommandSets")
    return made


def _takes_argument(cls: type) -> bool:
    try:
        params = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        return True
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return any(p.kind in positional or p.kind is inspect.Parameter.VAR_POSITIONAL for p in params)


class PluginManager:
    """The plugins of one cmd2 app: what is installed, what is loaded, load and unload.

    `PluginManager.of(app, session)` returns the app's manager (made on first use), so the
    launcher and the `plugin` command share one.
    """

    def __init__(self, app: Any, session: Any) -> None:
        self.app = app
        self.session = session
        self._plugins: dict[str, Plugin] | None = None

    @classmethod
    def of(cls, app: Any, session: Any = None) -> PluginManager:
        manager = getattr(app, "_cfshell_plugins", None)
        if manager is None:
            manager = cls(app, session if session is not None else getattr(app, "session", None))
            app._cfshell_plugins = manager
        return manager

    @property
    def plugins(self) -> dict[str, Plugin]:
        if self._plugins is None:
            self._plugins = discover()
        return self._plugins

    def rescan(self) -> None:
        """Read the entry points again (a package installed since start-up), keeping loaded ones."""
        fresh = discover()
        for name, plugin in (self._plugins or {}).items():
            # Known ones keep their state (loaded sets, last error); uninstalled ones go,
            # unless they are still loaded.
            if (name in fresh and fresh[name].target == plugin.target) or plugin.loaded:
                fresh[name] = plugin
        self._plugins = fresh

    def add(self, plugin: Plugin) -> None:
        """Know one more plugin (for a plugin that no distribution declares, e.g. in tests)."""
        self.plugins[plugin.name] = plugin

    def load_all(self) -> list[Plugin]:
        """Load every installed plugin; each failure is reported in one line. The failed ones."""
        failed = []
        for plugin in sorted(self.plugins.values(), key=lambda p: p.name):
            if plugin.loaded:
                continue
            try:
                self._load(plugin)
            except PluginError as exc:
                self.app.perror(f"{exc}: skipped")
                failed.append(plugin)
        return failed

    def load(self, name: str) -> Plugin:
        plugin = self.plugins.get(name)
        if plugin is None:
            self.rescan()
            plugin = self.plugins.get(name)
        if plugin is None:
            known = ", ".join(sorted(self.plugins)) or "none is installed"
            raise PluginError(f"no plugin named {name!r} (known: {known})")
        if plugin.loaded:
            raise PluginError(f"plugin {name} is already loaded")
        self._load(plugin)
        return plugin

    def unload(self, name: str) -> Plugin:
        plugin = self.plugins.get(name)
        if plugin is None or not plugin.loaded:
            loaded = ", ".join(p.name for p in self.plugins.values() if p.loaded) or "none"
            raise PluginError(f"plugin {name!r} is not loaded (loaded: {loaded})")
        for command_set in reversed(plugin.sets):
            self.app.unregister_command_set(command_set)
        plugin.sets = []
        return plugin

    def _load(self, plugin: Plugin) -> None:
        """Import, build and register a plugin's command sets: all of them, or none."""
        plugin.error = ""
        try:
            target = plugin.load_target()
        except PluginError as exc:
            raise self._fail(plugin, str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - any import failure only skips the plugin
            raise self._fail(plugin, f"cannot import {plugin.target}: {_one_line(exc)}") from None
        try:
            sets = build_sets(target, self.session)
        except Exception as exc:  # noqa: BLE001 - a plugin's own bug only skips it
            raise self._fail(plugin, f"cannot build it: {_one_line(exc)}") from None
        self._check_clashes(plugin, sets)
        registered: list[Any] = []
        try:
            for command_set in sets:
                self.app.register_command_set(command_set)
                registered.append(command_set)
        except Exception as exc:  # noqa: BLE001 - cmd2's refusal, or the set's on_register
            for command_set in reversed(registered):
                self.app.unregister_command_set(command_set)
            raise self._fail(plugin, f"cannot register it: {_one_line(exc)}") from None
        plugin.sets = registered

    def _check_clashes(self, plugin: Plugin, sets: list[Any]) -> None:
        seen: set[str] = set()
        for command_set in sets:
            for command in command_names(command_set):
                if command in seen or hasattr(self.app, f"do_{command}"):
                    raise self._fail(plugin, f"its command `{command}` already exists")
                seen.add(command)
            for name in getattr(command_set, "settables", {}):
                if name in self.app.settables:
                    raise self._fail(plugin, f"its setting `{name}` already exists")

    @staticmethod
    def _fail(plugin: Plugin, reason: str) -> PluginError:
        plugin.error = reason
        return PluginError(f"plugin {plugin.name}: {reason}")


def load_plugins(app: Any, session: Any = None) -> list[Plugin]:
    """Load every installed plugin into `app` (any cmd2 app); the ones that failed."""
    return PluginManager.of(app, session).load_all()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
