"""The yardstick for kimu's start-up: a minimal Typer app with one command.

bench/run times `python bench/minimal_typer.py --help` and `... hello` with the same
interpreter and environment as kimu, so the ratio is what kimu adds to Typer itself.
"""

import typer

app = typer.Typer(add_completion=False)


@app.callback()
def main():
    """A minimal Typer app."""


@app.command()
def hello(name: str = "world"):
    """Say hello."""
    print(f"hello {name}")


if __name__ == "__main__":
    app()
