//! kpi-wasm: an exact, explainable scoring engine for annual work-safety assessments (安全生产考核).
//!
//! A rule set (考核细则) is data: load it with [`RuleSet::from_json`] (every problem is reported,
//! with a JSON pointer and a Chinese message), then score a unit's [`Submission`] (考核表) into a
//! [`Report`] (考核结果) that explains every point gained or lost.
//!
//! ```
//! use kpi_wasm::{RuleSet, Submission};
//! let rules = RuleSet::builtin("subdistrict").expect("built-in rule set");
//! let sub = Submission::from_json(r#"{"format": "kpi-submission/1",
//!     "rules": {"id": "subdistrict", "version": "2026.2"},
//!     "unit": {"id": "dq", "name": "大桥街道"}, "values": {}}"#).expect("submission");
//! let report = rules.score(&sub).expect("report");
//! assert_eq!(report.status.as_str(), "provisional"); // nothing filled in yet
//! ```
//!
//! The core does no I/O and never panics on input; numbers are `rust_decimal::Decimal` end to end.
#![deny(missing_docs)]
#![deny(unsafe_code)]
// Never panic on input, enforced: no unwrap/expect, no indexing that can go out of bounds, no
// explicit panics, and no unchecked arithmetic (a `Decimal` overflow panics). The few justified
// exceptions carry their own `allow` with the reason. Tests may unwrap.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::arithmetic_side_effects
    )
)]

mod batch;
mod builtin;
mod cell;
mod code;
mod decimal;
mod diff;
mod error;
mod export;
mod fingerprint;
// The expression language and the JSON reader and writer are public for the fuzz targets and the
// benches only: not part of the API, and free to change.
#[doc(hidden)]
pub mod expr;
mod form;
#[doc(hidden)]
pub mod json;
pub mod limits;
mod lint;
mod load;
mod plain;
mod probe;
mod ranking;
mod reader;
mod report;
mod rows;
mod rules;
mod ruletest;
mod score;
mod stream;
mod submission;
mod text;
mod values;
mod verify;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
mod wording;
mod work;

pub use batch::{BatchInput, BatchReport};
pub use builtin::{BUILTIN_IDS, builtin_source, builtin_versions};
pub use code::Code;
pub use decimal::{Amount, parse_decimal};
pub use diff::*;
pub use error::{Error, Problem};
pub use export::{diff_csv, reports_csv, reports_csv_header, reports_csv_row};
pub use fingerprint::{ENGINE, Fingerprint};
pub use form::*;
pub use json::ToJson;
pub use limits::MAX_DOCUMENT_BYTES;
pub use probe::*;
pub use report::*;
pub use rules::{Bound, Input, InputType, RuleSet};
pub use ruletest::{CaseDifference, CaseResult, TestRun};
pub use score::{LiveChange, LiveForm, SectionChange};
pub use stream::{BatchStream, EntryHeader, StreamEntry};
pub use submission::{Submission, SubmissionUnit};
pub use text::fold_id;
pub use verify::{Difference, Verification};
pub use wording::{Criteria, Criterion};

impl RuleSet {
    /// Loads and validates a rule set from `kpi-rules/1` JSON text, reporting every problem found.
    ///
    /// ```
    /// use kpi_wasm::{Code, RuleSet};
    /// let text = kpi_wasm::builtin_source("subdistrict").expect("built-in rule set");
    /// let rules = RuleSet::from_json(text).expect("loads");
    /// assert_eq!(rules.id(), "subdistrict");
    /// // Every problem at once, each with a code and a JSON pointer.
    /// let e = RuleSet::from_json(r#"{"format": "kpi-rules/1", "id": "x"}"#).unwrap_err();
    /// assert!(e.problems().iter().any(|p| p.code == Code::FieldMissing && p.path == "/version"));
    /// ```
    pub fn from_json(text: &str) -> Result<RuleSet, Error> {
        load::load_rules(text)
    }

    /// Loads one of the built-in rule sets (`subdistrict`, `department`, `enterprise`).
    ///
    /// ```
    /// assert!(kpi_wasm::RuleSet::builtin("enterprise").is_some());
    /// assert!(kpi_wasm::RuleSet::builtin("nope").is_none());
    /// ```
    pub fn builtin(id: &str) -> Option<RuleSet> {
        builtin_source(id).and_then(|text| RuleSet::from_json(text).ok())
    }
}
