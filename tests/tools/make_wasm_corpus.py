#!/usr/bin/env python3
"""Writes target/wasm-corpus.rs: every golden case (rules, submission, expected report) as
include_str! entries, so tests/wasm_api.rs can score the whole corpus inside wasm (Node and
Chromium) and compare byte for byte with the native outputs. Run by ./test before the wasm tests."""
import json, pathlib
root = pathlib.Path(__file__).resolve().parents[2]
rows = []
for d in sorted((root / "tests/cases").iterdir()):
    if not d.is_dir() or (d / "rules.out.json").exists():
        continue
    rules = f'include_str!("{(d / "rules.json").as_posix()}")' if (d / "rules.json").exists() else \
        f'kpi_wasm::builtin_source("{(d / "rules.builtin").read_text().strip()}").unwrap_or("")'
    for sub in sorted(d.glob("*.sub.json")):
        out = sub.with_name(sub.name.replace(".sub.json", ".out.json"))
        rows.append(f'    ("{d.name}/{sub.name}", {rules}, include_str!("{sub.as_posix()}"), include_str!("{out.as_posix()}")),')
(root / "target").mkdir(exist_ok=True)
(root / "target/wasm-corpus.rs").write_text(
    "/// (name, rules, submission, expected outcome) for every golden case.\n"
    "pub const CORPUS: &[(&str, &str, &str, &str)] = &[\n" + "\n".join(rows) + "\n];\n", encoding="utf-8")
print(f"{len(rows)} golden cases written to target/wasm-corpus.rs")
