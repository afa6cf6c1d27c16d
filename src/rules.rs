//! The rule model: a loaded, checked rule set (考核细则) ready to score submissions.
//!
//! Everything here has passed validation: ids are unique, points add up, expressions are
//! type-checked with their inputs resolved to indices. Build one with [`RuleSet::from_json`].

use crate::expr::Expr;
use rust_decimal::Decimal;

/// A loaded and validated rule set.
#[derive(Clone, Debug)]
pub struct RuleSet {
    pub(crate) id: String,
    pub(crate) version: String,
    pub(crate) title: String,
    pub(crate) period: String,
    pub(crate) unit_kind: String,
    pub(crate) description: Option<String>,
    pub(crate) full_score: Decimal,
    pub(crate) scale: u32,
    pub(crate) not_applicable: NotApplicable,
    pub(crate) inputs: Vec<Input>,
    pub(crate) sections: Vec<Section>,
    pub(crate) adjustments: Vec<Adjustment>,
    pub(crate) bonus: Option<Bonus>,
    pub(crate) vetoes: Vec<Veto>,
    pub(crate) grades: Vec<Grade>,
    pub(crate) quotas: Vec<Quota>,
    pub(crate) tests: Vec<TestCase>,
    /// The documents the rules quote (`sources` name them by id).
    pub(crate) documents: Vec<Document>,
    /// Attributes a unit may carry (`unit.tags`), usable as bools in expressions.
    pub(crate) unit_tags: Vec<UnitTag>,
    /// Input indices sorted by id, for looking inputs up by name.
    pub(crate) by_id: Vec<usize>,
    /// Every item that loses points needs a note (各部门必须将扣分情况进行详细说明).
    pub(crate) notes_required: bool,
    /// The record lists' input indices, in input order: a list's index here is its slot in a
    /// submission's lists.
    pub(crate) lists: Vec<usize>,
    /// `sha256:` digest of the document's canonical text (see [`RuleSet::fingerprint`]).
    pub(crate) fingerprint: String,
}

/// A source document the rule set quotes (a work plan, an opinion, a five-year plan).
#[derive(Clone, Debug)]
pub struct Document {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) number: Option<String>,
    pub(crate) issuer: Option<String>,
    pub(crate) date: Option<String>,
    pub(crate) file: Option<String>,
}

/// Where a rule comes from: the documents' own words it implements, and whether some threshold or
/// point value in it is the rule author's example value (示例值) rather than a document's.
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// `(document index, quote)` pairs.
    pub(crate) sources: Vec<(usize, String)>,
    /// A threshold or point value here is an example value, not given by any source document.
    pub(crate) example: bool,
}

/// An attribute a unit may carry (承担的行业监管职责, 专委会牵头 …), declared by the rule set;
/// in expressions its id is true for units carrying it.
#[derive(Clone, Debug)]
pub struct UnitTag {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) help: Option<String>,
}

/// What a not-applicable item (不涉及) means for the total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotApplicable {
    /// The item counts at full points (不涉及的不扣分).
    Full,
    /// The sections' sum is rescaled over the applicable items' points.
    Rescale,
}

/// The type of a form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputType {
    /// An integer >= 0.
    Count,
    /// A decimal, optionally bounded.
    Number,
    /// A decimal in 0..=100.
    Percent,
    /// Yes or no.
    Bool,
    /// One of a list of options.
    Choice,
    /// Free text, never scored.
    Text,
    /// A calendar date (`YYYY-MM-DD`), never scored.
    Date,
    /// A list of records (明细): rows of typed fields, read by the list functions and `each` lines.
    Records,
}

impl InputType {
    /// The type's name in rule files.
    pub fn name(self) -> &'static str {
        match self {
            InputType::Count => "count",
            InputType::Number => "number",
            InputType::Percent => "percent",
            InputType::Bool => "bool",
            InputType::Choice => "choice",
            InputType::Text => "text",
            InputType::Date => "date",
            InputType::Records => "records",
        }
    }

    /// Whether values of this type are decimals.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            InputType::Count | InputType::Number | InputType::Percent
        )
    }
}

/// A bound on a numeric input: a literal or another input's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bound {
    /// A fixed value.
    Literal(Decimal),
    /// The value of the input at this index.
    Input(usize),
}

/// A form field.
#[derive(Clone, Debug)]
pub struct Input {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) kind: InputType,
    pub(crate) section: Option<String>,
    pub(crate) required: bool,
    pub(crate) min: Option<Bound>,
    pub(crate) max: Option<Bound>,
    pub(crate) options: Vec<String>,
    pub(crate) default: Option<crate::expr::Value>,
    pub(crate) unit: Option<String>,
    pub(crate) help: Option<String>,
    /// When given and false for a submission, the input is not required (its items do not apply).
    pub(crate) applicable: Option<Expr>,
    /// A `records` input's fields and row bounds.
    pub(crate) records: Option<Box<Records>>,
    /// A `number` input that takes a list of scores (several assessors' 评议分).
    pub(crate) multiple: bool,
}

/// What a `records` input's rows hold.
#[derive(Clone, Debug)]
pub struct Records {
    /// The fields of a row (each an input of a scalar type with literal bounds).
    pub(crate) fields: Vec<Input>,
    pub(crate) min_rows: usize,
    pub(crate) max_rows: usize,
    /// The fields that name a row in trace texts, by index.
    pub(crate) describe: Vec<usize>,
    /// The list's slot in a submission's lists.
    pub(crate) list: usize,
}

/// A section of the rule set (e.g. 党政领导责任).
#[derive(Clone, Debug)]
pub struct Section {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) points: Decimal,
    pub(crate) out_of: Option<Decimal>,
    pub(crate) items: Vec<Item>,
}

/// How the lines of a deduction or bonus item combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    /// Lines add up (the default).
    Sum,
    /// Only the largest line counts (就高不就低、不累计).
    Max,
}

/// One scored item (考核项目).
#[derive(Clone, Debug)]
pub struct Item {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) points: Decimal,
    pub(crate) basis: Option<String>,
    pub(crate) cap: Option<Decimal>,
    pub(crate) combine: Combine,
    pub(crate) applicable: Option<Expr>,
    pub(crate) rule: Rule,
    pub(crate) provenance: Provenance,
    /// The assessors may mark it not applicable in a submission (可由考核组认定不涉及).
    pub(crate) assessor_na: bool,
}

/// How an item is scored.
#[derive(Clone, Debug)]
pub enum Rule {
    /// Fixed deductions (定额扣分).
    Deduct(Vec<Line>),
    /// A rate against a target.
    Rate(Rate),
    /// Scores by value range (区间赋分).
    Bands(Bands),
    /// A score the assessor enters (评议分), read from this input, or the mean of several.
    Judged(usize, Aggregate),
    /// Points by rank in a batch (排名赋分).
    Rank(RankRule),
    /// Any expression, clamped to the item's points.
    Formula(Expr),
}

impl Rule {
    /// The rule's key in rule files (`deduct`, `rate`, …).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Rule::Deduct(_) => "deduct",
            Rule::Rate(_) => "rate",
            Rule::Bands(_) => "bands",
            Rule::Judged(..) => "judged",
            Rule::Rank(_) => "rank",
            Rule::Formula(_) => "formula",
        }
    }
}

/// How several assessors' judged scores combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    /// One score (a plain `number` input).
    Single,
    /// The mean of the scores.
    Mean,
    /// The mean after dropping one highest and one lowest score (去掉一个最高分和一个最低分).
    TrimmedMean,
}

/// When a line applies.
#[derive(Clone, Debug)]
pub enum LineWhen {
    /// Once, when the condition is true.
    If(Expr),
    /// Once for each unit of the value above `free`.
    Per {
        /// The counted value.
        value: Expr,
        /// Units not counted.
        free: Decimal,
    },
    /// The value itself (an amount the assessor sized), when positive.
    Amount(Expr),
    /// Of the tiers whose condition holds, the one with the largest points (每起按最高档计).
    Tiers(Vec<Tier>),
}

/// One tier of a `tiers` line.
#[derive(Clone, Debug)]
pub struct Tier {
    pub(crate) when: Expr,
    pub(crate) points: Decimal,
    pub(crate) reason: String,
}

/// A sub-heading grouping lines of one pool (「（一）死亡事故」): no points of its own.
#[derive(Clone, Debug)]
pub struct LineGroup {
    pub(crate) title: String,
    pub(crate) provenance: Provenance,
}

/// One deduction or addition line.
#[derive(Clone, Debug)]
pub struct Line {
    pub(crate) when: LineWhen,
    /// Points per hit or per unit (the largest tier's for `tiers`, 1 for `amount`).
    pub(crate) points: Decimal,
    pub(crate) reason: String,
    /// Unit word for trace texts (起, 项, 人).
    pub(crate) unit: Option<String>,
    pub(crate) provenance: Provenance,
    /// Evaluated once per row of this record list (its input index).
    pub(crate) each: Option<usize>,
    /// The sub-heading it is listed under.
    pub(crate) group: Option<std::sync::Arc<LineGroup>>,
}

/// Whether more is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Higher values are better.
    Higher,
    /// Lower values are better.
    Lower,
}

/// How partial steps count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partial {
    /// Fractional steps count fractionally.
    Exact,
    /// A started step counts whole.
    Up,
    /// Only whole steps count.
    Down,
}

/// How a rate turns into points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateMode {
    /// Deduct per step of shortfall.
    Step {
        /// Size of a step.
        step: Decimal,
        /// Points per step.
        points_per_step: Decimal,
        /// Rounding of partial steps.
        partial: Partial,
    },
    /// Points in proportion to value / target.
    Proportional,
}

/// What an undefined rate (division by zero) scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenUndefined {
    /// Full points.
    Full,
    /// Zero points.
    Zero,
    /// The item stays pending.
    Pending,
}

/// A rate indicator with a target.
#[derive(Clone, Debug)]
pub struct Rate {
    pub(crate) value: Expr,
    pub(crate) target: Decimal,
    /// The target is exclusive (`above`/`below`: met only beyond it).
    pub(crate) exclusive: bool,
    pub(crate) direction: Direction,
    pub(crate) mode: RateMode,
    pub(crate) when_undefined: WhenUndefined,
}

/// How a band's upper bound is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upper {
    /// `max`: exclusive, but the band with the greatest `max` includes it.
    Max,
    /// `under`: exclusive (不满、低于).
    Under,
    /// `upto`: inclusive (以下、不超过).
    Upto,
}

/// One value range and its score.
#[derive(Clone, Debug)]
pub struct Band {
    pub(crate) min: Option<Decimal>,
    /// The lower bound is exclusive (`over`).
    pub(crate) over: bool,
    pub(crate) max: Option<Decimal>,
    pub(crate) upper: Upper,
    pub(crate) score: Decimal,
}

/// Range scoring.
#[derive(Clone, Debug)]
pub struct Bands {
    pub(crate) value: Expr,
    pub(crate) bands: Vec<Band>,
}

/// Ranking order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// The highest value ranks first.
    Desc,
    /// The lowest value ranks first.
    Asc,
}

/// Points by rank within a batch.
#[derive(Clone, Debug)]
pub struct RankRule {
    pub(crate) value: Expr,
    pub(crate) order: Order,
    pub(crate) first: Decimal,
    pub(crate) step: Decimal,
    pub(crate) floor: Decimal,
}

/// A deduction from the total (事故扣分、约谈扣分 …).
#[derive(Clone, Debug)]
pub struct Adjustment {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) basis: Option<String>,
    pub(crate) cap: Option<Decimal>,
    pub(crate) combine: Combine,
    pub(crate) lines: Vec<Line>,
    pub(crate) provenance: Provenance,
}

/// Bonus points (加分).
#[derive(Clone, Debug)]
pub struct Bonus {
    pub(crate) cap: Decimal,
    pub(crate) items: Vec<BonusItem>,
}

/// One bonus item, capped by its points.
#[derive(Clone, Debug)]
pub struct BonusItem {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) points: Decimal,
    pub(crate) basis: Option<String>,
    pub(crate) combine: Combine,
    pub(crate) lines: Vec<Line>,
    pub(crate) provenance: Provenance,
    /// The assessors may mark it not applicable in a submission.
    pub(crate) assessor_na: bool,
}

/// What a triggered veto does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VetoEffect {
    /// The grade becomes the lowest.
    Fail,
    /// The total becomes 0 and the grade the lowest.
    Zero,
    /// The grade is at most this one (index into grades).
    MaxGrade(usize),
    /// The grade moves this many steps down.
    LowerGrades(u32),
    /// No grade is given (一票否决，不评等次); the total stands.
    Ungraded,
}

/// Where a triggered veto puts the unit in a batch's ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VetoRanking {
    /// After every unit of its group that no such veto placed (排名列末位).
    Last,
    /// Out of the ranking and the quotas (不参与排名).
    Excluded,
}

impl VetoRanking {
    /// As written in rule files.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            VetoRanking::Last => "last",
            VetoRanking::Excluded => "excluded",
        }
    }
}

/// A one-vote veto (一票否决).
#[derive(Clone, Debug)]
pub struct Veto {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) basis: Option<String>,
    pub(crate) when: Expr,
    pub(crate) effect: VetoEffect,
    /// The effect in words (`等次最高为良好`), as reports and forms show it.
    pub(crate) effect_text: String,
    pub(crate) provenance: Provenance,
    /// Where a triggered veto puts the unit in a batch's ranking (default: by total).
    pub(crate) ranking: Option<VetoRanking>,
}

impl VetoEffect {
    /// The effect in words, naming grades from `grades` (highest first).
    pub(crate) fn text(&self, grades: &[Grade]) -> String {
        let name = |i: usize| grades.get(i).map_or("", |g| g.name.as_str());
        let lowest = name(grades.len().saturating_sub(1));
        match self {
            VetoEffect::Fail => format!("等次定为{lowest}"),
            VetoEffect::Zero if grades.is_empty() => "总分计为0分".into(),
            VetoEffect::Zero => format!("总分计为0分，等次定为{lowest}"),
            VetoEffect::MaxGrade(g) => format!("等次最高为{}", name(*g)),
            VetoEffect::LowerGrades(n) => format!("等次降低{n}档"),
            VetoEffect::Ungraded => "不评等次".into(),
        }
    }
}

/// A grade (等次) and its lower bound.
#[derive(Clone, Debug)]
pub struct Grade {
    pub(crate) name: String,
    pub(crate) min: Decimal,
    /// The bound is exclusive (`over`: 超过、高于).
    pub(crate) over: bool,
    pub(crate) provenance: Provenance,
}

impl Grade {
    /// Whether a total reaches this grade.
    pub(crate) fn admits(&self, total: Decimal) -> bool {
        if self.over {
            total > self.min
        } else {
            total >= self.min
        }
    }
}

/// A cap on how many units of a batch keep a grade.
#[derive(Clone, Debug)]
pub struct Quota {
    /// Index into grades.
    pub(crate) grade: usize,
    pub(crate) max_share: Decimal,
    pub(crate) provenance: Provenance,
}

/// An example case embedded in the rule set.
#[derive(Clone, Debug)]
pub struct TestCase {
    pub(crate) name: String,
    /// The case as a submission for this rule set.
    pub(crate) submission: crate::submission::Submission,
    pub(crate) expect: Expect,
    /// JSON pointer of the case in the rule file.
    pub(crate) path: String,
}

/// What a test case expects.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    pub(crate) total: Option<Decimal>,
    pub(crate) grade: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) items: Vec<(String, Decimal)>,
    pub(crate) vetoes: Option<Vec<String>>,
}

impl RuleSet {
    /// The rule set's id (`subdistrict`).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The rule set's version (`2026.1`).
    pub fn version(&self) -> &str {
        &self.version
    }
    /// The digest of the rule set's canonical text, `sha256:` and 64 hex digits, as every report
    /// scored with it carries in `fingerprint.rules`: the document as JSON with members sorted by
    /// key, no white space, strings minimally escaped and numbers as written (docs/FORMATS.md).
    ///
    /// ```
    /// let a = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// assert!(a.fingerprint().starts_with("sha256:") && a.fingerprint().len() == 71);
    /// // Layout does not count: the readable file and the compact built-in text agree.
    /// let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/subdistrict.json")).expect("file");
    /// assert_eq!(kpi_wasm::RuleSet::from_json(&file).expect("loads").fingerprint(), a.fingerprint());
    /// ```
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
    /// The rule set's title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// The assessment period (`2026`).
    pub fn period(&self) -> &str {
        &self.period
    }
    /// The kind of unit assessed.
    pub fn unit_kind(&self) -> &str {
        &self.unit_kind
    }
    /// The optional description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// Full marks.
    pub fn full_score(&self) -> Decimal {
        self.full_score
    }
    /// Decimal places of every score.
    pub fn scale(&self) -> u32 {
        self.scale
    }
    /// Number of scored items.
    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
    /// Number of sections.
    pub fn sections_len(&self) -> usize {
        self.sections.len()
    }
    /// Number of form inputs.
    pub fn inputs_len(&self) -> usize {
        self.inputs.len()
    }
    /// Number of embedded test cases.
    pub fn tests_len(&self) -> usize {
        self.tests.len()
    }
    /// Index of the input with this id.
    pub(crate) fn input_index(&self, id: &str) -> Option<usize> {
        let at = self
            .by_id
            .binary_search_by(|&i| self.inputs.get(i).map_or("", |x| x.id.as_str()).cmp(id))
            .ok()?;
        self.by_id.get(at).copied()
    }

    /// Whether `id` names an item, an adjustment, a bonus item or a veto (the ids notes are
    /// keyed by).
    pub(crate) fn has_entry(&self, id: &str) -> bool {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .any(|i| i.id == id)
            || self.adjustments.iter().any(|a| a.id == id)
            || self.bonus.iter().flat_map(|b| &b.items).any(|b| b.id == id)
            || self.vetoes.iter().any(|v| v.id == id)
    }

    /// The items scored by an assessor's judgement: the input each reads and the item's points.
    pub(crate) fn judged_inputs(&self) -> impl Iterator<Item = (usize, Decimal)> + '_ {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .filter_map(|item| item.judged_input().map(|i| (i, item.points)))
    }
    /// Index of the lowest grade.
    pub(crate) fn lowest_grade(&self) -> usize {
        self.grades.len().saturating_sub(1)
    }

    /// Whether a unit's score can depend on its peers' values (a `rank` item, or a batch
    /// aggregate in any expression), beyond its rank and quota.
    pub(crate) fn reads_peers(&self) -> bool {
        let lines = |ls: &[Line]| line_exprs(ls).iter().any(|e| e.uses_batch());
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .any(Item::batch_only)
            || self.adjustments.iter().any(|a| lines(&a.lines))
            || self
                .bonus
                .iter()
                .flat_map(|b| &b.items)
                .any(|b| lines(&b.lines))
            || self.vetoes.iter().any(|v| v.when.uses_batch())
    }
}

impl RuleSet {
    /// The form's inputs, in display order.
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }
}

impl Input {
    /// The input's id (used in expressions and submissions).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The label shown on the form.
    pub fn label(&self) -> &str {
        &self.label
    }
    /// The input's type.
    pub fn kind(&self) -> InputType {
        self.kind
    }
    /// The section the form shows it in.
    pub fn section(&self) -> Option<&str> {
        self.section.as_deref()
    }
    /// Whether it must be filled in for a final score.
    pub fn required(&self) -> bool {
        self.required
    }
    /// The lower bound, if any.
    pub fn min(&self) -> Option<&Bound> {
        self.min.as_ref()
    }
    /// The upper bound, if any.
    pub fn max(&self) -> Option<&Bound> {
        self.max.as_ref()
    }
    /// The options of a choice input.
    pub fn options(&self) -> &[String] {
        &self.options
    }
    /// The display unit (起, 项, %).
    pub fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }
    /// The longer explanation shown under the field.
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }
    /// A `records` input's fields (empty for other inputs).
    pub fn fields(&self) -> &[Input] {
        self.records.as_ref().map_or(&[], |r| &r.fields)
    }
}

/// How messages name an input (`输入项「label」(id)`), formatted only when a message is built:
/// reading values runs for every value of every submission.
pub(crate) struct InputName<'a>(pub &'a Input);

impl std::fmt::Display for InputName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "输入项「{}」({})", self.0.label, self.0.id)
    }
}

/// How messages name an input: its label and id.
pub(crate) fn input_name(input: &Input) -> String {
    InputName(input).to_string()
}

impl Line {
    /// Every expression the line evaluates (a `tiers` line has one per tier).
    pub(crate) fn exprs(&self) -> Vec<&Expr> {
        match &self.when {
            LineWhen::If(e) | LineWhen::Amount(e) => vec![e],
            LineWhen::Per { value, .. } => vec![value],
            LineWhen::Tiers(tiers) => tiers.iter().map(|t| &t.when).collect(),
        }
    }

    /// The first expression the line evaluates.
    pub(crate) fn expr(&self) -> Option<&Expr> {
        match &self.when {
            LineWhen::If(e) | LineWhen::Amount(e) => Some(e),
            LineWhen::Per { value, .. } => Some(value),
            LineWhen::Tiers(tiers) => tiers.first().map(|t| &t.when),
        }
    }
}

/// Every expression of some lines, in order.
pub(crate) fn line_exprs(lines: &[Line]) -> Vec<&Expr> {
    lines.iter().flat_map(Line::exprs).collect()
}

impl Item {
    /// The input a `judged` item reads directly (outside any expression).
    pub(crate) fn judged_input(&self) -> Option<usize> {
        match self.rule {
            Rule::Judged(i, _) => Some(i),
            _ => None,
        }
    }

    /// Whether the item can be scored only in a batch (a `rank` item or a batch aggregate).
    pub(crate) fn batch_only(&self) -> bool {
        matches!(self.rule, Rule::Rank(_)) || self.exprs().iter().any(|e| e.uses_batch())
    }

    /// Every expression the item evaluates: `applicable` first, then its rule's.
    pub(crate) fn exprs(&self) -> Vec<&Expr> {
        let mut v: Vec<&Expr> = self.applicable.iter().collect();
        match &self.rule {
            Rule::Deduct(lines) => v.extend(line_exprs(lines)),
            Rule::Rate(r) => v.push(&r.value),
            Rule::Bands(b) => v.push(&b.value),
            Rule::Judged(..) => {}
            Rule::Rank(k) => v.push(&k.value),
            Rule::Formula(e) => v.push(e),
        }
        v
    }
}
