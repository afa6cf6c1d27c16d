//! Threshold probing: synthetic submissions on either side of every threshold two rule sets
//! mention, scored under both, and where the total, the grade or an item differs.

use crate::code::Code;
use crate::decimal::plain;
use crate::diff::{ItemChange, Standing, adapt, item_changes, old_items, standing};
use crate::error::Error;
use crate::json::{Value, json_object};
use crate::rules::*;
use crate::submission::{Submission, SubmissionUnit};

/// A synthetic submission where the two rule sets disagree.
#[derive(Clone, Debug)]
pub struct ProbeFinding<'r> {
    /// The submission it started from (`中性考核表` for the neutral one).
    pub base: String,
    /// The input that was set.
    pub input: String,
    /// Its label.
    pub label: String,
    /// The value it was set to.
    pub value: String,
    /// Under the old rules.
    pub old: Standing<'r>,
    /// Under the new rules.
    pub new: Standing<'r>,
    /// Items whose score differs.
    pub items: Vec<ItemChange<'r>>,
}

/// At most this many findings are returned (the first ones, in input order).
pub const MAX_PROBE_FINDINGS: usize = 500;

/// Whole values 0..=this are probed for every numeric input, besides the thresholds.
const PROBE_SCAN: i64 = 40;

/// The inputs a probe varies (the old rule set's, then those only the new one has) and each
/// one's candidate values.
struct ProbePlan<'r> {
    inputs: Vec<&'r Input>,
    candidates: Vec<Vec<Value>>,
}

impl<'r> ProbePlan<'r> {
    fn new(old: &'r RuleSet, new: &'r RuleSet) -> Self {
        let mut inputs: Vec<&Input> = old.inputs.iter().collect();
        for i in &new.inputs {
            if !inputs.iter().any(|x| x.id == i.id) {
                inputs.push(i);
            }
        }
        let candidates = inputs
            .iter()
            .map(|input| probe_values(input, &thresholds(old, new, &input.id)))
            .collect();
        ProbePlan { inputs, candidates }
    }

    /// Synthetic submissions scored from one base (one per candidate value).
    fn per_base(&self) -> usize {
        self.candidates.iter().map(Vec::len).sum()
    }

    /// Bases probed and their work: with given bases, those; without, the neutral submission,
    /// a high-scoring one and one just above each grade bound, found by two passes under the
    /// old rules only.
    fn work(&self, old: &RuleSet, new: &RuleSet, bases: usize) -> (usize, usize) {
        let per_base = self.per_base();
        let pair = old.cost().saturating_add(new.cost());
        let (bases, building) = match bases {
            0 => (
                grade_bounds(old, new).len().saturating_add(2),
                per_base.saturating_mul(2).saturating_mul(old.cost()),
            ),
            n => (n, 0),
        };
        let runs = bases.saturating_mul(per_base);
        (runs, runs.saturating_mul(pair).saturating_add(building))
    }
}

/// The grade minimums of both rule sets above 0, highest first, each once.
fn grade_bounds(old: &RuleSet, new: &RuleSet) -> Vec<rust_decimal::Decimal> {
    let mut mins: Vec<rust_decimal::Decimal> = old
        .grades
        .iter()
        .chain(&new.grades)
        .map(|g| g.min)
        .filter(|m| !m.is_zero())
        .collect();
    mins.sort_unstable();
    mins.dedup();
    mins.reverse();
    mins
}

impl RuleSet {
    /// Probes both rule sets on either side of every threshold they mention (literals in the
    /// expressions reading an input, band edges, rate targets, `free` counts), one input at a time,
    /// starting from `bases` (or, when empty, from synthetic ones: a neutral submission, a
    /// high-scoring one, and one just above each grade bound), and returns where the total,
    /// grade or an item score differs. It stops early at [`MAX_PROBE_RUNS`] synthetic submissions
    /// or the work budget ([`RuleSet::check_probe`]).
    ///
    /// [`MAX_PROBE_RUNS`]: crate::limits::MAX_PROBE_RUNS
    pub fn probe<'r>(&'r self, new: &'r RuleSet, bases: &[Submission]) -> Vec<ProbeFinding<'r>> {
        self.probe_with_progress(new, bases, &mut |_, _| {})
    }

    /// Whether a probe of these rule sets fits the work budget: a probe stops early once it has
    /// used [`MAX_PROBE_WORK`](crate::limits::MAX_PROBE_WORK), so it is refused (`limit.work`)
    /// only when the budget does not cover even one base (every input at every candidate value
    /// under both rule sets): the rule sets are too large to probe.
    ///
    /// ```
    /// let old = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// assert!(old.check_probe(&old, &[]).is_ok());
    /// ```
    pub fn check_probe(&self, new: &RuleSet, bases: &[Submission]) -> Result<(), Error> {
        let plan = ProbePlan::new(self, new);
        let per_base = plan
            .per_base()
            .saturating_mul(self.cost().saturating_add(new.cost()));
        let (runs, _) = plan.work(self, new, bases.len());
        if per_base <= crate::limits::MAX_PROBE_WORK {
            return Ok(());
        }
        Err(Error::one(
            Code::LimitWork,
            "",
            format!(
                "阈值探测的计算量过大：每份起点考核表需模拟评分{}次，合计约{per_base}个计算单位（计划共{runs}次），超过上限{}；这两套考核细则过大，无法探测",
                plan.per_base(),
                crate::limits::MAX_PROBE_WORK
            ),
        ))
    }

    /// Like [`RuleSet::probe`], calling `progress(done, total)` as synthetic submissions are
    /// scored.
    pub fn probe_with_progress<'r>(
        &'r self,
        new: &'r RuleSet,
        bases: &[Submission],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Vec<ProbeFinding<'r>> {
        let plan = ProbePlan::new(self, new);
        let pair = self.cost().saturating_add(new.cost()).max(1);
        // Bounded work, whatever the rules and bases: the first runs within both limits.
        let limit = crate::limits::MAX_PROBE_RUNS
            .min(crate::limits::MAX_PROBE_WORK.checked_div(pair).unwrap_or(0));
        let owned;
        let bases: Vec<(String, &Submission)> = if bases.is_empty() {
            owned = self.synthetic_bases(new, &plan);
            owned.iter().map(|(name, s)| (name.clone(), s)).collect()
        } else {
            bases
                .iter()
                .map(|b| (format!("{}（{}）", b.unit.name, b.unit.id), b))
                .collect()
        };
        let total = bases.len().saturating_mul(plan.per_base()).min(limit);
        // Each base gets its share of the findings shown, so that the first cannot hide the others.
        let share = MAX_PROBE_FINDINGS
            .checked_div(bases.len())
            .unwrap_or(MAX_PROBE_FINDINGS)
            .max(20);
        let mut out = Vec::new();
        let mut runs = 0usize;
        for (name, base) in &bases {
            let before = out.len();
            for (input, values) in plan.inputs.iter().zip(&plan.candidates) {
                if out.len().saturating_sub(before) >= share {
                    break;
                }
                let mut run: Vec<ProbeFinding<'r>> = Vec::new();
                for value in values {
                    runs = runs.saturating_add(1);
                    if runs > limit {
                        out.extend(condense(run));
                        progress(total, total);
                        return out;
                    }
                    if runs % 256 == 0 {
                        progress(runs, total);
                    }
                    let mut sub = (*base).clone();
                    sub.values.insert(input.id.clone(), value.clone());
                    // A probe compares the assessors' scores only: a self-assessment would be
                    // scored for nothing (and outside the work budget).
                    sub.self_assessment = None;
                    let mut sink = Vec::new();
                    let (Ok(o), Ok(n)) = (
                        adapt(self, &sub, "旧", &mut sink),
                        adapt(new, &sub, "新", &mut sink),
                    ) else {
                        continue;
                    };
                    let (Ok(ro), Ok(rn)) = (self.score_figures(&o), new.score_figures(&n)) else {
                        continue;
                    };
                    let items = item_changes(&old_items(&ro), &rn);
                    if ro.total != rn.total || ro.grade != rn.grade || !items.is_empty() {
                        run.push(ProbeFinding {
                            base: name.clone(),
                            input: input.id.clone(),
                            label: input.label.clone(),
                            value: value
                                .as_str()
                                .map_or_else(|| value.to_string(), str::to_string),
                            old: standing(&ro),
                            new: standing(&rn),
                            items,
                        });
                    }
                }
                let room = share.saturating_sub(out.len().saturating_sub(before));
                out.extend(condense(run).into_iter().take(room));
                if out.len() >= MAX_PROBE_FINDINGS {
                    out.truncate(MAX_PROBE_FINDINGS);
                    progress(total, total);
                    return out;
                }
            }
        }
        progress(total, total);
        out
    }

    /// The bases of a probe given none: the neutral submission; a high-scoring one (each input in
    /// turn set to the candidate value that gives the highest total under these rules); and, for
    /// each grade bound of either rule set, one whose total lies just above it (single-input
    /// changes from the high-scoring one combined, largest first, while the total stays above
    /// the bound). The totals near the bounds are where a changed grade bound or a changed item
    /// shows.
    fn synthetic_bases(&self, new: &RuleSet, plan: &ProbePlan) -> Vec<(String, Submission)> {
        use rust_decimal::Decimal;
        let neutral = neutral_submission(self, &plan.inputs);
        let total = |sub: &Submission| -> Option<Decimal> {
            let mut sink = Vec::new();
            let s = adapt(self, sub, "旧", &mut sink).ok()?;
            self.score_figures(&s).ok().map(|r| r.total.value())
        };
        let mut bases = vec![("中性考核表".to_string(), neutral.clone())];
        let Some(mut best_total) = total(&neutral) else {
            return bases;
        };
        let mut best = neutral;
        for (input, values) in plan.inputs.iter().zip(&plan.candidates) {
            for value in values {
                let mut sub = best.clone();
                sub.values.insert(input.id.clone(), value.clone());
                if let Some(t) = total(&sub).filter(|t| *t > best_total) {
                    best_total = t;
                    best = sub;
                }
            }
        }
        bases.push((
            format!("高分考核表（旧细则总分{}）", plain(best_total)),
            best.clone(),
        ));
        // Each single change from the high-scoring base and how far it lowers the total.
        let mut drops: Vec<(usize, &Value, Decimal)> = Vec::new();
        for (k, (input, values)) in plan.inputs.iter().zip(&plan.candidates).enumerate() {
            for value in values {
                let mut sub = best.clone();
                sub.values.insert(input.id.clone(), value.clone());
                if let Some(t) = total(&sub).filter(|t| *t < best_total) {
                    drops.push((k, value, best_total.saturating_sub(t)));
                }
            }
        }
        // Largest drops first (by input order among equals, for determinism).
        drops.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        for bound in grade_bounds(self, new) {
            if bound >= best_total {
                continue;
            }
            let mut room = best_total.saturating_sub(bound);
            let mut sub = best.clone();
            let mut used: Vec<usize> = Vec::new();
            for (k, value, drop) in &drops {
                if *drop < room && !used.contains(k) {
                    if let Some(input) = plan.inputs.get(*k) {
                        sub.values.insert(input.id.clone(), (*value).clone());
                        used.push(*k);
                        room = room.saturating_sub(*drop);
                    }
                }
            }
            if let Some(t) = total(&sub) {
                bases.push((
                    format!(
                        "临界考核表（旧细则总分{}，接近等次线{}）",
                        plain(t),
                        plain(bound)
                    ),
                    sub,
                ));
            }
        }
        bases
    }
}

/// Keeps every finding where the grade differs, and of each run of consecutive findings where
/// only scores differ, the first and the last: the edges a rule author needs to see.
fn condense(run: Vec<ProbeFinding<'_>>) -> Vec<ProbeFinding<'_>> {
    let grade_differs = |f: &ProbeFinding| f.old.grade != f.new.grade;
    let n = run.len();
    let mut out = Vec::new();
    for (i, f) in run.into_iter().enumerate() {
        let edge = i == 0 || i.saturating_add(1) == n;
        if grade_differs(&f) || edge || out.last().is_some_and(grade_differs) {
            out.push(f);
        }
    }
    out
}

/// Every decimal threshold the two rule sets mention in rules that read `input`.
fn thresholds(a: &RuleSet, b: &RuleSet, input: &str) -> Vec<rust_decimal::Decimal> {
    let mut out = Vec::new();
    for rs in [a, b] {
        let Some(index) = rs.input_index(input) else {
            continue;
        };
        let reads = |e: &crate::expr::Expr| e.inputs().contains(&index);
        for item in rs.sections.iter().flat_map(|s| &s.items) {
            let exprs = item.exprs();
            if !exprs.iter().any(|e| reads(e)) {
                continue;
            }
            for e in &exprs {
                out.extend(e.literals());
            }
            match &item.rule {
                Rule::Rate(r) => out.push(r.target),
                Rule::Bands(bands) => {
                    out.extend(bands.bands.iter().flat_map(|x| [x.min, x.max]).flatten())
                }
                Rule::Deduct(lines) => out.extend(lines.iter().filter_map(|l| match &l.when {
                    LineWhen::Per { free, .. } => Some(*free),
                    _ => None,
                })),
                _ => {}
            }
        }
        let lines = rs.adjustments.iter().flat_map(|x| &x.lines).chain(
            rs.bonus
                .iter()
                .flat_map(|b| &b.items)
                .flat_map(|x| &x.lines),
        );
        for l in lines {
            for e in l.exprs().into_iter().filter(|e| reads(e)) {
                out.extend(e.literals());
            }
            if let LineWhen::Per { free, value } = &l.when {
                if reads(value) {
                    out.push(*free);
                }
            }
        }
        for v in rs.vetoes.iter().filter(|v| reads(&v.when)) {
            out.extend(v.when.literals());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Values on either side of each threshold, valid for the input's type.
fn probe_values(input: &Input, thresholds: &[rust_decimal::Decimal]) -> Vec<Value> {
    use rust_decimal::Decimal;
    match input.kind {
        InputType::Bool => vec![Value::Bool(true), Value::Bool(false)],
        InputType::Choice => input.options.iter().map(Value::string).collect(),
        InputType::Text | InputType::Date | InputType::Records => Vec::new(),
        _ if input.multiple => Vec::new(),
        kind => {
            let (step, lo, hi) = match kind {
                InputType::Count => (Decimal::ONE, Some(Decimal::ZERO), None),
                InputType::Percent => (
                    Decimal::new(1, 2),
                    Some(Decimal::ZERO),
                    Some(Decimal::ONE_HUNDRED),
                ),
                _ => (Decimal::new(1, 2), None, None),
            };
            let lit = |b: &Option<Bound>| match b {
                Some(Bound::Literal(d)) => Some(*d),
                _ => None,
            };
            let lo = lit(&input.min).or(lo);
            let hi = lit(&input.max).or(hi);
            // Small whole values too: totals cross grade bounds at counts no literal mentions.
            let mut vals: Vec<Decimal> = (0..=PROBE_SCAN).map(Decimal::from).collect();
            for t in thresholds {
                vals.extend([t.saturating_sub(step), *t, t.saturating_add(step)]);
            }
            vals.retain(|v| lo.is_none_or(|l| *v >= l) && hi.is_none_or(|h| *v <= h));
            if kind == InputType::Count {
                vals.retain(|v| v.fract().is_zero());
            }
            vals.sort_unstable();
            vals.dedup();
            vals.into_iter().map(|v| Value::String(plain(v))).collect()
        }
    }
}

/// A submission where every input has an unremarkable value: counts 0, rates 100%, no flags.
fn neutral_submission(rs: &RuleSet, inputs: &[&Input]) -> Submission {
    let mut values = crate::json::Map::new();
    // A count that bounds another (`已整改` at most `发现`) and the counts it bounds are 100: a
    // ratio of the two is then defined, and probing the bounded one moves it.
    let bounding: Vec<&str> = inputs
        .iter()
        .filter_map(|i| match &i.max {
            Some(Bound::Input(j)) if i.kind == InputType::Count => {
                rs.inputs.get(*j).map(|b| b.id.as_str())
            }
            _ => None,
        })
        .collect();
    for input in inputs {
        let bounded = matches!(&input.max, Some(Bound::Input(_)));
        let v = match input.kind {
            InputType::Count if bounded || bounding.contains(&input.id.as_str()) => {
                Value::string("100")
            }
            InputType::Count => Value::string("0"),
            InputType::Percent => Value::string("100"),
            InputType::Number => match (&input.min, &input.max) {
                (_, Some(Bound::Literal(hi))) => Value::String(plain(*hi)),
                (Some(Bound::Literal(lo)), _) => Value::String(plain(*lo)),
                _ => Value::string("0"),
            },
            InputType::Bool => Value::Bool(false),
            InputType::Choice => Value::String(input.options.first().cloned().unwrap_or_default()),
            InputType::Records => Value::Array(Vec::new()),
            InputType::Text | InputType::Date => continue,
        };
        values.insert(input.id.clone(), v);
    }
    let mut sub = Submission::blank(
        rs,
        SubmissionUnit {
            id: "probe".into(),
            name: "中性考核表".into(),
            group: None,
            ranked: true,
            tags: Vec::new(),
        },
    );
    sub.values = values;
    sub
}

json_object!(ProbeFinding<'_> { base, input, label, value, old, new, items });
