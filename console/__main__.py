"""`session-console`: the desktop console by default, headless commands for IT and scripts.

The console layer never imports the UI, so the entry point (`ui.launcher`)
passes the function that opens the window as `gui`; `python -m console`
alone runs the headless commands.

Secrets are read from standard input (`--passphrase-stdin`), never from
arguments, which other users of the machine can see. Every refusal is one
line on stderr and a non-zero exit; nothing is changed.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import get_args

from console import APP_NAME, __version__
from console.config import default_data_dir
from console.pacer.settings import PacerSettings, Profile, Sound
from console.pacer.settings import Path as PathName


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="session-console",
        description=f"{APP_NAME}: encrypted records and tools for EMDR, ART and IFS sessions.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="vault folder (default: the platform's user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add = functools.partial(_add_command, sub)
    # the order here is the order `--help` lists the commands in
    _add_vault_commands(add)
    _add_key_commands(add)
    _add_export_command(add)
    _add_pacer_commands(add)
    _add_list_commands(add)
    return parser


_AddCommand = Callable[..., argparse.ArgumentParser]


def _add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    secret: bool = True,
) -> argparse.ArgumentParser:
    """A command; `secret` commands may read the passphrase from standard input."""
    cmd: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    if secret:
        cmd.add_argument(
            "--passphrase-stdin",
            action="store_true",
            help="read the passphrase from the first line of standard input "
            "(without it, the key remembered on this computer is used)",
        )
    return cmd


def _add_vault_commands(add: _AddCommand) -> None:
    init = add("init", "create a vault; prints the recovery code once")
    init.add_argument("--clinician", required=True, help="the clinician who owns the vault")
    add("demo", "fill the vault with a fictional, clearly labelled demo caseload")
    add("verify", "check encryption integrity and the audit chain")
    backup = add("backup", "write a verified, encrypted backup into DEST_DIR")
    backup.add_argument("dest_dir", type=Path, metavar="DEST_DIR")
    backup.add_argument("--keep", type=int, default=None, help="keep only the newest N backups")
    restore = add("restore", "restore a backup file into the data folder")
    restore.add_argument("src_file", type=Path, metavar="SRC_FILE")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace a vault already in the data folder (it is moved aside, not deleted)",
    )
    restore.add_argument(
        "--allow-empty",
        action="store_true",
        help="restore a backup even though it holds no client records",
    )


def _add_key_commands(add: _AddCommand) -> None:
    change = add(
        "change-passphrase",
        "change the passphrase (standard input: current passphrase, then the new one)",
        secret=False,
    )
    change.add_argument(
        "--rotate",
        action="store_true",
        help="also replace every key (old copies of vault.json, as in backups, stop opening "
        "new records) and print a new recovery code",
    )
    add(
        "new-recovery-code",
        "replace the recovery code (standard input: the passphrase); prints the new code once",
        secret=False,
    )
    add(
        "recover",
        "emergency access: standard input gives the recovery code, then a new passphrase",
        secret=False,
    )
    add(
        "rotate-key",
        "replace the vault key and the database key, rewrap every slot and print a new "
        "recovery code (standard input: the passphrase)",
        secret=False,
    )
    keychain = add("keychain", "remember the vault on this computer (OS keychain), or forget it")
    keychain.add_argument("action", choices=("enable", "disable", "status"))


def _add_export_command(add: _AddCommand) -> None:
    export = add("export", "write a session record or a client chart as PDF")
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--session", metavar="ID", help="the session record of this session")
    which.add_argument("--client", metavar="ID", help="the chart of this client")
    export.add_argument("--from", dest="start", metavar="DATE", help="chart from (YYYY-MM-DD)")
    export.add_argument("--to", dest="end", metavar="DATE", help="chart to (YYYY-MM-DD)")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    export.add_argument("--force", action="store_true", help="replace an existing file at --out")
    export.add_argument(
        "--pdf-password-stdin",
        action="store_true",
        help="protect the PDF with the password on the next line of standard input",
    )
    export.add_argument(
        "--include-psychotherapy",
        action="store_true",
        help="include psychotherapy notes (left out by default)",
    )


def _add_pacer_commands(add: _AddCommand) -> None:
    add("self-test", "check the installed app end to end in a temporary folder", secret=False)
    pacer = add(
        "pacer",
        "show the EMDR pacer full screen with no vault, to try settings or measure it; Esc ends",
        secret=False,
    )
    pacer.add_argument("--speed", type=float, default=1.0, metavar="HZ", help="cycles per second")
    pacer.add_argument("--path", default="horizontal", choices=get_args(PathName))
    pacer.add_argument("--sound", default="off", choices=get_args(Sound))
    pacer.add_argument("--profile", default="sinusoidal", choices=get_args(Profile))
    pacer.add_argument(
        "--seconds",
        type=float,
        default=30.0,
        help="length of the set (rounded up to the next turn); 0 runs until Esc",
    )
    pacer.add_argument("--screen", default="", metavar="NAME", help="the screen to show it on")
    pacer.add_argument(
        "--audio-offset-ms",
        type=int,
        default=0,
        metavar="MS",
        help="the sound's calibrated latency offset (the panel's Calibrate… finds it)",
    )


def _add_list_commands(add: _AddCommand) -> None:
    add("list-clients", "print each client's id, status and name (tab-separated)")
    sessions = add("list-sessions", "print a client's sessions: id, local start time, type")
    sessions.add_argument("--client", required=True, metavar="ID")


def main(
    argv: Sequence[str] | None = None,
    gui: Callable[[Path], int] | None = None,
    self_test: Callable[[], int] | None = None,
    pacer: Callable[[PacerSettings, str], int] | None = None,
) -> int:
    from console.hardening import harden_process

    harden_process()
    args = build_parser().parse_args(argv)
    data_dir: Path = args.data_dir or default_data_dir()
    if args.command is None:
        if gui is None:
            print(
                "session-console: start the desktop console with `session-console`; "
                "`python -m console --help` lists the headless commands",
                file=sys.stderr,
            )
            return 2
        return gui(data_dir)
    if args.command == "self-test":
        if self_test is None:
            print(
                "session-console: self-test needs the desktop console: run "
                "`session-console self-test`",
                file=sys.stderr,
            )
            return 2
        return self_test()
    if args.command == "pacer":
        return _pacer(args, pacer)
    from console.commands import run_command

    return run_command(args.command, args, data_dir, sys.stdin, sys.stdout, sys.stderr)


def _pacer(args: argparse.Namespace, pacer: Callable[[PacerSettings, str], int] | None) -> int:
    from console.errors import ValidationError

    open_set = args.seconds == 0
    try:
        settings = PacerSettings(
            speed_hz=args.speed,
            path=args.path,
            profile=args.profile,
            sound=args.sound,
            limit="open" if open_set else "seconds",
            limit_value=0 if open_set else args.seconds,
            audio_offset_ms=args.audio_offset_ms,
        )
    except ValidationError as exc:
        flags = {"speed_hz": "--speed", "limit_value": "--seconds"}
        field = flags.get(exc.field, "--" + exc.field.replace("_", "-"))
        print(f"session-console: {field} {exc.reason}", file=sys.stderr)
        return 2
    if pacer is None:
        print("session-console: the pacer needs the desktop console", file=sys.stderr)
        return 2
    return pacer(settings, args.screen)


if __name__ == "__main__":
    sys.exit(main())
