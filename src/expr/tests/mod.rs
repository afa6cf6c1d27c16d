//! The expression language's tests: compiling and evaluation here (with the helpers every part
//! uses); compile errors with their positions in `errors.rs`; the size, depth and stack limits and
//! the token-soup fuzz in `limits.rs`.

use super::vm::MAX_STACK;
use super::*;
use crate::code::Code;
use crate::limits::MAX_EXPR_DEPTH as MAX_DEPTH;
use rust_decimal::Decimal;

struct TestScope {
    options: Vec<String>,
    no_options: Vec<String>,
}

impl Scope for TestScope {
    fn lookup(&self, name: &str) -> Option<(usize, InputKind<'_>)> {
        Some(match name {
            "a" => (0, InputKind::Number),
            "b" => (1, InputKind::Number),
            "flag" => (2, InputKind::Bool),
            "level" => (3, InputKind::Choice(&self.options)),
            "remark" => (4, InputKind::Text),
            "empty" => (5, InputKind::Number),
            "off" => (6, InputKind::Bool),
            "big" => (7, InputKind::Number),
            "zero" => (8, InputKind::Number),
            "unset" => (9, InputKind::Bool),
            "none_choice" => (10, InputKind::Choice(&self.no_options)),
            "far" => (99, InputKind::Number),
            // Reserved words never reach the scope, even when it knows them.
            "min" | "true" | "if" => (0, InputKind::Number),
            _ => return None,
        })
    }
}

fn scope() -> TestScope {
    TestScope {
        options: vec!["一级".into(), "二级".into(), "无".into()],
        no_options: Vec::new(),
    }
}

fn d(s: &str) -> Decimal {
    match Decimal::from_str_exact(s) {
        Ok(x) => x,
        Err(e) => panic!("bad decimal {s}: {e}"),
    }
}

fn values() -> Vec<Option<Value>> {
    vec![
        Some(Value::Number(d("10"))),
        Some(Value::Number(d("4"))),
        Some(Value::Bool(true)),
        Some(Value::Choice(1)),
        None,
        None,
        Some(Value::Bool(false)),
        Some(Value::Number(Decimal::MAX)),
        Some(Value::Number(Decimal::ZERO)),
        None,
        None,
    ]
}

/// A batch of peers: `a` averages 7.5 and ranks 2nd; `b` has no peers; `empty` is pending.
struct TestBatch;

impl Batch for TestBatch {
    fn avg(&self, input: usize) -> Outcome<Decimal> {
        match input {
            0 => Outcome::Known(d("7.5")),
            1 => Outcome::Undefined,
            _ => Outcome::Pending,
        }
    }
    fn sum(&self, input: usize) -> Outcome<Decimal> {
        match input {
            0 => Outcome::Known(d("30")),
            1 => Outcome::Undefined,
            _ => Outcome::Pending,
        }
    }
    fn count(&self) -> Decimal {
        d("4")
    }
    fn rank(&self, input: usize) -> Outcome<Decimal> {
        match input {
            0 => Outcome::Known(d("2")),
            1 => Outcome::Undefined,
            _ => Outcome::Pending,
        }
    }
}

fn compile(src: &str, ty: Type) -> Expr {
    match Expr::compile(src, &scope(), ty) {
        Ok(e) => e,
        Err(e) => panic!("{src}: {} {}", e.code, e.message),
    }
}

/// Compiles as a number, else as a bool, and evaluates without a batch.
fn eval(src: &str) -> Result<Outcome, EvalError> {
    eval_with(src, None)
}

fn eval_with(src: &str, batch: Option<&dyn Batch>) -> Result<Outcome, EvalError> {
    let e = match Expr::compile(src, &scope(), Type::Number) {
        Ok(e) => e,
        Err(_) => compile(src, Type::Bool),
    };
    let v = values();
    e.eval(&Env {
        values: &v,
        batch,
        ..Env::default()
    })
}

fn num(src: &str) -> Decimal {
    match eval(src) {
        Ok(Outcome::Known(Value::Number(x))) => x,
        other => panic!("{src}: {other:?}"),
    }
}

fn boolean(src: &str) -> bool {
    match eval(src) {
        Ok(Outcome::Known(Value::Bool(x))) => x,
        other => panic!("{src}: {other:?}"),
    }
}

fn known(x: &str) -> Result<Outcome, EvalError> {
    Ok(Outcome::Known(Value::Number(d(x))))
}

fn compile_err(src: &str, ty: Type) -> ExprError {
    match Expr::compile(src, &scope(), ty) {
        Err(e) => e,
        Ok(_) => panic!("{src} compiled"),
    }
}

/// Asserts the error's code and offset, that its message is Chinese, ends with the position
/// and contains every one of `parts`.
fn assert_err(src: &str, ty: Type, code: Code, offset: usize, parts: &[&str]) {
    let e = compile_err(src, ty);
    assert_eq!((e.code, e.offset), (code, offset), "{src}: {}", e.message);
    let position = format!("（第{}个字符）", offset + 1);
    assert!(e.message.ends_with(&position), "{src}: {}", e.message);
    assert!(
        e.message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{src}: {}",
        e.message
    );
    for p in parts {
        assert!(e.message.contains(p), "{src}: «{p}» not in {}", e.message);
    }
}

mod errors;
mod limits;

#[test]
fn literals_and_inputs() {
    assert_eq!(num("2.5"), d("2.5"));
    assert_eq!(num("100"), d("100"));
    assert_eq!(num("0.25"), d("0.25"));
    assert_eq!(num("007"), d("7"));
    assert_eq!(num("000.5"), d("0.5"));
    assert_eq!(num("-2"), d("-2"));
    assert_eq!(
        num("0.0000000000000000000000000001"),
        d("0.0000000000000000000000000001")
    );
    assert_eq!(num("1000000000000"), d("1000000000000"));
    assert_eq!(num("-1000000000000"), d("-1000000000000"));
    assert_eq!(num("a"), d("10"));
    assert!(boolean("true"));
    assert!(!boolean("false"));
    assert!(boolean("flag"));
    assert!(!boolean("off"));
}

#[test]
fn precedence() {
    assert_eq!(num("1 + 2 * 3"), d("7"));
    assert_eq!(num("(1 + 2) * 3"), d("9"));
    assert_eq!(num("2 * 3 + 4 * 5"), d("26"));
    assert_eq!(num("-2 * 3"), d("-6"));
    assert_eq!(num("-a + b"), d("-6"));
    assert_eq!(num("-(a + b)"), d("-14"));
    assert_eq!(num("--a"), d("10"));
    assert_eq!(num("- -a"), d("10"));
    assert_eq!(num("b / a * 100"), d("40"));
    assert_eq!(num("a - -b"), d("14"));
    assert!(boolean("true || false && false"));
    assert!(boolean("false && true || true"));
    assert!(!boolean("false && (true || true)"));
    assert!(boolean("1 + 2 < 4 && 3 * 2 >= 6"));
    assert!(boolean("!off && flag"));
    assert!(!boolean("!(a > b)"));
    assert!(boolean("!flag == false"));
    assert!(boolean("(a > b) == true"));
    assert!(boolean("flag == (a > b)"));
    assert!(boolean("a - b * 2 == 2"));
}

#[test]
fn associativity() {
    assert!(boolean("10 - 2 - 3 == 5"));
    assert!(boolean("8 / 4 / 2 == 1"));
    assert_eq!(num("100 - 10 + 5"), d("95"));
    assert_eq!(num("2 * 3 / 4"), d("1.5"));
    assert_eq!(num("1 / 3 * 3").round_dp(10), d("1"));
    assert!(boolean("off || off || flag"));
    assert!(!boolean("flag && flag && off"));
}

#[test]
fn decimal_comparisons_compare_values() {
    assert!(boolean("2.50 == 2.5"));
    assert!(!boolean("2.50 != 2.5"));
    assert!(boolean("a == 10.00"));
    assert!(boolean("a >= 10.000 && a <= 10"));
    assert!(boolean("a > b && b < a"));
    assert!(!boolean("a < 10"));
    assert!(boolean("0.1 + 0.2 == 0.3"));
    assert!(boolean("flag != off"));
    assert!(boolean("true == flag"));
}

#[test]
fn functions() {
    assert_eq!(num("min(a, b)"), d("4"));
    assert_eq!(num("min(a, b, 7)"), d("4"));
    assert_eq!(num("max(a, b, 7)"), d("10"));
    assert_eq!(num("max(1, 2, 3, 4, 5, 4, 3)"), d("5"));
    assert_eq!(num("min(5, 4, 3, 2, 1, 2)"), d("1"));
    assert_eq!(num("max(min(96 - b, 6), 0)"), d("6"));
    assert_eq!(num("abs(b - a)"), d("6"));
    assert_eq!(num("abs(a)"), d("10"));
    assert_eq!(num("floor(2.7)"), d("2"));
    assert_eq!(num("floor(-2.5)"), d("-3"));
    assert_eq!(num("ceil(2.1)"), d("3"));
    assert_eq!(num("ceil(-2.1)"), d("-2"));
    assert_eq!(num("round(2.345, 2)"), d("2.35"));
    assert_eq!(num("round(-2.345, 2)"), d("-2.35"));
    assert_eq!(num("round(2.5, 0)"), d("3"));
    assert_eq!(num("round(-2.5, 0)"), d("-3"));
    assert_eq!(num("round(2.4999, 0)"), d("2"));
    assert_eq!(num("round(b / 3, 4)"), d("1.3333"));
    assert_eq!(num("round(a, 28)"), d("10"));
    assert_eq!(num("round(1.25, 1.0)"), d("1.3"));
    assert_eq!(num("if(flag, 1, 2)"), d("1"));
    assert_eq!(num("if(off, 1, 2)"), d("2"));
    assert!(boolean("if(flag, off, flag) == false"));
    assert_eq!(num("if(a > b, if(off, 1, 2), 3)"), d("2"));
    assert_eq!(num("if(flag, 1, 2) + if(off, 10, 20)"), d("21"));
    assert_eq!(num("round(if(flag, 2.25, 0), 1)"), d("2.3"));
}

#[test]
fn batch_aggregates() {
    let b: &dyn Batch = &TestBatch;
    assert_eq!(eval_with("avg(a)", Some(b)), known("7.5"));
    assert_eq!(eval_with("sum(a)", Some(b)), known("30"));
    assert_eq!(eval_with("count()", Some(b)), known("4"));
    assert_eq!(eval_with("rank(a)", Some(b)), known("2"));
    assert_eq!(
        eval_with("a - avg(a) + count() * rank(a)", Some(b)),
        known("10.5")
    );
    assert_eq!(eval_with("avg(b)", Some(b)), Ok(Outcome::Undefined));
    assert_eq!(eval_with("sum( b )", Some(b)), Ok(Outcome::Undefined));
    assert_eq!(eval_with("rank(empty)", Some(b)), Ok(Outcome::Pending));
    assert_eq!(eval_with("rank((a))", Some(b)), known("2"));
    for src in ["avg(a)", "sum(a)", "count()", "rank(a)", "1 + count()"] {
        assert_eq!(eval(src), Ok(Outcome::Pending), "{src}");
    }
    // A branch not taken does not need the batch.
    assert_eq!(eval("if(flag, 1, avg(a))"), known("1"));
    let e = compile("avg(a) > 5 && count() > 1", Type::Bool);
    assert!(e.uses_batch());
    assert_eq!(e.inputs(), &[0]);
    assert!(!compile("a + 1", Type::Number).uses_batch());
}

#[test]
fn lazy_if() {
    assert_eq!(eval("a / (b - 4)"), Ok(Outcome::Undefined));
    assert_eq!(eval("if(b == 4, 100, a / (b - 4))"), known("100"));
    assert_eq!(eval("if(b != 4, a / (b - 4), 100)"), known("100"));
    assert_eq!(eval("if(b == 4, a / (b - 4), 100)"), Ok(Outcome::Undefined));
    assert_eq!(eval("if(flag, 1, empty)"), known("1"));
    assert_eq!(eval("if(off, empty, 2)"), known("2"));
    assert_eq!(eval("if(flag, empty, 2)"), Ok(Outcome::Pending));
    assert_eq!(eval("if(empty > 1, 1, 2)"), Ok(Outcome::Pending));
    assert_eq!(eval("if(flag, 1, big * 2)"), known("1"));
    assert_eq!(eval("if(flag, big * 2, 1)"), Err(EvalError::Overflow));
}

#[test]
fn short_circuits() {
    assert!(!boolean("off && a / zero > 1"));
    assert!(boolean("flag || a / zero > 1"));
    assert!(boolean("true || empty > 1"));
    assert!(!boolean("false && empty > 1"));
    assert!(!boolean("false && big * 2 > 1"));
    assert!(boolean("flag || unset"));
    assert!(!boolean("off && unset"));
    assert_eq!(eval("flag && a / zero > 1"), Ok(Outcome::Undefined));
    assert_eq!(eval("off || empty > 1"), Ok(Outcome::Pending));
    assert_eq!(eval("empty > 1 && false"), Ok(Outcome::Pending));
    assert_eq!(eval("unset || true"), Ok(Outcome::Pending));
    assert_eq!(eval("a / zero > 1 || true"), Ok(Outcome::Undefined));
    assert_eq!(eval("flag && big * 2 > 1"), Err(EvalError::Overflow));
    // A short-circuit in the middle of a chain skips only its own right side.
    assert!(boolean("off && unset || flag"));
    assert!(!boolean("(flag || unset) && off"));
}

#[test]
fn an_empty_input_makes_it_pending_whatever_the_order() {
    assert_eq!(eval("empty"), Ok(Outcome::Pending));
    assert_eq!(eval("empty + 1"), Ok(Outcome::Pending));
    assert_eq!(eval("-empty"), Ok(Outcome::Pending));
    assert_eq!(eval("abs(empty)"), Ok(Outcome::Pending));
    assert_eq!(eval("round(empty, 2)"), Ok(Outcome::Pending));
    assert_eq!(eval("!unset"), Ok(Outcome::Pending));
    assert_eq!(
        eval("far + 1"),
        Ok(Outcome::Pending),
        "index past the values"
    );
    assert_eq!(eval("empty + a / zero"), Ok(Outcome::Pending));
    assert_eq!(eval("a / zero + empty"), Ok(Outcome::Pending));
    assert_eq!(eval("min(a / zero, empty)"), Ok(Outcome::Pending));
    assert_eq!(eval("a / zero + 1"), Ok(Outcome::Undefined));
    assert_eq!(eval("a / zero * 0 + 1"), Ok(Outcome::Undefined));
    assert_eq!(eval("min(empty, a / zero)"), Ok(Outcome::Pending));
    assert_eq!(eval("max(1, 2, empty)"), Ok(Outcome::Pending));
    assert_eq!(eval("empty / zero"), Ok(Outcome::Pending));
    assert_eq!(eval("zero / zero"), Ok(Outcome::Undefined));
    assert_eq!(eval("0 / (zero * 0.000)"), Ok(Outcome::Undefined));
    assert_eq!(eval("empty + big * 2"), Ok(Outcome::Pending));
    assert_eq!(eval("big * 2 + empty"), Err(EvalError::Overflow));
    assert_eq!(eval("(a / zero > 1) == unset"), Ok(Outcome::Pending));
    assert_eq!(eval("unset == (a / zero > 1)"), Ok(Outcome::Pending));
}

#[test]
fn overflow_is_an_error() {
    for src in [
        "big * 2",
        "big + 1",
        "-big - 1",
        "big / 0.5",
        "big * big",
        "max(big + big, 0)",
        // Any computed result beyond ±10²⁰ is an overflow, so that every amount in a report
        // keeps its scale's places.
        "big - 1 + 1",
        "ceil(big / 10)",
        "10000000000 * 10000000000 + a / a",
        "-10000000000 * 10000000000 - a / a",
        "10000000000 * (10000000001 + zero)",
    ] {
        assert_eq!(eval(src), Err(EvalError::Overflow), "{src}");
    }
    assert_eq!(
        num("10000000000 * 10000000000 * 1"),
        d("100000000000000000000")
    );
    assert_eq!(num("10000000000 * 10000000000"), d("100000000000000000000"));
    // Operations that compute no new magnitude are exact on any value.
    assert_eq!(num("-big"), Decimal::MIN);
    assert_eq!(num("abs(-big)"), Decimal::MAX);
    assert_eq!(num("floor(big)"), Decimal::MAX);
    assert_eq!(num("round(big, 0)"), Decimal::MAX);
    assert_eq!(num("0.0000000000000000000000000001 / big"), Decimal::ZERO);
}

#[test]
fn choice_comparisons() {
    assert!(boolean("level == \"二级\""));
    assert!(!boolean("level == \"一级\""));
    assert!(boolean("level != \"一级\""));
    assert!(boolean("\"一级\" != level"));
    assert!(boolean("\"二级\" == level"));
    assert!(boolean("(level) == \"二级\""));
    assert!(boolean("level == \"无\" || level == \"二级\""));
    assert!(boolean("if(level == \"二级\", 5, 0) == 5"));
    let e = compile("level == \"一级\"", Type::Bool);
    assert_eq!(e.inputs(), &[3]);
    assert_eq!(e.single_input(), None);
    let empty_choice = vec![Some(Value::Number(d("1"))), None, None, None];
    assert_eq!(
        e.eval_bool(&Env {
            values: &empty_choice,
            ..Env::default()
        }),
        Ok(Outcome::Pending)
    );
    assert_err(
        "level == \"三级\"",
        Type::Bool,
        Code::ExprType,
        9,
        &["「三级」", "「level」", "\"一级\"、\"二级\"、\"无\""],
    );
    assert_err(
        "\"三级\" != level",
        Type::Bool,
        Code::ExprType,
        0,
        &["「三级」", "可选"],
    );
    assert_err(
        "none_choice == \"x\"",
        Type::Bool,
        Code::ExprType,
        15,
        &["（无）"],
    );
    assert_err(
        "level > \"一级\"",
        Type::Bool,
        Code::ExprType,
        6,
        &["「level」", "「>」"],
    );
    assert_err(
        "level == 1",
        Type::Bool,
        Code::ExprType,
        9,
        &["「level」", "「1」", "level == \"一级\""],
    );
    assert_err(
        "level == level",
        Type::Bool,
        Code::ExprType,
        9,
        &["选择类输入项"],
    );
    assert_err(
        "level + 1",
        Type::Number,
        Code::ExprType,
        0,
        &["「level」", "选择类输入项"],
    );
    assert_err(
        "level",
        Type::Bool,
        Code::ExprType,
        0,
        &["「level」", "选择类输入项"],
    );
    assert_err("!level", Type::Bool, Code::ExprType, 1, &["「level」"]);
    assert_err(
        "\"一级\" == \"一级\"",
        Type::Bool,
        Code::ExprType,
        0,
        &["带引号的字符串"],
    );
    assert_err(
        "flag == \"一级\"",
        Type::Bool,
        Code::ExprType,
        8,
        &["「\"一级\"」", "选择类输入项"],
    );
    assert_err(
        "a == \"一级\"",
        Type::Bool,
        Code::ExprType,
        5,
        &["带引号的字符串"],
    );
    assert_err("\"一级\"", Type::Bool, Code::ExprType, 0, &["字符串"]);
    assert_err(
        "if(flag, level, level) == \"一级\"",
        Type::Bool,
        Code::ExprType,
        9,
        &["「level」"],
    );
}

#[test]
fn metadata() {
    let e = compile("b / a * 100 + avg(b) + b", Type::Number);
    assert_eq!(e.inputs(), &[0, 1]);
    assert!(e.uses_batch());
    assert_eq!(e.single_input(), None);
    assert_eq!(e.ty(), Type::Number);
    assert_eq!(e.source(), "b / a * 100 + avg(b) + b");
    assert_eq!(compile("a", Type::Number).single_input(), Some(0));
    assert_eq!(compile(" ( a ) ", Type::Number).single_input(), Some(0));
    assert_eq!(compile("off", Type::Bool).single_input(), Some(6));
    assert_eq!(compile("-a", Type::Number).single_input(), None);
    assert_eq!(compile("a + 0", Type::Number).single_input(), None);
    assert_eq!(compile("flag", Type::Bool).ty(), Type::Bool);
    // Inputs of branches that may be skipped count too.
    let e = compile(
        "if(flag, empty > 1, level == \"无\") || off || flag",
        Type::Bool,
    );
    assert_eq!(e.inputs(), &[2, 3, 5, 6]);
    let lits: Vec<Decimal> = compile("a > -2 && b < 3.5 && round(a, 2) > 0", Type::Bool)
        .literals()
        .collect();
    assert_eq!(lits, vec![d("-2"), d("3.5"), d("0")]);
}
