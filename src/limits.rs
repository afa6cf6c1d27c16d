//! What the engine accepts at most. Rule sets and submissions come from outside (uploaded by OA
//! administrators, imported by assessors), so every size is bounded, and going over a bound is a
//! problem with a code (`limit.*`), a JSON pointer and a Chinese message, found before any costly
//! work. SECURITY.md gives the reasons and what the largest accepted input costs.
//!
//! The bounds are far above any real assessment rule set (the built-in ones have about 60 inputs
//! and 30 items) and small enough that the worst accepted rule set scores a submission well within
//! a second.

/// Largest rule-set or submission document, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;
/// Deepest nesting of JSON arrays and objects: the 128th level is refused.
pub const MAX_NESTING: usize = 128;
/// Longest expression, in characters.
pub const MAX_EXPR_LENGTH: usize = 2000;
/// Deepest expression nesting (parentheses, calls and unary operators each count one level).
pub const MAX_EXPR_DEPTH: usize = 32;
/// Most compiled operations over all the expressions of a rule set: what one scoring evaluates
/// at most (each expression once), whatever the shape of the rules.
pub const MAX_EXPR_OPS: usize = 100_000;
/// Most inputs (form fields) in a rule set.
pub const MAX_INPUTS: usize = 2_000;
/// Most sections in a rule set.
pub const MAX_SECTIONS: usize = 100;
/// Most items over all sections.
pub const MAX_ITEMS: usize = 2_000;
/// Most elements of any other list in a rule set: an item's lines, bands, a choice's options,
/// adjustments, bonus items, vetoes, grades, quotas.
pub const MAX_LIST: usize = 200;
/// Most embedded test cases in a rule set.
pub const MAX_TESTS: usize = 1_000;
/// Longest id-like string (ids, versions, periods, units), in characters.
pub const MAX_ID_CHARS: usize = 100;
/// Longest short text (titles, labels, reasons, names, expressions), in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Longest long text (basis, description, help, notes, text values), in characters.
pub const MAX_LONG_TEXT_CHARS: usize = 20_000;
/// Most entries in a submission's `meta`.
pub const MAX_META: usize = 100;
/// Most submissions scored together in one batch or diff call.
pub const MAX_BATCH: usize = 100_000;
/// Most synthetic submissions a threshold probe scores (under each rule set).
pub const MAX_PROBE_RUNS: usize = 20_000;
/// Most work one batch or diff may do: submissions scored × each rule set's
/// [`cost`](crate::RuleSet::cost), summed over the rule sets. Chosen so that the costliest
/// accepted call finishes within a few seconds natively and its reports, all kept until the
/// batch is ranked, fit in memory (SECURITY.md gives the measurements).
pub const MAX_WORK: usize = 60_000_000;
/// Most work one streamed batch ([`BatchStream`](crate::BatchStream)) may do, each submission
/// counted twice (it is scored in both passes). A streamed batch keeps no report, only a unit's
/// standing, so its memory does not grow with this budget: it bounds time only, at about a
/// minute natively for the costliest accepted stream (SECURITY.md). It admits a whole city of
/// the built-in rule sets (100,000 units of `subdistrict` cost 5.8×10⁸).
pub const MAX_STREAM_WORK: usize = 1_000_000_000;
/// Most work one threshold probe may do (synthetic submissions × both rule sets' cost): twice
/// [`MAX_WORK`], since a probe keeps no report.
pub const MAX_PROBE_WORK: usize = 120_000_000;
/// Most bytes of reports the WebAssembly binding builds in one call (estimated before scoring
/// from [`report_bytes`](crate::RuleSet::report_bytes) and the submissions' own length), so that
/// a batch never outgrows the module's memory or the longest JavaScript string.
pub const MAX_WASM_REPORT_BYTES: usize = 256 * 1024 * 1024;
/// Most rows of a record list (明细) in a submission; a records input's `max_rows` defaults to it.
pub const MAX_ROWS: usize = 1_000;
/// Most compiled operations over all row expressions of a rule set (the list functions' row
/// arguments and the `each` lines): each runs once per row, so one scoring evaluates at most
/// `MAX_ROW_OPS × MAX_ROWS` of them.
pub const MAX_ROW_OPS: usize = 10_000;
/// Most `each` lines (a `tiers` line counting one per tier) in a rule set: each writes up to one
/// trace line per row, so a report has at most `MAX_ROW_LINES × MAX_ROWS` of them.
pub const MAX_ROW_LINES: usize = 100;
/// Longest reason for an item the assessors mark not applicable, in characters.
pub const MAX_NA_REASON_CHARS: usize = 2_000;

/// The most elements the list in field `key` may have.
pub(crate) fn max_list(key: &str) -> usize {
    match key {
        "inputs" => MAX_INPUTS,
        "sections" => MAX_SECTIONS,
        "items" => MAX_ITEMS,
        "tests" => MAX_TESTS,
        _ => MAX_LIST,
    }
}

/// The most characters the string in field `key` may have.
pub(crate) fn max_chars(key: &str) -> usize {
    match key {
        "id" | "version" | "period" | "unit_kind" | "format" | "section" | "input" | "unit"
        | "group" | "grade" | "max_grade" | "type" | "each" | "ranking" | "aggregate" => {
            MAX_ID_CHARS
        }
        "basis" | "description" | "help" => MAX_LONG_TEXT_CHARS,
        // Expressions have their own limit, checked when they compile (`expr.too_long`).
        "if" | "per" | "when" | "value" | "formula" | "applicable" | "amount" => usize::MAX,
        _ => MAX_TEXT_CHARS,
    }
}

/// Whether the string in field `key` is an id (or used as one: matched exactly, shown as a
/// name): no white space at either end, no invisible character.
pub(crate) fn is_id(key: &str) -> bool {
    max_chars(key) == MAX_ID_CHARS
}

/// Whether the string in field `key` may hold line breaks and tabs: long texts and expressions.
pub(crate) fn allows_line_breaks(key: &str) -> bool {
    max_chars(key) > MAX_TEXT_CHARS
}
