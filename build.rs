//! Embeds the built-in rule sets without their indentation: whitespace outside JSON strings is
//! dropped, which keeps the wasm module about 30 KB smaller. The files in `rules/` stay readable.
//! Earlier versions kept in `rules/archive/<version>/` are embedded too (as `id@version`), and
//! `builtins.rs` lists them all: id, version, whether it is the newest, and the text.

use std::{env, fs, path::Path};

fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// The value of the first `"version"` member: the rule files are ours, written by rules/src.
fn version_of(json: &str) -> String {
    let after = json.split_once("\"version\"").map_or("", |(_, rest)| rest);
    let value = after.split_once('"').map_or("", |(_, rest)| rest);
    value.split_once('"').map_or("", |(v, _)| v).to_string()
}

fn main() {
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut table =
        String::from("/// (id, version, newest, JSON text) of every built-in rule set.\n");
    table.push_str("const BUILTINS: &[(&str, &str, bool, &str)] = &[\n");
    let mut files: Vec<(String, String, bool)> = ["subdistrict", "department", "enterprise"]
        .iter()
        .map(|id| (id.to_string(), format!("rules/{id}.json"), true))
        .collect();
    println!("cargo:rerun-if-changed=rules/archive");
    if let Ok(dirs) = fs::read_dir("rules/archive") {
        let mut dirs: Vec<_> = dirs.filter_map(Result::ok).map(|d| d.path()).collect();
        dirs.sort();
        for dir in dirs {
            for id in ["subdistrict", "department", "enterprise"] {
                let file = dir.join(format!("{id}.json"));
                if file.exists() {
                    files.push((id.to_string(), file.display().to_string(), false));
                }
            }
        }
    }
    for (id, src, newest) in files {
        println!("cargo:rerun-if-changed={src}");
        let text = fs::read_to_string(&src).expect("built-in rule set exists");
        let version = version_of(&text);
        let name = format!("{id}@{version}.json");
        fs::write(Path::new(&out_dir).join(&name), minify(&text)).expect("write minified rule set");
        table.push_str(&format!(
            "    ({id:?}, {version:?}, {newest}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}\"))),\n"
        ));
    }
    table.push_str("];\n");
    fs::write(Path::new(&out_dir).join("builtins.rs"), table).expect("write builtins.rs");
}
