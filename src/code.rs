//! Every problem code the package can give: the one table of them. A code is stable and dotted
//! (`expr.unknown_id`); its meaning is the doc line of its variant, and `docs/FORMATS.md` lists
//! them all from this table (a test keeps the two equal).

/// Declares [`Code`] from `/// meaning` + `Variant = "family.name";` lines.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $name:ident = $code:literal;)+) => {
        /// The kind of a [`Problem`](crate::Problem): stable, dotted, documented in
        /// `docs/FORMATS.md` with the meaning each variant's description gives.
        ///
        /// ```
        /// use kpi_wasm::{Code, RuleSet};
        /// let e = RuleSet::from_json("{").unwrap_err();
        /// assert_eq!(e.problems()[0].code, Code::JsonSyntax);
        /// assert_eq!(Code::JsonSyntax.as_str(), "json.syntax");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[doc = $doc])+ $name,)+
        }

        impl Code {
            /// Every code, by family.
            pub const ALL: &'static [Code] = &[$(Code::$name),+];

            /// The code as written in JSON and messages (`expr.unknown_id`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)+
                }
            }

            /// What the code means, in one line (English, for documentation).
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$name => concat!($($doc),+).trim_start(),)+
                }
            }
        }
    };
}

codes! {
    /// The text is not JSON (position and reason in the message).
    JsonSyntax = "json.syntax";
    /// Arrays and objects nest too deep (`MAX_NESTING`).
    JsonTooDeep = "json.too_deep";
    /// The document is larger than `MAX_DOCUMENT_BYTES` (8 MiB).
    JsonTooLarge = "json.too_large";
    /// An object key given twice (JSON leaves its meaning open; the second occurrence is named).
    JsonDuplicateKey = "json.duplicate_key";

    /// A required field is absent.
    FieldMissing = "field.missing";
    /// A field has the wrong JSON type.
    FieldType = "field.type";
    /// A text field is empty or only white space.
    FieldEmpty = "field.empty";
    /// A field the format does not have (typos are never ignored).
    FieldUnknown = "field.unknown";
    /// A field's value is not one of those allowed.
    FieldValue = "field.value";
    /// A text with a control character (C0, DEL, C1) or a bidirectional-text control (embedding,
    /// override, isolate, mark); long texts may hold line breaks and tabs.
    TextControl = "text.control";
    /// A rule set's `format` is not `kpi-rules/1`.
    RulesFormat = "rules.format";
    /// A submission's `format` is not `kpi-submission/1`.
    SubmissionFormat = "submission.format";

    /// Not a decimal, or beyond ±10¹².
    DecimalInvalid = "decimal.invalid";
    /// A decimal outside the range its field allows.
    DecimalRange = "decimal.range";

    /// An expression that does not parse.
    ExprSyntax = "expr.syntax";
    /// An expression names an input or function that does not exist.
    ExprUnknownId = "expr.unknown_id";
    /// A value of the wrong type in an expression (a condition used as a number …).
    ExprType = "expr.type";
    /// A function called with the wrong number of arguments.
    ExprArity = "expr.arity";
    /// An expression longer than `MAX_EXPR_LENGTH` characters.
    ExprTooLong = "expr.too_long";
    /// An expression nested deeper than `MAX_EXPR_DEPTH` levels.
    ExprTooDeep = "expr.too_deep";
    /// An empty expression.
    ExprEmpty = "expr.empty";
    /// A division by a constant zero (every evaluation would be undefined).
    ExprDivZero = "expr.div_zero";
    /// A constant part of an expression beyond ±10²⁰ (every evaluation would overflow).
    ExprOverflow = "expr.overflow";
    /// A list function inside a row expression (list functions do not nest).
    ExprNesting = "expr.nesting";

    /// A section's item points do not sum to its `points` (or `out_of`).
    PointsItemsSum = "points.items_sum";
    /// The section points do not sum to `full_score`.
    PointsSectionsSum = "points.sections_sum";
    /// Points with more decimal places than the rule set's `scale`.
    PointsScale = "points.scale";
    /// Bands leave a gap between them.
    BandsGap = "bands.gap";
    /// Bands overlap.
    BandsOverlap = "bands.overlap";
    /// A band's `min` is not below its `max`.
    BandsRange = "bands.range";
    /// A band's score is outside `0..=points`.
    BandsScore = "bands.score";
    /// The lowest grade's `min` is not 0.
    GradesLowest = "grades.lowest";
    /// Grade minimums not strictly descending.
    GradesOrder = "grades.order";
    /// Two grades with the same bound (the lower one could never be reached).
    GradesOverlap = "grades.overlap";
    /// A grade's `min` above `full_score`.
    GradesRange = "grades.range";
    /// A grade name that is not defined.
    GradesUnknown = "grades.unknown";
    /// A quota on the lowest grade (the units over it could go nowhere).
    QuotaLowest = "quota.lowest";
    /// A quota in a rule set without grades.
    QuotaGrade = "quota.grade";
    /// An id or name given twice, also when the two differ only in case or width (`u3`, `U3`, `ｕ３`).
    IdDuplicate = "id.duplicate";
    /// An id with leading or trailing white space or an invisible character (zero-width).
    IdInvisible = "id.invisible";
    /// A rule's `sources` names a document the rule set's `documents` does not list.
    SourcesUnknownDoc = "sources.unknown_doc";
    /// An input id that is not an identifier, or is a reserved word.
    InputId = "input.id";
    /// A `min`/`max` on a non-numeric input, or naming a non-numeric input or itself.
    InputBound = "input.bound";
    /// A `default` that is not allowed or lies outside the input's range.
    InputDefault = "input.default";
    /// Options missing, empty, repeated, or given to a non-choice input.
    InputOptions = "input.options";
    /// An input's `min` above its `max`.
    InputRange = "input.range";
    /// A bound naming an input that does not exist.
    InputUnknownRef = "input.unknown_ref";
    /// An input's `section` that is not a section id.
    InputUnknownSection = "input.unknown_section";
    /// A non-text input that no rule reads.
    InputUnused = "input.unused";
    /// A `records` input without fields, a field a record cannot have (a list, a bound naming
    /// an input, a repeated id), or `fields`, `min_rows`, `max_rows`, `describe` on another type.
    RecordsFields = "records.fields";
    /// A records input's `min_rows`/`max_rows` outside `0..=MAX_ROWS`, or `min_rows` above `max_rows`.
    RecordsRows = "records.rows";
    /// A `cap` above the item's points, or on a rule that has no deductions.
    ItemCap = "item.cap";
    /// `combine` on a rule other than `deduct`.
    ItemCombine = "item.combine";
    /// An item without a scoring rule, or with more than one.
    ItemRule = "item.rule";
    /// A judged item's input is not a number input, is read by another judged item, or is (or is
    /// not) a `multiple` input where the item's `aggregate` needs the other.
    JudgedInput = "judged.input";
    /// A line with both or neither of `if` and `per`.
    LineKind = "line.kind";
    /// `free` or `unit` on an `if` line.
    LinePerOnly = "line.per_only";
    /// A line's `each` naming an input that is not a record list.
    LineEach = "line.each";
    /// A line group inside a group, or a group without lines.
    LineGroup = "line.group";
    /// A step-mode field in a proportional rate.
    RateField = "rate.field";
    /// A veto effect that is not one of those allowed (`fail`, `max_grade` and `lower_grades` need grades).
    VetoEffect = "veto.effect";
    /// An embedded test naming an input, item, veto or grade the rule set does not have.
    TestsUnknown = "tests.unknown";
    /// An empty list where at least one entry is needed (sections, items, lines, bands).
    RulesEmpty = "rules.empty";
    /// The rule set cannot be used (when no more precise problem applies).
    RulesInvalid = "rules.invalid";
    /// `not_applicable: "rescale"` together with a section's `out_of`.
    RulesRescaleWithOutOf = "rules.rescale_with_out_of";

    /// A list with more elements than its limit.
    LimitCount = "limit.count";
    /// A string longer than its limit.
    LimitChars = "limit.chars";
    /// All expressions together compile to more than `MAX_EXPR_OPS` operations.
    LimitExpressions = "limit.expressions";
    /// More than `MAX_BATCH` submissions in one call.
    LimitBatch = "limit.batch";
    /// A batch, diff or probe whose work (submissions × the rule sets' cost) exceeds `MAX_WORK`,
    /// or whose reports would not fit in memory.
    LimitWork = "limit.work";

    /// A required input left empty (only from `validate`; scoring makes the report provisional).
    ValueMissing = "value.missing";
    /// A value for an input the rule set does not have.
    ValueUnknown = "value.unknown";
    /// A value of the wrong type for its input.
    ValueType = "value.type";
    /// A value outside its input's range.
    ValueRange = "value.range";
    /// A list value with fewer or more rows (or scores) than its input allows.
    ValueRows = "value.rows";
    /// A submission marks not applicable an item the rule set does not let the assessors mark.
    NaNotAllowed = "na.not_allowed";
    /// A not-applicable marking without a reason, or with one over 2,000 characters.
    NaReason = "na.reason";
    /// An item below its points without the note the rule set requires (`notes_required`).
    NoteMissing = "note.missing";
    /// A submission for another rule set id or version.
    SubmissionRulesMismatch = "submission.rules_mismatch";
    /// The submission cannot be read (when no more precise problem applies).
    SubmissionInvalid = "submission.invalid";

    /// A `bands` value that no band covers.
    ScoreNoBand = "score.no_band";
    /// A computed value beyond ±10²⁰.
    ScoreOverflow = "score.overflow";
    /// Every item is not applicable: there is nothing to score.
    ScoreNothingApplicable = "score.nothing_applicable";
    /// Two submissions for the same unit in one batch.
    BatchDuplicateUnit = "batch.duplicate_unit";
    /// A batch entry the engine could not score (an internal inconsistency; never expected).
    BatchInternal = "batch.internal";
    /// A diff's submission is for another rule-set id.
    DiffRulesId = "diff.rules_id";

    /// Warning: a judged item below full marks without a note giving the reason.
    JudgedNoNote = "judged.no_note";
    /// Warning: a division by zero left an item pending (counted at full points).
    ScoreUndefined = "score.undefined";
    /// Warning: the submission's period differs from the rule set's.
    SubmissionPeriod = "submission.period";

    /// JS package: an argument of the wrong type, or one whose reading throws (a getter, a Proxy,
    /// `toJSON`, a cycle).
    JsArgument = "js.argument";
    /// JS package: a method called on an engine after `free()`.
    JsFreed = "js.freed";
    /// JS package: in a browser, a tools method (`diff`, `runTests`, …) called before `loadTools()`
    /// loaded the tools module.
    JsTools = "js.tools";
    /// JS form element: no rule set is loaded yet.
    RulesMissing = "rules.missing";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

crate::json::json_str!(Code);
