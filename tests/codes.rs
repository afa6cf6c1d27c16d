//! The one table of problem codes (`src/code.rs`) against the documentation and the JS package:
//! `docs/FORMATS.md` lists exactly the engine's codes (its table is generated from them), every
//! code named anywhere in the docs exists, the JS files use only the engine's codes, and no source
//! file spells a code as a string or the document limit as a number.

#![cfg(not(target_arch = "wasm32"))]

use kpi_wasm::Code;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn known(code: &str) -> bool {
    Code::ALL.iter().any(|c| c.as_str() == code)
}

/// Dotted lower-case words in backticks or quotes (`field.unknown`, 'json.syntax').
fn dotted(text: &str, quote: char) -> Vec<String> {
    text.split(quote)
        .skip(1)
        .step_by(2)
        .filter(|w| {
            let mut parts = w.split('.');
            let ok = |p: Option<&str>| {
                p.is_some_and(|p| {
                    !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                })
            };
            ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
        })
        .map(str::to_string)
        .collect()
}

fn generated_table() -> String {
    let mut s = String::from("| code | meaning |\n|---|---|\n");
    for c in Code::ALL {
        s.push_str(&format!("| `{}` | {} |\n", c.as_str(), c.meaning()));
    }
    s
}

#[test]
fn formats_md_lists_exactly_the_engine_codes() {
    const BEGIN: &str = "<!-- codes: generated from src/code.rs -->\n";
    const END: &str = "<!-- /codes -->";
    let path = root().join("docs/FORMATS.md");
    let text = read("docs/FORMATS.md");
    let (start, end) = (
        text.find(BEGIN).expect("FORMATS.md has the codes markers") + BEGIN.len(),
        text.find(END).expect("FORMATS.md has the end marker"),
    );
    let want = generated_table();
    if text.get(start..end) != Some(want.as_str()) {
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            let updated = format!("{}{want}{}", &text[..start], &text[end..]);
            fs::write(&path, updated).expect("write FORMATS.md");
        } else {
            panic!(
                "docs/FORMATS.md's code table differs from src/code.rs (UPDATE_EXPECT=1 cargo test --test codes rewrites it):\n{want}"
            );
        }
    }
    let mut codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    codes.sort_unstable();
    let len = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), len, "a code is listed twice");
}

#[test]
fn every_code_named_in_the_docs_exists() {
    // Dotted names in backticks that are fields, not codes.
    const FIELDS: &[&str] = &["bonus.cap", "rules.id", "rules.version"];
    for doc in [
        "docs/FORMATS.md",
        "docs/SPEC.md",
        "README.md",
        "SECURITY.md",
        "ARCHITECTURE.md",
    ] {
        // Only words of a code's family: `element.css` is a file, `field.nope` a mistake.
        let family = |w: &str| {
            let (f, ext) = w.split_once('.').unwrap_or_default();
            let file = matches!(
                ext,
                "json" | "jsonl" | "builtin" | "js" | "css" | "rs" | "py"
            );
            !file
                && Code::ALL
                    .iter()
                    .any(|c| c.as_str().split('.').next() == Some(f))
        };
        for word in dotted(&read(doc), '`').into_iter().filter(|w| family(w)) {
            assert!(
                known(&word) || FIELDS.contains(&word.as_str()),
                "{doc} names `{word}`, which is not a code of src/code.rs"
            );
        }
    }
}

#[test]
fn the_js_package_uses_the_engine_codes() {
    for file in ["js/element.js", "js/form-view.js", "js/index.js"] {
        let text = read(file);
        for line in text.lines().filter(|l| l.contains("code")) {
            for word in dotted(line, '\'') {
                assert!(
                    known(&word),
                    "{file} uses code '{word}', which the engine does not have"
                );
            }
        }
        // Every code the JS side builds has a dotted name.
        for part in text.split("code: '").skip(1) {
            let code = part.split('\'').next().unwrap_or_default();
            assert!(known(code), "{file} builds a problem with code '{code}'");
        }
    }
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

#[test]
fn codes_and_the_document_limit_are_spelled_once() {
    let mut sources = Vec::new();
    files_under(&root().join("src"), "rs", &mut sources);
    for path in &sources {
        if path.ends_with("code.rs") {
            continue;
        }
        let text = fs::read_to_string(path).expect("source");
        for word in dotted(&text, '"') {
            assert!(
                !known(&word),
                "{} spells the code \"{word}\" as a string: use Code::…",
                path.display()
            );
        }
    }
    let mut js = vec![root().join("js/element.js"), root().join("js/form-view.js")];
    js.extend(sources);
    for path in js {
        let text = fs::read_to_string(&path).expect("source");
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//") && !l.trim_start().starts_with("*"))
            .collect();
        assert!(
            !code.contains("8 MiB") && !code.contains("8 * 1024 * 1024")
                || path.ends_with("limits.rs"),
            "{} spells the document limit: use MAX_DOCUMENT_BYTES",
            path.display()
        );
    }
}
