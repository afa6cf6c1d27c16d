//! The bodies of the fuzz targets, shared by `fuzz_targets/*.rs` (cargo-fuzz) and by
//! `tests/fuzz_regressions.rs` in the main crate (which `#[path]`-includes this file), so that a
//! reproducer saved under `fuzz/regressions/<target>/` replays through exactly the code that found
//! it.
//!
//! Every target must not panic on any input, and checks cheap invariants with `assert!`: a failing
//! assertion is a finding like a crash.
//!
//! - [`load`]: bytes → `RuleSet::from_json`; for a loaded set `form()`, `run_tests()`, and
//!   `rule_changes` against itself.
//! - [`expr`]: bytes → `Expr::compile` against a small fixed scope (inputs of each kind), then
//!   evaluation against several environments (empty, zeros, ordinary, huge, mismatched kinds,
//!   with and without a batch).
//! - [`score`]: bytes → a structured description of a rule set and submissions (`arbitrary`),
//!   rendered as JSON that usually loads, then load, `score_text`, `score`, `validate_text`,
//!   `score_batch`, `diff` against a perturbed copy, `probe`, and `to_json` of everything.
//! - [`load_and_score`]: the original target: a rule set, a NUL byte and a submission.

#[path = "fidelity.rs"]
pub mod fidelity;
#[path = "generator.rs"]
pub mod generator;

use arbitrary::{Arbitrary, Unstructured};
use kpi_wasm::expr::{Batch, Env, EvalError, Expr, InputKind, Outcome, Scope, Type, Value};
use kpi_wasm::{Error, ItemStatus, Report, RuleSet, Submission, ToJson};
use rust_decimal::Decimal;
use std::sync::OnceLock;

/// The targets, by name (the folder names under `fuzz/seeds/` and `fuzz/regressions/`).
pub const TARGETS: [&str; 4] = ["load", "expr", "score", "load_and_score"];

/// Runs the target called `name` on `data`; false for an unknown name.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "load" => load(data),
        "expr" => expr(data),
        "score" => score(data),
        "load_and_score" => load_and_score(data),
        _ => return false,
    }
    true
}

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A JSON text the engine wrote must be valid UTF-8 (the writer skips the check) and must parse.
fn check_json(what: &str, json: &str) {
    assert!(
        std::str::from_utf8(json.as_bytes()).is_ok(),
        "{what}: JSON output is not UTF-8"
    );
    if let Err(e) = kpi_wasm::json::parse(json) {
        panic!("{what}: JSON output does not parse back ({e:?}): {json}");
    }
}

/// Every error names at least one problem, each with a code, a JSON pointer and a message.
fn check_error(what: &str, e: &Error) {
    assert!(
        !e.problems().is_empty(),
        "{what}: an error without problems"
    );
    for p in e.problems() {
        check_problem(what, p);
    }
}

fn check_problem(what: &str, p: &kpi_wasm::Problem) {
    assert!(p.code.as_str().contains('.'), "{what}: bad code {p:?}");
    assert!(
        p.path.is_empty() || p.path.starts_with('/'),
        "{what}: path is not a JSON pointer: {p:?}"
    );
    assert!(!p.message.is_empty(), "{what}: empty message {p:?}");
}

// ---------------------------------------------------------------------------------------------
// load

/// Loads a rule set; a loaded one must describe its form, run its tests and see no change
/// against itself.
pub fn load(data: &[u8]) {
    let text = text(data);
    match RuleSet::from_json(&text) {
        Ok(rules) => check_loaded(&rules),
        Err(e) => check_error("load", &e),
    }
}

fn check_loaded(rules: &RuleSet) {
    let form = rules.form();
    check_json("form", &form.to_json());
    let run = rules.run_tests();
    assert_eq!(
        run.passed() + run.failed(),
        rules.tests_len(),
        "run_tests count"
    );
    let changes = rules.rule_changes(rules);
    assert!(
        changes.is_empty(),
        "rule_changes of a rule set against itself: {changes:?}"
    );
    let blank = Submission::blank(
        rules,
        kpi_wasm::SubmissionUnit {
            id: "blank".into(),
            name: "空白".into(),
            group: None,
            ranked: true,
            tags: Vec::new(),
        },
    );
    // A blank form always scores (provisionally) or fails cleanly.
    match rules.score(&blank) {
        Ok(r) => check_report(rules, &r, false),
        Err(e) => check_error("score(blank)", &e),
    }
}

// ---------------------------------------------------------------------------------------------
// expr

/// The fixed scope of the `expr` target: inputs of each kind.
pub struct FuzzScope {
    options: Vec<String>,
    none: Vec<String>,
}

/// Names, indices and kinds: `x y z` numbers, `flag done` bools, `level` a choice of four,
/// `blank` a choice without options, `remark` text, `far` a number beyond every environment.
const SCOPE: [(&str, usize); 9] = [
    ("x", 0),
    ("y", 1),
    ("z", 2),
    ("flag", 3),
    ("done", 4),
    ("level", 5),
    ("blank", 6),
    ("remark", 7),
    ("far", 40),
];

impl Scope for FuzzScope {
    fn lookup(&self, name: &str) -> Option<(usize, InputKind<'_>)> {
        let &(_, i) = SCOPE.iter().find(|(n, _)| *n == name)?;
        Some((
            i,
            match i {
                0..=2 | 40 => InputKind::Number,
                3 | 4 => InputKind::Bool,
                5 => InputKind::Choice(&self.options),
                6 => InputKind::Choice(&self.none),
                _ => InputKind::Text,
            },
        ))
    }
}

fn scope() -> &'static FuzzScope {
    static SCOPE: OnceLock<FuzzScope> = OnceLock::new();
    SCOPE.get_or_init(|| FuzzScope {
        options: ["一级", "二级", "三级", "无"].map(String::from).to_vec(),
        none: Vec::new(),
    })
}

/// Peer statistics of the `expr` target: known, undefined or pending by input.
struct FuzzBatch(u8);

impl Batch for FuzzBatch {
    fn avg(&self, input: usize) -> Outcome<Decimal> {
        self.pick(input, Decimal::new(75, 1))
    }
    fn sum(&self, input: usize) -> Outcome<Decimal> {
        self.pick(input, Decimal::MAX)
    }
    fn count(&self) -> Decimal {
        Decimal::from(self.0 % 3)
    }
    fn rank(&self, input: usize) -> Outcome<Decimal> {
        self.pick(input, Decimal::ONE)
    }
}

impl FuzzBatch {
    fn pick(&self, input: usize, d: Decimal) -> Outcome<Decimal> {
        match (input + usize::from(self.0)) % 3 {
            0 => Outcome::Known(d),
            1 => Outcome::Undefined,
            _ => Outcome::Pending,
        }
    }
}

fn num(s: &str) -> Value {
    Value::Number(Decimal::from_str_exact(s).unwrap_or_default())
}

/// The environments every compiled expression is evaluated in.
fn environments() -> Vec<Vec<Option<Value>>> {
    let n = |s| Some(num(s));
    let b = |v| Some(Value::Bool(v));
    let c = |i| Some(Value::Choice(i));
    vec![
        // Empty: inputs pending.
        vec![],
        vec![None; 8],
        // Zeros: divisions undefined.
        vec![n("0"), n("0"), n("0"), b(false), b(false), c(0), None, None],
        // Ordinary values.
        vec![
            n("10"),
            n("4"),
            n("2.5"),
            b(true),
            b(false),
            c(1),
            None,
            None,
        ],
        vec![
            n("-3"),
            n("0.1"),
            n("100"),
            b(false),
            b(true),
            c(3),
            None,
            None,
        ],
        // Large values: overflow.
        vec![
            Some(Value::Number(Decimal::MAX)),
            Some(Value::Number(Decimal::MIN)),
            n("1000000000000"),
            b(true),
            b(true),
            c(2),
            None,
            None,
        ],
        vec![
            n("0.0000000000000000000000000001"),
            Some(Value::Number(Decimal::MAX)),
            n("-1000000000000"),
            b(false),
            None,
            c(0),
            None,
            None,
        ],
        // Mismatched kinds and an option index out of range: must not panic either.
        vec![b(true), c(7), b(false), n("1"), c(0), c(99), n("5"), n("1")],
    ]
}

/// Compiles the input as a number and as a bool expression; whatever compiles is evaluated in
/// every environment, with and without a batch.
pub fn expr(data: &[u8]) {
    let src = text(data);
    let chars = src.chars().count();
    let envs = environments();
    for ty in [Type::Number, Type::Bool] {
        let compiled = Expr::compile(&src, scope(), ty);
        let again = Expr::compile(&src, scope(), ty);
        match (&compiled, &again) {
            (Ok(a), Ok(b)) => assert_eq!(
                (a.source(), a.inputs(), a.ty()),
                (b.source(), b.inputs(), b.ty()),
                "compile is not deterministic"
            ),
            (Err(a), Err(b)) => assert_eq!(a, b, "compile errors differ"),
            _ => panic!("compile is not deterministic"),
        }
        let e = match compiled {
            Ok(e) => e,
            Err(err) => {
                assert!(
                    err.code.as_str().starts_with("expr."),
                    "bad error code {}",
                    err.code
                );
                assert!(
                    err.offset <= chars.max(kpi_wasm::limits::MAX_EXPR_LENGTH),
                    "error offset {} beyond the source ({chars} chars): {err:?}",
                    err.offset
                );
                assert!(!err.message.is_empty(), "empty error message");
                continue;
            }
        };
        assert!(
            chars <= kpi_wasm::limits::MAX_EXPR_LENGTH,
            "too long, yet compiled"
        );
        assert_eq!(e.ty(), ty, "compiled to another type");
        assert_eq!(e.source(), &*src, "source not kept");
        let inputs = e.inputs();
        assert!(
            inputs.windows(2).all(|w| w[0] < w[1]),
            "inputs not sorted and deduplicated: {inputs:?}"
        );
        let known: Vec<usize> = SCOPE.iter().map(|(_, i)| *i).collect();
        assert!(
            inputs.iter().all(|i| known.contains(i)),
            "inputs outside the scope: {inputs:?}"
        );
        let _ = e.single_input();
        let _ = e.literals().count();
        for (k, values) in envs.iter().enumerate() {
            for batch_seed in [None, Some(0u8), Some(1), Some(2)] {
                let batch = batch_seed.map(FuzzBatch);
                let env = Env {
                    values,
                    batch: batch.as_ref().map(|b| b as &dyn Batch),
                    ..Env::default()
                };
                let out = e.eval(&env);
                assert_eq!(out, e.eval(&env), "eval is not deterministic");
                // What compiled without inputs or aggregates is constant: a division by a
                // constant zero or a constant overflow would have been refused.
                if e.inputs().is_empty() && !e.uses_batch() {
                    assert!(
                        matches!(out, Ok(Outcome::Known(_))),
                        "a constant expression evaluates to {out:?}: {}",
                        e.source()
                    );
                }
                if k == 7 {
                    // Mismatched kinds: only "no panic" is asked of it.
                    continue;
                }
                check_outcome(&e, ty, out);
                match ty {
                    Type::Number => {
                        let _ = e.eval_number(&env);
                    }
                    Type::Bool => {
                        let _ = e.eval_bool(&env);
                    }
                }
            }
        }
    }
}

fn check_outcome(e: &Expr, ty: Type, out: Result<Outcome, EvalError>) {
    match out {
        Ok(Outcome::Known(v)) => {
            let ok = matches!(
                (ty, v),
                (Type::Number, Value::Number(_)) | (Type::Bool, Value::Bool(_))
            );
            assert!(ok, "{:?} evaluated to {v:?}", e.source());
        }
        Ok(Outcome::Pending) => {
            // Pending needs an empty input or a batch aggregate.
            assert!(
                !e.inputs().is_empty() || e.uses_batch(),
                "{:?} is pending without inputs or aggregates",
                e.source()
            );
        }
        Ok(Outcome::Undefined) | Err(EvalError::Overflow) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// score

/// The structured target: a generated rule set and submissions through every entry point.
pub fn score(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(spec) = generator::Spec::arbitrary(&mut u) else {
        return;
    };
    check_case(&spec.render());
}

/// Runs a generated case; public so that tests can count how often generated sets load.
pub fn check_case(case: &generator::Case) -> bool {
    let rules = match RuleSet::from_json(&case.rules) {
        Ok(r) => r,
        Err(e) => {
            check_error("load", &e);
            // The mistakes a reader (not a lint) must name, each by its own code.
            let code = match case.mistake {
                Some(generator::MistakeKind::DuplicateKey) => {
                    Some(kpi_wasm::Code::JsonDuplicateKey)
                }
                Some(generator::MistakeKind::ControlChar) => Some(kpi_wasm::Code::TextControl),
                _ => None,
            };
            if let Some(code) = code {
                assert!(
                    e.problems().iter().any(|p| p.code == code),
                    "{code:?} not reported for\n{}\n{e}",
                    case.rules
                );
            }
            return false;
        }
    };
    assert!(
        case.mistake.is_none(),
        "a rule set with a deliberate mistake ({:?}) loaded:\n{}",
        case.mistake,
        case.rules
    );
    check_loaded(&rules);

    // One submission at a time: score_text agrees with from_json + score, and validate_text.
    let mut readable = Vec::new();
    for text in case.subs.iter().chain(&case.copies) {
        let fast = rules.score_text(text);
        let thorough = Submission::from_json(text).and_then(|s| rules.score(&s));
        match (&fast, &thorough) {
            (Ok(a), Ok(b)) => assert_eq!(
                a.to_json(),
                b.to_json(),
                "score_text and from_json + score disagree on\n{text}"
            ),
            (Err(a), Err(b)) => assert_eq!(
                a, b,
                "score_text and from_json + score fail differently on\n{text}"
            ),
            (a, b) => panic!(
                "score_text gives {:?} but from_json + score {:?} on\n{text}",
                a.as_ref().map(|r| r.total),
                b.as_ref().map(|r| r.total)
            ),
        }
        let problems = rules.validate_text(text);
        for p in &problems {
            check_problem("validate_text", p);
        }
        match &fast {
            Ok(r) => {
                check_report(&rules, r, false);
                let again = rules.score_text(text).map(|r| r.to_json());
                assert_eq!(again.as_ref().ok(), Some(&r.to_json()), "not deterministic");
            }
            Err(e) => {
                check_error("score_text", e);
                // Only scoring itself (overflow, no band) may fail where validation saw nothing.
                let scoring_only = e
                    .problems()
                    .iter()
                    .all(|p| p.code.as_str().starts_with("score."));
                assert!(
                    scoring_only || !problems.is_empty(),
                    "score_text refused what validate_text accepted: {e}\n{text}"
                );
            }
        }
        if problems.is_empty() {
            // Nothing missing: whatever is pending waits for a batch or a division by zero.
            if let Ok(r) = &fast {
                assert!(
                    r.pending.iter().all(|p| p.missing.is_empty()),
                    "validate_text found nothing, yet the report waits for inputs\n{}\n{text}",
                    r.to_json()
                );
            }
        }
        if let Ok(s) = Submission::from_json(text) {
            for p in rules.validate(&s) {
                check_problem("validate", &p);
            }
            readable.push((s, fast.ok().map(|r| (r.total, r.grade.map(str::to_string)))));
        }
    }
    let subs: Vec<Submission> = readable.iter().map(|(s, _)| s.clone()).collect();

    // A batch of them.
    let batch = rules.score_batch(&subs);
    assert_eq!(batch.results.len(), subs.len(), "batch lost submissions");
    let mut reports = Vec::new();
    for (k, r) in batch.results.iter().enumerate() {
        match r {
            Ok(r) => {
                check_report(&rules, r, true);
                if !case.batch_sensitive {
                    if let Some((_, Some((total, grade)))) = readable.get(k) {
                        assert_eq!(
                            (&r.total, r.grade),
                            (total, grade.as_deref()),
                            "batch and single scores differ without batch features"
                        );
                    }
                }
                reports.push(r.clone());
            }
            Err(e) => check_error("score_batch", e),
        }
    }
    check_ranks(&batch.results, &subs);
    let _ = kpi_wasm::reports_csv(&reports);

    // Diff against itself and against the perturbed copy; probe.
    let same = rules.diff(&rules, &subs);
    assert_eq!(same.units.len(), subs.len(), "diff lost units");
    assert_eq!(
        same.summary.changed, 0,
        "a rule set changes scores against itself"
    );
    assert!(
        same.units.iter().all(|u| u.items.is_empty()),
        "items changed against itself"
    );
    check_json("diff", &same.to_json());
    if let Ok(new) = RuleSet::from_json(&case.perturbed) {
        check_loaded(&new);
        let d = rules.diff(&new, &subs);
        assert_eq!(d.units.len(), subs.len(), "diff lost units");
        check_json("diff", &d.to_json());
        let _ = kpi_wasm::diff_csv(&d);
        if case.perturb == generator::Perturb::Same {
            assert_eq!(d.summary.changed, 0, "identical copies differ");
        }
        if case.probe {
            let bases: Vec<Submission> = subs.iter().take(1).cloned().collect();
            for f in rules.probe(&new, &bases) {
                check_json("probe", &f.to_json());
            }
            let none = rules.probe(&rules, &[]);
            assert!(
                none.is_empty(),
                "probing a rule set against itself finds differences"
            );
        }
    }
    true
}

/// Invariants of one report.
fn check_report(rules: &RuleSet, r: &Report<'_>, in_batch: bool) {
    let json = r.to_json();
    check_json("report", &json);
    check_json("report (pretty)", &r.to_json_pretty());
    let zero = Decimal::ZERO;
    let half = Decimal::new(5, rules.scale() + 1);
    // Output decimals have exactly `scale` places (docs/SPEC.md, Numbers).
    let scale = rules.scale();
    let places = |what: &str, a: kpi_wasm::Amount| {
        assert_eq!(
            a.value().scale(),
            scale,
            "{what} {a} does not have {scale} decimal places\n{json}"
        );
    };
    places("total", r.total);
    places("subtotal", r.subtotal);
    for s in &r.sections {
        s.score.into_iter().for_each(|a| places("section score", a));
        for item in &s.items {
            item.score.into_iter().for_each(|a| places("item score", a));
            item.value.into_iter().for_each(|a| places("item value", a));
            item.lines
                .iter()
                .for_each(|l| places("trace line", l.points));
        }
    }
    for l in &r.lines {
        places("report line", l.points);
    }
    for a in &r.adjustments {
        places("adjustment", a.amount);
        a.lines
            .iter()
            .for_each(|l| places("adjustment line", l.points));
    }
    if let Some(b) = &r.bonus {
        places("bonus", b.amount);
        for i in &b.items {
            places("bonus item", i.amount);
            i.lines.iter().for_each(|l| places("bonus line", l.points));
        }
    }
    let mut subtotal = zero;
    for s in &r.sections {
        // A section with no score has only not-applicable items (under rescaling).
        let score = s.score.map_or(zero, |a| a.value());
        subtotal += score;
        assert!(
            score >= zero && score <= s.points.value(),
            "section {} scored {} of {}\n{json}",
            s.id,
            score,
            s.points
        );
        assert!(
            s.score.is_some()
                || s.items
                    .iter()
                    .all(|i| i.status == ItemStatus::NotApplicable),
            "section {} without a score has applicable items\n{json}",
            s.id
        );
        for item in &s.items {
            let points = item.points.value();
            match item.score {
                Some(sc) => {
                    assert!(
                        sc.value() >= zero && sc.value() <= points,
                        "item {} scored {} of {}\n{json}",
                        item.id,
                        sc,
                        item.points
                    );
                    if item.status == ItemStatus::Scored {
                        let sum: Decimal = item
                            .lines
                            .iter()
                            .map(|l| l.points.value())
                            .fold(points, |a, b| a.saturating_add(b));
                        let tol = half * Decimal::from(item.lines.len() + 1);
                        assert!(
                            (sum - sc.value()).abs() <= tol,
                            "item {}: {} + lines = {} but score {}\n{json}",
                            item.id,
                            points,
                            sum,
                            sc
                        );
                    }
                }
                None => assert_eq!(
                    item.status,
                    ItemStatus::NotApplicable,
                    "item {} has no score",
                    item.id
                ),
            }
        }
    }
    let rescaled = r.lines.iter().any(|l| l.kind.as_str() == "rescale");
    if !rescaled {
        assert_eq!(
            subtotal,
            r.subtotal.value(),
            "subtotal is not Σ sections\n{json}"
        );
    }
    let bonus_cap = r.bonus.as_ref().map_or(zero, |b| b.cap.value());
    let total = r.total.value();
    // Against full marks as the report shows them: points are on the scale (`points.scale`,
    // since finding F1 in SECURITY.md), so this is exact.
    let full = r.full_score.value();
    assert!(
        total >= zero && total <= full + bonus_cap,
        "total {total} outside 0..={full} + {bonus_cap}\n{json}"
    );
    if let Some(b) = &r.bonus {
        assert!(
            b.amount.value() >= zero && b.amount.value() <= b.cap.value(),
            "bonus {} beyond its cap {}",
            b.amount,
            b.cap
        );
        for i in &b.items {
            assert!(
                i.amount.value() >= zero && i.amount.value() <= i.points.value(),
                "bonus item {} gives {} of {}",
                i.id,
                i.amount,
                i.points
            );
        }
    }
    for a in &r.adjustments {
        assert!(
            a.amount.value() <= zero,
            "adjustment {} adds {}",
            a.id,
            a.amount
        );
        if let Some(cap) = a.cap {
            assert!(
                -a.amount.value() <= cap.value(),
                "adjustment {} deducts {} beyond its cap {}",
                a.id,
                a.amount,
                cap
            );
        }
    }
    let zeroed = r.vetoes.iter().any(|v| {
        v.triggered == Some(true) && matches!(v.effect, kpi_wasm::EffectRef::Word("zero"))
    });
    if !zeroed {
        let adj: Decimal = r.adjustments.iter().map(|a| a.amount.value()).sum();
        let bonus = r.bonus.as_ref().map_or(zero, |b| b.amount.value());
        let expect = (r.subtotal.value() + adj).max(zero) + bonus;
        assert_eq!(
            total, expect,
            "total is not max(0, subtotal - adjustments) + bonus\n{json}"
        );
    }
    assert_eq!(
        r.status.as_str() == "final",
        r.pending.is_empty(),
        "status {} with {} pending\n{json}",
        r.status.as_str(),
        r.pending.len()
    );
    let form = rules.form();
    let names: Vec<&str> = form.grades.iter().map(|g| g.name).collect();
    // Without grades there is none; a veto may withhold it (不评等次).
    assert_eq!(
        r.grade_by_score.is_some(),
        !names.is_empty(),
        "grade_by_score {:?} with grades {names:?}",
        r.grade_by_score
    );
    // A grade is missing only without grades or when an `ungraded` veto withholds it, which
    // grade_text says (also when there are no grades to withhold).
    let withheld = r.vetoes.iter().any(|v| {
        v.triggered == Some(true) && matches!(v.effect, kpi_wasm::EffectRef::Word("ungraded"))
    });
    assert_eq!(
        r.grade_text.is_some(),
        withheld,
        "grade_text {:?} with a withholding veto {withheld}",
        r.grade_text
    );
    assert_eq!(
        r.grade.is_none(),
        names.is_empty() || withheld,
        "grade {:?} with grades {names:?}",
        r.grade
    );
    let grade = r.grade.unwrap_or_default();
    let grade_by_score = r.grade_by_score.unwrap_or_default();
    assert!(
        r.grade.is_none() || names.contains(&grade),
        "grade {grade} unknown"
    );
    if !zeroed && !names.is_empty() {
        // grade_by_score is the grade of the total before vetoes; only "zero" changes the total.
        let by_score = form
            .grades
            .iter()
            .find(|g| match (g.min, g.over) {
                (Some(m), _) => m.value() <= total,
                (None, Some(o)) => o.value() < total,
                _ => false,
            })
            .map(|g| g.name);
        assert_eq!(
            by_score, r.grade_by_score,
            "grade_by_score is not the first grade the total {total} reaches\n{json}"
        );
    }
    let vetoed = r.vetoes.iter().any(|v| v.triggered == Some(true));
    if !vetoed && !in_batch {
        assert_eq!(r.grade, r.grade_by_score, "grade moved without a veto");
    }
    // Vetoes and quotas only ever lower a grade (or withhold it).
    let pos = |g: &str| names.iter().position(|n| *n == g);
    assert!(
        r.grade.is_none() || pos(grade) >= pos(grade_by_score),
        "grade {grade} above {grade_by_score} that the total gives\n{json}"
    );
    assert_eq!(
        r.rank.is_some(),
        in_batch,
        "rank present outside a batch or absent in one"
    );
}

/// Competition ranks by total within each group, over ranked units that scored.
fn check_ranks(results: &[Result<Report<'_>, Error>], subs: &[Submission]) {
    // Where a triggered veto puts a unit: out of the ranking, or after the others of its group.
    let placement = |r: &Report<'_>| {
        let placed = |word: &str| {
            r.vetoes
                .iter()
                .any(|v| v.triggered == Some(true) && v.ranking == Some(word))
        };
        if placed("excluded") {
            2u8
        } else {
            u8::from(placed("last"))
        }
    };
    for (i, r) in results.iter().enumerate() {
        let Ok(r) = r else { continue };
        let me = &subs[i].unit;
        let mine = placement(r);
        let expected = (me.ranked && mine < 2).then(|| {
            let peers: Vec<&Report<'_>> = results
                .iter()
                .zip(subs)
                .filter(|(_, s)| {
                    s.unit.ranked
                        && s.unit.group.as_deref().unwrap_or("")
                            == me.group.as_deref().unwrap_or("")
                })
                .filter_map(|(o, _)| o.as_ref().ok())
                .filter(|o| placement(o) < 2)
                .collect();
            let ahead = if mine == 1 {
                peers.iter().filter(|o| placement(o) == 0).count()
            } else {
                0
            };
            let better = peers
                .iter()
                .filter(|o| placement(o) == mine && o.total > r.total)
                .count();
            u32::try_from(ahead + better).unwrap_or(u32::MAX) + 1
        });
        assert_eq!(r.rank, Some(expected), "rank of {} in its batch", me.id);
    }
}

// ---------------------------------------------------------------------------------------------
// load_and_score

fn subdistrict() -> Option<&'static RuleSet> {
    static RULES: OnceLock<Option<RuleSet>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            kpi_wasm::builtin_source("subdistrict").and_then(|t| RuleSet::from_json(t).ok())
        })
        .as_ref()
}

/// The original target: a rule set, a NUL byte and a submission; the whole input is also scored
/// as a submission to the built-in subdistrict rule set.
pub fn load_and_score(data: &[u8]) {
    let text = text(data);
    let (rules_text, sub_text) = text.split_once('\0').unwrap_or((&text, ""));
    if let Ok(rules) = RuleSet::from_json(rules_text) {
        let _ = rules.form();
        let _ = rules.run_tests();
        if let Ok(sub) = Submission::from_json(sub_text) {
            let _ = rules.validate(&sub);
            if let Ok(report) = rules.score(&sub) {
                check_report(&rules, &report, false);
            }
            let batch = rules.score_batch(&[sub.clone(), sub]);
            let _ = batch.reports().count();
        }
    }
    if let Some(rules) = subdistrict() {
        if let Ok(sub) = Submission::from_json(&text) {
            if let Ok(report) = rules.score(&sub) {
                check_report(rules, &report, false);
            }
        }
    }
}
