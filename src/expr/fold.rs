//! Constant folding for the compiler: the value of every constant sub-expression (literals and
//! operations on them), so that what would fail on every evaluation is refused when the rule set
//! loads: a division by a constant zero, a constant beyond the bound of computed values. The code
//! the compiler emits is not changed. A list function's value depends on the rows and is never a
//! constant; its row expression is folded like any other as it is parsed.

use super::lexer::Sym;
use super::{Func, Value};
use rust_decimal::Decimal;

/// Why a constant operation fails on every evaluation.
pub(super) enum Fails {
    /// A division by a constant zero (whatever the left side).
    DivZero,
    /// A constant result beyond the bound of computed values.
    Overflow,
}

/// `-x` or `!x` of a constant.
pub(super) fn unary(neg: bool, x: Option<Value>) -> Option<Value> {
    match x? {
        Value::Number(d) if neg => Some(Value::Number(crate::decimal::negate(d))),
        Value::Bool(b) if !neg => Some(Value::Bool(!b)),
        _ => None,
    }
}

/// `x && y` or `x || y` of two constants.
pub(super) fn logic(and: bool, x: Option<Value>, y: Option<Value>) -> Option<Value> {
    match (x?, y?) {
        (Value::Bool(a), Value::Bool(b)) => Some(Value::Bool(if and { a && b } else { a || b })),
        _ => None,
    }
}

/// `x sym y` (`+ - * /`): its value when both are constants, or why it fails on every
/// evaluation (a division by a constant zero needs only the right side).
pub(super) fn arith(sym: Sym, x: Option<Value>, y: Option<Value>) -> Result<Option<Value>, Fails> {
    let Some(Value::Number(y)) = y else {
        return Ok(None);
    };
    if sym == Sym::Slash && y.is_zero() {
        return Err(Fails::DivZero);
    }
    let Some(Value::Number(x)) = x else {
        return Ok(None);
    };
    match sym {
        Sym::Plus => x.checked_add(y),
        Sym::Minus => x.checked_sub(y),
        Sym::Star => x.checked_mul(y),
        _ => x.checked_div(y),
    }
    .and_then(crate::decimal::bounded)
    .map(|v| Some(Value::Number(v)))
    .ok_or(Fails::Overflow)
}

/// The value of a comparison of two constants.
pub(super) fn compare(sym: Sym, left: Option<Value>, right: Option<Value>) -> Option<Value> {
    let b = match (left?, right?) {
        (Value::Number(x), Value::Number(y)) => match sym {
            Sym::Lt => x < y,
            Sym::Le => x <= y,
            Sym::Gt => x > y,
            Sym::Ge => x >= y,
            Sym::EqEq => x == y,
            _ => x != y,
        },
        (Value::Bool(x), Value::Bool(y)) => (x == y) == (sym == Sym::EqEq),
        _ => return None,
    };
    Some(Value::Bool(b))
}

/// The value of a call whose arguments are constants (none for the batch aggregates). The
/// functions compute no new magnitude, so none of them can overflow.
pub(super) fn call(func: Func, args: &[Option<Value>]) -> Option<Value> {
    let number = |a: &Option<Value>| match a {
        Some(Value::Number(d)) => Some(*d),
        _ => None,
    };
    let d = match (func, args) {
        (Func::If, [c, a, b]) => {
            return match (*c)? {
                Value::Bool(true) => *a,
                _ => *b,
            };
        }
        (Func::Min | Func::Max, [first, rest @ ..]) => {
            let mut m = number(first)?;
            for a in rest {
                let x = number(a)?;
                if (func == Func::Min && x < m) || (func == Func::Max && x > m) {
                    m = x;
                }
            }
            m
        }
        (Func::Abs, [x]) => number(x)?.abs(),
        (Func::Floor, [x]) => number(x)?.floor(),
        (Func::Ceil, [x]) => number(x)?.ceil(),
        (Func::Round, [x, places]) => {
            let places = number(places)?;
            let places = (0..=28u32).find(|k| Decimal::from(*k) == places)?;
            number(x)?.round_dp_with_strategy(
                places,
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            )
        }
        _ => return None,
    };
    Some(Value::Number(d))
}
