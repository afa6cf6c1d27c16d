//! What the rule-set readers share: the inputs as the expression compiler sees them, the one
//! namespace of entry ids, and the small readers every kind of entry uses.

use crate::code::Code;
use crate::expr::{InputKind, Scope};
use crate::reader::{Obj, Reader};
use crate::rules::*;
use std::collections::BTreeMap;

/// The names a rule set's parts refer to: inputs and unit tags (in expressions, tags after the
/// inputs: their values follow the inputs' in a submission's value slots) and documents (in
/// `sources`).
pub(super) struct InputScope<'a> {
    pub(super) inputs: &'a [Input],
    pub(super) tags: &'a [UnitTag],
    pub(super) by_id: BTreeMap<&'a str, usize>,
    pub(super) documents: BTreeMap<&'a str, usize>,
}

impl<'a> InputScope<'a> {
    pub(super) fn new(inputs: &'a [Input], tags: &'a [UnitTag], documents: &'a [Document]) -> Self {
        // Inserted one by one: collecting into a BTreeMap sorts first, and each sort instantiation
        // costs wasm size (see BENCHMARKS.md).
        let mut by_id = BTreeMap::new();
        for (i, input) in inputs.iter().enumerate() {
            by_id.insert(input.id.as_str(), i);
        }
        for (t, tag) in tags.iter().enumerate() {
            by_id
                .entry(tag.id.as_str())
                .or_insert(inputs.len().saturating_add(t));
        }
        let mut by_doc = BTreeMap::new();
        for (i, d) in documents.iter().enumerate() {
            by_doc.insert(d.id.as_str(), i);
        }
        InputScope {
            inputs,
            tags,
            by_id,
            documents: by_doc,
        }
    }
}

impl Scope for InputScope<'_> {
    fn lookup(&self, name: &str) -> Option<(usize, InputKind<'_>)> {
        let &i = self.by_id.get(name)?;
        let Some(input) = self.inputs.get(i) else {
            return self
                .tags
                .get(i.saturating_sub(self.inputs.len()))
                .map(|_| (i, InputKind::Bool));
        };
        Some((i, input_kind(input)))
    }

    fn field(&self, list: usize, name: &str) -> Option<(usize, InputKind<'_>)> {
        let records = self
            .inputs
            .iter()
            .filter_map(|i| i.records.as_deref())
            .find(|r| r.list == list)?;
        let k = records.fields.iter().position(|f| f.id == name)?;
        Some((k, input_kind(records.fields.get(k)?)))
    }
}

/// What expressions may do with an input (or a record's field).
fn input_kind(input: &Input) -> InputKind<'_> {
    match input.kind {
        // Several assessors' scores are read by their judged item only.
        _ if input.multiple => {
            InputKind::Other("多人评议分（multiple），只能由读取它的评议项目使用")
        }
        InputType::Count | InputType::Number | InputType::Percent => InputKind::Number,
        InputType::Bool => InputKind::Bool,
        InputType::Choice => InputKind::Choice(&input.options),
        InputType::Text => InputKind::Text,
        InputType::Date => InputKind::Other("日期类输入项，不参与计分"),
        InputType::Records => InputKind::Records(input.records.as_ref().map_or(0, |r| r.list)),
    }
}

/// Reads an entry's `id` and `title`, names the entry after them for later messages (`name(id,
/// title)`), and claims the id in the shared namespace.
pub(super) fn read_named(
    r: &mut Reader,
    o: &mut Obj,
    ids: &mut IdRegistry,
    name: fn(&str, &str) -> String,
) -> (Option<String>, Option<String>) {
    let id = r.req_str(o, "id");
    let title = r.req_str(o, "title");
    if let (Some(id), Some(title)) = (&id, &title) {
        o.what = name(id, title);
        ids.claim(r, id, o.at("id"), &o.what);
    }
    (id, title)
}

/// Ids of items, adjustments, bonus items and vetoes share one namespace (notes are keyed by id);
/// two that differ only in case or width are the same (`text::fold_id`).
#[derive(Default)]
pub(super) struct IdRegistry {
    seen: crate::text::Ids,
}

impl IdRegistry {
    pub(super) fn claim(&mut self, r: &mut Reader, id: &str, path: String, what: &str) {
        if let Some((first, prev)) = self.seen.claim(id, what) {
            r.push(
                Code::IdDuplicate,
                path,
                format!("{what}的 id{}与{prev}重复", crate::text::same_as(id, first)),
            );
        }
    }
}

pub(super) fn read_combine(r: &mut Reader, o: &Obj) -> Combine {
    match r.opt_enum(o, "combine", &["sum", "max"]) {
        Ok(Some("max")) => Combine::Max,
        _ => Combine::Sum,
    }
}

pub(super) fn grade_index(grades: &[Grade], name: &str) -> Option<usize> {
    grades.iter().position(|g| g.name == name)
}
