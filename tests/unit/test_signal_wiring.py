"""A signal's own argument must not land in a parameter that means something else.

`clicked(bool)` fed into `stop(ended_by="stop")` is how the pacer's Stop button crashed:
PySide passes the signal's arguments to a Python slot that can take them. So a slot with
an optional parameter is connected through a lambda that says what it passes.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
# Signals that carry an argument a slot can receive by accident.
CARRYING = {
    "clicked",
    "toggled",
    "triggered",
    "valueChanged",
    "currentIndexChanged",
    "currentTextChanged",
    "textChanged",
    "textEdited",
    "stateChanged",
    "activated",
    "itemClicked",
    "itemDoubleClicked",
    "itemActivated",
    "currentItemChanged",
    "currentRowChanged",
    "currentChanged",
    "editingFinished",
    "returnPressed",
    "dateChanged",
    "timeChanged",
    "selectionChanged",
    "finished",
    "accepted",
    "rejected",
    "doubleClicked",
    "pressed",
    "released",
    "sliderMoved",
    "tabCloseRequested",
    "timeout",
    "customContextMenuRequested",
    "linkActivated",
}


# What each signal passes, by the annotation a slot meant to take it would carry.
_BY_TYPE = {
    frozenset({"bool"}): ("clicked", "toggled", "triggered"),
    frozenset({"int", "float"}): ("valueChanged",),
    frozenset({"int"}): (
        "currentIndexChanged",
        "currentRowChanged",
        "currentChanged",
        "stateChanged",
        "finished",
        "tabCloseRequested",
        "activated",
    ),
    frozenset({"str"}): ("textChanged", "textEdited", "currentTextChanged", "linkActivated"),
}
PASSES = {signal: types for types, signals in _BY_TYPE.items() for signal in signals}


def _optional_params(func: ast.FunctionDef) -> list[str]:
    params = func.args.posonlyargs + func.args.args
    if params and params[0].arg == "self":
        params = params[1:]
    defaults = func.args.defaults
    optional = params[len(params) - len(defaults) :] if defaults else []
    return [p.arg for p in optional]


def _custom_signals() -> set[str]:
    """Names our own classes declare with Signal(...): what they pass is ours to say."""
    names: set[str] = set()
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "Signal"
            ):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


CUSTOM = _custom_signals()


def _mismatched_type(func: ast.FunctionDef, signal: str) -> str | None:
    params = func.args.args[1:]
    if not params or signal not in PASSES or signal in CUSTOM or params[0].annotation is None:
        return None
    annotation = ast.unparse(params[0].annotation)
    if annotation in PASSES[signal] or annotation.startswith("Q"):
        return None  # a Qt sender's own argument type (QCalendarWidget.clicked(QDate))
    return f"{params[0].arg}: {annotation}"


def _risky_connections(path: Path, root: Path = UI.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        methods = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}
        for call in (n for n in ast.walk(cls) if isinstance(n, ast.Call)):
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "connect" and call.args):
                continue
            signal = func.value
            if not (isinstance(signal, ast.Attribute) and signal.attr in CARRYING):
                continue
            slot = call.args[0]
            if (
                isinstance(slot, ast.Attribute)
                and isinstance(slot.value, ast.Name)
                and slot.value.id == "self"
                and slot.attr in methods
            ):
                method = methods[slot.attr]
                optional = _optional_params(method)
                where = f"{path.relative_to(root)}:{call.lineno}: {signal.attr} → {cls.name}"
                if optional and len(method.args.args) - 1 == len(optional):
                    found.append(f"{where}.{slot.attr}({optional[0]}=…)")
                elif (mismatch := _mismatched_type(method, signal.attr)) is not None:
                    found.append(f"{where}.{slot.attr}({mismatch})")
    return found


def test_no_signal_argument_fills_an_optional_parameter() -> None:
    risky = [line for path in sorted(UI.rglob("*.py")) for line in _risky_connections(path)]
    assert not risky, "wire these through a lambda that passes what the slot means:\n" + "\n".join(
        risky
    )


def test_the_check_finds_the_pacer_stop_bug_and_a_mistyped_slot(tmp_path: Path) -> None:
    probe = tmp_path / "panel.py"
    probe.write_text(
        "class Panel:\n"
        "    def __init__(self):\n"
        "        self.stop_button.clicked.connect(self.stop)\n"
        "        self.list.currentRowChanged.connect(self.open_client)\n"
        "        self.show_box.toggled.connect(self.set_shown)\n"
        "    def stop(self, ended_by='stop'):\n"
        "        pass\n"
        "    def open_client(self, client_id: uuid.UUID):\n"
        "        pass\n"
        "    def set_shown(self, shown: bool):\n"
        "        pass\n",
        encoding="utf-8",
    )
    assert _risky_connections(probe, tmp_path) == [
        "panel.py:3: clicked → Panel.stop(ended_by=…)",
        "panel.py:4: currentRowChanged → Panel.open_client(client_id: uuid.UUID)",
    ]
