"""The headless commands behind `session-console COMMAND`.

Each returns an exit code; `ConsoleError`s become one line on stderr. Any
other exception is a bug: it is reported without values (no traceback, which
could carry client data) and exits 70.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from console.errors import ConsoleError, ValidationError, VaultError
from console.services.bundle import Services
from console.vault import Vault, diagnose
from console.vault.database import DB_ERRORS
from console.vault.keyslots import check_passphrase

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_BUG = 70


MAX_STDIN_BYTES = 1_000_000


def stdin_lines(stdin: TextIO) -> list[str]:
    """Standard input as lines split at newlines only, so a passphrase holding U+2028,
    U+0085 or a form feed is read whole; bytes that are not UTF-8 are refused."""
    raw_stream = getattr(stdin, "buffer", None)
    if raw_stream is not None:
        raw = raw_stream.read(MAX_STDIN_BYTES + 1)
        if len(raw) > MAX_STDIN_BYTES:
            raise ValidationError("standard input", "is far longer than any secret or name")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(
                "standard input", "is not UTF-8 text; type it again in a UTF-8 terminal"
            ) from None
    else:
        text = stdin.read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


class _Io:
    def __init__(self, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> None:
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self._lines: list[str] | None = None

    def line(self, what: str) -> str:
        if self._lines is None:
            self._lines = stdin_lines(self.stdin)
        if not self._lines:
            raise ValidationError(what, "expected on standard input, but none was given")
        return self._lines.pop(0)

    def notices(self, vault: Vault) -> None:
        for notice in vault.notices:
            print(f"session-console: note: {notice}", file=self.stderr)
        vault.notices.clear()

    def out(self, text: str) -> None:
        print(text, file=self.stdout, flush=True)


def _open(data_dir: Path, args: argparse.Namespace, io: _Io) -> Vault:
    vault = Vault(data_dir)
    if getattr(args, "passphrase_stdin", False):
        vault.unlock_with_passphrase(io.line("passphrase"))
    else:
        if not Vault.exists(data_dir):
            raise VaultError(f"no vault in {data_dir} (create one with `session-console init`)")
        if not vault.keychain_enabled:
            raise VaultError(
                "give the passphrase with --passphrase-stdin (this computer does not "
                "remember the vault)"
            )
        vault.unlock_with_keychain()
    io.notices(vault)
    return vault


def cmd_init(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    if not args.passphrase_stdin:
        raise ValidationError("passphrase", "give it with --passphrase-stdin")
    vault, code = Vault.create(data_dir, io.line("passphrase"), args.clinician)
    vault.lock("created")
    io.out(f"vault created in {data_dir}")
    io.out(f"recovery code: {code}")
    io.out("Keep the recovery code somewhere safe and offline: it is shown only this once.")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    from console.demo import build_demo

    vault = _open(data_dir, args, io)
    try:
        summary = build_demo(Services(vault))
    finally:
        vault.lock()
    io.out(f"demo caseload added: {summary}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    vault = _open(data_dir, args, io)
    try:
        report = Services(vault).verify()
    finally:
        vault.lock()
    if not report.sound:
        print(f"session-console: verify failed: {report.problems[0]}", file=io.stderr)
        return EXIT_FAIL
    io.out(
        f"vault sound: encryption integrity ok, audit chain of {report.audit_events} events intact"
    )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    if args.keep is not None and args.keep < 1:
        raise ValidationError("--keep", "must be at least 1")
    vault = _open(data_dir, args, io)
    try:
        info = vault.backup(args.dest_dir, keep=args.keep)
    finally:
        vault.lock()
    io.out(f"backup written and verified: {info.path} ({info.size_bytes / 1_048_576:.1f} MiB)")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    if not args.passphrase_stdin:
        raise ValidationError("passphrase", "give the backup's passphrase with --passphrase-stdin")
    vault, moved = Vault.restore(
        args.src_file,
        data_dir,
        io.line("passphrase"),
        replace_existing=args.replace,
        allow_empty=args.allow_empty,
    )
    vault.lock()
    io.out(f"restored {args.src_file.name} into {data_dir}")
    if moved is not None:
        io.out(f"the vault it replaced was kept in {moved}")
    return EXIT_OK


def cmd_change_passphrase(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    current = io.line("current passphrase")
    new = io.line("new passphrase")
    check_passphrase(new)
    vault = Vault(data_dir)
    vault.unlock_with_passphrase(current)
    try:
        code = vault.change_passphrase(current, new, rotate=args.rotate)
    finally:
        vault.lock()
    io.out("passphrase changed")
    if code is None:
        io.out(
            "Old copies of vault.json (every backup carries one) still open with the old "
            "passphrase; use --rotate to stop them opening records written from now on."
        )
    else:
        _new_code(io, code, "every key was replaced; old copies of vault.json open nothing new")
    return EXIT_OK


def _new_code(io: _Io, code: str, what: str) -> None:
    io.out(what)
    io.out(f"new recovery code: {code}")
    io.out(
        "The old recovery code no longer works. Keep this one somewhere safe and offline: "
        "it is shown only this once."
    )


def _with_passphrase(data_dir: Path, io: _Io, action: Callable[[Vault, str], str]) -> str:
    """Unlock with the passphrase on standard input, run `action(vault, passphrase)`, lock."""
    passphrase = io.line("passphrase")
    vault = Vault(data_dir)
    vault.unlock_with_passphrase(passphrase)
    try:
        result = action(vault, passphrase)
        io.notices(vault)
    finally:
        vault.lock()
    return result


def cmd_new_recovery_code(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    code = _with_passphrase(data_dir, io, lambda vault, p: vault.replace_recovery_code(p))
    _new_code(io, code, "recovery code replaced")
    return EXIT_OK


def cmd_recover(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    code = io.line("recovery code")
    new = io.line("new passphrase")
    check_passphrase(new)
    vault = Vault(data_dir)
    vault.unlock_with_recovery(code)
    try:
        vault.set_new_passphrase(new)
    finally:
        vault.lock()
    io.out("vault opened with the recovery code; the new passphrase is set")
    return EXIT_OK


def cmd_rotate_key(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    code = _with_passphrase(data_dir, io, lambda vault, p: vault.rotate_key(p))
    _new_code(io, code, "database re-encrypted under a new key; every key slot rewrapped")
    return EXIT_OK


def cmd_keychain(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    from console.vault import keychain

    if args.action == "status":
        available, reason = keychain.availability()
        remembered = Vault(data_dir).keychain_enabled if Vault.exists(data_dir) else False
        io.out(f"keychain: {'available' if available else 'unavailable (' + reason + ')'}")
        io.out(f"this vault is {'remembered' if remembered else 'not remembered'} on this computer")
        return EXIT_OK
    vault = _open(data_dir, args, io)
    try:
        if args.action == "enable":
            vault.enable_keychain()
            io.out("this computer now remembers the vault (OS keychain)")
        else:
            vault.disable_keychain()
            io.out("this computer no longer remembers the vault; use the passphrase")
    finally:
        vault.lock()
    return EXIT_OK


def _date(field: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, "use the form YYYY-MM-DD") from None


def cmd_export(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    from console.export.service import ExportService
    from console.services import validation

    start, end = _date("--from", args.start), _date("--to", args.end)
    if args.session and (start or end):
        raise ValidationError("--from/--to", "apply to a client chart only")
    record = validation.record_id(
        "--session" if args.session else "--client", args.session or args.client
    )
    if not args.out.parent.is_dir():
        raise ValidationError("--out", f"the folder {args.out.parent} does not exist")
    if args.out.is_symlink() or (args.out.exists() and not args.out.is_file()):
        raise ValidationError("--out", f"{args.out} is not a regular file; choose a new path")
    if args.out.exists() and not args.force:
        raise ValidationError("--out", f"{args.out} exists; add --force to replace it")
    vault = _open(data_dir, args, io)
    try:
        password = io.line("PDF password") if args.pdf_password_stdin else None
        export = ExportService(vault, Services(vault))
        if args.session:
            pages = export.export_session(
                record, args.out, password, include_psychotherapy=args.include_psychotherapy
            )
        else:
            pages = export.export_client(
                record, args.out, start, end, args.include_psychotherapy, password
            )
    finally:
        vault.lock()
    protected = ", password-protected" if password else ""
    io.out(f"wrote {args.out} ({pages} page{'s' if pages != 1 else ''}{protected})")
    return EXIT_OK


def cmd_list_clients(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    vault = _open(data_dir, args, io)
    try:
        clients = Services(vault).clients.list(status=None)
    finally:
        vault.lock()
    for c in clients:
        io.out(f"{c.id}\t{c.status.value}\t{c.name}")
    return EXIT_OK


def cmd_list_sessions(args: argparse.Namespace, data_dir: Path, io: _Io) -> int:
    from console.services import validation

    client_id = validation.record_id("--client", args.client)
    vault = _open(data_dir, args, io)
    try:
        sessions = Services(vault).sessions.list_for_client(client_id)
    finally:
        vault.lock()
    for s in sessions:
        io.out(f"{s.id}\t{s.starts_at.astimezone().strftime('%Y-%m-%d %H:%M')}\t{s.kind.value}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Path, _Io], int]] = {
    "init": cmd_init,
    "demo": cmd_demo,
    "verify": cmd_verify,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "change-passphrase": cmd_change_passphrase,
    "recover": cmd_recover,
    "rotate-key": cmd_rotate_key,
    "new-recovery-code": cmd_new_recovery_code,
    "keychain": cmd_keychain,
    "export": cmd_export,
    "list-clients": cmd_list_clients,
    "list-sessions": cmd_list_sessions,
}


def run_command(
    name: str,
    args: argparse.Namespace,
    data_dir: Path,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    io = _Io(stdin, stdout, stderr)
    try:
        return COMMANDS[name](args, data_dir, io)
    except ConsoleError as exc:
        print(f"session-console: {exc.message}", file=stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("session-console: interrupted", file=stderr)
        return 130
    except Exception as exc:  # a storage failure said plainly; anything else is a bug
        if isinstance(exc, (*DB_ERRORS, OSError)) and diagnose.is_storage_failure(exc):
            filename = getattr(exc, "filename", None)
            where = Path(filename).parent if filename else data_dir
            print(f"session-console: {diagnose.explain(exc, where).message}", file=stderr)
            return EXIT_FAIL
        print(
            f"session-console: internal error ({type(exc).__name__}); nothing was changed "
            "after the last completed step. Please report this.",
            file=stderr,
        )
        return EXIT_BUG
