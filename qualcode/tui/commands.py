"""The command palette provider: every bound action of the app and the current screen, and every code."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ActionCommands(Provider):
    def _commands(self) -> list[tuple[str, object, str]]:
        from qualcode.tui.screens.help import binding_rows

        app, screen = self.app, self.screen
        out: dict[str, tuple[str, object, str]] = {}
        for target, bindings in ((screen, getattr(screen, "BINDINGS", [])), (app, type(app).BINDINGS)):
            keys = {d: k for k, d, _ids in binding_rows(bindings, getattr(app, "user_keymap", {}))}
            for b in bindings:
                if isinstance(b, Binding) and b.description and "shortcut(" not in b.action:
                    out.setdefault(b.description, (b.description, partial(app.run_action, b.action, target),
                                                   keys.get(b.description, "")))
        codes = getattr(screen, "codes", None)
        if codes is not None and hasattr(screen, "apply"):
            for code in codes.codable():
                title = f"Apply code: {code.both_labels()}"
                out[title] = (title, partial(screen.apply, code.id), code.shortcut or "")
        return list(out.values())

    async def discover(self) -> Hits:
        for title, run, keys in self._commands():
            yield DiscoveryHit(title, run, help=keys or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, keys in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=keys or None)
