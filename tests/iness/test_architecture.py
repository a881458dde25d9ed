"""The shape of the code, checked by reading it: what depends on what, who changes a status,
what views and admin catch. Each rule is one the team agreed on (README, Architecture)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["iness", "registrations", "proposals", "backoffice"]
# Each app may import only the apps below it: backoffice -> proposals -> registrations -> iness.
LAYERS = {app: set(APPS[:index]) for index, app in enumerate(APPS)}


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_apps(tree: ast.AST) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in APPS:
                found.add((top, node.lineno))
    return found


@pytest.mark.parametrize("app", APPS)
def test_apps_import_only_the_apps_below_them(app):
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {other}"
        for path, tree in modules(app)
        for other, line in imported_apps(tree)
        if other != app and other not in LAYERS[app]
    ]

    assert upward == []


def test_the_import_check_sees_an_upward_import():
    tree = ast.parse("from backoffice.adminkit import thing\nimport proposals.services\n")

    assert {app for app, _line in imported_apps(tree)} == {"backoffice", "proposals"}


# One state path per model


def status_assignments(path: Path, tree: ast.AST) -> list[str]:
    """`x.status = ...`, and `status=` given to create/update calls."""
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in {"create", "update", "bulk_create", "update_or_create"} and any(
                keyword.arg == "status" for keyword in node.keywords
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_only_the_state_helper_assigns_a_status():
    """Each model's one setter goes through iness.states.change; nothing else writes
    `status` (the outgoing mail's own status belongs to the mail queue: iness.mail records
    and puts back, iness.sending claims and records the outcome)."""
    allowed = {
        ROOT / "iness" / "states.py",
        ROOT / "iness" / "mail.py",
        ROOT / "iness" / "sending.py",
    }
    found = [
        where
        for app in APPS
        for path, tree in modules(app)
        if "migrations" not in path.parts and path not in allowed
        for where in status_assignments(path, tree)
    ]

    assert found == []


def test_the_status_check_sees_an_assignment():
    tree = ast.parse("r.status = 'x'\nR.objects.filter().update(status='y')\n")

    assert len(status_assignments(ROOT / "x.py", tree)) == 2


# One refusal family


def caught(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            names |= {ast.unparse(each) for each in types}
    return names


@pytest.mark.parametrize("app", APPS)
def test_views_and_admin_catch_only_refusals(app):
    """No `except ValueError` (or broader) around a service call: a refusal is a
    `Refused` with its message; anything else is a bug and gets the error page."""
    broad = {"ValueError", "Exception", "BaseException", "TypeError", "KeyError"}
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, tree in modules(app)
        if path.name.endswith(("views.py", "admin.py"))
        for name in caught(tree)
        if name in broad
    ]

    assert found == []


def test_every_refusal_of_the_services_is_a_refused():
    from iness.exceptions import Refused
    from iness.people import AddressRefused
    from iness.states import TransitionRefused
    from proposals import services as proposals
    from registrations import services as registrations

    refusals = [
        AddressRefused,
        TransitionRefused,
        registrations.RegistrationClosed,
        registrations.CapacityError,
        registrations.NoSeatAvailable,
        registrations.NotOnWaitingList,
        registrations.OfferNotOpen,
        proposals.ProposalError,
        proposals.ProposalsClosed,
        proposals.NotEditable,
        proposals.NotWithdrawable,
        proposals.NotConfirmable,
        proposals.DecisionRefused,
    ]

    assert all(issubclass(refusal, Refused) for refusal in refusals)
    assert not any(issubclass(refusal, ValueError) for refusal in refusals)
