//! The built-in example rule sets, compiled into the library.
//!
//! They are examples built from public work plans (公开工作计划), not official rules. Earlier
//! versions stay available as `id@version` (`subdistrict@2026.1`), so last year's submissions
//! still score as they did.

/// Ids of the built-in rule sets, in display order (each names its newest version).
pub const BUILTIN_IDS: &[&str] = &["subdistrict", "department", "enterprise"];

#[cfg(feature = "builtin-rules")]
include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

#[cfg(not(feature = "builtin-rules"))]
const BUILTINS: &[(&str, &str, bool, &str)] = &[];

/// The JSON text of a built-in rule set (minified by `build.rs`; `rules/` holds the readable
/// files): `subdistrict` is the newest version, `subdistrict@2026.1` a given one. `None` for an
/// unknown id or version, and for every id when built without the `builtin-rules` feature.
pub fn builtin_source(id: &str) -> Option<&'static str> {
    let (id, version) = match id.split_once('@') {
        Some((id, version)) => (id, Some(version)),
        None => (id, None),
    };
    BUILTINS
        .iter()
        .find(|(i, v, newest, _)| *i == id && version.map_or(*newest, |want| *v == want))
        .map(|(.., text)| *text)
}

/// Every built-in rule set as `(id, version)`, newest versions first.
pub fn builtin_versions() -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTINS.iter().map(|(id, version, ..)| (*id, *version))
}
