//! The limits on an expression's length, depth and stack, and that nothing recurses or panics
//! (a deterministic token-soup fuzz).

use super::*;

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
