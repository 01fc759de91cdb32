"""Imports run one way: catalog → org/accounts → collection → monitoring → rectification →
the doors (web, reports, exchange, api). The test reads every module's imports
(with ast, function-level imports included) and fails on an arrow against that order, or between
two packages of the top layer, unless the arrow is listed in KNOWN with the reason it is still
there. A new back-arrow fails; a known one that disappears fails too, so the list only shrinks.
"""

import ast
import pathlib
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent / "planwatch"

# Packages every layer may use: the audit trail, the pure engine (it reads only the pure
# number formatter catalog.numbers), the shared YAML sync helper, the official document form
# (python-docx only: reports and 预警通报 share it).
BASE = {"audit", "evaluation", "sync", "env", "officialdoc"}
LAYER = {
    "catalog": 1,
    "org": 2,
    "accounts": 2,
    "collection": 3,
    "monitoring": 4,
    # 整改 follows the monitoring's warnings, and the annual report tells what was done.
    "rectification": 4.5,
    "web": 5,
    "reports": 5,
    "exchange": 5,
    "api": 5,
}

# (from, to): why it is still there. Remove the entry with the arrow. Empty since the member
# departments moved into the catalog (the last arrow, catalog -> org).
KNOWN: dict[tuple[str, str], str] = {}


def package_arrows():
    arrows = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or "migrations" in parts:
            continue
        source = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                bits = module.split(".")
                if bits[0] == "planwatch" and len(bits) > 1 and bits[1] != source:
                    arrows[(source, bits[1])].add(str(path.relative_to(ROOT.parent)))
    return arrows


def against_the_order(source, target):
    if target in BASE or source not in LAYER or target not in LAYER:
        return False
    if source == "evaluation":
        return False  # held to a stricter rule by the last test
    return LAYER[target] > LAYER[source] or (
        LAYER[target] == LAYER[source] == 5  # the top layer's packages stand side by side
    )


def test_the_reader_sees_real_arrows():
    arrows = package_arrows()
    assert ("monitoring", "collection") in arrows
    assert ("web", "monitoring") in arrows


def test_every_package_is_placed_in_a_layer():
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    assert packages - {"locale"} <= set(LAYER) | BASE, packages - set(LAYER) - BASE


def test_imports_run_one_way():
    arrows = package_arrows()
    back = {arrow: sorted(files) for arrow, files in arrows.items() if against_the_order(*arrow)}
    new = {arrow: files for arrow, files in back.items() if arrow not in KNOWN}
    assert new == {}, f"imports against the layer order: {new}"
    gone = set(KNOWN) - set(back)
    assert gone == set(), f"remove these from KNOWN, they are gone: {gone}"


def test_the_engine_imports_no_django_and_only_the_pure_formatter():
    for path in (ROOT / "evaluation").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
                if module.startswith("planwatch.") and not module.startswith(
                    "planwatch.evaluation"
                ):
                    names = {alias.name for alias in node.names}
                    assert module == "planwatch.catalog" and names == {"numbers"}, path
                assert not module.startswith("django"), path


def test_the_official_form_is_pure_python_docx():
    for path in (ROOT / "officialdoc").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("django", "planwatch.")), (path, node.module)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith(("django", "planwatch")), path


def module_arrows():
    """module → modules it imports (function-level imports too), planwatch modules only."""
    modules = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    arrows = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            arrows[name] |= {t for t in targets if t in modules and t != name}
    return arrows


def test_no_two_modules_import_each_other_round_a_circle():
    arrows = module_arrows()
    assert "planwatch.collection.problems" in arrows["planwatch.collection.importer"]
    state, circles = {}, []

    def visit(module, trail):
        state[module] = "open"
        for target in sorted(arrows.get(module, ())):
            if state.get(target) == "open":
                circles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(arrows):
        if module not in state:
            visit(module, [module])
    assert circles == []
