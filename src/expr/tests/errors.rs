//! Expressions that do not compile: every error's code, position and Chinese message.

use super::*;

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
}

#[test]
fn type_errors_name_the_argument_or_the_expression() {
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
