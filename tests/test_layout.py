"""The code's layout rules (README "How it works"), checked on the source itself.

Each rule keeps a seam open: only the store speaks SQL and FAISS, so another engine can stand
behind it; library modules know nothing of the CLI or the web app; modules stay small enough
to read in one sitting.
"""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGES = ("indexer", "webapp")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (REPO / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def _inside(path: Path, folder: str) -> bool:
    return path.is_relative_to(REPO / folder)


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(REPO)): n for p in _modules(*PACKAGES)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_is_over_80_lines():
    long = {}
    for path in _modules(*PACKAGES):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(REPO)}:{node.name}"] = length
    assert long == {}


def test_only_the_store_speaks_sql_to_the_index_and_imports_faiss():
    # The embedding cache and the users database are small stores of their own.
    own_databases = {"indexer/cache.py", "indexer/accounts/store.py"}
    offenders = []
    for path in _modules(*PACKAGES):
        name = str(path.relative_to(REPO))
        if _inside(path, "indexer/store") or name in own_databases:
            continue
        source = path.read_text(encoding="utf-8")
        if ".execute(" in source or "executemany(" in source or "import faiss" in source \
                or "sqlite3" in source:
            offenders.append(name)
    assert offenders == []


def test_library_modules_import_neither_the_cli_nor_the_web_app():
    offenders = [str(p.relative_to(REPO)) for p in _modules("indexer")
                 if not _inside(p, "indexer/cli")
                 and any(n.startswith(("indexer.cli", "webapp", "click", "flask"))
                         for n in _imports(p))]
    assert offenders == []


def test_the_two_blueprints_do_not_import_each_other():
    api, pages = REPO / "webapp" / "api.py", REPO / "webapp" / "pages.py"
    assert not any(n.startswith("webapp.pages") for n in _imports(api))
    assert not any(n.startswith("webapp.api") for n in _imports(pages))
