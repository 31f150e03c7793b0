"""`rag users`: staff accounts and their roles, in the app database (RAG_DATABASE_URL,
else SQLite in the data folder). Passwords are asked for (twice) or read from standard
input with --password-stdin; they are stored as argon2 hashes only."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.options import DataDir
from cli.wiring import cli_actor, handle_errors, load_settings
from rag.errors import ConfigError

users_app = typer.Typer(
    no_args_is_help=True,
    help="Staff accounts: reader (ask, own history, feedback), editor (also articles and the "
         "Review page), admin (also accounts, quality check, audit log).",
)

PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input.")]


def _state(data_dir: Path | None):
    from rag.state import open_state

    return open_state(load_settings(data_dir))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise ConfigError("no terminal to ask for the password: pipe it in with --password-stdin")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
@handle_errors
def add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ + -).")],
    role: Annotated[str, typer.Option("--role", help="reader, editor or admin.")] = "reader",
    password_stdin: PasswordStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Add an account (at least 8 characters of password).

    Example: rag users add lan --role editor
    """
    state = _state(data_dir)
    first = state.accounts.count() == 0
    account = state.add_user(name, _password(password_stdin), role, cli_actor())
    typer.echo(f"added {account.name} ({account.role}) to {state.where}")
    if first:
        typer.echo("this is the first account: `rag ui` now asks staff to sign in "
                   "(restart it if it is running)")


@users_app.command("list")
@handle_errors
def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    data_dir: DataDir = None,
) -> None:
    """List the accounts with their roles and last sign-in.

    Example: rag users list --json
    """
    accounts = _state(data_dir).accounts.list()
    if as_json:
        typer.echo(json.dumps([a.public() for a in accounts], ensure_ascii=False))
        return
    if not accounts:
        typer.echo("no accounts: `rag ui` is open to this machine only (127.0.0.1)")
    for a in accounts:
        last = a.last_login_at.strftime("%Y-%m-%d %H:%M") if a.last_login_at else "never"
        typer.echo(f"{a.name:<24} {a.role:<7} last sign-in {last}")


@users_app.command("passwd")
@handle_errors
def passwd(
    name: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: PasswordStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Set a new password; the account's open sessions end.

    Example: rag users passwd lan
    """
    state = _state(data_dir)
    state.set_password(name, _password(password_stdin), cli_actor())
    typer.echo(f"password of {name} changed; its sessions were ended")


@users_app.command("set-role")
@handle_errors
def set_role(
    name: Annotated[str, typer.Argument(help="The account.")],
    role: Annotated[str, typer.Argument(help="reader, editor or admin.")],
    data_dir: DataDir = None,
) -> None:
    """Change an account's role (the last admin stays admin).

    Example: rag users set-role lan admin
    """
    account = _state(data_dir).set_role(name, role, cli_actor())
    typer.echo(f"{account.name} is now {account.role}")


@users_app.command("remove")
@handle_errors
def remove(
    name: Annotated[str, typer.Argument(help="The account.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Remove an account, its sessions and its saved conversations (its feedback and the
    audit log keep its name).

    Example: rag users remove lan --yes
    """
    if not yes:
        if not sys.stdin.isatty():
            raise ConfigError("confirm with --yes (no terminal to ask)")
        typer.confirm(f"Remove {name} and their saved conversations?", abort=True)
    account, conversations = _state(data_dir).remove_user(name, cli_actor())
    typer.echo(f"removed {account.name} and {conversations} saved conversation(s)")
