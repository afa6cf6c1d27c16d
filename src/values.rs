//! A submission's values against a rule set: converted to the inputs' types, checked against
//! their ranges, defaults filled in, required inputs still empty listed. Every problem at once,
//! each naming the field by its label and id.

use crate::cell::{blank, convert, empty_value};
use crate::code::Code;
use crate::decimal::{format_decimal, plain, positive_zero};
use crate::error::{Problem, pointer, pointer_at};
use crate::expr::{Env, Outcome, Rows, Value as V};
use crate::json::{JsonWriter, Map, ToJson, Value};
use crate::limits::MAX_NA_REASON_CHARS;
use crate::reader::{Reader, parse_json, short};
use crate::rules::{Aggregate, Bound, Input, InputName, InputType, Rule, RuleSet, input_name};
use crate::submission::{SelfAssessment, Submission, SubmissionUnit, read_submission};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

impl Submission {
    /// An empty submission for `rules`, as a blank form would give.
    pub fn blank(rules: &RuleSet, unit: SubmissionUnit) -> Submission {
        Submission {
            rules_id: rules.id.clone(),
            rules_version: rules.version.clone(),
            unit,
            period: Some(rules.period.clone()),
            values: Map::new(),
            notes: BTreeMap::new(),
            meta: BTreeMap::new(),
            not_applicable: BTreeMap::new(),
            self_assessment: None,
        }
    }
}

/// What a submission gave for one input (borrowing from the submission's text, for the
/// fingerprint).
#[derive(Clone, Debug)]
pub(crate) enum Given<'a> {
    /// Nothing.
    Absent,
    /// `null`, which counts as nothing (read only by the plain path, to refuse repeats).
    Null,
    /// A value that could not be converted, and why.
    Invalid(Vec<Problem>),
    /// The converted value of a scored input.
    Value(Option<V>),
    /// A text or date input's text (never scored; kept for the fingerprint).
    Text(&'a str),
    /// A list's rows (a record list, or several assessors' scores), its required cells left
    /// empty (row, field), and the list as written (for the fingerprint).
    Rows(Box<Rows>, Vec<(usize, usize)>, &'a Value),
}

impl<'a> Given<'a> {
    /// A value `convert` accepted: a text or date input's text, or the converted value.
    pub(crate) fn converted(v: Option<V>, text: Option<&'a str>) -> Self {
        match (v, text) {
            (None, Some(s)) => Given::Text(s),
            (v, _) => Given::Value(v),
        }
    }
}

/// Values ready for evaluation, by input index, the required inputs still empty, and the given
/// values' canonical text (for the report's fingerprint).
#[derive(Clone, Debug, Default)]
pub(crate) struct Prepared {
    pub values: Vec<Option<V>>,
    pub missing: Vec<usize>,
    /// The `values` member of the submission's canonical text (`canonical_values`).
    pub canonical: String,
    /// Record lists and score lists by list slot (`None`: not given).
    pub lists: Vec<Option<Rows>>,
    /// Required cells of record lists left empty: (input, row, field).
    pub missing_cells: Vec<(usize, usize, usize)>,
    /// The unit's self-assessment, converted.
    pub self_assessment: Option<Box<SelfPrepared>>,
}

/// A self-assessment ready for scoring.
#[derive(Clone, Debug)]
pub(crate) enum SelfPrepared {
    /// The unit's own values (scored by the same rules).
    Values(Prepared),
    /// The unit's own item scores, by item id.
    Items(BTreeMap<String, Decimal>),
}

impl RuleSet {
    /// Checks a submission against this rule set: every problem, including empty required inputs
    /// and cells (`value.missing`) and, where the rule set requires them, the notes of items that
    /// lose points (`note.missing`). An empty list means it can be scored as final.
    ///
    /// ```
    /// use kpi_wasm::{Code, RuleSet, Submission};
    /// let rules = RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let sub = Submission::from_json(r#"{"format": "kpi-submission/1",
    ///     "rules": {"id": "subdistrict", "version": "2026.2"},
    ///     "unit": {"id": "dq", "name": "大桥街道"}, "values": {"plan_made": "yes"}}"#)
    ///     .expect("reads");
    /// let problems = rules.validate(&sub);
    /// assert_eq!(problems[0].code, Code::ValueType);
    /// assert_eq!(problems[0].path, "/values/plan_made");
    /// assert!(problems.iter().any(|p| p.code == Code::ValueMissing));
    /// ```
    pub fn validate(&self, sub: &Submission) -> Vec<Problem> {
        let (prepared, mut problems) = self.prepare(sub);
        problems.extend(self.missing_problems(&prepared));
        if self.notes_required && problems.is_empty() {
            if let Ok(report) = self.score_prepared_figures(sub, &prepared) {
                problems.extend(report.missing_notes());
            }
        }
        problems
    }

    /// The required inputs and record cells `prepared` still lacks, as `value.missing` problems.
    pub(crate) fn missing_problems(&self, prepared: &Prepared) -> Vec<Problem> {
        let mut problems = Vec::new();
        for &i in &prepared.missing {
            if let Some(input) = self.inputs.get(i) {
                problems.push(Problem::new(
                    Code::ValueMissing,
                    pointer("/values", &input.id),
                    format!("{}为必填项，尚未填写", input_name(input)),
                ));
            }
        }
        for &(i, row, f) in &prepared.missing_cells {
            let Some(input) = self.inputs.get(i) else {
                continue;
            };
            let Some(field) = input.fields().get(f) else {
                continue;
            };
            problems.push(Problem::new(
                Code::ValueMissing,
                pointer(&pointer_at(&pointer("/values", &input.id), row), &field.id),
                format!(
                    "{}第{}{}的「{}」({})为必填项，尚未填写",
                    input_name(input),
                    row.saturating_add(1),
                    input.unit.as_deref().unwrap_or("条"),
                    field.label,
                    field.id
                ),
            ));
        }
        problems
    }

    /// Every problem of a submission given as JSON text, in one list: its header and unit, its
    /// values, and empty required inputs. Unlike [`Submission::from_json`] followed by
    /// [`RuleSet::validate`], a broken unit or header does not hide the problems in the values.
    pub fn validate_text(&self, text: &str) -> Vec<Problem> {
        let v = match parse_json(text) {
            Ok(v) => v,
            Err(e) => return e.into_problems(),
        };
        let mut r = Reader::default();
        match read_submission(&mut r, &v, Some((&self.id, &self.version))) {
            Some(sub) => {
                let mut problems = r.problems;
                problems.extend(self.validate(&sub));
                problems
            }
            None => r.problems,
        }
    }

    /// Converts and checks the submission's values; problems exclude empty required inputs.
    pub(crate) fn prepare(&self, sub: &Submission) -> (Prepared, Vec<Problem>) {
        let mut problems = Vec::new();
        if sub.rules_id != self.id || sub.rules_version != self.version {
            problems.push(Problem::new(
                Code::SubmissionRulesMismatch,
                "/rules",
                format!(
                    "考核表填写的是考核细则「{}」版本「{}」，当前考核细则是「{}」版本「{}」（{}）",
                    sub.rules_id, sub.rules_version, self.id, self.version, self.title
                ),
            ));
        }
        let given = self.convert_values(&sub.values, "/values", &mut problems);
        for (t, tag) in sub.unit.tags.iter().enumerate() {
            if !self.unit_tags.iter().any(|u| &u.id == tag) {
                let known: Vec<&str> = self.unit_tags.iter().map(|u| u.id.as_str()).collect();
                problems.push(Problem::new(
                    Code::ValueUnknown,
                    crate::error::pointer_at("/unit/tags", t),
                    if known.is_empty() {
                        format!(
                            "考核细则「{}」没有定义单位标签，不能使用「{tag}」",
                            self.title
                        )
                    } else {
                        format!(
                            "考核细则「{}」没有单位标签「{tag}」（可用：{}）",
                            self.title,
                            known.join("、")
                        )
                    },
                ));
            }
        }
        for key in sub.notes.keys().filter(|k| !self.has_entry(k)) {
            problems.push(Problem::new(
                Code::ValueUnknown,
                pointer("/notes", key),
                format!(
                    "考核细则「{}」没有 id 为「{}」的考核项目（notes 的键应为考核项目、扣分项、加分项或否决项的 id）",
                    self.title,
                    crate::reader::clip(key)
                ),
            ));
        }
        let mut prepared = self.complete(given, &sub.unit);
        self.check_ranges(&prepared, "/values", &mut problems);
        self.check_not_applicable(sub, &mut problems);
        prepared.self_assessment = sub
            .self_assessment
            .as_ref()
            .map(|s| Box::new(self.prepare_self(s, &sub.unit, &mut problems)));
        (prepared, problems)
    }

    /// Converts `values` (a submission's, at `base`), by input index; null counts as not given.
    /// Conversion problems come in input order, as the form lists its fields, before unknown keys.
    fn convert_values<'a>(
        &self,
        values: &'a Map,
        base: &str,
        problems: &mut Vec<Problem>,
    ) -> Vec<Given<'a>> {
        let mut given: Vec<Given> = vec![Given::Absent; self.inputs.len()];
        let mut unknown = Vec::new();
        // The values and `by_id` are both sorted by id: one walk matches them, where a search
        // per value was an eighth of a report's cost.
        let mut ids = self.by_id.iter().copied().peekable();
        for (key, v) in values {
            let mut found = None;
            while let Some(i) = ids.peek().copied() {
                match self.inputs.get(i).map(|x| x.id.as_str().cmp(key.as_str())) {
                    Some(std::cmp::Ordering::Less) => {
                        ids.next();
                    }
                    Some(std::cmp::Ordering::Equal) => {
                        found = Some(i);
                        ids.next();
                        break;
                    }
                    _ => break,
                }
            }
            let Some(i) = found else {
                unknown.push(Problem::new(
                    Code::ValueUnknown,
                    pointer(base, key),
                    format!("考核细则「{}」没有 id 为「{key}」的输入项", self.title),
                ));
                continue;
            };
            let (Some(input), Some(slot)) = (self.inputs.get(i), given.get_mut(i)) else {
                continue;
            };
            if v.is_null()
                || (matches!(input.kind, InputType::Text | InputType::Date)
                    && v.as_str().is_some_and(blank))
            {
                continue;
            }
            // The path is written only for a list (its rows' problems) or a problem.
            let path = || pointer(base, &input.id);
            *slot = match (&input.records, input.multiple) {
                (Some(records), _) => match crate::rows::read_records(input, records, v, &path()) {
                    Ok(read) => Given::Rows(Box::new(read.rows), read.missing, v),
                    Err(p) => Given::Invalid(p),
                },
                (None, true) => {
                    match crate::rows::read_scores(input, self.judged_points(i), v, &path()) {
                        // No scores yet counts as not given.
                        Ok(rows) if rows.is_empty() => Given::Absent,
                        Ok(rows) => Given::Rows(Box::new(rows), Vec::new(), v),
                        Err(p) => Given::Invalid(p),
                    }
                }
                (None, false) => match convert(input, v) {
                    Ok(x) => Given::converted(x, v.as_str()),
                    Err((code, msg)) => Given::Invalid(vec![Problem::new(code, path(), msg)]),
                },
            };
        }
        for g in &given {
            if let Given::Invalid(p) = g {
                problems.extend(p.iter().cloned());
            }
        }
        problems.append(&mut unknown);
        given
    }

    /// Fills defaults for inputs not given, adds the unit's tags after the inputs (expressions read
    /// them as bools there), puts lists in their slots, and lists the required inputs still empty,
    /// leaving out those whose `applicable` condition is false for these values.
    pub(crate) fn complete(&self, given: Vec<Given>, unit: &SubmissionUnit) -> Prepared {
        let canonical = canonical_values(self, &given);
        let mut missing = Vec::new();
        let mut missing_cells = Vec::new();
        let mut lists: Vec<Option<Rows>> = vec![None; self.lists.len()];
        let mut values: Vec<Option<V>> =
            Vec::with_capacity(self.inputs.len().saturating_add(self.unit_tags.len()));
        for (i, (input, g)) in self.inputs.iter().zip(given).enumerate() {
            let slot = self.list_slot(i);
            values.push(match g {
                Given::Value(v) => v,
                Given::Invalid(_) | Given::Text(_) => None,
                Given::Rows(rows, cells, _) => {
                    missing_cells.extend(cells.into_iter().map(|(r, f)| (i, r, f)));
                    let n = Some(V::Number(Decimal::from(rows.len())));
                    if let Some(place) = slot.and_then(|k| lists.get_mut(k)) {
                        *place = Some(*rows);
                    }
                    n
                }
                // A required text input left empty is reported by `validate` like any other,
                // though it is never scored.
                Given::Absent | Given::Null if input.required => {
                    missing.push(i);
                    None
                }
                Given::Absent | Given::Null => {
                    if let Some(place) = slot.and_then(|k| lists.get_mut(k)) {
                        *place = Some(Rows {
                            width: input.fields().len(),
                            ..Rows::default()
                        });
                    }
                    empty_value(input)
                }
            });
        }
        values.extend(
            self.unit_tags
                .iter()
                .map(|t| Some(V::Bool(unit.tags.contains(&t.id)))),
        );
        if self.inputs.iter().any(|i| i.applicable.is_some()) {
            self.drop_inapplicable(&mut values, &mut lists, &mut missing);
        }
        Prepared {
            values,
            missing,
            canonical,
            lists,
            missing_cells,
            self_assessment: None,
        }
    }

    /// The list slot of input `i` (a record list or a `multiple` input).
    pub(crate) fn list_slot(&self, i: usize) -> Option<usize> {
        self.lists.iter().position(|&x| x == i)
    }

    /// Required inputs whose condition is false for these values are not missing: they count as
    /// an optional input left empty would. A condition that cannot be evaluated yet (it reads an
    /// empty input) keeps the input required.
    fn drop_inapplicable(
        &self,
        values: &mut [Option<V>],
        lists: &mut [Option<Rows>],
        missing: &mut Vec<usize>,
    ) {
        let inapplicable: Vec<usize> = missing
            .iter()
            .copied()
            .filter(|&i| {
                let Some(condition) = self.inputs.get(i).and_then(|x| x.applicable.as_ref()) else {
                    return false;
                };
                let env = Env {
                    values,
                    lists,
                    ..Env::default()
                };
                matches!(condition.eval_bool(&env), Ok(Outcome::Known(false)))
            })
            .collect();
        for i in inapplicable {
            missing.retain(|&m| m != i);
            if let (Some(slot), Some(input)) = (values.get_mut(i), self.inputs.get(i)) {
                *slot = empty_value(input);
                if let Some(place) = self.list_slot(i).and_then(|k| lists.get_mut(k)) {
                    *place = Some(Rows {
                        width: input.fields().len(),
                        ..Rows::default()
                    });
                }
            }
        }
    }

    /// The items the assessors marked not applicable: each must let them (`assessor_na`) and give
    /// a reason.
    fn check_not_applicable(&self, sub: &Submission, problems: &mut Vec<Problem>) {
        for (id, reason) in &sub.not_applicable {
            let path = pointer("/not_applicable", id);
            let found = self
                .sections
                .iter()
                .flat_map(|s| &s.items)
                .find(|i| &i.id == id)
                .map(|i| (i.assessor_na, &i.title))
                .or_else(|| {
                    self.bonus
                        .iter()
                        .flat_map(|b| &b.items)
                        .find(|i| &i.id == id)
                        .map(|i| (i.assessor_na, &i.title))
                });
            match found {
                None => problems.push(Problem::new(
                    Code::ValueUnknown,
                    path,
                    format!("考核细则「{}」没有 id 为「{id}」的项目", self.title),
                )),
                Some((false, title)) => problems.push(Problem::new(
                    Code::NaNotAllowed,
                    path,
                    format!(
                        "项目「{id} {title}」不能由考核组认定不涉及（考核细则未设 assessor_na）"
                    ),
                )),
                Some((true, title)) => {
                    let chars = reason.chars().count();
                    if blank(reason) || chars > MAX_NA_REASON_CHARS {
                        problems.push(Problem::new(
                            Code::NaReason,
                            path,
                            if blank(reason) {
                                format!("项目「{id} {title}」认定不涉及须写明理由")
                            } else {
                                format!(
                                    "项目「{id} {title}」认定不涉及的理由过长（{chars}个字符），最多{MAX_NA_REASON_CHARS}个字符"
                                )
                            },
                        ));
                    }
                }
            }
        }
    }

    /// The unit's self-assessment, converted and checked (problems at `/self/…`); its required
    /// values may be left empty (its score is then provisional).
    fn prepare_self(
        &self,
        s: &SelfAssessment,
        unit: &SubmissionUnit,
        problems: &mut Vec<Problem>,
    ) -> SelfPrepared {
        match s {
            SelfAssessment::Values(values) => {
                let given = self.convert_values(values, "/self/values", problems);
                let prepared = self.complete(given, unit);
                self.check_ranges(&prepared, "/self/values", problems);
                SelfPrepared::Values(prepared)
            }
            SelfAssessment::Items(items) => {
                let mut out = BTreeMap::new();
                for (id, v) in items {
                    let path = pointer("/self/items", id);
                    let Some(item) = self
                        .sections
                        .iter()
                        .flat_map(|s| &s.items)
                        .find(|i| &i.id == id)
                    else {
                        problems.push(Problem::new(
                            Code::ValueUnknown,
                            path,
                            format!("考核细则「{}」没有 id 为「{id}」的考核项目", self.title),
                        ));
                        continue;
                    };
                    let name = format!("项目「{} {}」的自评分", item.id, item.title);
                    match crate::reader::decimal_from_json(v) {
                        None => problems.push(Problem::new(
                            Code::ValueType,
                            path,
                            format!("{name}应为数值，实为{}", short(v)),
                        )),
                        Some(d)
                            if d < Decimal::ZERO
                                || d > item.points
                                || d.normalize().scale() > self.scale =>
                        {
                            problems.push(Problem::new(
                                Code::ValueRange,
                                path,
                                format!(
                                    "{name}应在0到{}分之间，至多{}位小数，实为{}",
                                    plain(item.points),
                                    self.scale,
                                    plain(d)
                                ),
                            ))
                        }
                        Some(d) => {
                            out.insert(id.clone(), d);
                        }
                    }
                }
                SelfPrepared::Items(out)
            }
        }
    }

    /// Values (at `base`) outside their input's range, bounds given by other inputs included, and
    /// judged scores outside their item's points.
    pub(crate) fn check_ranges(
        &self,
        prepared: &Prepared,
        base: &str,
        problems: &mut Vec<Problem>,
    ) {
        for i in 0..self.inputs.len() {
            self.check_range(i, prepared, base, problems);
        }
    }

    /// The range checks of `check_ranges` for these inputs only (in input order): a live form's
    /// changed input and those its value bounds.
    pub(crate) fn check_ranges_of(
        &self,
        inputs: &[usize],
        prepared: &Prepared,
        base: &str,
        problems: &mut Vec<Problem>,
    ) {
        for &i in inputs {
            self.check_range(i, prepared, base, problems);
        }
    }

    /// Input `i`'s value against its range and, for a judged input, its item's points.
    fn check_range(&self, i: usize, prepared: &Prepared, base: &str, problems: &mut Vec<Problem>) {
        let values = &prepared.values;
        let number = |i: usize| match values.get(i) {
            Some(Some(V::Number(d))) => Some(*d),
            _ => None,
        };
        // The bound's value, and how a message names it (written only for a message: this runs
        // for every value of every submission).
        let bound = |b: &Option<Bound>| -> Option<(Decimal, Option<usize>)> {
            match b.as_ref()? {
                Bound::Literal(d) => Some((*d, None)),
                Bound::Input(j) => Some((number(*j)?, Some(*j))),
            }
        };
        let bound_text =
            |d: Decimal, other: Option<usize>| match other.and_then(|j| self.inputs.get(j)) {
                Some(other) => format!("{}的值{}", input_name(other), plain(d)),
                None => plain(d),
            };
        let Some(input) = self.inputs.get(i) else {
            return;
        };
        let Some(v) = number(i) else { return };
        let path = || pointer(base, &input.id);
        if input.multiple {
            self.check_scores(i, input, prepared, base, problems);
            return;
        }
        let name = InputName(input);
        if let Some((lo, other)) = bound(&input.min) {
            if v < lo {
                problems.push(Problem::new(
                    Code::ValueRange,
                    path(),
                    format!("{name}的值{}小于最小值{}", plain(v), bound_text(lo, other)),
                ));
            }
        }
        if let Some((hi, other)) = bound(&input.max) {
            if v > hi {
                problems.push(Problem::new(
                    Code::ValueRange,
                    path(),
                    format!("{name}的值{}大于最大值{}", plain(v), bound_text(hi, other)),
                ));
            }
        }
        // Judged inputs are number inputs (the loader checks it).
        if input.kind == InputType::Number {
            if let Some((_, p)) = self.judged_inputs().find(|&(j, _)| j == i) {
                if v < Decimal::ZERO || v > p {
                    problems.push(Problem::new(
                        Code::ValueRange,
                        path(),
                        format!(
                            "{name}是评议分，应在0到{}分之间，实为{}",
                            plain(p),
                            plain(v)
                        ),
                    ));
                }
            }
        }
    }
}

impl RuleSet {
    /// The points of the judged item reading input `i`.
    fn judged_points(&self, i: usize) -> Option<Decimal> {
        self.judged_inputs().find(|&(j, _)| j == i).map(|(_, p)| p)
    }

    /// Several assessors' scores of a `multiple` input: at least three for a trimmed mean (each
    /// is checked against the item's points as it is read).
    fn check_scores(
        &self,
        i: usize,
        input: &Input,
        prepared: &Prepared,
        base: &str,
        problems: &mut Vec<Problem>,
    ) {
        let Some(Some(rows)) = self.list_slot(i).and_then(|k| prepared.lists.get(k)) else {
            return;
        };
        let Some((_, aggregate)) = self
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .find_map(|item| match item.rule {
                Rule::Judged(j, a) if j == i => Some((item.points, a)),
                _ => None,
            })
        else {
            return;
        };
        let path = pointer(base, &input.id);
        if aggregate == Aggregate::TrimmedMean && rows.len() < 3 {
            problems.push(Problem::new(
                Code::ValueRows,
                path,
                format!(
                    "{}去掉一个最高分和一个最低分后取平均，至少需要3个评议分，实有{}个",
                    InputName(input),
                    rows.len()
                ),
            ));
        }
    }
}

/// The `values` member of a submission's canonical text: every input given a value (not `null`,
/// not blank text), in id order, as converted: numbers as plain decimals (no exponent, no
/// trailing zeros), bools, a choice's option, text and dates as given, lists as written.
pub(crate) fn canonical_values(rs: &RuleSet, given: &[Given]) -> String {
    let mut w = JsonWriter::with_capacity(given.len().saturating_mul(24).saturating_add(2));
    w.begin_object();
    for &i in &rs.by_id {
        let (Some(input), Some(g)) = (rs.inputs.get(i), given.get(i)) else {
            continue;
        };
        match g {
            Given::Value(Some(v)) => {
                w.key(&input.id);
                match v {
                    V::Number(d) => {
                        // As `plain` writes it, without a String of its own.
                        let mut buf = [0u8; 40];
                        let text = format_decimal(positive_zero(d.normalize()), &mut buf);
                        w.raw(std::str::from_utf8(text).unwrap_or("0"));
                    }
                    V::Bool(b) => b.write_json(&mut w),
                    V::Choice(k) => w.string(input.options.get(*k).map_or("", String::as_str)),
                }
            }
            Given::Text(s) => {
                w.key(&input.id);
                w.string(s);
            }
            // A record list or several assessors' scores: the array as written (members sorted,
            // numbers as written), since its cells are read by the rules, not converted here.
            Given::Rows(_, _, raw) => {
                w.key(&input.id);
                raw.write_json(&mut w);
            }
            _ => {}
        }
    }
    w.end_object();
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_text_input_left_empty_is_reported() {
        let rules = RuleSet::from_json(
            r#"{"format":"kpi-rules/1","id":"t","version":"1","title":"细则","period":"2026",
            "unit_kind":"subdistrict","full_score":"10",
            "inputs":[{"id":"a","label":"问题","type":"count"},{"id":"note","label":"说明","type":"text"}],
            "sections":[{"id":"s","title":"部分","points":"10","items":[
              {"id":"1","title":"项目","points":"10","deduct":[{"per":"a","points":"1","reason":"问题"}]}]}],
            "grades":[{"name":"合格","min":"6"},{"name":"不合格","min":"0"}]}"#,
        )
        .expect("loads");
        let sub = |values: &str| {
            let text = format!(
                r#"{{"format":"kpi-submission/1","rules":{{"id":"t","version":"1"}},"unit":{{"id":"u","name":"单位"}},"values":{values}}}"#
            );
            Submission::from_json(&text).expect("reads")
        };
        for values in [
            r#"{"a":1}"#,
            r#"{"a":1,"note":null}"#,
            r#"{"a":1,"note":"  "}"#,
        ] {
            let problems = rules.validate(&sub(values));
            assert_eq!(
                problems
                    .iter()
                    .map(|p| (p.code, p.path.as_str()))
                    .collect::<Vec<_>>(),
                [(Code::ValueMissing, "/values/note")],
                "{values}"
            );
            let text = format!(
                r#"{{"format":"kpi-submission/1","rules":{{"id":"t","version":"1"}},"unit":{{"id":"u","name":"单位"}},"values":{values}}}"#
            );
            assert_eq!(rules.validate_text(&text), problems);
            // The fast reader takes a blank text as empty too.
            assert_eq!(
                rules.score_text(&text).map(|r| r.to_json()),
                rules.score(&sub(values)).map(|r| r.to_json())
            );
        }
        assert!(
            rules
                .validate(&sub(r#"{"a":1,"note":"已整改"}"#))
                .is_empty()
        );
        // It is never scored: the report is final either way.
        let report = rules.score(&sub(r#"{"a":1}"#)).expect("scores");
        assert_eq!(report.status.as_str(), "final");
    }

    #[test]
    fn plain_submissions_take_the_plain_path() {
        let rules = RuleSet::builtin("subdistrict").expect("built-in");
        let text = include_str!("../examples/subdistrict-dq.json");
        let (sub, prepared) = rules
            .read_plain(text)
            .expect("a plain submission reads plainly");
        let thorough = Submission::from_json(text).expect("reads");
        let (expected, problems) = rules.prepare(&thorough);
        assert!(problems.is_empty());
        assert_eq!(prepared.values, expected.values);
        assert_eq!(prepared.missing, expected.missing);
        assert_eq!(
            (sub.unit, sub.period, sub.notes),
            (thorough.unit, thorough.period, thorough.notes)
        );
        // Anything unusual goes the thorough way.
        for unusual in [
            text.replacen("\"values\": {", "\"values\": {\"nope\": 1, ", 1),
            text.replacen("大桥街道", "\\u5927桥街道", 1),
            text.replacen(rules.version(), "2027.1", 1),
            // A repeated note (null first), a note for no item, a control character in a name.
            text.replacen(
                "\"notes\": {",
                "\"notes\": {\"1.1\": null, \"1.1\": \"x\", ",
                1,
            ),
            text.replacen("\"notes\": {", "\"notes\": {\"9.9\": \"x\", ", 1),
            text.replacen("大桥街道", "大桥\u{85}街道", 1),
            text.replacen("大桥街道", "大桥\u{202e}街道", 1),
        ] {
            assert!(rules.read_plain(&unusual).is_none(), "{unusual}");
        }
    }
}
