//! The rules in words (`RuleSet::criteria`): the published 评分标准 comes from what is scored.

use kpi_wasm::{RuleSet, ToJson};

#[test]
fn subdistrict_criteria_word_every_part() {
    let rules = RuleSet::builtin("subdistrict").expect("built-in rule set");
    let c = rules.criteria();
    let json = c.to_json();
    if std::env::var_os("SHOW").is_some() {
        println!("{json}");
    }
    assert_eq!(c.items.len(), 47);
    assert!(c.items.iter().all(|i| !i.text.is_empty()));
    assert_eq!(
        c.items[0].text,
        [
            "未制定年度安全生产工作要点（工作意见）的，扣1.5分",
            "未细化形成工作要点任务分解清单的，扣0.5分",
            "治本攻坚和专项整治年度任务未完成，每项扣0.5分",
            "扣完为止"
        ]
    );
    assert_eq!(
        c.grades
            .iter()
            .map(|g| g.text[0].as_str())
            .collect::<Vec<_>>(),
        [
            "90分及以上",
            "80分及以上、90分以下",
            "60分及以上、80分以下",
            "60分以下"
        ]
    );
    assert!(c.vetoes[0].text[0].starts_with("发生较大及以上生产安全事故（"));
    assert!(c.quotas[0].text[0].contains("30%"));
    // Every sentence names inputs by label, never by id.
    assert!(!json.contains("hazards_fixed"));
}

#[test]
fn a_changed_point_value_changes_the_words() {
    let text = kpi_wasm::builtin_source("subdistrict").expect("source");
    let changed = text.replacen("\"points\":\"1.5\"", "\"points\":\"2\"", 1);
    assert_ne!(text, changed);
    let rules = RuleSet::from_json(&changed).expect("loads");
    assert_eq!(
        rules.criteria().items[0].text[0],
        "未制定年度安全生产工作要点（工作意见）的，扣2分"
    );
}

/// Record lists, tiers, amounts, line groups and judged averages are worded too (the published
/// 六盘水-style rule set of examples/published and the golden line-groups case).
#[test]
fn list_lines_tiers_and_groups_are_worded() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut all = String::new();
    for case in ["line-groups", "records", "judged-aggregate"] {
        let text = std::fs::read_to_string(format!("{root}/tests/cases/{case}/rules.json"))
            .expect("golden rule set");
        let rules = RuleSet::from_json(&text).expect("loads");
        let c = rules.criteria();
        assert!(c.items.iter().all(|i| !i.text.is_empty()), "{case}");
        all.push_str(&c.to_json());
    }
    if std::env::var_os("SHOW").is_some() {
        println!("{all}");
    }
    for words in ["中每条记录，", "最高的一档", "取平均"] {
        assert!(all.contains(words), "{words}");
    }
}
