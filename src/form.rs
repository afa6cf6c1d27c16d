//! The form description: everything a form renderer needs to show a rule set's fields and items
//! (labels, types, ranges, options, the rule wording) without knowing the rule language.

use crate::decimal::{Amount, plain};
use crate::expr::Expr;
use crate::json::{JsonWriter, ToJson, json_object};
use crate::report::{ItemStatus, Status};
use crate::rules::*;
use rust_decimal::Decimal;

/// Who a rule set is: what a list of rule sets shows.
#[derive(Clone, Debug)]
pub struct RuleSetInfo<'r> {
    /// Rule set id.
    pub id: &'r str,
    /// Version.
    pub version: &'r str,
    /// Title.
    pub title: &'r str,
    /// Assessment period.
    pub period: &'r str,
    /// Kind of unit assessed.
    pub unit_kind: &'r str,
    /// Description, if any (`null` in JSON when absent).
    pub description: Option<&'r str>,
}

/// A rule set described for a form renderer.
#[derive(Clone, Debug)]
pub struct Form<'r> {
    /// `kpi-form/1`.
    pub format: &'static str,
    /// Identity and totals of the rule set.
    pub rules: FormRules<'r>,
    /// The fields, in display order.
    pub inputs: Vec<FormInput<'r>>,
    /// Sections and their items.
    pub sections: Vec<FormSection<'r>>,
    /// Deductions from the total.
    pub adjustments: Vec<FormEntry<'r>>,
    /// Bonus items and the overall cap.
    pub bonus: Option<FormBonus<'r>>,
    /// Vetoes with their effect in words.
    pub vetoes: Vec<FormEntry<'r>>,
    /// Grades, highest first.
    pub grades: Vec<FormGrade<'r>>,
    /// How to label a status (`final`: 最终, `provisional`: 暂定, `not_applicable`: 不涉及,
    /// `pending`: 待定), so that every surface words it as the engine does.
    pub status_labels: StatusLabels,
    /// Grade quotas (batch only).
    pub quotas: Vec<FormQuota<'r>>,
    /// The documents the rules quote.
    pub documents: Vec<FormDocument<'r>>,
    /// The attributes a unit may carry (`unit.tags`).
    pub unit_tags: Vec<FormTag<'r>>,
    /// Every item that loses points needs a note (`notes_required`).
    pub notes_required: bool,
}

/// A field of a record list's rows.
#[derive(Clone, Debug)]
pub struct FormField<'r> {
    /// Id (key in a row object).
    pub id: &'r str,
    /// Label (the table's column heading).
    pub label: &'r str,
    /// `count`, `number`, `percent`, `bool`, `choice`, `text` or `date`.
    pub kind: &'static str,
    /// Whether a row needs it.
    pub required: bool,
    /// Lower bound.
    pub min: Option<String>,
    /// Upper bound.
    pub max: Option<String>,
    /// Options of a choice.
    pub options: &'r [String],
    /// Display unit.
    pub unit: Option<&'r str>,
    /// Help text.
    pub help: Option<&'r str>,
}

/// Lines under a sub-heading of one pool (「（一）死亡事故」).
#[derive(Clone, Debug)]
pub struct FormGroup<'r> {
    /// The sub-heading.
    pub title: &'r str,
    /// Its lines' reasons, in order.
    pub lines: Vec<&'r str>,
}

/// A source document the rules quote.
#[derive(Clone, Debug)]
pub struct FormDocument<'r> {
    /// Id that `sources` use.
    pub id: &'r str,
    /// Title.
    pub title: &'r str,
    /// Document number (文号).
    pub number: Option<&'r str>,
    /// Who issued it.
    pub issuer: Option<&'r str>,
    /// Date.
    pub date: Option<&'r str>,
    /// Where the text is kept.
    pub file: Option<&'r str>,
}

/// A unit tag.
#[derive(Clone, Debug)]
pub struct FormTag<'r> {
    /// Id (in `unit.tags` and expressions).
    pub id: &'r str,
    /// Label.
    pub label: &'r str,
    /// Help text.
    pub help: Option<&'r str>,
}

/// One quoted source of a rule.
#[derive(Clone, Debug)]
pub struct FormSource<'r> {
    /// The document's id.
    pub doc: &'r str,
    /// The document's own words.
    pub quote: &'r str,
}

/// The words for a report's status and for an item's (a scored item needs none).
#[derive(Clone, Debug)]
pub struct StatusLabels {
    /// For a `final` report (最终).
    pub final_: &'static str,
    /// For a `provisional` report (暂定).
    pub provisional: &'static str,
    /// For a `not_applicable` item (不涉及).
    pub not_applicable: &'static str,
    /// For a `pending` item, adjustment or bonus item (待定).
    pub pending: &'static str,
}

/// Identity and totals of a rule set.
#[derive(Clone, Debug)]
pub struct FormRules<'r> {
    /// Rule set id.
    pub id: &'r str,
    /// Version.
    pub version: &'r str,
    /// Title.
    pub title: &'r str,
    /// Assessment period.
    pub period: &'r str,
    /// Kind of unit assessed.
    pub unit_kind: &'r str,
    /// Description, if any.
    pub description: Option<&'r str>,
    /// Full marks.
    pub full_score: Amount,
    /// Decimal places of scores.
    pub scale: u32,
    /// `full` or `rescale`.
    pub not_applicable: &'static str,
}

/// A bound as a form shows it: a decimal string, or another input's id.
#[derive(Clone, Debug)]
pub enum FormBound<'r> {
    /// A literal decimal.
    Value(String),
    /// Another input's value.
    Input {
        /// The input's id.
        input: &'r str,
    },
}

/// One field.
#[derive(Clone, Debug)]
pub struct FormInput<'r> {
    /// Id (key in `values`).
    pub id: &'r str,
    /// Label shown next to the field.
    pub label: &'r str,
    /// `count`, `number`, `percent`, `bool`, `choice` or `text`.
    pub kind: &'static str,
    /// Section it belongs to.
    pub section: Option<&'r str>,
    /// Whether a final score needs it.
    pub required: bool,
    /// Lower bound (percent: 0; count: 0).
    pub min: Option<FormBound<'r>>,
    /// Upper bound (percent: 100; judged inputs: the item's points).
    pub max: Option<FormBound<'r>>,
    /// Options of a choice.
    pub options: &'r [String],
    /// Display unit.
    pub unit: Option<&'r str>,
    /// Help text.
    pub help: Option<&'r str>,
    /// Ids of the items, adjustments, bonus items and vetoes that read it.
    pub used_by: Vec<&'r str>,
    /// The condition under which it is required, as written (it is not required when false).
    pub applicable: Option<&'r str>,
    /// A record list's fields (its table's columns).
    pub fields: Vec<FormField<'r>>,
    /// A record list's fewest rows.
    pub min_rows: Option<usize>,
    /// A record list's most rows.
    pub max_rows: Option<usize>,
    /// A record list's fields that name a row.
    pub describe: Vec<&'r str>,
    /// It takes several assessors' scores (a list of numbers).
    pub multiple: bool,
}

/// One section.
#[derive(Clone, Debug)]
pub struct FormSection<'r> {
    /// Id.
    pub id: &'r str,
    /// Title.
    pub title: &'r str,
    /// Points.
    pub points: Amount,
    /// The scale its items use, when converted.
    pub out_of: Option<Amount>,
    /// Its items.
    pub items: Vec<FormItem<'r>>,
}

/// One item.
#[derive(Clone, Debug)]
pub struct FormItem<'r> {
    /// Id.
    pub id: &'r str,
    /// Title.
    pub title: &'r str,
    /// Full marks.
    pub points: Amount,
    /// The rule's wording.
    pub basis: Option<&'r str>,
    /// `deduct`, `rate`, `bands`, `judged`, `rank` or `formula`.
    pub rule: &'static str,
    /// Whether it is scored only in a batch.
    pub batch_only: bool,
    /// Ids of the inputs it reads.
    pub inputs: Vec<&'r str>,
    /// The documents' words it implements (its own and its lines').
    pub sources: Vec<FormSource<'r>>,
    /// Some threshold or point value in it is an example value (示例值).
    pub example: bool,
    /// The assessors may mark it not applicable (with a reason).
    pub assessor_na: bool,
    /// Its lines under sub-headings, when it groups them.
    pub groups: Vec<FormGroup<'r>>,
}

/// An adjustment, bonus item or veto.
#[derive(Clone, Debug)]
pub struct FormEntry<'r> {
    /// Id.
    pub id: &'r str,
    /// Title.
    pub title: &'r str,
    /// Maximum (bonus item points, adjustment cap), if any.
    pub points: Option<Amount>,
    /// The rule's wording.
    pub basis: Option<&'r str>,
    /// A veto's effect in words.
    pub effect_text: Option<&'r str>,
    /// Ids of the inputs it reads.
    pub inputs: Vec<&'r str>,
    /// The documents' words it implements (its own and its lines').
    pub sources: Vec<FormSource<'r>>,
    /// Some threshold or point value in it is an example value (示例值).
    pub example: bool,
    /// A bonus item the assessors may mark not applicable.
    pub assessor_na: bool,
    /// Its lines under sub-headings, when it groups them.
    pub groups: Vec<FormGroup<'r>>,
    /// Where a veto puts the unit in a batch's ranking (`last`, `excluded`).
    pub ranking: Option<&'static str>,
}

/// The bonus part of a form.
#[derive(Clone, Debug)]
pub struct FormBonus<'r> {
    /// Cap on all bonus together.
    pub cap: Amount,
    /// The bonus items.
    pub items: Vec<FormEntry<'r>>,
}

/// A grade.
#[derive(Clone, Debug)]
pub struct FormGrade<'r> {
    /// Name.
    pub name: &'r str,
    /// Lowest total for it (以上, the bound included).
    pub min: Option<Amount>,
    /// The total must exceed it (超过, the bound excluded).
    pub over: Option<Amount>,
    /// The documents' words it implements.
    pub sources: Vec<FormSource<'r>>,
    /// Its bound is an example value (示例值).
    pub example: bool,
}

/// A grade quota (等次比例限制, batch only).
#[derive(Clone, Debug)]
pub struct FormQuota<'r> {
    /// The grade limited.
    pub grade: &'r str,
    /// At most this share of a group keeps the grade.
    pub max_share: String,
    /// The documents' words it implements.
    pub sources: Vec<FormSource<'r>>,
    /// The share is an example value (示例值).
    pub example: bool,
}

impl RuleSet {
    /// Describes the rule set for a form renderer.
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("subdistrict").expect("built-in rule set");
    /// let form = rules.form();
    /// assert_eq!(form.inputs.len(), rules.inputs_len());
    /// assert_eq!(form.status_labels.provisional, "暂定");
    /// ```
    pub fn form(&self) -> Form<'_> {
        let sections = self.form_sections();
        let adjustments: Vec<FormEntry> = self
            .adjustments
            .iter()
            .map(|x| self.form_entry(&x.id, &x.title, x.cap, &x.basis, &x.lines, &x.provenance))
            .collect();
        let bonus = self.bonus.as_ref().map(|b| FormBonus {
            cap: self.amount(b.cap),
            items: b
                .items
                .iter()
                .map(|x| {
                    let mut e = self.form_entry(
                        &x.id,
                        &x.title,
                        Some(x.points),
                        &x.basis,
                        &x.lines,
                        &x.provenance,
                    );
                    e.assessor_na = x.assessor_na;
                    e
                })
                .collect(),
        });
        let vetoes: Vec<FormEntry> = self
            .vetoes
            .iter()
            .map(|v| {
                let (sources, example) = self.provenance(&v.provenance, &[]);
                FormEntry {
                    id: &v.id,
                    title: &v.title,
                    points: None,
                    basis: v.basis.as_deref(),
                    effect_text: Some(&v.effect_text),
                    inputs: self.input_ids(&[&v.when]),
                    sources,
                    example,
                    assessor_na: false,
                    groups: Vec::new(),
                    ranking: v.ranking.map(VetoRanking::as_str),
                }
            })
            .collect();
        // Who reads each input, so a form can show the items a field affects.
        let entries = sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| (i.id, &i.inputs)))
            .chain(adjustments.iter().map(|x| (x.id, &x.inputs)))
            .chain(
                bonus
                    .iter()
                    .flat_map(|b| b.items.iter().map(|x| (x.id, &x.inputs))),
            )
            .chain(vetoes.iter().map(|x| (x.id, &x.inputs)));
        let inputs = self.form_inputs(entries);
        Form {
            format: "kpi-form/1",
            rules: self.form_rules(),
            inputs,
            sections,
            adjustments,
            bonus,
            vetoes,
            grades: self.form_grades(),
            status_labels: StatusLabels {
                final_: Status::Final.label(),
                provisional: Status::Provisional.label(),
                not_applicable: ItemStatus::NotApplicable.label(),
                pending: ItemStatus::Pending.label(),
            },
            quotas: self.form_quotas(),
            documents: self.form_documents(),
            unit_tags: self
                .unit_tags
                .iter()
                .map(|t| FormTag {
                    id: &t.id,
                    label: &t.label,
                    help: t.help.as_deref(),
                })
                .collect(),
            notes_required: self.notes_required,
        }
    }

    /// The sub-headings of some lines, each with its lines' reasons (none when no line has one).
    fn form_groups<'r>(&'r self, lines: &'r [Line]) -> Vec<FormGroup<'r>> {
        let mut groups: Vec<FormGroup> = Vec::new();
        for line in lines {
            let Some(g) = &line.group else { continue };
            let reasons: Vec<&str> = match &line.when {
                LineWhen::Tiers(tiers) if line.reason.is_empty() => {
                    tiers.iter().map(|t| t.reason.as_str()).collect()
                }
                _ => vec![line.reason.as_str()],
            };
            match groups.last_mut() {
                Some(last) if std::ptr::eq(last.title, g.title.as_str()) => {
                    last.lines.extend(reasons)
                }
                _ => groups.push(FormGroup {
                    title: &g.title,
                    lines: reasons,
                }),
            }
        }
        groups
    }

    /// The inputs some lines read, their record lists included.
    fn line_inputs<'r>(&'r self, exprs: &[&Expr], lines: &[Line]) -> Vec<&'r str> {
        let mut ids = self.input_ids(exprs);
        for l in lines {
            if let Some(input) = l.each.and_then(|i| self.inputs.get(i)) {
                if !ids.contains(&input.id.as_str()) {
                    ids.push(&input.id);
                }
            }
        }
        ids
    }

    fn form_grades(&self) -> Vec<FormGrade<'_>> {
        self.grades
            .iter()
            .map(|g| {
                let (sources, example) = self.provenance(&g.provenance, &[]);
                FormGrade {
                    name: &g.name,
                    min: (!g.over).then(|| self.amount(g.min)),
                    over: g.over.then(|| self.amount(g.min)),
                    sources,
                    example,
                }
            })
            .collect()
    }

    fn form_quotas(&self) -> Vec<FormQuota<'_>> {
        self.quotas
            .iter()
            .filter_map(|q| {
                let (sources, example) = self.provenance(&q.provenance, &[]);
                Some(FormQuota {
                    grade: &self.grades.get(q.grade)?.name,
                    max_share: plain(q.max_share),
                    sources,
                    example,
                })
            })
            .collect()
    }

    fn form_documents(&self) -> Vec<FormDocument<'_>> {
        self.documents
            .iter()
            .map(|d| FormDocument {
                id: &d.id,
                title: &d.title,
                number: d.number.as_deref(),
                issuer: d.issuer.as_deref(),
                date: d.date.as_deref(),
                file: d.file.as_deref(),
            })
            .collect()
    }

    /// An entry's sources and its lines', each once, and whether any of them is marked example.
    fn provenance<'r>(
        &'r self,
        own: &'r Provenance,
        lines: &'r [Line],
    ) -> (Vec<FormSource<'r>>, bool) {
        let mut sources: Vec<FormSource> = Vec::new();
        let mut example = false;
        let groups = lines
            .iter()
            .filter_map(|l| l.group.as_deref().map(|g| &g.provenance));
        for p in std::iter::once(own)
            .chain(groups)
            .chain(lines.iter().map(|l| &l.provenance))
        {
            example |= p.example;
            for (d, quote) in &p.sources {
                let Some(doc) = self.documents.get(*d) else {
                    continue;
                };
                if !sources.iter().any(|s| s.doc == doc.id && s.quote == quote) {
                    sources.push(FormSource {
                        doc: &doc.id,
                        quote,
                    });
                }
            }
        }
        (sources, example)
    }

    /// Who the rule set is: id, version, title, period, unit kind, description.
    ///
    /// ```
    /// let rules = kpi_wasm::RuleSet::builtin("department").expect("built-in rule set");
    /// assert_eq!(rules.info().id, "department");
    /// ```
    pub fn info(&self) -> RuleSetInfo<'_> {
        RuleSetInfo {
            id: &self.id,
            version: &self.version,
            title: &self.title,
            period: &self.period,
            unit_kind: &self.unit_kind,
            description: self.description.as_deref(),
        }
    }

    fn amount(&self, d: Decimal) -> Amount {
        Amount::new(d, self.scale)
    }

    /// Ids of the inputs the expressions read, in input order.
    fn input_ids(&self, exprs: &[&Expr]) -> Vec<&str> {
        let mut v: Vec<usize> = exprs
            .iter()
            .flat_map(|e| e.inputs().iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v.iter()
            .filter_map(|&i| self.inputs.get(i).map(|x| x.id.as_str()))
            .collect()
    }

    fn form_rules(&self) -> FormRules<'_> {
        FormRules {
            id: &self.id,
            version: &self.version,
            title: &self.title,
            period: &self.period,
            unit_kind: &self.unit_kind,
            description: self.description.as_deref(),
            full_score: self.amount(self.full_score),
            scale: self.scale,
            not_applicable: match self.not_applicable {
                NotApplicable::Full => "full",
                NotApplicable::Rescale => "rescale",
            },
        }
    }

    fn form_sections(&self) -> Vec<FormSection<'_>> {
        self.sections
            .iter()
            .map(|s| FormSection {
                id: &s.id,
                title: &s.title,
                points: self.amount(s.points),
                out_of: s.out_of.map(|d| self.amount(d)),
                items: s
                    .items
                    .iter()
                    .map(|item| {
                        let lines = match &item.rule {
                            Rule::Deduct(lines) => lines.as_slice(),
                            _ => &[],
                        };
                        let mut inputs = self.line_inputs(&item.exprs(), lines);
                        inputs.extend(
                            item.judged_input()
                                .and_then(|i| self.inputs.get(i))
                                .map(|x| x.id.as_str()),
                        );
                        let (sources, example) = self.provenance(&item.provenance, lines);
                        FormItem {
                            id: &item.id,
                            title: &item.title,
                            points: self.amount(item.points),
                            basis: item.basis.as_deref(),
                            rule: item.rule.kind(),
                            batch_only: item.batch_only(),
                            inputs,
                            sources,
                            example,
                            assessor_na: item.assessor_na,
                            groups: self.form_groups(lines),
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    /// An adjustment or a bonus item.
    fn form_entry<'r>(
        &'r self,
        id: &'r str,
        title: &'r str,
        points: Option<Decimal>,
        basis: &'r Option<String>,
        lines: &'r [Line],
        provenance: &'r Provenance,
    ) -> FormEntry<'r> {
        let (sources, example) = self.provenance(provenance, lines);
        FormEntry {
            id,
            title,
            points: points.map(|d| self.amount(d)),
            basis: basis.as_deref(),
            effect_text: None,
            inputs: self.line_inputs(&line_exprs(lines), lines),
            sources,
            example,
            assessor_na: false,
            groups: self.form_groups(lines),
            ranking: None,
        }
    }

    /// The fields, each with its bounds (implicit ones made explicit) and the entries reading it.
    fn form_inputs<'r, 'e>(
        &'r self,
        entries: impl Iterator<Item = (&'r str, &'e Vec<&'r str>)>,
    ) -> Vec<FormInput<'r>>
    where
        'r: 'e,
    {
        let mut used_by: Vec<Vec<&str>> = vec![Vec::new(); self.inputs.len()];
        for (id, inputs) in entries {
            for input in inputs {
                if let Some(k) = self.inputs.iter().position(|x| x.id == *input) {
                    if let Some(list) = used_by.get_mut(k) {
                        list.push(id);
                    }
                }
            }
        }
        let judged_points = |i: usize| {
            self.sections
                .iter()
                .flat_map(|s| &s.items)
                .find_map(|item| match item.rule {
                    Rule::Judged(j, _) if j == i => Some(item.points),
                    _ => None,
                })
        };
        let bound = |b: &Option<Bound>| -> Option<FormBound> {
            match b.as_ref()? {
                Bound::Literal(d) => Some(FormBound::Value(plain(*d))),
                Bound::Input(j) => self
                    .inputs
                    .get(*j)
                    .map(|x| FormBound::Input { input: &x.id }),
            }
        };
        self.inputs
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let zero = || Some(FormBound::Value("0".into()));
                let min = bound(&x.min).or_else(|| match x.kind {
                    InputType::Count | InputType::Percent => zero(),
                    _ if judged_points(i).is_some() => zero(),
                    _ => None,
                });
                let max = bound(&x.max).or_else(|| match (x.kind, judged_points(i)) {
                    (_, Some(p)) => Some(FormBound::Value(plain(p))),
                    (InputType::Percent, _) => Some(FormBound::Value("100".into())),
                    _ => None,
                });
                FormInput {
                    id: &x.id,
                    label: &x.label,
                    kind: x.kind.name(),
                    section: x.section.as_deref(),
                    required: x.required,
                    min,
                    max,
                    options: &x.options,
                    unit: x.unit.as_deref(),
                    help: x.help.as_deref(),
                    used_by: used_by.get(i).cloned().unwrap_or_default(),
                    applicable: x.applicable.as_ref().map(Expr::source),
                    fields: x.fields().iter().map(form_field).collect(),
                    min_rows: x.records.as_ref().map(|r| r.min_rows),
                    max_rows: x.records.as_ref().map(|r| r.max_rows),
                    describe: x
                        .records
                        .iter()
                        .flat_map(|r| r.describe.iter().filter_map(|&k| r.fields.get(k)))
                        .map(|f| f.id.as_str())
                        .collect(),
                    multiple: x.multiple,
                }
            })
            .collect()
    }
}

/// A record list's field as a form shows it (bounds are literals).
fn form_field(f: &Input) -> FormField<'_> {
    let literal = |b: &Option<Bound>| match b {
        Some(Bound::Literal(d)) => Some(plain(*d)),
        _ => None,
    };
    let implicit = |v: &str| Some(v.to_string());
    FormField {
        id: &f.id,
        label: &f.label,
        kind: f.kind.name(),
        required: f.required,
        min: literal(&f.min).or_else(|| match f.kind {
            InputType::Count | InputType::Percent => implicit("0"),
            _ => None,
        }),
        max: literal(&f.max).or_else(|| match f.kind {
            InputType::Percent => implicit("100"),
            _ => None,
        }),
        options: &f.options,
        unit: f.unit.as_deref(),
        help: f.help.as_deref(),
    }
}

// The JSON form (`kpi-form/1`): members in declaration order, absent options left out.

json_object!(RuleSetInfo<'_> { id, version, title, period, unit_kind, description });

json_object!(Form<'_> { format, rules, inputs, sections, adjustments, bonus?, vetoes, grades, status_labels, quotas [nonempty], documents [nonempty], unit_tags [nonempty], notes_required [if_true] });

json_object!(FormField<'_> { id, label, kind as "type", required, min?, max?, options [nonempty], unit?, help? });

json_object!(FormGroup<'_> { title, lines });

json_object!(FormDocument<'_> { id, title, number?, issuer?, date?, file? });

json_object!(FormTag<'_> { id, label, help? });

json_object!(FormSource<'_> { doc, quote });

json_object!(FormQuota<'_> { grade, max_share, sources [nonempty], example [if_true] });

json_object!(StatusLabels { final_ as "final", provisional, not_applicable, pending });

json_object!(FormRules<'_> { id, version, title, period, unit_kind, description?, full_score, scale, not_applicable });

impl ToJson for FormBound<'_> {
    fn write_json(&self, w: &mut JsonWriter) {
        match self {
            FormBound::Value(v) => w.string(v),
            FormBound::Input { input } => {
                w.begin_object();
                w.field("input", *input);
                w.end_object();
            }
        }
    }
}

json_object!(FormInput<'_> { id, label, kind as "type", section?, required, min?, max?, options [nonempty], unit?, help?, used_by, applicable?, fields [nonempty], min_rows?, max_rows?, describe [nonempty], multiple [if_true] });

json_object!(FormSection<'_> { id, title, points, out_of?, items });

json_object!(FormItem<'_> { id, title, points, basis?, rule, batch_only, inputs, sources [nonempty], example [if_true], assessor_na [if_true], groups [nonempty] });

json_object!(FormEntry<'_> { id, title, points?, basis?, effect_text?, inputs, sources [nonempty], example [if_true], assessor_na [if_true], groups [nonempty], ranking? });

json_object!(FormBonus<'_> { cap, items });

json_object!(FormGrade<'_> { name, min?, over?, sources [nonempty], example [if_true] });
