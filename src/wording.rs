//! The rules in words: the 评分标准 a district publishes, written from the loaded rule set itself,
//! so that the published text and the scoring can never disagree.
//!
//! Every sentence here is derived from what the engine scores (points, lines, caps, bands, rate
//! targets, veto effects, grade bounds, quotas); the author's free-text `basis` is not used. An
//! expression is put in words by naming each input by its label (「label」) and writing the
//! operators as a reader writes them (×, ÷, ≥, 且, 或).

use crate::decimal::plain;
use crate::expr::Expr;
use crate::json::json_object;
use crate::rules::*;
use rust_decimal::Decimal;

/// Text from parts (`&str` or `String`), without `core::fmt`: these sentences are many, and each
/// `format!` adds its own code to the wasm module.
macro_rules! cat {
    ($($part:expr),* $(,)?) => {{
        let mut text = String::new();
        $(text.push_str(AsRef::<str>::as_ref(&$part));)*
        text
    }};
}

/// One part of the rules (an item, adjustment, bonus item, veto, grade or quota) in words.
#[derive(Clone, Debug)]
pub struct Criterion<'r> {
    /// The part's id (an item's id; a grade's or a quota's grade name).
    pub id: &'r str,
    /// Its title (an item's title; a grade's name).
    pub title: &'r str,
    /// Sentences, in order: one per deduction line, band, condition, cap.
    pub text: Vec<String>,
}

/// The whole rule set in words, part by part, in the rule set's order.
#[derive(Clone, Debug)]
pub struct Criteria<'r> {
    /// General provisions: full marks, decimal places, not-applicable items, bonus cap.
    pub general: Vec<String>,
    /// Every item, sections in order.
    pub items: Vec<Criterion<'r>>,
    /// Deductions from the total (扣分项).
    pub adjustments: Vec<Criterion<'r>>,
    /// Bonus items (加分项).
    pub bonus: Vec<Criterion<'r>>,
    /// Vetoes (一票否决).
    pub vetoes: Vec<Criterion<'r>>,
    /// Grades, highest first, each with its range.
    pub grades: Vec<Criterion<'r>>,
    /// Grade quotas.
    pub quotas: Vec<Criterion<'r>>,
}

impl RuleSet {
    /// The rules in words: what each item deducts or awards and when, the caps, the vetoes'
    /// conditions and effects, the grades' ranges and the quotas (the 考核细则 table's 评分标准).
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let words = rules.criteria();
    /// assert_eq!(words.items[0].text[0], "未制定年度安全生产工作要点（工作意见）的，扣1.5分");
    /// assert_eq!(words.grades[0].text[0], "90分及以上");
    /// ```
    pub fn criteria(&self) -> Criteria<'_> {
        let mut general = vec![cat!["满分", plain(self.full_score), "分"]];
        general.push(cat![
            "得分保留",
            plain(Decimal::from(self.scale)),
            "位小数，四舍五入"
        ]);
        if self.not_applicable == NotApplicable::Rescale {
            general.push(
                "不涉及的项目不计分，总分按可评分项目实得分之和÷可评分项目应得分之和×满分折算"
                    .into(),
            );
        }
        if let Some(b) = &self.bonus {
            general.push(cat!["加分累计不超过", plain(b.cap), "分"]);
        }
        let items = self
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .map(|item| Criterion {
                id: &item.id,
                title: &item.title,
                text: self.item_words(item),
            })
            .collect();
        let adjustments = self
            .adjustments
            .iter()
            .map(|a| {
                let mut text = self.lines_words(&a.lines, "扣");
                if a.combine == Combine::Max {
                    text.push("多种情形按扣分最多的一项计，不累计".into());
                }
                if let Some(c) = a.cap {
                    text.push(cat!["本项最多扣", plain(c), "分"]);
                }
                Criterion {
                    id: &a.id,
                    title: &a.title,
                    text,
                }
            })
            .collect();
        let bonus = self
            .bonus
            .iter()
            .flat_map(|b| &b.items)
            .map(|b| {
                let mut text = self.lines_words(&b.lines, "加");
                if b.combine == Combine::Max {
                    text.push("多种情形按加分最多的一项计，不累计".into());
                }
                text.push(cat!["本项最多加", plain(b.points), "分"]);
                Criterion {
                    id: &b.id,
                    title: &b.title,
                    text,
                }
            })
            .collect();
        let vetoes = self
            .vetoes
            .iter()
            .map(|v| Criterion {
                id: &v.id,
                title: &v.title,
                text: vec![cat![
                    v.title,
                    "（",
                    self.expr_words(&v.when),
                    "）的，",
                    v.effect_text
                ]],
            })
            .collect();
        Criteria {
            general,
            items,
            adjustments,
            bonus,
            vetoes,
            grades: self.grade_words(),
            quotas: self.quota_words(),
        }
    }

    fn item_words(&self, item: &Item) -> Vec<String> {
        let mut text = match &item.rule {
            Rule::Deduct(lines) => {
                let mut t = self.lines_words(lines, "扣");
                if item.combine == Combine::Max {
                    t.push("多种情形按扣分最多的一项计，不累计".into());
                }
                t
            }
            Rule::Rate(r) => self.rate_words(r, item.points),
            Rule::Bands(b) => self.bands_words(b),
            Rule::Judged(i, aggregate) => {
                let label = self.inputs.get(*i).map_or("", |x| x.label.as_str());
                vec![cat![
                    "由考核组评议打分（「",
                    label,
                    "」），0—",
                    plain(item.points),
                    "分",
                    match aggregate {
                        Aggregate::Single => "",
                        Aggregate::Mean => "，多名考核人员的评分取平均",
                        Aggregate::TrimmedMean => "，去掉一个最高分和一个最低分后取平均",
                    }
                ]]
            }
            Rule::Rank(k) => vec![cat![
                "按「",
                self.expr_words(&k.value),
                "」排名赋分（",
                if k.order == Order::Desc {
                    "数值越高名次越前"
                } else {
                    "数值越低名次越前"
                },
                "）：第1名得",
                plain(k.first),
                "分，每后退1名减",
                plain(k.step),
                "分，最低",
                plain(k.floor),
                "分"
            ]],
            Rule::Formula(e) => vec![cat![
                "得分按公式",
                self.expr_words(e),
                "计算，在0—",
                plain(item.points),
                "分之间"
            ]],
        };
        match (&item.rule, item.cap) {
            (_, Some(c)) => text.push(cat!["本项最多扣", plain(c), "分"]),
            (Rule::Deduct(_) | Rule::Rate(_), None) => text.push("扣完为止".into()),
            _ => {}
        }
        if let Some(a) = &item.applicable {
            text.push(cat![
                "适用于",
                self.expr_words(a),
                "的单位；不涉及的",
                if self.not_applicable == NotApplicable::Full {
                    "按满分计"
                } else {
                    "不计分，按可评分项目折算"
                }
            ]);
        }
        text
    }

    fn lines_words(&self, lines: &[Line], verb: &str) -> Vec<String> {
        lines.iter().map(|l| self.line_words(l, verb)).collect()
    }

    /// One deduction or bonus line: its reason and points, as the trace would count them, under
    /// its group's heading and, for a line counted per record, naming the list.
    fn line_words(&self, line: &Line, verb: &str) -> String {
        let mut text = String::new();
        if let Some(g) = &line.group {
            text.push_str(&cat![g.title, "："]);
        }
        if let Some(list) = line.each.and_then(|i| self.inputs.get(i)) {
            text.push_str(&cat!["「", list.label, "」中每条记录，"]);
        }
        text.push_str(&self.line_rule_words(line, verb));
        text
    }

    fn line_rule_words(&self, line: &Line, verb: &str) -> String {
        let p = plain(line.points);
        let reason = placeholders(&line.reason, &p);
        match &line.when {
            LineWhen::Amount(value) => cat![reason, "的，按", self.expr_words(value), verb, "分"],
            LineWhen::Tiers(tiers) => {
                let lead = if reason.is_empty() { "" } else { "，" };
                let mut text = cat![reason, lead, "按下列情形中最高的一档", verb, "分："];
                for (k, t) in tiers.iter().enumerate() {
                    if k > 0 {
                        text.push('；');
                    }
                    let tp = plain(t.points);
                    text.push_str(&cat![placeholders(&t.reason, &tp), verb, tp, "分"]);
                }
                text
            }
            LineWhen::If(_) => cat![reason, "的，", verb, p, "分"],
            LineWhen::Per { value, free } => {
                let unit = line
                    .unit
                    .as_deref()
                    .or_else(|| {
                        value
                            .single_input()
                            .and_then(|i| self.inputs.get(i))
                            .and_then(|i| i.unit.as_deref())
                    })
                    .unwrap_or("次");
                if free.is_zero() {
                    cat![reason, "，每", unit, verb, p, "分"]
                } else {
                    cat![
                        reason,
                        "，超过",
                        plain(*free),
                        unit,
                        "的部分每",
                        unit,
                        verb,
                        p,
                        "分"
                    ]
                }
            }
        }
    }

    fn rate_words(&self, r: &Rate, points: Decimal) -> Vec<String> {
        let value = self.expr_words(&r.value);
        let target = plain(r.target);
        let (reach, short) = match r.direction {
            Direction::Higher => ("不低于", "低"),
            Direction::Lower => ("不高于", "高"),
        };
        let mut text = vec![cat!["指标：", value, "，目标值", target]];
        match r.mode {
            RateMode::Step {
                step,
                points_per_step,
                partial,
            } => {
                let step = plain(step);
                text.push(cat![
                    reach,
                    "目标值得满分，每",
                    short,
                    step,
                    "扣",
                    plain(points_per_step),
                    "分"
                ]);
                text.push(match partial {
                    Partial::Exact => cat!["不足", step, "的按比例扣分"],
                    Partial::Up => cat!["不足", step, "的按", step, "计"],
                    Partial::Down => cat!["不足", step, "的不扣分"],
                });
            }
            RateMode::Proportional => text.push(match r.direction {
                Direction::Higher => cat![
                    "得分＝",
                    plain(points),
                    "分×实际值÷目标值，最高",
                    plain(points),
                    "分"
                ],
                Direction::Lower => cat![
                    "得分＝",
                    plain(points),
                    "分×目标值÷实际值，最高",
                    plain(points),
                    "分"
                ],
            }),
        }
        text.push(match r.when_undefined {
            WhenUndefined::Full => "无法计算（分母为0）时得满分".into(),
            WhenUndefined::Zero => "无法计算（分母为0）时不得分".into(),
            WhenUndefined::Pending => "无法计算（分母为0）时待定".into(),
        });
        text
    }

    fn bands_words(&self, b: &Bands) -> Vec<String> {
        let mut text = vec![cat!["指标：", self.expr_words(&b.value)]];
        for band in &b.bands {
            let range = match (band.min, band.max) {
                (Some(lo), Some(hi)) => cat![plain(lo), "及以上、低于", plain(hi)],
                (Some(lo), None) => cat![plain(lo), "及以上"],
                (None, Some(hi)) => cat!["低于", plain(hi)],
                (None, None) => "任何值".into(),
            };
            text.push(cat![range, "的，得", plain(band.score), "分"]);
        }
        text
    }

    fn grade_words(&self) -> Vec<Criterion<'_>> {
        let mut out = Vec::new();
        let mut above: Option<Decimal> = None;
        for g in &self.grades {
            let text = match above {
                None => cat![plain(g.min), "分及以上"],
                Some(hi) if g.min.is_zero() => cat![plain(hi), "分以下"],
                Some(hi) => cat![plain(g.min), "分及以上、", plain(hi), "分以下"],
            };
            above = Some(g.min);
            out.push(Criterion {
                id: &g.name,
                title: &g.name,
                text: vec![text],
            });
        }
        out
    }

    fn quota_words(&self) -> Vec<Criterion<'_>> {
        self.quotas
            .iter()
            .filter_map(|q| {
                let g = self.grades.get(q.grade)?;
                let share = plain(q.max_share.saturating_mul(Decimal::ONE_HUNDRED));
                Some(Criterion {
                    id: &g.name,
                    title: &g.name,
                    text: vec![cat![
                        "「",
                        g.name,
                        "」等次不超过同组参与排名单位数的",
                        share,
                        "%（人数向下取整），超出的按名次调整为下一等次"
                    ]],
                })
            })
            .collect()
    }

    /// An expression as a reader writes it: inputs and unit tags by their labels, operators in
    /// words or symbols.
    pub(crate) fn expr_words(&self, e: &Expr) -> String {
        let src = e.source();
        let mut out = String::with_capacity(src.len().saturating_mul(2));
        let mut chars = src.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if c.is_ascii_alphabetic() || c == '_' {
                let mut end = at.saturating_add(c.len_utf8());
                while let Some(&(i, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '_' {
                        end = i.saturating_add(d.len_utf8());
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = src.get(at..end).unwrap_or_default();
                out.push_str(&self.word(word));
                continue;
            }
            if c == '"' {
                out.push('“');
                for (_, d) in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                    out.push(d);
                }
                out.push('”');
                continue;
            }
            let next = chars.peek().map(|&(_, d)| d);
            let (text, two) = match (c, next) {
                ('>', Some('=')) => (" ≥ ", true),
                ('<', Some('=')) => (" ≤ ", true),
                ('=', Some('=')) => (" = ", true),
                ('!', Some('=')) => (" ≠ ", true),
                ('&', Some('&')) => (" 且 ", true),
                ('|', Some('|')) => (" 或 ", true),
                ('!', _) => ("非", false),
                ('*', _) => (" × ", false),
                ('/', _) => (" ÷ ", false),
                ('-', _) => (" − ", false),
                ('+', _) => (" + ", false),
                (',', _) => ("，", false),
                ('>', _) => (" > ", false),
                ('<', _) => (" < ", false),
                (' ', _) => ("", false),
                _ => {
                    out.push(c);
                    continue;
                }
            };
            if two {
                chars.next();
            }
            out.push_str(text);
        }
        // Operators bring their own spaces: one space between words, none at the ends.
        let mut text = String::with_capacity(out.len());
        for c in out.trim().chars() {
            if !(c == ' ' && text.ends_with(' ')) {
                text.push(c);
            }
        }
        text
    }

    fn word(&self, w: &str) -> String {
        if let Some(i) = self.inputs.iter().find(|i| i.id == w) {
            return cat!["「", i.label, "」"];
        }
        // A record list's field, read by a line counted per record.
        if let Some(f) = self
            .inputs
            .iter()
            .flat_map(|i| i.fields())
            .find(|f| f.id == w)
        {
            return cat!["「", f.label, "」"];
        }
        if let Some(t) = self.unit_tags.iter().find(|t| t.id == w) {
            return cat!["「", t.label, "」"];
        }
        match w {
            "true" => "是".into(),
            "false" => "否".into(),
            other => other.to_string(),
        }
    }
}

/// A line's reason with its placeholders in words: `{points}` the points, `{n}` N, `{amount}` 相应分值.
/// (By hand, not `str::replace`: its searcher would be new code in the wasm module.)
fn placeholders(reason: &str, points: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut rest = reason;
    while let Some(at) = rest.find('{') {
        let (before, from) = rest.split_at_checked(at).unwrap_or((rest, ""));
        out.push_str(before);
        let known = [("{points}", points), ("{n}", "N"), ("{amount}", "相应分值")];
        match known.iter().find(|(name, _)| from.starts_with(name)) {
            Some((name, words)) => {
                out.push_str(words);
                rest = from.get(name.len()..).unwrap_or_default();
            }
            None => {
                out.push('{');
                rest = from.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

json_object!(Criterion<'_> { id, title, text });

json_object!(Criteria<'_> {
    general,
    items,
    adjustments,
    bonus,
    vetoes,
    grades,
    quotas
});
