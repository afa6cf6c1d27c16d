//! The expression language's tests: compiling, type errors with their positions, evaluation.

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
fn what_fails_on_every_evaluation_does_not_compile() {
    // A division by a constant zero: undefined whatever the values.
    assert_err(
        "a / 0",
        Type::Number,
        Code::ExprDivZero,
        4,
        &["「0」", "「a / 0」"],
    );
    assert_err(
        "a / (1 - 1)",
        Type::Number,
        Code::ExprDivZero,
        4,
        &["「(1 - 1)」"],
    );
    assert_err(
        "a / -0.0",
        Type::Number,
        Code::ExprDivZero,
        4,
        &["「-0.0」"],
    );
    assert_err(
        "if(flag, 1 / 0, 2)",
        Type::Number,
        Code::ExprDivZero,
        13,
        &[],
    );
    assert_err("off && a / 0 > 1", Type::Bool, Code::ExprDivZero, 11, &[]);
    assert_err("a / min(0, 5)", Type::Number, Code::ExprDivZero, 4, &[]);
    assert_err(
        "a / round(0.004, 2)",
        Type::Number,
        Code::ExprDivZero,
        4,
        &[],
    );
    assert_err(
        "a / if(true, 0, 1)",
        Type::Number,
        Code::ExprDivZero,
        4,
        &[],
    );
    // A constant beyond the bound of computed values: an overflow whatever the values.
    assert_err(
        "1000000000000*1000000000000*a",
        Type::Number,
        Code::ExprOverflow,
        0,
        &["「1000000000000*1000000000000」", "10²⁰"],
    );
    assert_err(
        "a + 10000000000 * 10000000001",
        Type::Number,
        Code::ExprOverflow,
        4,
        &[],
    );
    assert_err(
        "a * (1 + max(1000000000000, 2) * -1000000000000 - 1)",
        Type::Number,
        Code::ExprOverflow,
        9,
        &["「max(1000000000000, 2) * -1"],
    );
    assert_err(
        "1 / 0.00000000001 / 0.0000000001 > a",
        Type::Bool,
        Code::ExprOverflow,
        0,
        &[],
    );
    // What can succeed still compiles: a divisor that depends on a value, the bound itself.
    for ok in [
        "a / zero",
        "a / (b - 4)",
        "a / 0.5",
        "10000000000 * 10000000000 * a",
        "-10000000000 * 10000000000",
        "a * 1000000000000 * 1000000000000",
        "if(a > 1, a / 2, 0)",
    ] {
        assert!(Expr::compile(ok, &scope(), Type::Number).is_ok(), "{ok}");
    }
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
fn text_inputs_are_refused() {
    assert_err(
        "remark",
        Type::Bool,
        Code::ExprType,
        0,
        &["「remark」", "文本类输入不参与计分"],
    );
    assert_err(
        "remark == \"x\"",
        Type::Bool,
        Code::ExprType,
        0,
        &["文本类输入不参与计分"],
    );
    assert_err(
        "a + remark",
        Type::Number,
        Code::ExprType,
        4,
        &["文本类输入不参与计分"],
    );
    assert_err(
        "avg(remark)",
        Type::Number,
        Code::ExprType,
        4,
        &["文本类输入不参与计分"],
    );
}

#[test]
fn unknown_ids_and_functions() {
    assert_err(
        "a + c",
        Type::Number,
        Code::ExprUnknownId,
        4,
        &["未定义的输入项「c」"],
    );
    assert_err(
        "!plan_mad",
        Type::Bool,
        Code::ExprUnknownId,
        1,
        &["「plan_mad」"],
    );
    assert_err(
        "foo(a)",
        Type::Number,
        Code::ExprUnknownId,
        0,
        &["未知函数「foo」", "round"],
    );
    assert_err(
        "avg(nothing)",
        Type::Number,
        Code::ExprUnknownId,
        4,
        &["「nothing」"],
    );
    // Reserved words are never looked up, even when the scope has an input of that name.
    assert_err(
        "min + 1",
        Type::Number,
        Code::ExprSyntax,
        0,
        &["「min」", "min(…)"],
    );
    assert_err("if", Type::Number, Code::ExprSyntax, 0, &["「if」"]);
    assert_err(
        "true(1)",
        Type::Bool,
        Code::ExprSyntax,
        0,
        &["「true」", "不是函数"],
    );
    assert!(boolean("true"));
}

#[test]
fn arity() {
    for (src, parts) in [
        ("max(a)", &["max()", "至少2个", "实有1个"][..]),
        ("min()", &["min()", "实有0个"]),
        ("abs(a, b)", &["abs()", "1个", "实有2个"]),
        ("floor()", &["floor()"]),
        ("ceil(1, 2)", &["ceil()"]),
        ("round(a)", &["round()", "2个", "实有1个"]),
        ("round(a, 1, 2)", &["round()", "实有3个"]),
        ("if(flag, 1)", &["if()", "3个", "实有2个"]),
        ("if(flag, 1, 2, 3)", &["if()", "实有4个"]),
        ("if()", &["if()", "实有0个"]),
        ("count(a)", &["count()", "实有1个"]),
        ("avg()", &["avg()", "实有0个"]),
        ("sum(a, b)", &["sum()", "实有2个"]),
        ("rank()", &["rank()"]),
    ] {
        assert_err(src, Type::Number, Code::ExprArity, 0, parts);
    }
    assert_err(
        "1 + max(4 - a)",
        Type::Number,
        Code::ExprArity,
        4,
        &["max()"],
    );
}

#[test]
fn type_errors_name_the_operand() {
    assert_err(
        "flag * 2",
        Type::Number,
        Code::ExprType,
        0,
        &["「*」左边", "「flag」", "条件（真/假）"],
    );
    assert_err(
        "2 * flag",
        Type::Number,
        Code::ExprType,
        4,
        &["「*」右边", "「flag」"],
    );
    assert_err(
        "a + flag",
        Type::Number,
        Code::ExprType,
        4,
        &["「+」右边", "「flag」"],
    );
    assert_err(
        "(a > 1) - 1",
        Type::Number,
        Code::ExprType,
        0,
        &["「(a > 1)」"],
    );
    assert_err(
        "-flag",
        Type::Number,
        Code::ExprType,
        1,
        &["负号", "「flag」"],
    );
    assert_err(
        "!a",
        Type::Bool,
        Code::ExprType,
        1,
        &["取反「!」", "「a」", "数值"],
    );
    assert_err(
        "a && flag",
        Type::Bool,
        Code::ExprType,
        0,
        &["「&&」左边", "「a」"],
    );
    assert_err(
        "flag || a",
        Type::Bool,
        Code::ExprType,
        8,
        &["「||」右边", "「a」"],
    );
    assert_err(
        "if(a, 1, 2)",
        Type::Number,
        Code::ExprType,
        3,
        &["if()", "条件", "「a」"],
    );
    assert_err(
        "if(flag, 1, true)",
        Type::Number,
        Code::ExprType,
        12,
        &["分支", "「1」", "「true」"],
    );
    assert_err(
        "abs(flag)",
        Type::Number,
        Code::ExprType,
        4,
        &["abs()", "「flag」"],
    );
    assert_err(
        "min(1, flag)",
        Type::Number,
        Code::ExprType,
        7,
        &["第2个参数", "「flag」"],
    );
    assert_err(
        "round(flag, 1)",
        Type::Number,
        Code::ExprType,
        6,
        &["「flag」"],
    );
    assert_err(
        "round(a, b)",
        Type::Number,
        Code::ExprType,
        9,
        &["0到28", "「b」"],
    );
    assert_err("round(a, 29)", Type::Number, Code::ExprType, 9, &["「29」"]);
    assert_err(
        "round(a, 1.5)",
        Type::Number,
        Code::ExprType,
        9,
        &["「1.5」"],
    );
    assert_err("round(a, -1)", Type::Number, Code::ExprType, 9, &["「-1」"]);
    assert_err(
        "round(a, 1 + 1)",
        Type::Number,
        Code::ExprType,
        9,
        &["「1 + 1」"],
    );
    assert_err(
        "flag < 1",
        Type::Bool,
        Code::ExprType,
        0,
        &["「<」", "「flag」"],
    );
    assert_err(
        "flag > off",
        Type::Bool,
        Code::ExprType,
        0,
        &["「>」", "「flag」"],
    );
    assert_err(
        "a == flag",
        Type::Bool,
        Code::ExprType,
        2,
        &["两边类型不一致", "「a」", "「flag」"],
    );
    assert_err(
        "avg(flag)",
        Type::Number,
        Code::ExprType,
        4,
        &["avg()", "「flag」", "数值类输入项"],
    );
    assert_err(
        "sum(level)",
        Type::Number,
        Code::ExprType,
        4,
        &["「level」"],
    );
    assert_err(
        "avg(a + 1)",
        Type::Number,
        Code::ExprSyntax,
        4,
        &["avg()", "「a + 1」"],
    );
    assert_err(
        "rank(1)",
        Type::Number,
        Code::ExprSyntax,
        5,
        &["rank()", "id"],
    );
    // The expected type of the whole expression.
    assert_err(
        "a",
        Type::Bool,
        Code::ExprType,
        0,
        &["此处需要条件（真/假）表达式", "「a」是数值表达式"],
    );
    assert_err(
        " a > 1 ",
        Type::Number,
        Code::ExprType,
        1,
        &["此处需要数值表达式，但「a > 1」是条件（真/假）表达式"],
    );
    let long = format!("{} > 1", "a + ".repeat(20) + "a");
    let e = compile_err(&long, Type::Number);
    assert!(e.message.contains("…」"), "{}", e.message);
}

#[test]
fn syntax_errors_with_offsets() {
    let cases: &[(&str, usize, &[&str])] = &[
        ("a +", 3, &["缺少"]),
        ("(a + 1", 0, &["右括号"]),
        ("max(4 - a, 0", 12, &["max() 的右括号", "表达式结尾"]),
        ("(a + 1 2)", 7, &["右括号", "「2」"]),
        ("a = 1", 2, &["「==」"]),
        ("a & b", 2, &["「&&」"]),
        ("a | b", 2, &["「||」"]),
        ("a $ 1", 2, &["「$」"]),
        ("1.", 1, &["小数点"]),
        ("1.2.3", 3, &["小数点"]),
        (".5", 0, &["0.5"]),
        ("2a", 1, &["「a」"]),
        ("1e5", 1, &["科学计数法"]),
        ("a b", 2, &["多余的「b」", "运算符"]),
        ("a)", 1, &["多余的「)」"]),
        ("a + )", 4, &["「)」"]),
        ("a < b < 3", 6, &["连写"]),
        ("a == b != 3", 7, &["连写"]),
        ("\"abc", 0, &["引号"]),
        ("'一级'", 0, &["双引号"]),
        ("（a）", 0, &["「（」", "「(」"]),
        ("a ＋ b", 2, &["「＋」", "「+」"]),
        ("min(a，b)", 5, &["「，」", "「,」"]),
        ("安全 > 1", 0, &["「安」", "id"]),
        ("min(a,)", 6, &["「)」"]),
        ("min(,a)", 4, &["「,」"]),
        (",", 0, &["「,」"]),
        ("flag && || off", 8, &["「||」"]),
        ("123456789012345678901234567890", 0, &["10¹²"]),
        ("0.000000000000000000000000000001", 0, &["小数位数过多"]),
        ("0.00000000000000000000000000001", 0, &["28位"]),
        ("1.00000000000000000000000000000", 0, &["28位"]),
    ];
    for (src, offset, parts) in cases {
        assert_err(src, Type::Number, Code::ExprSyntax, *offset, parts);
    }
    // Literals keep to the bound of every other decimal in a rule set (10¹²).
    for src in [
        "1000000000000.01",
        "79228162514264337593543950335",
        "-(0 + 2000000000000)",
    ] {
        let offset = src
            .find(|c: char| c.is_ascii_digit() && c != '0')
            .unwrap_or(0);
        assert_err(
            src,
            Type::Number,
            Code::ExprSyntax,
            offset,
            &["超出可接受范围", "10¹²"],
        );
    }
    let huge = "9".repeat(1500);
    assert_err(
        &huge,
        Type::Number,
        Code::ExprSyntax,
        0,
        &["「999999999999999999999999999999…」"],
    );
}

#[test]
fn empty_sources() {
    for src in ["", "   ", "\u{3000}\u{3000}", "\n\t"] {
        assert_err(src, Type::Number, Code::ExprEmpty, 0, &["为空"]);
    }
}

#[test]
fn whitespace_including_full_width_space() {
    assert_eq!(num("a\u{3000}+\u{3000}b"), d("14"));
    assert_eq!(num("\u{3000}max(\u{3000}a ,\tb\n)\u{3000}"), d("10"));
    assert!(boolean("level\u{3000}==\u{3000}\"二级\""));
    assert_eq!(num(" - a "), d("-10"));
    // The string keeps its inner spaces.
    assert_err(
        "level == \" 二级\"",
        Type::Bool,
        Code::ExprType,
        9,
        &["「 二级」"],
    );
    // Offsets count characters, not bytes.
    assert_err(
        "\u{3000}\u{3000}a + c",
        Type::Number,
        Code::ExprUnknownId,
        6,
        &["「c」"],
    );
}

#[test]
fn length_limit_counts_characters() {
    let ok = "1".to_string() + &"+1".repeat(999) + " ";
    assert_eq!(ok.chars().count(), 2000);
    assert_eq!(num(&ok), d("1000"));
    let wide = "\u{3000}".repeat(1999) + "a";
    assert_eq!(wide.chars().count(), 2000);
    assert!(wide.len() > 2000);
    assert_eq!(num(&wide), d("10"));
    let long = ok + "1";
    assert_err(
        &long,
        Type::Number,
        Code::ExprTooLong,
        2000,
        &["2001", "2000"],
    );
    let huge = "(".repeat(200_000) + "a" + &")".repeat(200_000);
    assert_err(&huge, Type::Number, Code::ExprTooLong, 2000, &["400001"]);
}

#[test]
fn depth_limit() {
    let nest = |open: &str, inner: &str, close: &str, n: usize| {
        format!("{}{inner}{}", open.repeat(n), close.repeat(n))
    };
    // 32 levels of each kind are fine; the 33rd is refused where it opens.
    for (open, inner, close, ty, width) in [
        ("(", "a", ")", Type::Number, 1),
        ("!", "flag", "", Type::Bool, 1),
        ("-", "a", "", Type::Number, 1),
        ("abs(", "a", ")", Type::Number, 4),
        ("-(", "a", ")", Type::Number, 2),
        ("if(flag,", "a", ",0)", Type::Number, 8),
    ] {
        // `-(` opens two levels at once.
        let per = if open == "-(" { 2 } else { 1 };
        let ok = nest(open, inner, close, 32 / per);
        assert!(Expr::compile(&ok, &scope(), ty).is_ok(), "{ok}");
        let bad = nest(open, inner, close, 32 / per + 1);
        let e = compile_err(&bad, ty);
        assert_eq!(e.code, Code::ExprTooDeep, "{bad}");
        assert_eq!(e.offset, 32 / per * width, "{bad}: {}", e.message);
        assert!(e.message.contains("32层"), "{}", e.message);
    }
    // Levels of different kinds add up.
    let mixed = "!(".repeat(8) + &"-abs(".repeat(8) + "a" + &")".repeat(8) + " > 1";
    let mixed = mixed + &")".repeat(8);
    assert!(
        Expr::compile(&mixed, &scope(), Type::Bool).is_ok(),
        "{mixed}"
    );
    let e = compile_err(&format!("({mixed})"), Type::Bool);
    // `(`, eight `!(`, seven `-abs(`, then `-` is the 32nd level and `abs` the 33rd.
    assert_eq!(
        (e.code, e.offset),
        (Code::ExprTooDeep, 1 + 16 + 35 + 1),
        "{}",
        e.message
    );
}

#[test]
fn depth_limit_holds_without_length_limit() {
    for depth in [33, 1000, 100_000] {
        for (src, ty) in [
            (
                format!("{}a{}", "(".repeat(depth), ")".repeat(depth)),
                Type::Number,
            ),
            (format!("{}a", "(".repeat(depth)), Type::Number),
            (format!("{}flag", "!".repeat(depth)), Type::Bool),
            (format!("{}a", "-".repeat(depth)), Type::Number),
            (format!("{}a", "- ".repeat(depth)), Type::Number),
            (
                format!("{}a{}", "abs(".repeat(depth), ")".repeat(depth)),
                Type::Number,
            ),
            (
                format!("{}a{}", "min(1,".repeat(depth), ")".repeat(depth)),
                Type::Number,
            ),
            (format!("{}a$", "(".repeat(depth)), Type::Number),
        ] {
            let r = Expr::compile_limited(&src, &scope(), ty, usize::MAX, MAX_DEPTH, None);
            let e = r.err();
            assert_eq!(
                e.as_ref().map(|e| e.code),
                Some(Code::ExprTooDeep),
                "depth {depth}"
            );
        }
    }
}

#[test]
fn long_operator_chains_do_not_recurse() {
    let n = 100_000;
    let sum = "a".to_string() + &"+a".repeat(n - 1);
    let e = Expr::compile_limited(&sum, &scope(), Type::Number, usize::MAX, MAX_DEPTH, None);
    let v = values();
    let env = Env {
        values: &v,
        ..Env::default()
    };
    assert_eq!(
        e.map(|e| e.eval_number(&env)).ok(),
        Some(Ok(Outcome::Known(d("1000000"))))
    );
    let and = "flag".to_string() + &"&&flag".repeat(n - 1) + "&&off";
    let e = Expr::compile_limited(&and, &scope(), Type::Bool, usize::MAX, MAX_DEPTH, None);
    assert_eq!(
        e.map(|e| e.eval_bool(&env)).ok(),
        Some(Ok(Outcome::Known(false)))
    );
    let or = "off".to_string() + &"||off".repeat(n - 1) + "||a>1";
    let e = Expr::compile_limited(&or, &scope(), Type::Bool, usize::MAX, MAX_DEPTH, None);
    assert_eq!(
        e.map(|e| e.eval_bool(&env)).ok(),
        Some(Ok(Outcome::Known(true)))
    );
    let args = "max(".to_string() + &"1,".repeat(n) + "a)";
    let e = Expr::compile_limited(&args, &scope(), Type::Number, usize::MAX, MAX_DEPTH, None);
    assert_eq!(
        e.map(|e| e.eval_number(&env)).ok(),
        Some(Ok(Outcome::Known(d("10"))))
    );
}

#[test]
fn deepest_stack_fits() {
    // Each level keeps a comparison, a sum, a product and a `min` accumulator waiting.
    let mut src = "a".to_string();
    for _ in 0..16 {
        src = format!("if(1 < 2 + 3 * min(1, {src}), 1, 2)");
    }
    let e = compile(&src, Type::Number);
    assert!(
        e.max_stack > 32 && e.max_stack <= MAX_STACK,
        "{}",
        e.max_stack
    );
    assert_eq!(num(&src), d("1"));
    let mut src = "a".to_string();
    for _ in 0..31 {
        src = format!("(1 + 2 * {src})");
    }
    let e = compile(&src, Type::Number);
    assert!(
        e.max_stack >= 62 && e.max_stack <= MAX_STACK,
        "{}",
        e.max_stack
    );
    assert_eq!(num(&src), d("23622320127"));
    // With the depth limit lifted, the stack check still guards the evaluator.
    let src = format!("{}a{}", "(1+2*".repeat(300), ")".repeat(300));
    let lifted = Expr::compile_limited(&src, &scope(), Type::Number, usize::MAX, usize::MAX, None);
    assert_eq!(lifted.err().map(|e| e.code), Some(Code::ExprTooDeep));
}

#[test]
fn parsing_and_evaluating_never_recurse() {
    // With the depth limit lifted, 100,000 levels still compile and run on a small stack.
    let ok = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(|| {
            let n = 100_000;
            let v = values();
            let env = Env {
                values: &v,
                ..Env::default()
            };
            let run = |src: String, ty| {
                Expr::compile_limited(&src, &scope(), ty, usize::MAX, usize::MAX, None)
                    .ok()
                    .map(|e| e.eval(&env))
            };
            [
                run(format!("{}a{}", "(".repeat(n), ")".repeat(n)), Type::Number)
                    == Some(known("10")),
                run(format!("{}a", "-".repeat(n)), Type::Number) == Some(known("10")),
                run(format!("{}flag", "!".repeat(n)), Type::Bool)
                    == Some(Ok(Outcome::Known(Value::Bool(true)))),
                run(
                    format!("{}a{}", "abs(".repeat(n), ")".repeat(n)),
                    Type::Number,
                ) == Some(known("10")),
                run(
                    format!("{}a{}", "if(flag,".repeat(n), ",0)".repeat(n)),
                    Type::Number,
                ) == Some(known("10")),
            ]
        })
        .map(|t| t.join());
    assert!(
        matches!(ok, Ok(Ok([true, true, true, true, true]))),
        "{ok:?}"
    );
}

#[test]
fn compiling_the_deepest_expressions_needs_little_stack() {
    let deepest = [
        format!("{}a{}", "(1 + 2 * ".repeat(32), ")".repeat(32)),
        format!(
            "{}a{}",
            "if(1 < 2 + 3 * min(1, ".repeat(16),
            "), 1, 2)".repeat(16)
        ),
        format!("{}a", "-".repeat(32)),
        format!("{}(a > 1)", "!".repeat(31)),
    ];
    let ok = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || {
            let v = values();
            let env = Env {
                values: &v,
                ..Env::default()
            };
            deepest.iter().all(|src| {
                [Type::Number, Type::Bool].iter().any(|ty| {
                    Expr::compile(src, &scope(), *ty)
                        .is_ok_and(|e| matches!(e.eval(&env), Ok(Outcome::Known(_))))
                })
            })
        })
        .map(|t| t.join());
    assert!(matches!(ok, Ok(Ok(true))));
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

#[test]
fn typed_evaluation_never_panics_on_odd_environments() {
    let e = compile("a + 1", Type::Number);
    let odd = [Some(Value::Bool(true))];
    let env = Env {
        values: &odd,
        ..Env::default()
    };
    assert_eq!(e.eval_number(&env), Ok(Outcome::Undefined));
    assert_eq!(e.eval_bool(&env), Ok(Outcome::Undefined));
    let none: [Option<Value>; 0] = [];
    let env = Env {
        values: &none,
        ..Env::default()
    };
    assert_eq!(e.eval_number(&env), Ok(Outcome::Pending));
    let v = values();
    let env = Env {
        values: &v,
        ..Env::default()
    };
    assert_eq!(e.eval_number(&env), Ok(Outcome::Known(d("11"))));
    assert_eq!(e.eval_bool(&env), Ok(Outcome::Undefined));
    let b = compile("level == \"一级\"", Type::Bool);
    let wrong = [None, None, None, Some(Value::Number(d("1")))];
    assert_eq!(
        b.eval_bool(&Env {
            values: &wrong,
            ..Env::default()
        }),
        Ok(Outcome::Undefined)
    );
    assert_eq!(b.eval_bool(&env), Ok(Outcome::Known(false)));
    assert_eq!(b.eval_number(&env), Ok(Outcome::Undefined));
}

#[test]
fn errors_are_chinese_and_positioned() {
    for (src, ty) in [
        ("a +", Type::Number),
        ("flag * 2", Type::Number),
        ("max(a)", Type::Number),
        ("zz", Type::Number),
        ("", Type::Bool),
        ("a", Type::Bool),
    ] {
        let e = compile_err(src, ty);
        assert!(
            e.message.contains("第") && e.message.contains("个字符"),
            "{}",
            e.message
        );
        assert!(
            e.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        );
    }
}

/// A deterministic fuzz: random token soup never panics the compiler, and whatever compiles
/// evaluates without panicking, with and without a batch.
#[test]
fn fuzz_never_panics() {
    let pieces = [
        "a",
        "b",
        "flag",
        "off",
        "level",
        "remark",
        "empty",
        "big",
        "zero",
        "unset",
        "far",
        "1",
        "0",
        "2.5",
        "79228162514264337593543950335",
        "0.0000000000000000000000000001",
        "true",
        "false",
        "\"一级\"",
        "\"二级\"",
        "(",
        ")",
        ",",
        "+",
        "-",
        "*",
        "/",
        "!",
        "<",
        "<=",
        ">",
        ">=",
        "==",
        "!=",
        "&&",
        "||",
        "if(",
        "min(",
        "max(",
        "abs(",
        "floor(",
        "ceil(",
        "round(",
        "avg(",
        "sum(",
        "count(",
        "rank(",
        " ",
        "\u{3000}",
        "$",
        "（",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % (n as u64)).unwrap_or(0)
    };
    let v = values();
    let batch: &dyn Batch = &TestBatch;
    let mut compiled = 0;
    for _ in 0..20_000 {
        let len = 1 + next(12);
        let src: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
        for ty in [Type::Number, Type::Bool] {
            match Expr::compile(&src, &scope(), ty) {
                Ok(e) => {
                    compiled += 1;
                    assert_eq!(e.ty(), ty);
                    for b in [None, Some(batch)] {
                        let env = Env {
                            values: &v,
                            batch: b,
                            ..Env::default()
                        };
                        let _ = e.eval(&env);
                        let _ = e.eval_number(&env);
                        let _ = e.eval_bool(&env);
                    }
                }
                Err(e) => {
                    assert!(
                        e.message
                            .ends_with(&format!("（第{}个字符）", e.offset + 1))
                    );
                    assert!(e.offset <= src.chars().count(), "{src}: {}", e.message);
                }
            }
        }
    }
    assert!(compiled > 100, "{compiled}");
}
