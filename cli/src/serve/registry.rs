//! The rule sets the service scores with: the built-in ones, and those in `--rules-dir`, watched
//! for changes. A file in the folder is addressed by its rule set's `id` (or `id@version`); a
//! file that fails to load is reported and the version it held before keeps serving; two files
//! with one id make that id refused until one goes.

use kpi_wasm::{BUILTIN_IDS, Problem, RuleSet, ToJson, builtin_source, builtin_versions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// One rule set the service can score with.
pub struct Entry {
    /// What a URL names it by: `subdistrict`, `subdistrict@2026.1`, `city`.
    pub address: String,
    /// Every address that reaches it.
    pub addresses: Vec<String>,
    pub rules: Arc<RuleSet>,
    /// `None` for a built-in rule set, else the file name in the folder.
    pub file: Option<String>,
    /// Problems of the file's current text, when this is the previous good version.
    pub stale: Option<Vec<Problem>>,
}

/// What an address leads to.
pub enum Lookup {
    Found(Arc<Entry>),
    /// Two or more files of the folder carry this id.
    Conflict(Vec<String>),
    Missing,
}

/// The rule sets being served: one consistent view, swapped whole on a reload.
#[derive(Default)]
pub struct Registry {
    entries: Vec<Arc<Entry>>,
    by_address: BTreeMap<String, Arc<Entry>>,
    /// Ids refused because several files carry them: id → file names.
    conflicts: BTreeMap<String, Vec<String>>,
    /// Files that never loaded: file name → why.
    failed: Vec<(String, Vec<Problem>)>,
}

impl Registry {
    /// The built-in rule sets, and the folder's on top of them.
    pub fn build(builtins: &[Arc<Entry>], dir: Option<&Folder>) -> Registry {
        let mut reg = Registry::default();
        let mut by_id: BTreeMap<&str, Vec<(&String, &FileState)>> = BTreeMap::new();
        if let Some(dir) = dir {
            for (name, f) in &dir.files {
                match &f.good {
                    Some(rules) => by_id.entry(rules.id()).or_default().push((name, f)),
                    None => reg
                        .failed
                        .push((name.clone(), f.problems.clone().unwrap_or_default())),
                }
            }
        }
        for (id, files) in &by_id {
            if let [(name, f)] = files.as_slice() {
                let Some(rules) = f.good.clone() else {
                    continue;
                };
                let address = id.to_string();
                let entry = Arc::new(Entry {
                    addresses: vec![address.clone(), format!("{id}@{}", rules.version())],
                    address,
                    rules,
                    file: Some(name.to_string()),
                    stale: f.problems.clone(),
                });
                reg.add(entry);
            } else {
                reg.conflicts.insert(
                    id.to_string(),
                    files.iter().map(|(n, _)| n.to_string()).collect(),
                );
            }
        }
        for b in builtins {
            let id = b.rules.id();
            if reg.conflicts.contains_key(id) {
                continue;
            }
            let free: Vec<String> = b
                .addresses
                .iter()
                .filter(|a| !reg.by_address.contains_key(*a))
                .cloned()
                .collect();
            // A folder rule set with this id (or this version) takes those addresses; the built-in
            // keeps the others, and is listed by the first of them.
            let entry = match free.first() {
                None => continue,
                Some(first) if free.len() == b.addresses.len() => {
                    debug_assert_eq!(first, &b.addresses[0]);
                    b.clone()
                }
                Some(first) => Arc::new(Entry {
                    address: first.clone(),
                    addresses: free.clone(),
                    rules: b.rules.clone(),
                    file: None,
                    stale: None,
                }),
            };
            reg.add(entry);
        }
        reg
    }

    fn add(&mut self, entry: Arc<Entry>) {
        for a in &entry.addresses {
            self.by_address.insert(a.clone(), entry.clone());
        }
        self.entries.push(entry);
    }

    pub fn lookup(&self, address: &str) -> Lookup {
        let id = address.split('@').next().unwrap_or(address);
        if let Some(files) = self.conflicts.get(id) {
            return Lookup::Conflict(files.clone());
        }
        match self.by_address.get(address) {
            Some(e) => Lookup::Found(e.clone()),
            None => Lookup::Missing,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `GET /v1/rule-sets`: what is served, what is refused and why.
    pub fn listing(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let rule_sets: Vec<String> = self
            .entries
            .iter()
            .map(|e| {
                let r = &e.rules;
                let addresses: Vec<String> = e.addresses.iter().map(|a| q(a)).collect();
                let mut s = format!(
                    "{{\"address\":{},\"addresses\":[{}],\"id\":{},\"version\":{},\"title\":{},\"period\":{},\"unit_kind\":{},\"source\":{},\"fingerprint\":{}",
                    q(&e.address),
                    addresses.join(","),
                    q(r.id()),
                    q(r.version()),
                    q(r.title()),
                    q(r.period()),
                    q(r.unit_kind()),
                    q(if e.file.is_some() { "file" } else { "builtin" }),
                    q(r.fingerprint()),
                );
                if let Some(f) = &e.file {
                    s.push_str(&format!(",\"file\":{}", q(f)));
                }
                if let Some(p) = &e.stale {
                    s.push_str(&format!(",\"problems\":{}", p.to_json()));
                }
                s.push('}');
                s
            })
            .collect();
        let conflicts: Vec<String> = self
            .conflicts
            .iter()
            .map(|(id, files)| {
                let names: Vec<String> = files.iter().map(|f| q(f)).collect();
                format!(
                    "{{\"id\":{},\"files\":[{}],\"message\":{}}}",
                    q(id),
                    names.join(","),
                    q(&format!(
                        "规则集目录中有{}个文件的 id 都是「{id}」（{}），该 id 已停用，请只保留一个",
                        files.len(),
                        files.join("、")
                    ))
                )
            })
            .collect();
        let failed: Vec<String> = self
            .failed
            .iter()
            .map(|(f, p)| format!("{{\"file\":{},\"problems\":{}}}", q(f), p.to_json()))
            .collect();
        format!(
            "{{\"rule_sets\":[{}],\"conflicts\":[{}],\"failed\":[{}]}}",
            rule_sets.join(","),
            conflicts.join(","),
            failed.join(",")
        )
    }
}

/// Every built-in rule set, newest versions first, each with its addresses.
pub fn builtins() -> Vec<Arc<Entry>> {
    let mut out = Vec::new();
    for id in BUILTIN_IDS {
        let newest = RuleSet::builtin(id).map(|r| r.version().to_string());
        for (bid, version) in builtin_versions().filter(|(b, _)| b == id) {
            let address = format!("{bid}@{version}");
            let Some(rules) = builtin_source(&address).and_then(|t| RuleSet::from_json(t).ok())
            else {
                continue;
            };
            let is_newest = newest.as_deref() == Some(version);
            out.push(Arc::new(Entry {
                address: if is_newest {
                    bid.to_string()
                } else {
                    address.clone()
                },
                addresses: if is_newest {
                    vec![bid.to_string(), address]
                } else {
                    vec![address]
                },
                rules: Arc::new(rules),
                file: None,
                stale: None,
            }));
        }
    }
    // Newest versions first, then the older ones, each group in BUILTIN_IDS order.
    out.sort_by_key(|e| e.address.contains('@'));
    out
}

/// The folder of rule sets and what each file held when last read.
pub struct Folder {
    pub dir: PathBuf,
    files: BTreeMap<String, FileState>,
}

struct FileState {
    /// Modification time and length when last read.
    stamp: (Option<SystemTime>, u64),
    /// The last version that loaded.
    good: Option<Arc<RuleSet>>,
    /// The problems of the current text, when it does not load.
    problems: Option<Vec<Problem>>,
}

impl Folder {
    pub fn new(dir: &Path) -> Folder {
        Folder {
            dir: dir.to_path_buf(),
            files: BTreeMap::new(),
        }
    }

    /// Reads the files that are new or changed since the last scan (`*.json`, not in
    /// subfolders) and forgets the removed ones. Returns a line for the log per change; none
    /// when nothing changed.
    pub fn scan(&mut self) -> Vec<String> {
        let mut log = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) => {
                return vec![format!(
                    "无法读取规则集目录 {}：{e}（继续使用已载入的规则集）",
                    self.dir.display()
                )];
            }
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "json") || !path.is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(meta) = entry.metadata() else { continue };
            let stamp = (meta.modified().ok(), meta.len());
            seen.push(name.clone());
            let state = self.files.entry(name.clone()).or_insert(FileState {
                stamp: (None, u64::MAX),
                good: None,
                problems: None,
            });
            if state.stamp == stamp {
                continue;
            }
            state.stamp = stamp;
            let loaded = if meta.len() > kpi_wasm::MAX_DOCUMENT_BYTES as u64 {
                Err(vec![Problem::new(
                    kpi_wasm::Code::JsonTooLarge,
                    "",
                    format!(
                        "文件过大（{} 字节），上限为 {} 字节",
                        meta.len(),
                        kpi_wasm::MAX_DOCUMENT_BYTES
                    ),
                )])
            } else {
                match std::fs::read_to_string(&path) {
                    Ok(text) => RuleSet::from_json(&text).map_err(|e| e.into_problems()),
                    Err(e) => Err(vec![Problem::new(
                        kpi_wasm::Code::RulesInvalid,
                        "",
                        format!("无法读取文件：{e}"),
                    )]),
                }
            };
            match loaded {
                Ok(rules) => {
                    log.push(format!(
                        "规则集目录：载入 {name}（{} {}，{}）",
                        rules.id(),
                        rules.version(),
                        rules.title()
                    ));
                    state.good = Some(Arc::new(rules));
                    state.problems = None;
                }
                Err(problems) => {
                    let first = problems
                        .first()
                        .map(|p| format!("{}: [{}] {}", p.path, p.code.as_str(), p.message))
                        .unwrap_or_default();
                    log.push(match &state.good {
                        Some(g) => format!(
                            "规则集目录：{name} 无法载入（{}个问题，首个：{first}），继续使用上一版（{} {}）",
                            problems.len(),
                            g.id(),
                            g.version()
                        ),
                        None => format!(
                            "规则集目录：{name} 无法载入（{}个问题，首个：{first}）",
                            problems.len()
                        ),
                    });
                    state.problems = Some(problems);
                }
            }
        }
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|k| !seen.contains(k))
            .cloned()
            .collect();
        for name in gone {
            self.files.remove(&name);
            log.push(format!("规则集目录：{name} 已删除，不再提供"));
        }
        log
    }
}
