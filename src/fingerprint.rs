//! Report fingerprints: SHA-256 over canonical texts of the rule set and of the submission, and the
//! engine's name and version, so that a report says exactly what it was computed from.
//!
//! The canonical forms (docs/FORMATS.md, "Fingerprint") are JSON texts: object members sorted by
//! key (code point order), no white space, strings escaped only where JSON requires it (`"`, `\`
//! and control characters). The rule set's is the document as written (numbers exactly as
//! written); the submission's carries its values as the rule set converts them, so that `"12"` and
//! `12` fingerprint alike. A fingerprint is not a signature: anyone can compute it. What makes a
//! report trustworthy is re-scoring it, [`RuleSet::verify`](crate::RuleSet::verify).

use crate::json::{JsonWriter, ToJson, Value, json_object};
use crate::submission::{SelfAssessment, Submission};
use sha2::{Digest, Sha256};

/// The engine as a report's fingerprint names it: `kpi-wasm 0.1.0`.
pub const ENGINE: &str = concat!("kpi-wasm ", env!("CARGO_PKG_VERSION"));

/// What a report was computed from: the engine, and SHA-256 digests of the rule set's and the
/// submission's canonical texts (`sha256:` and 64 lower-case hex digits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint<'r> {
    /// The engine and its version ([`ENGINE`]).
    pub engine: &'static str,
    /// The rule set's digest ([`RuleSet::fingerprint`]).
    pub rules: &'r str,
    /// The submission's digest.
    pub submission: String,
}

json_object!(Fingerprint<'_> { engine, rules, submission });

/// `sha256:` and the digest of `bytes` in lower-case hex.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in digest {
        out.push(char::from(
            HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
        ));
        out.push(char::from(
            HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
        ));
    }
    out
}

/// The rule set's digest: its document as canonical JSON. The reader keeps every number's literal
/// text and sorts object members, so writing the parsed tree compactly is the canonical form.
pub(crate) fn rules_digest(root: &Value) -> String {
    sha256(root.to_json().as_bytes())
}

/// The submission's digest: `{"meta", "not_applicable" (when any), "notes", "period", "rules":
/// {"id", "version"}, "self" (when given), "unit", "values"}` as canonical JSON, with `values` from
/// `values::canonical_values`.
pub(crate) fn submission_digest(sub: &Submission, values: &str) -> String {
    let mut w = JsonWriter::with_capacity(values.len().saturating_add(256));
    w.begin_object();
    w.field("meta", &sub.meta);
    if !sub.not_applicable.is_empty() {
        w.field("not_applicable", &sub.not_applicable);
    }
    w.field("notes", &sub.notes);
    w.field("period", &sub.period);
    w.key("rules");
    w.begin_object();
    w.field("id", &sub.rules_id);
    w.field("version", &sub.rules_version);
    w.end_object();
    if let Some(own) = &sub.self_assessment {
        w.key("self");
        w.begin_object();
        match own.as_ref() {
            SelfAssessment::Values(values) => w.field("values", values),
            SelfAssessment::Items(items) => w.field("items", items),
        }
        w.end_object();
    }
    // The unit's members in key order: group, id, name, ranked (only when false), tags (only
    // when any, in the order given), as the report echoes them.
    let unit = &sub.unit;
    w.key("unit");
    w.begin_object();
    w.field_opt("group", &unit.group);
    w.field("id", &unit.id);
    w.field("name", &unit.name);
    if !unit.ranked {
        w.field("ranked", &false);
    }
    if !unit.tags.is_empty() {
        w.field("tags", &unit.tags);
    }
    w.end_object();
    w.key("values");
    w.raw(values);
    w.end_object();
    sha256(w.finish().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn sha256_of_known_texts() {
        assert_eq!(
            sha256(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    /// The example of docs/FORMATS.md ("Fingerprint"), whose digest an integrator can recompute.
    #[test]
    fn the_documented_example() {
        let rules = RuleSet::from_json(
            r#"{"format":"kpi-rules/1","id":"t","version":"1","title":"细则","period":"2026",
            "unit_kind":"subdistrict","full_score":"10",
            "inputs":[{"id":"a","label":"问题","type":"count"},{"id":"note","label":"说明","type":"text","required":false}],
            "sections":[{"id":"s","title":"部分","points":"10","items":[
              {"id":"1","title":"项目","points":"10","deduct":[{"per":"a","points":"1","reason":"问题"}]}]}],
            "grades":[{"name":"合格","min":"6"},{"name":"不合格","min":"0"}]}"#,
        )
        .expect("loads");
        let text = r#"{"format": "kpi-submission/1", "rules": {"id": "t", "version": "1"},
            "unit": {"id": "u", "name": "单位", "ranked": true},
            "values": {"note": "已整改", "a": "2.0"}, "meta": {"oa_id": "42"}}"#;
        let canonical = r#"{"meta":{"oa_id":"42"},"notes":{},"period":null,"rules":{"id":"t","version":"1"},"unit":{"id":"u","name":"单位"},"values":{"a":2,"note":"已整改"}}"#;
        let want = "sha256:83d8d3926ee1bc2c3b871dca2e0b715fff95cc475f3ef0c9dd2ec7a1c73ba6a6";
        assert_eq!(sha256(canonical.as_bytes()), want);
        let report = rules.score_text(text).expect("scores");
        assert_eq!(report.fingerprint.submission, want);
        let thorough = rules
            .score(&Submission::from_json(text).expect("reads"))
            .expect("scores");
        assert_eq!(thorough.fingerprint.submission, want);
        assert_eq!(report.fingerprint.engine, ENGINE);
        assert_eq!(report.fingerprint.rules, rules.fingerprint());
    }

    #[test]
    fn canonical_rules_ignore_layout_and_member_order_but_keep_literals() {
        let digest = |text: &str| rules_digest(&crate::json::parse(text).expect("json"));
        let a = digest(r#"{"b": [1, 2.50], "a": "\u00e9\"x"}"#);
        assert_eq!(a, digest("{\"a\":\"é\\\"x\",\"b\":[1,2.50]}"));
        assert_eq!(a, sha256("{\"a\":\"é\\\"x\",\"b\":[1,2.50]}".as_bytes()));
        // Numbers are kept as written: 2.5 is another document than 2.50.
        assert_ne!(a, digest(r#"{"a": "é\"x", "b": [1, 2.5]}"#));
    }

    /// Everything a report depends on is in the submission's digest: a record list's rows, the
    /// self-assessment and the assessors' not-applicable markings (golden cases, each changed).
    #[test]
    fn lists_self_assessment_and_markings_count() {
        let case = |dir: &str, sub: &str| {
            let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/");
            let read = |f: String| std::fs::read_to_string(f).expect("golden case");
            let rules =
                RuleSet::from_json(&read(format!("{root}{dir}/rules.json"))).expect("loads");
            let sub = Submission::from_json(&read(format!("{root}{dir}/{sub}"))).expect("reads");
            (rules, sub)
        };
        let digest = |rules: &RuleSet, sub: &Submission| {
            rules.score(sub).expect("scores").fingerprint.submission
        };
        let (rules, sub) = case("records", "two.sub.json");
        let mut fewer = sub.clone();
        let rows = fewer
            .values
            .keys()
            .find(|k| matches!(sub.values.get(k), Some(Value::Array(a)) if a.len() > 1))
            .cloned()
            .expect("a list of two rows");
        if let Some(Value::Array(a)) = fewer.values.get_mut(&rows) {
            a.pop();
        }
        assert_ne!(
            digest(&rules, &sub),
            digest(&rules, &fewer),
            "a record list's rows"
        );
        let (rules, sub) = case("self-assessment", "items.sub.json");
        let mut without = sub.clone();
        without.self_assessment = None;
        assert_ne!(
            digest(&rules, &sub),
            digest(&rules, &without),
            "the self-assessment"
        );
        let (rules, sub) = case("assessor-na", "one.sub.json");
        let mut unmarked = sub.clone();
        unmarked.not_applicable.clear();
        assert_ne!(
            digest(&rules, &sub),
            digest(&rules, &unmarked),
            "not-applicable markings"
        );
    }
}
