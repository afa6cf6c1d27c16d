#!/usr/bin/env python3
"""Source of rules/department.json. Run: python3 rules/src/department.py > rules/department.json"""
import json
from common import I, item, per, when, case_list

inputs = [
  I("duty_defined", "明确本行业领域安全监管职责（三管三必须）", "bool", "duty"),
  I("leader_led", "主要领导亲自部署安全生产工作", "bool", "duty"),
  I("lists_done", "已制定的清单（权力、责任、负面、任务清单）（类）", "count", "duty", unit="类", max="4"),
  I("dept_meetings", "领导班子专题研究安全生产（次）", "count", "duty", unit="次"),
  I("duty_score", "成员单位履职评议分（分）", "number", "duty", min="0", max="4", unit="分", help="由区安委办根据成员单位履职情况评议，满分4分"),
  I("duty_signed", "与下属单位、行业企业签订安全生产责任书", "bool", "duty"),
  I("in_appraisal", "安全生产纳入本部门年度考核", "bool", "duty"),
  I("inspections_planned", "年度执法检查计划（家次）", "count", "supervision", unit="家次"),
  I("inspections_done", "已完成执法检查（家次）", "count", "supervision", unit="家次"),
  I("key_coverage_rate", "重点监管企业检查覆盖率（%）", "percent", "supervision", unit="%",
    help="年度内至少检查1次的重点监管企业数÷重点监管企业总数×100；无重点监管企业的填100"),
  I("case_defects", "执法案卷评查发现问题（件）", "count", "supervision", unit="件"),
  I("certified_rate", "执法人员持证率（%）", "percent", "supervision", unit="%"),
  I("decisions", "作出行政处罚决定（件）", "count", "supervision", unit="件"),
  I("publicized", "已公示的行政处罚决定（件）", "count", "supervision", unit="件", max="decisions"),
  I("random_planned", "“双随机、一公开”抽查计划（次）", "count", "supervision", unit="次"),
  I("random_done", "已完成“双随机”抽查（次）", "count", "supervision", unit="次"),
  I("unfinished_tasks", "未完成的年度专项整治任务（项）", "count", "rectification", unit="项"),
  I("listed_total", "挂牌督办隐患（项）", "count", "rectification", unit="项"),
  I("listed_closed", "按期销号的挂牌督办隐患（项）", "count", "rectification", unit="项", max="listed_total"),
  I("overdue_hazards", "逾期未整改的重大事故隐患（项）", "count", "rectification", unit="项"),
  I("hazards_reported", "行业领域企业报送隐患（项）", "count", "rectification", unit="项"),
  I("credit_reported", "按规定报送安全生产失信行为", "bool", "rectification"),
  I("unreported_cases", "未纳入联合惩戒的失信案件（件）", "count", "rectification", unit="件"),
  I("measures_penalty", "事故整改措施未落实核定扣分（分）", "number", "rectification", min="0", max="3", unit="分",
    help="事故调查报告提出的整改措施未落实的，区安委办按每项0.5—1.5分核定，合计不超过3分"),
  I("trained_rate", "行业领域企业负责人和安全管理人员培训率（%）", "percent", "support", unit="%"),
  I("plan_ok", "行业领域应急预案按期修订", "bool", "support"),
  I("dept_drills", "组织行业领域应急演练（次）", "count", "support", unit="次"),
  I("publicity_items", "安全宣传报道（篇）", "count", "support", unit="篇"),
  I("late_info", "信息报送存在迟报", "bool", "support"),
  I("false_info", "信息报送存在不实", "bool", "support"),
  I("has_supply_duty", "承担行业领域应急物资储备任务", "bool", "support"),
  I("supply_gap", "应急物资储备缺口率（%）", "percent", "support", unit="%"),
  I("platform_used", "使用安全生产监管信息平台", "bool", "support"),
  I("sector_accidents", "行业领域一般生产安全事故（起）", "count", None, unit="起"),
  I("sector_deaths", "行业领域事故死亡人数（人）", "count", None, unit="人"),
  I("sector_target", "行业领域事故控制指标（起）", "count", None, unit="起"),
  I("sector_accidents_last_year", "上年行业领域一般生产安全事故（起）", "count", None, unit="起"),
  I("sector_deaths_last_year", "上年行业领域事故死亡人数（人）", "count", None, unit="人"),
  I("dept_interviews", "被区安委会约谈（次）", "count", None, unit="次"),
  I("dept_notices", "被区安委会通报批评（次）", "count", None, unit="次"),
  I("national_awards", "获国家级表彰（项）", "count", None, unit="项"),
  I("city_awards", "获市级表彰（项）", "count", None, unit="项"),
  I("dept_innovations", "监管创新做法被市级以上推广（项）", "count", None, unit="项"),
  I("responsible_major", "对较大及以上生产安全事故负有监管责任", "bool", None),
  I("city_interviewed", "被市安委会约谈", "bool", None),
  I("concealed", "存在迟报、漏报、谎报、瞒报行业领域事故信息行为", "bool", None),
  I("falsified", "考核材料弄虚作假", "bool", None),
  I("remark", "备注", "text", None, required=False),
]

sections = [
  {"id": "duty", "title": "监管责任落实", "points": "20", "items": [
    item("1.1", "“三管三必须”职责落实", "3", "未明确本行业领域安全监管职责的扣2分；主要领导未亲自部署安全生产工作的扣1分",
         deduct=[when("!duty_defined", "2", "未明确本行业领域安全监管职责"), when("!leader_led", "1", "主要领导未亲自部署安全生产工作")]),
    item("1.2", "四类清单", "5", "权力清单、责任清单、负面清单、任务清单每缺1类扣1.25分",
         deduct=[per("4 - lists_done", "1.25", "四类清单缺", unit="类")]),
    item("1.3", "专题研究安全生产", "3", "领导班子每半年至少专题研究安全生产工作1次，每少1次扣1.5分",
         deduct=[per("max(2 - dept_meetings, 0)", "1.5", "领导班子专题研究安全生产少", unit="次")]),
    item("1.4", "成员单位履职评议", "4", "由区安委办根据成员单位履职情况评议", judged={"input": "duty_score"}),
    item("1.5", "安全生产责任书", "2", "未与下属单位、行业企业签订安全生产责任书的扣2分",
         deduct=[when("!duty_signed", "2", "未签订安全生产责任书")]),
    item("1.6", "纳入部门年度考核", "3", "未将安全生产工作纳入本部门年度考核的扣3分",
         deduct=[when("!in_appraisal", "3", "未将安全生产纳入本部门年度考核")]),
  ]},
  {"id": "supervision", "title": "监管执法", "points": "30", "out_of": "100", "items": [
    item("2.1", "执法检查计划完成率", "25", "得分＝25×执法检查计划完成率，完成率100%及以上得满分；未制定年度执法检查计划的不得分（本部分按100分制评分，折算为30分）",
         rate={"value": "inspections_done / inspections_planned * 100", "target": "100", "mode": "proportional", "when_undefined": "zero"}),
    item("2.2", "重点监管企业检查覆盖率", "20",
         "重点监管企业年度检查覆盖率低于98%的，每降低1个百分点扣1分；低于90%的，每降低1个百分点再扣2分；本项扣完为止",
         deduct=[per("max(min(98 - key_coverage_rate, 8), 0)", "1", "重点监管企业检查覆盖率低于98%，低{n}个百分点，每个百分点扣{points}分"),
                 per("max(90 - key_coverage_rate, 0)", "2", "重点监管企业检查覆盖率低于90%，低{n}个百分点，每个百分点再扣{points}分")]),
    item("2.3", "执法案卷质量", "15", "抽查执法案卷，发现问题1件以内（含）的不扣分，超过的每件扣2分，本项最多扣10分", cap="10",
         deduct=[per("case_defects", "2", "执法案卷评查发现问题", free="1")]),
    item("2.4", "执法人员持证率", "10", "持证率≥95%得10分，90%—95%得6分，80%—90%得3分，低于80%不得分",
         bands={"value": "certified_rate", "bands": [{"min": "95", "max": "100", "score": "10"}, {"min": "90", "max": "95", "score": "6"},
                                                    {"min": "80", "max": "90", "score": "3"}, {"min": "0", "max": "80", "score": "0"}]}),
    item("2.5", "行政处罚信息公示", "15", "公示率100%得满分，每低5个百分点扣2分，不足5个百分点的按5个百分点计",
         rate={"value": "publicized / decisions * 100", "target": "100", "mode": "step", "step": "5", "points_per_step": "2", "partial": "up"}),
    item("2.6", "“双随机、一公开”抽查", "15", "按抽查计划完成率折算得分；无抽查计划的得满分",
         rate={"value": "random_done / random_planned * 100", "target": "100", "mode": "proportional", "when_undefined": "full"}),
  ]},
  {"id": "rectification", "title": "专项整治与隐患治理", "points": "25", "items": [
    item("3.1", "专项整治行动", "5", "年度专项整治任务每未完成1项扣2分，扣完为止", deduct=[per("unfinished_tasks", "2", "专项整治任务未完成")]),
    item("3.2", "挂牌督办隐患整改", "5", "按期销号率100%得满分，每低10个百分点扣1.5分，不足10个百分点的按10个百分点计",
         rate={"value": "listed_closed / listed_total * 100", "target": "100", "mode": "step", "step": "10", "points_per_step": "1.5", "partial": "up"}),
    item("3.3", "重大事故隐患动态清零", "5", "重大事故隐患逾期未整改的，每项扣1分", deduct=[per("overdue_hazards", "1", "重大事故隐患逾期未整改")]),
    item("3.4", "行业领域隐患排查", "4", "行业领域企业报送隐患每10项得1分，最高4分", formula="floor(hazards_reported / 10)"),
    item("3.5", "失信联合惩戒", "3", "未按规定报送安全生产失信行为的扣2分；失信案件未纳入联合惩戒的每件扣1分",
         deduct=[when("!credit_reported", "2", "未按规定报送安全生产失信行为"), per("unreported_cases", "1", "失信案件未纳入联合惩戒")]),
    item("3.6", "事故整改措施评估", "3", "事故调查报告提出的整改措施未落实的，每项扣0.5—1.5分，由区安委办核定，扣完为止",
         deduct=[per("measures_penalty", "1", "事故整改措施未落实，经核定扣{amount}分")]),
  ]},
  {"id": "support", "title": "宣传培训与应急保障", "points": "25", "items": [
    item("4.1", "行业培训", "4", "培训率100%得满分，每低2个百分点扣0.5分，本项最多扣3分", cap="3",
         rate={"value": "trained_rate", "target": "100", "mode": "step", "step": "2", "points_per_step": "0.5"}),
    item("4.2", "应急预案与演练", "4", "行业领域应急预案未按期修订的扣2分；全年未组织应急演练的扣2分",
         deduct=[when("!plan_ok", "2", "行业领域应急预案未按期修订"), per("max(1 - dept_drills, 0)", "2", "未组织行业领域应急演练", unit="次")]),
    item("4.3", "安全宣传", "3", "全年安全宣传报道12篇及以上得3分，6—11篇得2分，1—5篇得1分，无报道不得分",
         bands={"value": "publicity_items", "bands": [{"min": "12", "score": "3"}, {"min": "6", "max": "12", "score": "2"},
                                                       {"min": "1", "max": "6", "score": "1"}, {"min": "0", "max": "1", "score": "0"}]}),
    item("4.4", "信息报送", "3", "迟报的扣1分，报送信息不实的扣3分，就高不就低、不累计扣分", combine="max",
         deduct=[when("late_info", "1", "信息报送存在迟报"), when("false_info", "3", "信息报送存在不实")]),
    item("4.5", "执法检查完成情况排名", "4", "各部门执法检查计划完成率排名第1位得4分，每后退1位扣0.5分，最低得1分",
         rank={"value": "inspections_done / max(inspections_planned, 1) * 100", "order": "desc", "first": "4", "step": "0.5", "floor": "1"}),
    item("4.6", "应急物资保障", "4", "应急物资储备无缺口的得满分；缺口率每达5个百分点扣1分，不足5个百分点的不扣，扣完为止；不承担应急物资储备任务的不扣分",
         applicable="has_supply_duty", rate={"value": "supply_gap", "target": "0", "direction": "lower", "mode": "step", "step": "5", "points_per_step": "1", "partial": "down"}),
    item("4.7", "监管信息化", "3", "未使用安全生产监管信息平台的扣3分", deduct=[when("!platform_used", "3", "未使用安全生产监管信息平台")]),
  ]},
]

rules = {
  "format": "kpi-rules/1", "id": "department", "version": "2026.1", "period": "2026",
  "title": "2026年度区安委会成员单位安全生产监管责任考核细则（示例）", "unit_kind": "department",
  "description": "示例细则，非官方细则：根据公开工作计划（各区应急管理局公开的年度工作要点）和区安委会工作意见中的成员单位责任清单（“三管三必须”、四类清单）编写，仅用于演示和测试，不代表任何地区的正式考核标准。其中“监管执法”部分按100分制评分，折算为30分。",
  "full_score": "100", "scale": 2, "not_applicable": "full", "inputs": inputs, "sections": sections,
  "adjustments": [
    {"id": "accidents", "title": "行业领域事故控制", "cap": "30",
     "basis": "行业领域每发生1起一般生产安全事故扣3分，每死亡1人扣5分；超过控制指标的每起加扣2分；事故起数较上年每多1起加扣0.5分，死亡人数较上年每多1人加扣1分；本项最多扣30分",
     "deduct": [per("sector_accidents", "3", "行业领域发生一般生产安全事故"), per("sector_deaths", "5", "行业领域事故死亡"),
                per("max(sector_accidents - sector_target, 0)", "2", "事故起数超过控制指标", unit="起"),
                per("max(sector_accidents - sector_accidents_last_year, 0)", "0.5", "事故起数较上年增加", unit="起"),
                per("max(sector_deaths - sector_deaths_last_year, 0)", "1", "死亡人数较上年增加", unit="人")]},
    {"id": "warnings", "title": "约谈与通报", "cap": "5", "basis": "被区安委会约谈的每次扣2.5分，被通报批评的每次扣1分，本项最多扣5分",
     "deduct": [per("dept_interviews", "2.5", "被区安委会约谈"), per("dept_notices", "1", "被区安委会通报批评")]},
  ],
  "bonus": {"cap": "2", "items": [
    {"id": "awards", "title": "表彰奖励", "points": "2", "combine": "max", "basis": "获国家级表彰加2分，获市级表彰加1分，同一项按最高分只计1次",
     "add": [per("national_awards", "2", "获国家级表彰"), per("city_awards", "1", "获市级表彰")]},
    {"id": "innovation", "title": "监管创新", "points": "1", "basis": "监管创新做法被市级以上推广的，每项加0.5分",
     "add": [per("dept_innovations", "0.5", "监管创新做法被市级以上推广")]},
  ]},
  "vetoes": [
    {"id": "responsible_major", "title": "对较大及以上事故负有监管责任", "basis": "对较大及以上生产安全事故负有监管责任的，年度绩效考核分为零",
     "when": "responsible_major", "effect": "zero"},
    {"id": "city_interviewed", "title": "被市安委会约谈（一票否优）", "basis": "被市安委会约谈的，不得评为优秀",
     "when": "city_interviewed", "effect": {"max_grade": "良好"}},
    {"id": "falsified", "title": "考核材料弄虚作假", "basis": "考核材料弄虚作假的，年度考核定为不合格", "when": "falsified", "effect": "fail"},
    {"id": "concealed", "title": "迟报、漏报、谎报、瞒报事故信息", "basis": "存在迟报、漏报、谎报、瞒报行业领域事故信息行为的，降低一个考核等次",
     "when": "concealed", "effect": {"lower_grades": 1}},
  ],
  "grades": [{"name": "优秀", "min": "90"}, {"name": "良好", "min": "80"}, {"name": "合格", "min": "60"}, {"name": "不合格", "min": "0"}],
  "quotas": [{"grade": "优秀", "max_share": "0.3"}],
}

good = {
  "duty_defined": True, "leader_led": True, "lists_done": 4, "dept_meetings": 2, "duty_score": "4", "duty_signed": True, "in_appraisal": True,
  "inspections_planned": 200, "inspections_done": 200, "key_coverage_rate": "100", "case_defects": 0, "certified_rate": "100",
  "decisions": 30, "publicized": 30, "random_planned": 10, "random_done": 10,
  "unfinished_tasks": 0, "listed_total": 4, "listed_closed": 4, "overdue_hazards": 0, "hazards_reported": 55, "credit_reported": True,
  "unreported_cases": 0, "measures_penalty": "0",
  "trained_rate": "100", "plan_ok": True, "dept_drills": 2, "publicity_items": 15, "late_info": False, "false_info": False,
  "has_supply_duty": True, "supply_gap": "0", "platform_used": True,
  "sector_accidents": 0, "sector_deaths": 0, "sector_target": 2, "sector_accidents_last_year": 2, "sector_deaths_last_year": 0,
  "dept_interviews": 0, "dept_notices": 0,
  "national_awards": 0, "city_awards": 0, "dept_innovations": 0, "responsible_major": False, "city_interviewed": False,
  "concealed": False, "falsified": False,
}

tests = case_list(good, [
  # Everything met: 100; 4.5 (rank) pending outside a batch → provisional.
  ("全部达标的部门", {"total": "100.00", "grade": "优秀", "status": "provisional", "items": {"2.1": "25", "2.2": "20", "3.4": "4"}}, {}),
  # 监管执法 scored out of 100: 2.1 150/200 → 25 × 75% = 18.75; 2.2 coverage 88%: 8 × 1 (98→90) + 2 × 2 (90→88) = 12 lost → 8;
  # 2.3 7 defects, 1 free → 6 × 2 = 12, capped at 10 → 5. Raw 18.75 + 8 + 5 + 10 + 15 + 15 = 71.75 → × 30 ÷ 100 = 21.525
  # → 21.53 (四舍五入). Total 20 + 21.53 + 25 + 25 = 91.53.
  ("执法检查不到位的部门", {"total": "91.53", "grade": "优秀", "items": {"2.1": "18.75", "2.2": "8", "2.3": "5"}},
   {"inspections_done": 150, "key_coverage_rate": "88", "case_defects": 7}),
  # Accidents: 3 (target 2, last year 2), 1 death (last year 0): 9 + 5 + 2 + 0.5 + 1 = 17.5; interviewed once: 2.5.
  # 100 − 20 = 80.00: exactly 良好 (以上包括本数).
  ("行业领域发生事故的部门", {"total": "80.00", "grade": "良好", "vetoes": []},
   {"sector_accidents": 3, "sector_deaths": 1, "dept_interviews": 1}),
  # Responsible for a major accident: total 0 (年度绩效考核分为零), 不合格.
  ("负有较大事故监管责任的部门", {"total": "0.00", "grade": "不合格", "vetoes": ["responsible_major"]}, {"responsible_major": True}),
  # Interviewed by the city: 100 but at most 良好 (一票否优).
  ("被市安委会约谈的部门", {"total": "100.00", "grade": "良好", "vetoes": ["city_interviewed"]}, {"city_interviewed": True}),
  # Edges: coverage 98 → nothing lost; 1 case defect is free; certified 95 → 10; publicized 29/30 = 96.67% → short 3.33 → one
  # step (up) → 13; trained 93% → 3.5 steps × 0.5 = 1.75 → 2.25; supply gap 5% → one full step (down) → 3; hazards 39 → 3.
  # Section 2 raw 98 → 29.40. Total = 20 + 29.40 + (25 − 1) + (25 − 1.75 − 1) = 95.65.
  ("恰在边界的部门", {"total": "95.65", "items": {"2.2": "20", "2.3": "15", "2.4": "10", "2.5": "13", "4.1": "2.25", "4.6": "3", "3.4": "3"}},
   {"key_coverage_rate": "98", "case_defects": 1, "certified_rate": "95", "publicized": 29, "trained_rate": "93", "supply_gap": "5",
    "hazards_reported": 39}),
  # Both late and false information: only the larger (3) counts (就高不就低).
  ("信息报送不实的部门", {"total": "97.00", "items": {"4.4": "0"}}, {"late_info": True, "false_info": True}),
  # An average department. 1: lists 3 (−1.25), meetings 1 (−1.5), judged 3 (−1) → 16.25.
  # 2 (out of 100): 180/200 → 22.5; coverage 95 → −3 → 17; defects 3 → (3 − 1) × 2 → 11; certified 92 → 6;
  # publicized 28/30 = 93.33% → 2 steps (up) × 2 → 11; random 9/10 → 13.5; raw 81 → 24.30.
  # 3: 1 task unfinished → 3; listed 3/4 = 75% → 3 steps (up) × 1.5 = 4.5 → 0.5; hazards 25 → floor(2.5) = 2; measures 1.5 → 1.5
  # → 3 + 0.5 + 5 + 2 + 3 + 1.5 = 15.
  # 4: trained 90% → 5 steps × 0.5 = 2.5 (cap 3 not reached) → 1.5; publicity 8 → 2; supply gap 12% → 2 steps (down) → 2
  # → 1.5 + 4 + 2 + 3 + 4 + 2 + 3 = 19.5. Sections 16.25 + 24.30 + 15 + 19.5 = 75.05; a notice −1 → 74.05 合格.
  ("一般水平的部门", {"total": "74.05", "grade": "合格",
    "items": {"1.2": "3.75", "1.4": "3", "2.5": "11", "3.2": "0.5", "3.4": "2", "3.6": "1.5", "4.1": "1.5", "4.6": "2"}},
   {"lists_done": 3, "dept_meetings": 1, "duty_score": "3", "inspections_done": 180, "key_coverage_rate": "95", "case_defects": 3,
    "certified_rate": "92", "publicized": 28, "random_done": 9, "unfinished_tasks": 1, "listed_closed": 3, "hazards_reported": 25,
    "measures_penalty": "1.5", "trained_rate": "90", "publicity_items": 8, "supply_gap": "12", "dept_notices": 1}),
  # No inspection plan: 2.1 scores 0 (when_undefined zero); no random-check plan: 2.6 full (when_undefined full).
  # Section 2 raw 75 → 22.50. No emergency-supply duty: 4.6 not applicable, counted at full points despite the gap.
  # Total 92.50.
  ("未制定执法检查计划的部门", {"total": "92.50", "grade": "优秀", "items": {"2.1": "0", "2.6": "15", "4.6": "4"}},
   {"inspections_planned": 0, "inspections_done": 0, "random_planned": 0, "random_done": 0, "has_supply_duty": False,
    "supply_gap": "50"}),
  # Concealed accident information: 99 (a late report, −1) is 优秀 by score, lowered one grade to 良好.
  ("瞒报事故信息的部门", {"total": "99.00", "grade": "良好", "vetoes": ["concealed"]}, {"concealed": True, "late_info": True}),
])
rules["tests"] = tests
print(json.dumps(rules, ensure_ascii=False, indent=1))
