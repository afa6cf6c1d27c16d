//! Reading where the rules come from and whom they apply to: the source documents (`documents`),
//! each rule's `sources` (the documents' own words) and `example` mark (示例值), and the unit tags
//! (`unit_tags`) that expressions may test.

use super::common::InputScope;
use crate::code::Code;
use crate::error::pointer_at;
use crate::reader::{Obj, Reader};
use crate::rules::*;
use std::collections::BTreeSet;

const DOCUMENT_KEYS: &[&str] = &["id", "title", "number", "issuer", "date", "file"];

/// The top-level `documents`: id, title and where to find each one.
pub(super) fn read_documents(r: &mut Reader, top: &Obj) -> Vec<Document> {
    let arr = r.array(top, "documents", false);
    let mut out: Vec<Document> = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&top.at("documents"), i);
        let what = format!("第{}个来源文件", i.saturating_add(1));
        let Some(o) = r.object(v, &path, &what, DOCUMENT_KEYS) else {
            continue;
        };
        let (id, title) = (r.req_str(&o, "id"), r.req_str(&o, "title"));
        let (number, issuer) = (r.opt_str(&o, "number"), r.opt_str(&o, "issuer"));
        let (date, file) = (r.opt_str(&o, "date"), r.opt_str(&o, "file"));
        let (Some(id), Some(title)) = (id, title) else {
            continue;
        };
        if out.iter().any(|d| d.id == id) {
            r.push(
                Code::IdDuplicate,
                o.at("id"),
                format!("来源文件 id「{id}」重复"),
            );
            continue;
        }
        out.push(Document {
            id,
            title,
            number,
            issuer,
            date,
            file,
        });
    }
    out
}

const TAG_KEYS: &[&str] = &["id", "label", "help"];

/// The top-level `unit_tags`; their ids share the inputs' namespace (both are names in
/// expressions).
pub(super) fn read_unit_tags(r: &mut Reader, top: &Obj, inputs: &[Input]) -> Vec<UnitTag> {
    let arr = r.array(top, "unit_tags", false);
    let mut out: Vec<UnitTag> = Vec::with_capacity(arr.len());
    let mut seen: BTreeSet<&str> = inputs.iter().map(|i| i.id.as_str()).collect();
    let mut ids = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&top.at("unit_tags"), i);
        let what = format!("第{}个单位标签", i.saturating_add(1));
        let Some(o) = r.object(v, &path, &what, TAG_KEYS) else {
            continue;
        };
        let (id, label) = (r.req_str(&o, "id"), r.req_str(&o, "label"));
        let help = r.opt_str(&o, "help");
        let (Some(id), Some(label)) = (id, label) else {
            continue;
        };
        if !super::inputs::is_identifier(&id) {
            r.push(
                Code::InputId,
                o.at("id"),
                format!("单位标签「{label}」的 id「{id}」不是合法标识符（字母或下划线开头，只含字母、数字、下划线，且不能是保留字）"),
            );
        }
        ids.push((id.clone(), o.at("id"), label.clone()));
        out.push(UnitTag { id, label, help });
    }
    for (id, path, label) in &ids {
        if !seen.insert(id.as_str()) {
            r.push(
                Code::IdDuplicate,
                path.clone(),
                format!("单位标签「{label}」的 id「{id}」与输入项或其他单位标签重复"),
            );
        }
    }
    out
}

const SOURCE_KEYS: &[&str] = &["doc", "quote"];

/// An element's `sources` (every rule element lists `"sources"` and `"example"` among its keys) (each `{doc, quote}`, `doc` naming a declared document) and `example`.
pub(super) fn read_provenance(r: &mut Reader, o: &Obj, scope: &InputScope) -> Provenance {
    let example = r.opt_bool(o, "example").unwrap_or(false);
    let arr = r.array(o, "sources", false);
    let mut sources = Vec::with_capacity(arr.len());
    for (i, v) in arr.iter().enumerate() {
        let path = pointer_at(&o.at("sources"), i);
        let what = format!("{}的第{}条依据", o.what, i.saturating_add(1));
        let Some(so) = r.object(v, &path, &what, SOURCE_KEYS) else {
            continue;
        };
        let (doc, quote) = (r.req_str(&so, "doc"), r.req_str(&so, "quote"));
        let Some(doc) = doc else { continue };
        match scope.documents.get(doc.as_str()) {
            Some(&d) => sources.extend(quote.map(|q| (d, q))),
            None => r.push(
                Code::SourcesUnknownDoc,
                so.at("doc"),
                format!("{what}引用的来源文件「{doc}」未在 documents 中列出"),
            ),
        }
    }
    Provenance { sources, example }
}
