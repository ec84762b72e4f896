"""Help that teaches: the `help workflow` topic, and an example in every command's help.

This set has no command of its own. Once registered it adds the topic and a pre-command hook
that fills in, before `help` or `CMD -h` runs, the examples a parser lacks (cfshell.help).
"""

from __future__ import annotations

from cmd2 import plugin

from ..help import WORKFLOW, add_examples
from .base import CfShellCommandSet


class GuideCommands(CfShellCommandSet):
    """`help workflow`; examples filled into `help CMD` and `CMD -h`."""

    def on_registered(self) -> None:
        super().on_registered()
        app = self._cmd
        # A topic, not a command: cmd2 installs help_X only for a set's own commands.
        app.help_workflow = self.help_workflow
        if not getattr(app, "_cfshell_examples_hook", False):
            app.register_precmd_hook(self._fill_examples)
            app._cfshell_examples_hook = True

    def on_unregister(self) -> None:
        if getattr(self._cmd, "help_workflow", None) == self.help_workflow:
            del self._cmd.help_workflow
        super().on_unregister()

    def _fill_examples(self, data: plugin.PrecommandData) -> plugin.PrecommandData:
        statement = data.statement
        if statement.command == "help":
            add_examples(self._cmd)
        elif "-h" in statement.arg_list or "--help" in statement.arg_list:
            add_examples(self._cmd, [statement.command])
        return data

    def help_workflow(self) -> None:
        """The seed's nine steps as cfshell commands, legacy and modern path."""
        self._cmd.poutput(WORKFLOW.rstrip("\n"))
