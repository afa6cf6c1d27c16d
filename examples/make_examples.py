#!/usr/bin/env python3
"""Writes the example submissions for the 2026.2 built-in rule sets:

    examples/subdistrict-dq.json   大桥街道 (the README's single-unit example)
    examples/units/*.json          six more 街道 of one district (the README's batch example)
    examples/department/*.json     区安委会成员单位 with different unit tags (共性 + 个性指标)

Each unit is the rule set's all-met baseline (rules/src/*.py `good`) with its own findings. A department
fills in only the fields of the items that apply to its tags (the others are optional). The 2026.1
examples are kept in examples/2026.1/. Run: python3 examples/make_examples.py
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "rules/src"))
sys.path.insert(0, str(HERE.parent / "tests/tools"))

import department  # noqa: E402
import subdistrict  # noqa: E402
import reference_scorer as rc  # noqa: E402


def submission(rules, unit, values, notes=None, meta=None, remark=None):
    s = {"format": "kpi-submission/1", "rules": {"id": rules["id"], "version": rules["version"]}, "unit": unit,
         "period": rules["period"], "values": dict(values)}
    if remark:
        s["values"]["remark"] = remark
    if notes:
        s["notes"] = notes
    if meta:
        s["meta"] = meta
    return s


def write(path, sub):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sub, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


META = {"assessor": "区安委办考核组", "date": "2026-12-15"}

# ---------------------------------------------------------------- 街镇
SD = subdistrict.rules
SUBDISTRICTS = [
  ("subdistrict-dq.json", {"id": "yp-dq", "name": "大桥街道"},
   {"hazards_fixed": 11, "hazards_listed": 11, "late_reports": 1, "self_check_rate": "94.5", "drills": 3,
    "general_accidents": 1, "deaths": 0, "se_inspected": 492, "fire_open": 1, "leader_inspections": 3,
    "uncoded_inspections": 1, "city_demo": 1, "safety_meetings": 3},
   {"1.3": "二季度未开展带队督查（督查通报第4期）", "1.5": "安全生产和消防安全形势专题研究会议纪要缺第二季度",
    "5.1": "辖区某“三合一”场所火灾隐患逾期未整改（附件3）"},
   "第三季度督查发现问题已于10月整改完毕"),
  ("units/ss.json", {"id": "ss", "name": "四平路街道"},
   {"national_demo": 1, "promoted": 2, "inspection_findings": 4}, None, None),
  ("units/cbxc.json", {"id": "cbxc", "name": "长白新村街道"},
   {"city_demo": 1, "hoses_replaced": 1176, "five_in": 4}, None, None),
  ("units/kjl.json", {"id": "kjl", "name": "控江路街道"},
   {"self_check_rate": "97", "insured_rate": "98", "villages_with_officer": 24, "ebike_sites_done": 18,
    "general_accidents": 1, "notices": 1}, None, None),
  ("units/wjc.json", {"id": "wjc", "name": "五角场街道"},
   {"complexes": 5, "complexes_ok": 4, "parks": 4, "parks_assessed": 3, "parks_platform": 3, "hazards_found": 18,
    "hazards_fixed": 16, "hazards_listed": 17, "inspection_findings": 1, "general_accidents": 2, "last_year_accidents": 1,
    "deaths": 1, "interviews": 1}, {"5.2": "1家大型商业综合体消防安全管理未达标（区消防救援支队通报）"}, None),
  ("units/xjwc.json", {"id": "xjwc", "name": "新江湾城街道"},
   {"has_forest": True, "forest_campaign": True, "forest_open": 1, "grids_covered": 37, "shelters_built": 1,
    "small_works_supervised": 27, "duty_lapses": 1}, None, None),
  ("units/yx.json", {"id": "yx", "name": "殷行街道"},
   {"major_accidents": 1, "deaths": 3, "general_accidents": 0}, None, None),
]

# ---------------------------------------------------------------- 部门
DP = department.rules
DEPARTMENTS = [
  ("xcb", "区委宣传部", [], {"council_absent": 1}),
  ("xfzd", "区消防救援支队", ["supervisor", "fire", "committee_lead"],
   {"complexes_ok": 5, "iot_connected": 114, "case_defects": 1, "larger_fires": 1}),
  ("gafj", "区公安分局", ["supervisor", "police", "committee_lead"],
   {"road_deaths": 12, "road_hazards_open": 2, "uncoded_inspections": 3, "reports_unpublished": 1}),
  ("scjgj", "区市场监管局", ["supervisor", "market"],
   {"se_inspected": 1960, "se_campaigns_open": 1, "hazards_fixed": 3, "sector_accidents": 1}),
  ("jgw", "区建管委", ["supervisor", "construction", "housing", "transport", "committee_lead"],
   {"selfbuilt_closed": 9, "pipes_renewed": "10.5", "flood_open": 1, "sector_accidents": 2, "sector_deaths": 1,
    "law_qualified": 14}),
  ("yjj", "区应急局", ["supervisor", "emergency", "committee_lead"],
   {"dust_connected": 4, "warning_coverage": "95.5", "check_findings": 1, "key_checked": 39}),
  ("jyj", "区教育局", ["supervisor", "education", "fire_std"],
   {"school_coverage": "99", "std_units_ok": 28, "lists_done": 3}),
  ("gzw", "区国资委", ["soe"], {"soe_leaders": False}),
  ("sthjj", "区生态环境局", ["supervisor", "environment"], {"env_unassessed": 1, "trained_rate": "92"}),
  ("swj", "区商务委", ["fire_std"], {"std_units_ok": 25, "late_progress": 1}),
]


def department_values(tags, changes):
    """The all-met values restricted to what a unit with these tags fills in: required inputs, the inputs of
    items that apply to it, and the accident and veto inputs that concern it."""
    rs = rc.RuleSet(json.loads(json.dumps(DP)), [])
    env = {t: t in tags for t in rs.tags}
    wanted = set()
    for _, it, rule in rs.items:
        if "applicable" in it and not rc.ev(rc.parse(it["applicable"]), dict(env, **{k: v for k, v in department.good.items()})):
            continue
        for text in rc_expressions(it, rule):
            wanted |= rc.ids_of(rc.parse(text))
        for inp in DP["inputs"]:  # bounds of what is wanted
            if inp["id"] in wanted and isinstance(inp.get("max"), str):
                wanted.add(inp["max"])
    if any(t != "soe" and t != "fire_std" for t in tags):  # units with a sector of their own
        wanted |= {"sector_accidents", "sector_accidents_last_year", "sector_deaths", "sector_death_target", "responsible_major"}
    if "fire" in tags:
        wanted.add("major_fires")
    required = {i["id"] for i in DP["inputs"] if i.get("required", True) and i["type"] != "text"}
    v = {k: val for k, val in department.good.items() if k in wanted | required}
    v.update(changes)
    return v


def rc_expressions(it, rule):
    if rule == "deduct":
        return [l.get("if") or l.get("per") for l in it["deduct"]]
    if rule == "rate":
        return [it["rate"]["value"]]
    if rule == "bands":
        return [it["bands"]["value"]]
    if rule == "formula":
        return [it["formula"]]
    if rule == "judged":
        return [it["judged"]["input"]]
    return []


def main():
    for name, unit, changes, notes, remark in SUBDISTRICTS:
        v = dict(subdistrict.good, **changes)
        write(HERE / name, submission(SD, unit, v, notes, META if name == "subdistrict-dq.json" else None, remark))
    for uid, uname, tags, changes in DEPARTMENTS:
        unit = {"id": uid, "name": uname, "tags": tags}
        write(HERE / "department" / f"{uid}.json", submission(DP, unit, department_values(tags, changes)))
    print(f"wrote examples/subdistrict-dq.json, {len(SUBDISTRICTS) - 1} examples/units/*.json, "
          f"{len(DEPARTMENTS)} examples/department/*.json")


if __name__ == "__main__":
    main()
