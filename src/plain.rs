//! The plain reader: a plainly valid submission's JSON text read straight into a rule set's input
//! slots, without building a JSON tree (most of the time of scoring one submission went into that
//! tree). Anything unusual makes it give up, and the thorough path (`Submission::from_json`, then
//! `RuleSet::prepare`) reads the text and explains what is wrong. Both must agree.

use crate::cell::{blank, convert_scalar};
use crate::json::{Map, Scalar, Scan};
use crate::limits::{
    MAX_DOCUMENT_BYTES, MAX_ITEMS, MAX_META, allows_line_breaks, is_id, max_chars,
};
use crate::rules::{InputType, RuleSet};
use crate::submission::{Submission, SubmissionUnit, too_long};
use crate::text::text_problem;
use crate::values::{Given, Prepared};
use std::collections::BTreeMap;

impl RuleSet {
    /// Reads a plainly valid submission for this rule set straight into its input slots, without
    /// building a JSON tree: most of the time of scoring one submission went into that tree.
    ///
    /// `None` when anything is unusual (an unknown or repeated key, a wrong type, a value out of
    /// range, another rule set, an escape sequence, an array): the caller then takes the thorough
    /// path, `Submission::from_json` and `prepare`, which explains the problem. For every text
    /// this accepts, the thorough path accepts it too and reads the same (tests/properties.rs
    /// and the fuzz target check that).
    pub(crate) fn read_plain(&self, text: &str) -> Option<(Submission, Prepared)> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Record lists and several assessors' scores are arrays: the thorough path reads them.
        if text.len() > MAX_DOCUMENT_BYTES || !self.lists.is_empty() {
            return None;
        }
        let mut s = Scan::new(text);
        s.begin_object()?;
        let mut given: Vec<Given> = vec![Given::Absent; self.inputs.len()];
        let (mut unit, mut period) = (None, None);
        let (mut notes, mut meta) = (BTreeMap::new(), BTreeMap::new());
        let (mut seen, mut first) = (0u8, true);
        while let Some(key) = s.key(first)? {
            first = false;
            let bit = match key {
                "$schema" => 1,
                "format" => 2,
                "rules" => 4,
                "unit" => 8,
                "period" => 16,
                "values" => 32,
                "notes" => 64,
                "meta" => 128,
                _ => return None,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            match key {
                "$schema" => {
                    s.scalar()?;
                }
                "format" => (s.scalar()? == Scalar::Str("kpi-submission/1")).then_some(())?,
                "rules" => {
                    let [id, version] = plain_strings(&mut s, ["id", "version"])?;
                    (id? == self.id && version? == self.version).then_some(())?;
                }
                "unit" => unit = Some(plain_unit(&mut s)?),
                "period" => period = Some(non_empty(s.scalar()?, "period")?.to_string()),
                "values" => self.plain_values(&mut s, &mut given)?,
                "notes" => notes = plain_string_map(&mut s, MAX_ITEMS, &|k| self.has_entry(k))?,
                _ => meta = plain_string_map(&mut s, MAX_META, &|_| true)?,
            }
        }
        s.end()?;
        // format, rules and unit are required.
        (seen & 0b1110 == 0b1110).then_some(())?;
        let unit = unit?;
        let prepared = self.complete(given, &unit);
        let mut problems = Vec::new();
        self.check_ranges(&prepared, "/values", &mut problems);
        problems.is_empty().then_some(())?;
        let sub = Submission {
            rules_id: self.id.clone(),
            rules_version: self.version.clone(),
            unit,
            period,
            values: Map::new(),
            notes,
            meta,
            not_applicable: BTreeMap::new(),
            self_assessment: None,
        };
        Some((sub, prepared))
    }

    /// The `values` object, converted into `given`.
    fn plain_values<'t>(&self, s: &mut Scan<'t>, given: &mut [Given<'t>]) -> Option<()> {
        s.begin_object()?;
        let mut first = true;
        // Forms write values in the rule set's order: try the input after the last one first.
        let mut next = 0usize;
        while let Some(key) = s.key(first)? {
            first = false;
            let i = match self.inputs.get(next) {
                Some(input) if input.id == key => next,
                _ => self.input_index(key)?,
            };
            next = i.saturating_add(1);
            let (input, slot) = (self.inputs.get(i)?, given.get_mut(i)?);
            if !matches!(slot, Given::Absent) {
                return None;
            }
            match s.scalar()? {
                Scalar::Null => *slot = Given::Null,
                Scalar::Str(s)
                    if matches!(input.kind, InputType::Text | InputType::Date) && blank(s) =>
                {
                    *slot = Given::Null
                }
                v => {
                    let text = match v {
                        Scalar::Str(s) => Some(s),
                        _ => None,
                    };
                    *slot = Given::converted(convert_scalar(input, v).ok()?, text);
                }
            }
        }
        Some(())
    }
}

/// A non-empty string within the limit of field `key`, as `Reader::opt_str` accepts it.
fn non_empty<'a>(v: Scalar<'a>, key: &str) -> Option<&'a str> {
    match v {
        Scalar::Str(s)
            if !s.trim().is_empty()
                && s.chars().count() <= max_chars(key)
                && text_problem(s, allows_line_breaks(key), is_id(key)).is_none() =>
        {
            Some(s)
        }
        _ => None,
    }
}

/// An object of the named non-empty string members, each at most once, nothing else.
fn plain_strings<'a, const N: usize>(
    s: &mut Scan<'a>,
    keys: [&str; N],
) -> Option<[Option<&'a str>; N]> {
    s.begin_object()?;
    let mut out = [None; N];
    let mut first = true;
    while let Some(key) = s.key(first)? {
        first = false;
        let k = keys.iter().position(|x| *x == key)?;
        let slot = out.get_mut(k)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(non_empty(s.scalar()?, key)?);
    }
    Some(out)
}

/// A `unit` object, as `read_unit` reads it.
fn plain_unit(s: &mut Scan) -> Option<SubmissionUnit> {
    s.begin_object()?;
    let (mut id, mut name, mut group, mut ranked) = (None, None, None, None);
    let mut first = true;
    while let Some(key) = s.key(first)? {
        first = false;
        let v = s.scalar()?;
        let slot_was_empty = match key {
            "id" => id.replace(non_empty(v, key)?).is_none(),
            "name" => name.replace(non_empty(v, key)?).is_none(),
            "group" => group.replace(non_empty(v, key)?).is_none(),
            "ranked" => match v {
                Scalar::Bool(b) => ranked.replace(b).is_none(),
                _ => return None,
            },
            _ => return None,
        };
        slot_was_empty.then_some(())?;
    }
    Some(SubmissionUnit {
        id: id?.to_string(),
        name: name?.to_string(),
        group: group.map(str::to_string),
        ranked: ranked.unwrap_or(true),
        tags: Vec::new(),
    })
}

/// A `notes` or `meta` object: string members kept, null ones skipped; every key must be `known`.
fn plain_string_map(
    s: &mut Scan,
    most: usize,
    known: &dyn Fn(&str) -> bool,
) -> Option<BTreeMap<String, String>> {
    s.begin_object()?;
    let mut out = BTreeMap::new();
    // Every key seen, null ones included: a repeated key is refused by the thorough path.
    let mut keys: Vec<&str> = Vec::new();
    let mut first = true;
    while let Some(key) = s.key(first)? {
        first = false;
        if keys.len() >= most
            || too_long(key)
            || keys.contains(&key)
            || !known(key)
            || text_problem(key, false, false).is_some()
        {
            return None;
        }
        keys.push(key);
        match s.scalar()? {
            Scalar::Str(v) if too_long(v) || text_problem(v, true, false).is_some() => return None,
            Scalar::Str(v) => {
                out.insert(key.to_string(), v.to_string());
            }
            // null is skipped, as the thorough path skips it.
            Scalar::Null => {}
            _ => return None,
        }
    }
    Some(out)
}
