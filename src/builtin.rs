//! The built-in example rule sets, compiled into the library.
//!
//! They are examples built from public work plans (公开工作计划), not official rules.

/// Ids of the built-in rule sets, in display order.
pub const BUILTIN_IDS: &[&str] = &["subdistrict", "department", "enterprise"];

/// The JSON text of a built-in rule set (minified by `build.rs`; `rules/` holds the readable files).
/// `None` for every id when built without the `builtin-rules` feature.
#[cfg(feature = "builtin-rules")]
pub fn builtin_source(id: &str) -> Option<&'static str> {
    match id {
        "subdistrict" => Some(include_str!(concat!(env!("OUT_DIR"), "/subdistrict.json"))),
        "department" => Some(include_str!(concat!(env!("OUT_DIR"), "/department.json"))),
        "enterprise" => Some(include_str!(concat!(env!("OUT_DIR"), "/enterprise.json"))),
        _ => None,
    }
}

/// The JSON text of a built-in rule set: built without the `builtin-rules` feature, there is none.
#[cfg(not(feature = "builtin-rules"))]
pub fn builtin_source(_id: &str) -> Option<&'static str> {
    None
}
