"""The baseline: a minimal Textual app (header, one line, footer)."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Minimal(App):
    TITLE = "minimal"
    SUB_TITLE = "home exercises"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("hello")
        yield Footer()


if __name__ == "__main__":
    Minimal().run()
