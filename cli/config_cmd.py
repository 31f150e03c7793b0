"""`rag config`: the settings reference, generated from the settings themselves."""

from __future__ import annotations

from typing import Annotated

import typer


def config_command(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/configuration.md.")] = False,
    env_example: Annotated[bool, typer.Option("--env-example", help="Print .env.example.")] = False,
) -> None:
    """Print every setting with its default and description.

    Example: rag config --env-example > .env.example
    """
    from rag.settings.reference import configuration_markdown
    from rag.settings.reference import env_example as env_text

    if markdown and env_example:
        raise typer.BadParameter("choose one of --markdown and --env-example")
    typer.echo(configuration_markdown() if markdown else env_text(), nl=False)
