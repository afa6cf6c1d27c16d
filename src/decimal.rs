//! Exact decimals: reading them from JSON text and writing them at a fixed scale.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

/// Largest magnitude of any value the engine computes (10²⁰). Beyond it a calculation is an
/// overflow error: every computed amount then still has room for its `scale`'s places within a
/// `Decimal`'s 28 digits, so no figure in a report is ever shown with fewer places than promised.
#[allow(
    dead_code,
    reason = "the bound as a value, for the docs and tests; `bounded` checks it by its exponent"
)]
pub const MAX_COMPUTED: Decimal = Decimal::from_parts(1_661_992_960, 1_808_227_885, 5, false, 0);

/// `Some(d)` when `d` is within ±[`MAX_COMPUTED`].
pub(crate) fn bounded(d: Decimal) -> Option<Decimal> {
    at_most_ten_to(d, 20).then_some(d)
}

/// 10^k for every k whose power fits in a `u128` (k ≤ 38). A table: `u128::checked_pow` multiplies
/// step by step, and in WebAssembly each 128-bit multiplication is a call (`__multi3`), which made
/// the bound check a sixth of a live form's change in Node.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "evaluated at compile time: an index or overflow mistake is a build error, not a panic"
)]
const POWERS_OF_TEN: [u128; 39] = {
    let mut table = [1u128; 39];
    let mut k = 1;
    while k < 39 {
        table[k] = table[k - 1] * 10;
        k += 1;
    }
    table
};

/// Whether |d| ≤ 10^`exponent`: |mantissa| ≤ 10^(exponent + scale), an integer comparison where
/// comparing decimals rescales one of them (a tenth of the checked steps' cost). A power beyond
/// `u128` exceeds every 96-bit mantissa.
fn at_most_ten_to(d: Decimal, exponent: u32) -> bool {
    let k = usize::try_from(d.scale().saturating_add(exponent)).unwrap_or(usize::MAX);
    POWERS_OF_TEN
        .get(k)
        .is_none_or(|l| d.mantissa().unsigned_abs() <= *l)
}

// Checked arithmetic within ±[`MAX_COMPUTED`], kept out of line: rust_decimal's operations are
// inlined wherever they are called, a kilobyte or more of wasm each, so the engine calls these.

/// `a + b`, or `None` beyond ±[`MAX_COMPUTED`].
#[inline(never)]
pub(crate) fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b).and_then(bounded)
}

/// `a − b`, or `None` beyond ±[`MAX_COMPUTED`].
#[inline(never)]
pub(crate) fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_sub(b).and_then(bounded)
}

/// `a × b`, or `None` beyond ±[`MAX_COMPUTED`].
#[inline(never)]
pub(crate) fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b).and_then(bounded)
}

/// `a ÷ b`, or `None` when `b` is zero or the quotient is beyond ±[`MAX_COMPUTED`].
#[inline(never)]
pub(crate) fn div(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_div(b).and_then(bounded)
}

/// Longest decimal literal accepted (sign, digits, point and exponent included).
const MAX_LITERAL: usize = 64;

/// Largest magnitude accepted for any decimal in a rule set or submission (10¹²). Keeping inputs this
/// small means sums and products of rule constants cannot overflow; values computed from them are
/// still checked.
pub const MAX_MAGNITUDE: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// Parses a decimal from its literal text: `-12.50`, `1e3`. No binary float is ever involved.
/// Values beyond [`MAX_MAGNITUDE`] or with more than 28 significant digits are refused.
///
/// ```
/// assert_eq!(kpi_wasm::parse_decimal("2.50").map(|d| d.to_string()), Some("2.50".into()));
/// assert_eq!(kpi_wasm::parse_decimal("1e3").map(|d| d.to_string()), Some("1000".into()));
/// assert_eq!(kpi_wasm::parse_decimal("1_000"), None);
/// ```
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    if text.is_empty() || text.len() > MAX_LITERAL || !is_decimal_literal(text) {
        return None;
    }
    let d = if let Some(d) = parse_short(text) {
        d
    } else if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()?
    } else {
        Decimal::from_str_exact(text).ok()?
    };
    if !at_most_ten_to(d, 12) {
        return None;
    }
    Some(positive_zero(d))
}

/// Why [`parse_decimal`] refuses `text`, in words for a message: not a number at all, too long a
/// literal, a magnitude beyond 10¹², or more significant digits or decimal places than a decimal
/// holds (`1e-29`, 30 digits after the point). Decided from the literal's digits and exponent.
pub(crate) fn why_not_decimal(text: &str) -> &'static str {
    if text.is_empty() || !is_decimal_literal(text) {
        return "不是数值";
    }
    if text.len() > MAX_LITERAL {
        return "写法过长（最多64个字符）";
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            unsigned.get(..at).unwrap_or_default(),
            unsigned.get(at.saturating_add(1)..).unwrap_or_default(),
        ),
        None => (unsigned, "0"),
    };
    let exponent: i64 =
        exponent
            .trim_start_matches('+')
            .parse()
            .unwrap_or(if exponent.starts_with('-') {
                i64::MIN
            } else {
                i64::MAX
            });
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The power of ten of the leading digit: 12 for 1e12 … (none when every digit is 0).
    let lead = match int.trim_start_matches('0').len() {
        0 => frac
            .find(|c| c != '0')
            .map(|zeros| 1i64.saturating_sub(i64::try_from(zeros).unwrap_or(i64::MAX))),
        n => Some(i64::try_from(n).unwrap_or(i64::MAX).saturating_sub(1)),
    };
    match lead.map(|l| l.saturating_add(exponent)) {
        Some(power) if power >= 12 => "超出可接受范围（绝对值不超过10¹²）",
        _ => "小数位数过多，最多28位小数、28位有效数字",
    }
}

/// A literal of at most 18 digits without exponent (`-12.50`), read without rust_decimal's
/// general parser: submissions are full of them.
fn parse_short(text: &str) -> Option<Decimal> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.len() > 19 {
        return None;
    }
    let (mut m, mut scale, mut seen_point) = (0i64, 0u32, false);
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => {
                m = m
                    .checked_mul(10)?
                    .checked_add(i64::from(b.saturating_sub(b'0')))?;
                if seen_point {
                    scale = scale.saturating_add(1);
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    let d = Decimal::new(m, scale);
    Some(if negative { negate(d) } else { d })
}

/// `-?digits(.digits)?([eE][+-]?digits)?`, checked by hand so that `1_000` or ` 1` are refused.
fn is_decimal_literal(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0usize;
    if b.first() == Some(&b'-') {
        i = i.saturating_add(1);
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i = i.saturating_add(1);
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i = i.saturating_add(1);
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i = i.saturating_add(1);
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i = i.saturating_add(1);
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// `-d`: only the sign changes, which cannot overflow (as `-` on a `Decimal` cannot either, but
/// the lint that keeps every other operation checked cannot tell).
pub(crate) fn negate(d: Decimal) -> Decimal {
    Decimal::ZERO.checked_sub(d).unwrap_or_default()
}

/// Rounds half away from zero (四舍五入) to `scale` places.
pub fn round(d: Decimal, scale: u32) -> Decimal {
    positive_zero(d.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero))
}

/// `-0` becomes `0`, so that `-0.00` never appears in a report.
pub(crate) fn positive_zero(mut d: Decimal) -> Decimal {
    if d.is_zero() {
        d.set_sign_positive(true);
    }
    d
}

/// 10⁰ … 10¹⁸, every power of ten an `i64` holds.
const POW10: [i64; 19] = [
    1,
    10,
    100,
    1000,
    10000,
    100000,
    1000000,
    10000000,
    100000000,
    1000000000,
    10000000000,
    100000000000,
    1000000000000,
    10000000000000,
    100000000000000,
    1000000000000000,
    10000000000000000,
    100000000000000000,
    1000000000000000000,
];

/// A decimal rounded to a rule set's scale, written with exactly that many places (`"97.50"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

impl Amount {
    /// Rounds `d` half away from zero to `scale` places and fixes its written scale.
    pub fn new(d: Decimal, scale: u32) -> Self {
        // Points and sums of them are usually written at the scale already.
        if d.scale() == scale {
            return Amount(positive_zero(d));
        }
        // Usually there is nothing to round (points, sums of them): only widen the scale, in
        // 64 bits (128-bit multiplication is a slow library call in WebAssembly).
        if let Some(widened) = scale
            .checked_sub(d.scale())
            .and_then(|k| POW10.get(k as usize).copied())
            .zip(i64::try_from(d.mantissa()).ok())
            .and_then(|(f, m)| m.checked_mul(f))
            .map(|m| Decimal::new(m, scale))
        {
            return Amount(positive_zero(widened));
        }
        let mut r = round(d, scale);
        r.rescale(scale);
        Amount(r)
    }

    /// The exact value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        push_decimal(&mut s, self.0);
        f.pad(&s)
    }
}

/// A decimal as people write it in a sentence: no trailing zeros (`2`, `0.5`).
pub fn plain(d: Decimal) -> String {
    let mut s = String::new();
    push_decimal(&mut s, normalized(d));
    s
}

/// Appends `d` as [`plain`] writes it.
pub(crate) fn push_plain(out: &mut String, d: Decimal) {
    push_decimal(out, normalized(d));
}

/// `d` without trailing zeros, `-0` as `0`: what `normalize` gives, with 64-bit divisions when
/// the mantissa fits (rust_decimal's divides all 96 bits by ten per zero, every trace number).
fn normalized(d: Decimal) -> Decimal {
    let Ok(mut m) = u64::try_from(d.mantissa().unsigned_abs()) else {
        return positive_zero(d.normalize());
    };
    if m == 0 {
        return Decimal::ZERO;
    }
    let mut scale = d.scale();
    while scale > 0 && m % 10 == 0 {
        m /= 10;
        scale = scale.saturating_sub(1);
    }
    // The low and middle 32 bits of the 64-bit mantissa.
    let (lo, mid) = (m as u32, (m >> 32) as u32);
    Decimal::from_parts(lo, mid, 0, d.is_sign_negative(), scale)
}

/// [`plain`] as a `format!` argument, written without a String of its own.
#[derive(Clone, Copy)]
pub(crate) struct Plain(pub Decimal);

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 40];
        let text = format_decimal(normalized(self.0), &mut buf);
        // Only ASCII digits, point and sign were written.
        f.write_str(std::str::from_utf8(text).unwrap_or_default())
    }
}

/// Writes `d` as `Decimal`'s `Display` does (`-12.50`: every place of its scale) at the end of
/// `buf` and returns that text, without `core::fmt` or allocating, and without 128-bit division
/// when the digits fit in 64 bits: reports write a hundred decimals each.
pub(crate) fn format_decimal(d: Decimal, buf: &mut [u8; 40]) -> &[u8] {
    // At most 29 digits (96-bit mantissa) or 28 places and "0.", a point and a sign: 32 bytes.
    let scale = d.scale() as usize;
    let mut i = buf.len();
    let mut put = |i: &mut usize, b: u8| {
        if let Some(slot) = i.checked_sub(1).and_then(|j| buf.get_mut(j)) {
            *slot = b;
            *i = i.saturating_sub(1);
        }
    };
    let mut written = 0usize;
    macro_rules! digits {
        ($n:expr) => {{
            let mut n = $n;
            loop {
                if written == scale && scale > 0 {
                    put(&mut i, b'.');
                }
                // A digit: n % 10 < 10.
                put(&mut i, b'0'.saturating_add((n % 10) as u8));
                n /= 10;
                written = written.saturating_add(1);
                if n == 0 && written > scale {
                    break;
                }
            }
        }};
    }
    let m = d.mantissa().unsigned_abs();
    match u64::try_from(m) {
        Ok(small) => digits!(small),
        Err(_) => digits!(m),
    }
    if d.is_sign_negative() {
        put(&mut i, b'-');
    }
    buf.get(i..).unwrap_or_default()
}

/// Appends `d` as [`format_decimal`] writes it.
pub(crate) fn push_decimal(out: &mut String, d: Decimal) {
    let mut buf = [0u8; 40];
    // Only ASCII digits, point and sign were written.
    out.push_str(std::str::from_utf8(format_decimal(d, &mut buf)).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_explained() {
        let range = "超出可接受范围（绝对值不超过10¹²）";
        let places = "小数位数过多，最多28位小数、28位有效数字";
        for (text, why) in [
            ("abc", "不是数值"),
            (" 1", "不是数值"),
            ("1e13", range),
            ("-1000000000001", range),
            ("1e400", range),
            ("0.1e14", range),
            ("79228162514264337593543950336", range),
            ("1e-29", places),
            ("-1E-400", places),
            ("0.00000000000000000000000000001", places),
            ("1.00000000000000000000000000001", places),
            ("123.456789012345678901234567890123", places),
        ] {
            assert_eq!(parse_decimal(text), None, "{text}");
            assert_eq!(why_not_decimal(text), why, "{text}");
        }
        assert!(why_not_decimal(&"1".repeat(65)).contains("64"));
    }

    #[test]
    fn literals() {
        assert_eq!(
            parse_decimal("2.50").map(|d| d.to_string()),
            Some("2.50".into())
        );
        assert_eq!(parse_decimal("1e3").map(plain), Some("1000".into()));
        assert_eq!(parse_decimal("1E-2").map(plain), Some("0.01".into()));
        assert_eq!(parse_decimal("-0").map(|d| d.to_string()), Some("0".into()));
        for bad in [
            "", " 1", "1 ", "1_000", ".5", "5.", "+1", "1e", "abc", "0x10", "1e99", "NaN",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
        assert_eq!(parse_decimal("79228162514264337593543950336"), None);
        assert_eq!(MAX_MAGNITUDE.to_string(), "1000000000000");
        assert_eq!(MAX_COMPUTED.to_string(), "100000000000000000000");
        assert_eq!(bounded(MAX_COMPUTED), Some(MAX_COMPUTED));
        assert_eq!(bounded(-MAX_COMPUTED - Decimal::ONE), None);
        assert!(parse_decimal("1000000000000").is_some());
        assert_eq!(parse_decimal("1000000000000.01"), None);
        assert_eq!(parse_decimal("-1e13"), None);
    }

    #[test]
    fn formatting_matches_decimal_display() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let (lo, mid, hi) = (next() as u32, next() as u32, next() as u32);
            let hi = if next() % 2 == 0 { 0 } else { hi };
            let mid = if next() % 3 == 0 { 0 } else { mid };
            let d = Decimal::from_parts(lo, mid, hi, next() % 2 == 0, (next() % 29) as u32);
            let mut s = String::new();
            push_decimal(&mut s, d);
            assert_eq!(s, d.to_string(), "{d:?}");
        }
        assert_eq!(plain(Decimal::new(-2500, 3)), "-2.5");
        // Widening without rounding gives what rounding and rescaling give.
        for _ in 0..20_000 {
            let d = Decimal::new((next() % 2_000_000) as i64 - 1_000_000, (next() % 8) as u32);
            for scale in 0..7 {
                let mut slow = round(d, scale);
                slow.rescale(scale);
                assert_eq!(
                    Amount::new(d, scale).0.to_string(),
                    slow.to_string(),
                    "{d} {scale}"
                );
            }
        }
        assert_eq!(plain(Decimal::new(0, 3)), "0");
        assert_eq!(
            format!("{:>6}", Amount::new(Decimal::new(75, 1), 2)),
            "  7.50"
        );
    }

    #[test]
    fn short_literals_read_as_the_general_parser_reads_them() {
        for text in [
            "0",
            "7",
            "12.50",
            "-3.14159",
            "100",
            "0.001",
            "999999999999999999",
            "1.00000000000000000",
        ] {
            let general = Decimal::from_str_exact(text).ok();
            assert_eq!(
                parse_short(text).map(|d| d.to_string()),
                general.map(|d| d.to_string()),
                "{text}"
            );
        }
        // Longer or exotic literals go to the general parser.
        assert_eq!(parse_short("9999999999999999999"), None);
        assert_eq!(parse_short("1e3"), None);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let a =
            |s: &str, scale| Amount::new(parse_decimal(s).unwrap_or_default(), scale).to_string();
        assert_eq!(a("2.345", 2), "2.35");
        assert_eq!(a("2.335", 2), "2.34");
        assert_eq!(a("-2.345", 2), "-2.35");
        assert_eq!(a("97.5", 2), "97.50");
        assert_eq!(a("-0.001", 2), "0.00");
        assert_eq!(a("0.05", 1), "0.1");
        assert_eq!(a("7", 0), "7");
    }

    #[test]
    fn integer_shortcuts_agree_with_rust_decimal() {
        let mut values: Vec<Decimal> = [
            "0",
            "-0.000",
            "1",
            "-1",
            "2.50",
            "100.000",
            "0.0001",
            "99999999999999999999",
            "100000000000000000000",
            "100000000000000000000.0000001",
            "-100000000000000000001",
            "18446744073709551615",
            "18446744073709551616.00",
            "1000000000000",
            "1000000000000.1",
            "-1000000000000",
            "0.000000000000000000000000001",
            "79228162514264337593543950335",
        ]
        .iter()
        .map(|t| Decimal::from_str_exact(t).expect("literal"))
        .collect();
        for k in 0..=28u32 {
            values.push(Decimal::from_i128_with_scale(10i128.pow(20) * 7, k));
            values.push(Decimal::from_i128_with_scale(-(10i128.pow(18)), k));
        }
        for d in values {
            let old = positive_zero(d.normalize());
            let new = normalized(d);
            assert_eq!(
                (new.mantissa(), new.scale()),
                (old.mantissa(), old.scale()),
                "{d}"
            );
            assert_eq!(bounded(d).is_some(), d.abs() <= MAX_COMPUTED, "{d}");
            assert_eq!(at_most_ten_to(d, 12), d.abs() <= MAX_MAGNITUDE, "{d}");
        }
    }

    #[test]
    fn the_table_of_powers_is_checked_pow() {
        for k in 0..60u32 {
            assert_eq!(
                POWERS_OF_TEN.get(k as usize).copied(),
                10u128.checked_pow(k),
                "10^{k}"
            );
        }
    }
}
