//! Embeds the built-in rule sets without their indentation: whitespace outside JSON strings is
//! dropped, which keeps the wasm module about 30 KB smaller. The files in `rules/` stay readable.

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

fn main() {
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for id in ["subdistrict", "department", "enterprise"] {
        let src = format!("rules/{id}.json");
        println!("cargo:rerun-if-changed={src}");
        let text = fs::read_to_string(&src).expect("built-in rule set exists");
        fs::write(
            Path::new(&out_dir).join(format!("{id}.json")),
            minify(&text),
        )
        .expect("write minified rule set");
    }
}
