#!/usr/bin/env python3
"""Checks the shape of the library's source (src/): no import cycle between modules, no file over
MAX_FILE lines, no function over MAX_FN lines. Prints the module graph with --graph.

A module is a file: src/a.rs and src/a/mod.rs are `a`, src/a/b.rs is `a::b`. An edge a -> b is any
`crate::b…` or `super::…` path in a's code outside its unit tests (`#[cfg(test)] mod tests`, files
named tests.rs), and any `child::…` path in a folder's mod.rs. Declaring and re-exporting a child
(`mod x;`, `pub use x::…`) is not an edge: mod.rs is the folder's front door. Method calls are not
seen: a type's methods split over a parent and its child would hide a cycle, so keep shared types in
a child of their own. Usage: check_shape.py [--graph]. Exit 1 on a finding."""
import pathlib, re, sys

MAX_FILE, MAX_FN = 1200, 120
root = pathlib.Path(__file__).resolve().parents[2] / "src"


def module_of(path):
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return "::".join(parts)


def strip(text):
    """The code with comments, strings and char literals blanked (line breaks kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and not (i and (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:]); end = '"' + m.group(1)
            j = text.find(end, i + len(m.group(0))) + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('"' + re.sub(r"[^\n]", " ", text[i + 1:j]) + '"'); i = j + 1
        elif c == "'" and re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|[^\\'])'", text[i:i + 12]):
            m = re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|[^\\'])'", text[i:i + 12])
            out.append("' '"); i += len(m.group(0))
        else:
            out.append(c); i += 1
    return "".join(out)


def without_tests(code):
    """Drops `#[cfg(test)] mod NAME { … }` blocks."""
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", code)
        if not m:
            return code
        depth, j = 0, m.end() - 1
        while True:
            depth += {"{": 1, "}": -1}.get(code[j], 0)
            j += 1
            if depth == 0:
                break
        code = code[:m.start()] + "\n" * code[m.start():j].count("\n") + code[j:]


files = sorted(p for p in root.rglob("*.rs") if p.name != "tests.rs")
modules = {module_of(p): p for p in files}
graph, findings = {}, []
for mod, path in modules.items():
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    if lines > MAX_FILE:
        findings.append(f"{path.relative_to(root.parent)}: {lines} lines (max {MAX_FILE})")
    code = strip(text)
    for m in re.finditer(r"\bfn\s+(\w+)[^;{]*\{", code):
        depth, j = 0, m.end() - 1
        while j < len(code):
            depth += {"{": 1, "}": -1}.get(code[j], 0)
            j += 1
            if depth == 0:
                break
        length = code[m.start():j].count("\n") + 1
        if length > MAX_FN:
            line = code[:m.start()].count("\n") + 1
            findings.append(f"{path.relative_to(root.parent)}:{line}: fn {m.group(1)} is {length} lines (max {MAX_FN})")
    code = without_tests(code)
    deps = set()
    parent = mod.rsplit("::", 1)[0] if "::" in mod else ""
    if path.name in ("mod.rs", "lib.rs"):
        prefix = mod + "::" if mod else ""
        children = [m[len(prefix):] for m in modules
                    if m and m.startswith(prefix) and "::" not in m[len(prefix):]]
        # Declaring and re-exporting a child is the folder's front door; any other use of it is an edge.
        code = re.sub(r"^\s*(pub(\([^)]*\))?\s+)?(mod\s+\w+|use\s+(self::)?(" + "|".join(children or ["$^"]) + r")::[^;]*);", "", code, flags=re.M)
        for child in children:
            if re.search(r"(?<![\w:])" + child + r"::\w", code):
                deps.add(f"{mod}::{child}" if mod else child)
    # `crate::a::b`, `super::x`, and each name of a group: `super::{x, y}`, `crate::{a, b::c}`.
    paths = [(m.group(1), m.group(2).strip(":")) for m in re.finditer(r"\b(crate|super)((?:::\w+)+)", code)]
    for m in re.finditer(r"\b(crate|super)((?:::\w+)*)::\{([^}]*)\}", code):
        for name in m.group(3).split(","):
            name = name.strip().split(" as ")[0]
            if name and name != "self":
                paths.append((m.group(1), (m.group(2).strip(":") + "::" + name).strip(":")))
    for root_kw, rest in paths:
        names = [n for n in rest.split("::") if n]
        base = [] if root_kw == "crate" else (parent.split("::") if parent else [])
        if root_kw == "super" and path.name == "mod.rs":
            base = base[:-1] if base else []
        cand = base + names
        while cand and "::".join(cand) not in modules:
            cand = cand[:-1]
        target = "::".join(cand)
        if target != mod:
            deps.add(target)
    graph[mod] = deps

# Cycles: strongly connected components with more than one module.
index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in sorted(graph.get(v, ())):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            comps.append(sorted(comp))
for v in sorted(graph):
    if v not in index:
        visit(v)
for comp in comps:
    findings.append("import cycle: " + " ⇄ ".join(c or "lib" for c in comp))

if "--graph" in sys.argv:
    for mod in sorted(graph):
        print(f"{mod or 'lib'} -> {', '.join(sorted(d or 'lib' for d in graph[mod])) or '(nothing)'}")
for f in findings:
    print(f)
print(f"{len(modules)} modules, {len(findings)} findings")
sys.exit(1 if findings else 0)
