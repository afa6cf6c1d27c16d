#!/usr/bin/env python3
"""Source of rules/enterprise.json. Run: python3 rules/src/enterprise.py > rules/enterprise.json"""
import json
from common import I, item, per, when, case_list

inputs = [
  I("all_staff_duty", "建立全员安全生产责任制", "bool", "responsibility"),
  I("duty_gaps", "未明确安全生产责任的岗位（个）", "count", "responsibility", unit="个"),
  I("safety_officer", "按规定设置安全管理机构或配备专职安全管理人员", "bool", "responsibility"),
  I("leader_score", "主要负责人履职评议分（分）", "number", "responsibility", min="0", max="4", unit="分",
    help="评审组根据主要负责人组织制定制度、督促检查、带班值班等履职记录评议，满分4分"),
  I("invest_required", "应提取安全生产费用（万元）", "number", "responsibility", min="0", unit="万元"),
  I("invest_used", "实际提取使用安全生产费用（万元）", "number", "responsibility", min="0", unit="万元"),
  I("high_risk", "属于高危行业领域企业", "bool", "responsibility"),
  I("insured", "投保安全生产责任保险", "bool", "responsibility"),
  I("missing_procedures", "缺少安全操作规程的岗位（个）", "count", "responsibility", unit="个"),
  I("risk_map", "绘制安全风险四色分布图", "bool", "prevention"),
  I("uncontrolled_risks", "未落实管控措施的重大风险（项）", "count", "prevention", unit="项"),
  I("hazards_found", "排查发现一般事故隐患（项）", "count", "prevention", unit="项"),
  I("hazards_fixed", "已整改一般事故隐患（项）", "count", "prevention", unit="项", max="hazards_found"),
  I("major_hazards", "存在重大事故隐患（项）", "count", "prevention", unit="项"),
  I("reward_system", "建立事故隐患内部报告奖励制度", "bool", "prevention"),
  I("rewards_paid", "兑现隐患报告奖励（次）", "count", "prevention", unit="次"),
  I("self_reports", "全年自查自报隐患（项）", "count", "prevention", unit="项"),
  I("level", "安全生产标准化等级", "choice", "standards", options=["一级", "二级", "三级", "未达标"]),
  I("has_special_work", "有特种作业人员", "bool", "standards"),
  I("special_workers", "特种作业人员（人）", "count", "standards", unit="人"),
  I("certified_workers", "持证上岗的特种作业人员（人）", "count", "standards", unit="人", max="special_workers"),
  I("has_confined", "有有限空间作业", "bool", "standards"),
  I("confined_unapproved", "有限空间作业未履行审批", "bool", "standards"),
  I("confined_untested", "有限空间作业未进行气体检测", "bool", "standards"),
  I("has_chemicals", "生产、储存或使用危险化学品", "bool", "standards"),
  I("chem_issues", "危险化学品管理问题（项）", "count", "standards", unit="项"),
  I("has_special_equipment", "有特种设备", "bool", "standards"),
  I("equipment_inspected", "特种设备定期检验率（%）", "percent", "standards", unit="%"),
  I("contractor_agreement", "与承包方、承租方签订安全生产管理协议", "bool", "standards"),
  I("contractor_issues", "相关方违章作业（次）", "count", "standards", unit="次"),
  I("site_checks", "现场安全检查抽查作业人员（人次）", "count", "standards", unit="人次"),
  I("violations", "抽查发现“三违”行为（人次）", "count", "standards", unit="人次", max="site_checks",
    help="违章指挥、违章作业、违反劳动纪律"),
  I("trained_rate", "从业人员安全培训覆盖率（%）", "percent", "training", unit="%"),
  I("new_untrained", "未经三级安全教育上岗的新员工（人）", "count", "training", unit="人"),
  I("health_checks", "组织接触职业病危害人员职业健康检查", "bool", "training"),
  I("workplace_tested", "职业病危害因素检测率（%）", "percent", "training", unit="%"),
  I("ppe_ok", "按标准配发劳动防护用品", "bool", "training"),
  I("ppe_penalty", "劳动防护用品管理不规范核定扣分（分）", "number", "training", min="0", max="1.5", unit="分",
    help="配发、佩戴、管理不规范的，评审组视情核定0.5—1.5分"),
  I("plan_ok", "生产安全事故应急预案按期修订", "bool", "emergency"),
  I("plan_filed", "应急预案按规定备案", "bool", "emergency"),
  I("drill_rate", "应急演练覆盖率（%）", "percent", "emergency", unit="%"),
  I("late_reports", "事故迟报（次）", "count", "emergency", unit="次"),
  I("supplies_ok", "应急物资和器材配备到位", "bool", "emergency"),
  I("accidents", "生产安全事故（起）", "count", None, unit="起"),
  I("accidents_last_year", "上年生产安全事故（起）", "count", None, unit="起"),
  I("injuries", "事故重伤人数（人）", "count", None, unit="人"),
  I("penalties", "受到安全生产行政处罚（次）", "count", None, unit="次"),
  I("deaths", "事故死亡人数（人）", "count", None, unit="人"),
  I("concealed", "存在瞒报、谎报事故行为", "bool", None),
  I("blacklisted", "被列入安全生产失信联合惩戒对象", "bool", None),
  I("falsified", "评审材料弄虚作假", "bool", None),
  I("national_awards", "获国家级安全生产表彰（项）", "count", None, unit="项"),
  I("city_awards", "获市级安全生产表彰（项）", "count", None, unit="项"),
  I("remark", "备注", "text", None, required=False),
]

sections = [
  {"id": "responsibility", "title": "安全生产责任体系", "points": "20", "items": [
    item("1.1", "全员安全生产责任制", "4", "未建立全员安全生产责任制的扣3分；每有1个岗位未明确安全生产责任扣0.5分，扣完为止",
         deduct=[when("!all_staff_duty", "3", "未建立全员安全生产责任制"), per("duty_gaps", "0.5", "岗位未明确安全生产责任")]),
    item("1.2", "安全管理机构和人员", "4", "未按规定设置安全生产管理机构或配备专职安全生产管理人员的扣4分",
         deduct=[when("!safety_officer", "4", "未按规定设置安全管理机构或配备专职安全管理人员")]),
    item("1.3", "主要负责人履职", "4", "评审组根据主要负责人履职记录评议", judged={"input": "leader_score"}),
    item("1.4", "安全生产投入", "3", "按规定足额提取使用安全生产费用的得满分，不足的按比例得分；不需提取的得满分",
         rate={"value": "invest_used / invest_required * 100", "target": "100", "mode": "proportional", "when_undefined": "full"}),
    item("1.5", "安全生产责任保险", "2", "高危行业领域企业未投保安全生产责任保险的扣2分；非高危行业领域企业不涉及",
         applicable="high_risk", deduct=[when("!insured", "2", "未投保安全生产责任保险")]),
    item("1.6", "规章制度和操作规程", "3", "每缺少1个岗位安全操作规程扣0.5分，本项最多扣2分", cap="2",
         deduct=[per("missing_procedures", "0.5", "岗位缺少安全操作规程")]),
  ]},
  {"id": "prevention", "title": "双重预防机制", "points": "30", "items": [
    item("2.1", "安全风险分级管控", "6", "未绘制安全风险四色分布图的扣3分；重大风险未落实管控措施的每项扣1分",
         deduct=[when("!risk_map", "3", "未绘制安全风险四色分布图"), per("uncontrolled_risks", "1", "重大风险未落实管控措施")]),
    item("2.2", "事故隐患整改率", "8", "一般事故隐患整改率100%得满分，每低1个百分点扣0.5分，扣完为止；未发现隐患的得满分",
         rate={"value": "hazards_fixed / hazards_found * 100", "target": "100", "mode": "step", "step": "1", "points_per_step": "0.5", "when_undefined": "full"}),
    item("2.3", "重大事故隐患", "6", "存在重大事故隐患的，每项扣3分，扣完为止", deduct=[per("major_hazards", "3", "存在重大事故隐患")]),
    item("2.4", "隐患内部报告奖励", "4", "未建立事故隐患内部报告奖励制度的扣2分；全年兑现奖励少于2次的每少1次扣1分",
         deduct=[when("!reward_system", "2", "未建立事故隐患内部报告奖励制度"), per("max(2 - rewards_paid, 0)", "1", "隐患报告奖励兑现少", unit="次")]),
    item("2.5", "隐患自查自报", "4", "全年自查自报隐患12项及以上得4分，6—11项得3分，1—5项得1分，未自查自报的不得分",
         bands={"value": "self_reports", "bands": [{"min": "12", "score": "4"}, {"min": "6", "max": "12", "score": "3"},
                                                    {"min": "1", "max": "6", "score": "1"}, {"min": "0", "max": "1", "score": "0"}]}),
    item("2.6", "自查自报同行业排名", "2", "同行业企业自查自报隐患数排名第1位得2分，每后退1位扣0.2分，最低得0.5分",
         rank={"value": "self_reports", "order": "desc", "first": "2", "step": "0.2", "floor": "0.5"}),
  ]},
  {"id": "standards", "title": "标准化与现场管理", "points": "25", "items": [
    item("3.1", "安全生产标准化", "5", "标准化一级得5分，二级得4分，三级得3分，未达标不得分",
         formula="if(level == \"一级\", 5, if(level == \"二级\", 4, if(level == \"三级\", 3, 0)))"),
    item("3.2", "特种作业持证上岗", "4", "特种作业人员持证率100%得满分，每低1个百分点扣1分，不足1个百分点的按1个百分点计；无特种作业的不涉及；填报有特种作业但人数为0的，待核实后评分",
         applicable="has_special_work",
         rate={"value": "certified_workers / special_workers * 100", "target": "100", "mode": "step", "step": "1", "points_per_step": "1",
               "partial": "up", "when_undefined": "pending"}),
    item("3.3", "有限空间作业", "4", "有限空间作业未履行审批的扣4分，未进行气体检测的扣2分，就高不就低、不累计扣分；无有限空间作业的不涉及",
         applicable="has_confined", combine="max",
         deduct=[when("confined_unapproved", "4", "有限空间作业未履行审批"), when("confined_untested", "2", "有限空间作业未进行气体检测")]),
    item("3.4", "危险化学品管理", "4", "危险化学品管理每发现1项问题扣1分，扣完为止；不涉及危险化学品的不涉及",
         applicable="has_chemicals", deduct=[per("chem_issues", "1", "危险化学品管理问题")]),
    item("3.5", "特种设备", "3", "特种设备定期检验率100%得满分，每低5个百分点扣1分，不足5个百分点的不扣，扣完为止；无特种设备的不涉及",
         applicable="has_special_equipment",
         rate={"value": "equipment_inspected", "target": "100", "mode": "step", "step": "5", "points_per_step": "1", "partial": "down"}),
    item("3.6", "外包与相关方管理", "3",
         "未与承包方、承租方签订安全生产管理协议的扣2分；检查发现相关方违章作业1次以内（含）的不扣分，超过的每次扣1分；扣完为止",
         deduct=[when("!contractor_agreement", "2", "未签订安全生产管理协议"), per("contractor_issues", "1", "相关方违章作业", free="1")]),
    item("3.7", "作业现场“三违”行为", "2",
         "现场抽查作业人员“三违”（违章指挥、违章作业、违反劳动纪律）发生率不高于2%的得满分，每高出1个百分点扣0.5分，扣完为止；未开展现场安全检查的不得分",
         rate={"value": "violations / site_checks * 100", "target": "2", "direction": "lower", "mode": "step", "step": "1",
               "points_per_step": "0.5", "when_undefined": "zero"}),
  ]},
  {"id": "training", "title": "教育培训与职业健康", "points": "15", "items": [
    item("4.1", "全员安全培训", "5", "培训覆盖率100%得满分，每低2个百分点扣0.5分，本项最多扣4分", cap="4",
         rate={"value": "trained_rate", "target": "100", "mode": "step", "step": "2", "points_per_step": "0.5"}),
    item("4.2", "三级安全教育", "3", "新员工未经三级安全教育上岗的，每人扣1分", deduct=[per("new_untrained", "1", "新员工未经三级安全教育上岗")]),
    item("4.3", "职业健康", "4",
         "未组织接触职业病危害人员职业健康检查的扣2分；职业病危害因素检测率低于95%的，每降低1个百分点扣0.1分；低于80%的，每降低1个百分点再扣0.2分；扣完为止",
         deduct=[when("!health_checks", "2", "未组织职业健康检查"),
                 per("max(min(95 - workplace_tested, 15), 0)", "0.1", "职业病危害因素检测率低于95%，低{n}个百分点，每个百分点扣{points}分"),
                 per("max(80 - workplace_tested, 0)", "0.2", "职业病危害因素检测率低于80%，低{n}个百分点，每个百分点再扣{points}分")]),
    item("4.4", "劳动防护用品", "3", "未按标准配发劳动防护用品的扣3分；配发、佩戴、管理不规范的，视情扣0.5—1.5分；扣完为止",
         deduct=[when("!ppe_ok", "3", "未按标准配发劳动防护用品"),
                 per("ppe_penalty", "1", "劳动防护用品配发、佩戴、管理不规范，经核定扣{amount}分")]),
  ]},
  {"id": "emergency", "title": "应急管理", "points": "10", "items": [
    item("5.1", "应急预案", "3", "应急预案未按期修订的扣2分，未按规定备案的扣1分",
         deduct=[when("!plan_ok", "2", "应急预案未按期修订"), when("!plan_filed", "1", "应急预案未按规定备案")]),
    item("5.2", "应急演练", "3", "演练覆盖率≥60%得3分，40%—60%得2分，20%—40%得1分，低于20%不得分",
         bands={"value": "drill_rate", "bands": [{"min": "60", "max": "100", "score": "3"}, {"min": "40", "max": "60", "score": "2"},
                                                {"min": "20", "max": "40", "score": "1"}, {"min": "0", "max": "20", "score": "0"}]}),
    item("5.3", "事故报告", "2", "事故迟报一次扣1分，扣完为止", deduct=[per("late_reports", "1", "事故迟报")]),
    item("5.4", "应急物资", "2", "应急物资和器材配备不到位的扣2分", deduct=[when("!supplies_ok", "2", "应急物资和器材配备不到位")]),
  ]},
]

rules = {
  "format": "kpi-rules/1", "id": "enterprise", "version": "2026.1", "period": "2026",
  "title": "2026年度企业安全生产主体责任落实情况考核细则（示例）", "unit_kind": "enterprise",
  "description": "示例细则，非官方细则：根据公开工作计划（各区应急管理局公开的年度工作要点）中企业主体责任相关要求（全员安全生产责任制、双重预防机制、安全生产标准化、安责险、隐患内部报告奖励等）编写，仅用于演示和测试，不代表任何地区的正式考核标准。不涉及的项目不计分，按“实得分＝可评分项目实得分之和÷可评分项目应得分之和×100”折算。",
  "full_score": "100", "scale": 2, "not_applicable": "rescale",
  "inputs": inputs, "sections": sections,
  "adjustments": [
    {"id": "accidents", "title": "事故扣分", "cap": "40",
     "basis": "每发生1起生产安全事故扣10分，每重伤1人加扣5分；事故起数较上年每多1起加扣2分；本项最多扣40分",
     "deduct": [per("accidents", "10", "发生生产安全事故"), per("injuries", "5", "事故造成人员重伤"),
                per("max(accidents - accidents_last_year, 0)", "2", "事故起数较上年增加", unit="起")]},
    {"id": "penalties", "title": "行政处罚", "cap": "10", "basis": "受到安全生产行政处罚的，每次扣3分，本项最多扣10分",
     "deduct": [per("penalties", "3", "受到安全生产行政处罚")]},
  ],
  "bonus": {"cap": "2", "items": [
    {"id": "awards", "title": "表彰奖励", "points": "2", "combine": "max", "basis": "获国家级安全生产表彰加2分，获市级加1分，同一项按最高分只计1次",
     "add": [per("national_awards", "2", "获国家级安全生产表彰"), per("city_awards", "1", "获市级安全生产表彰")]},
  ]},
  "vetoes": [
    {"id": "fatal", "title": "发生生产安全死亡事故", "basis": "发生生产安全死亡事故的，考核定为不合格", "when": "deaths >= 1", "effect": "fail"},
    {"id": "falsified", "title": "评审材料弄虚作假", "basis": "评审材料弄虚作假的，考核分计为零", "when": "falsified", "effect": "zero"},
    {"id": "concealed", "title": "瞒报、谎报事故", "basis": "存在瞒报、谎报事故行为的，降低一个考核等次", "when": "concealed", "effect": {"lower_grades": 1}},
    {"id": "blacklisted", "title": "列入失信联合惩戒对象", "basis": "被列入安全生产失信联合惩戒对象的，不得评为优秀",
     "when": "blacklisted", "effect": {"max_grade": "合格"}},
  ],
  "grades": [{"name": "优秀", "min": "90"}, {"name": "合格", "min": "70"}, {"name": "不合格", "min": "0"}],
  "quotas": [{"grade": "优秀", "max_share": "0.2"}],
}

good = {
  "all_staff_duty": True, "duty_gaps": 0, "safety_officer": True, "leader_score": "4", "invest_required": "50", "invest_used": "56.5",
  "high_risk": True, "insured": True, "missing_procedures": 0, "risk_map": True, "uncontrolled_risks": 0, "hazards_found": 40,
  "hazards_fixed": 40, "major_hazards": 0, "reward_system": True, "rewards_paid": 3, "self_reports": 15, "level": "一级",
  "has_special_work": True, "special_workers": 20, "certified_workers": 20, "has_confined": True, "confined_unapproved": False,
  "confined_untested": False, "has_chemicals": True, "chem_issues": 0, "has_special_equipment": True, "equipment_inspected": "100",
  "contractor_agreement": True, "contractor_issues": 0, "site_checks": 120, "violations": 1,
  "trained_rate": "100", "new_untrained": 0, "health_checks": True,
  "workplace_tested": "100", "ppe_ok": True, "ppe_penalty": "0", "plan_ok": True, "plan_filed": True, "drill_rate": "75", "late_reports": 0,
  "supplies_ok": True, "accidents": 0, "accidents_last_year": 0, "injuries": 0, "penalties": 0, "deaths": 0, "concealed": False,
  "blacklisted": False, "falsified": False, "national_awards": 0, "city_awards": 0,
}

rules["tests"] = case_list(good, [
  # Everything met: 100; 2.6 (rank) pending outside a batch → provisional.
  ("全部达标的企业", {"total": "100.00", "grade": "优秀", "status": "provisional", "items": {"1.4": "3", "3.1": "5", "3.7": "2"}}, {}),
  # Not applicable: 1.5 (2), 3.2 (4), 3.3 (4), 3.4 (4), 3.5 (3) = 17 points; 3.1 二级 → 4 (1 lost); trained 95% → 2.5 steps
  # × 0.5 = 1.25 lost. Earned 80.75 of 83 applicable → 80.75 ÷ 83 × 100 = 97.289… → 97.29.
  ("小型非高危企业（多项不涉及）", {"total": "97.29", "grade": "优秀", "items": {"3.1": "4", "4.1": "3.75"}},
   {"high_risk": False, "insured": False, "has_special_work": False, "has_confined": False, "has_chemicals": False,
    "has_special_equipment": False, "level": "二级", "trained_rate": "95"}),
  # The same enterprise without standardization and with a thin safety team: 3.1 未达标 → 0 (−5); 1.2 no officer (−4);
  # earned 100 − 17 − 5 − 4 = 74 of 83 → 89.156… → 89.16: just below 优秀 → 合格.
  ("未达标的小型企业", {"total": "89.16", "grade": "合格", "items": {"3.1": "0", "1.2": "0"}},
   {"high_risk": False, "insured": False, "has_special_work": False, "has_confined": False, "has_chemicals": False,
    "has_special_equipment": False, "level": "未达标", "safety_officer": False}),
  # 2.2: 34/40 = 85% → 15 × 0.5 = 7.5 lost → 0.5; 2.3: 1 major hazard → 3 lost; 4.1: 88% → 6 steps × 0.5 = 3 lost → 2;
  # 5.2: 40% → 2 (1 lost). 100 − 7.5 − 3 − 3 − 1 = 85.5 → 合格.
  ("隐患整改不到位的企业", {"total": "85.50", "grade": "合格", "items": {"2.2": "0.5", "2.3": "3", "4.1": "2", "5.2": "2"}},
   {"hazards_fixed": 34, "major_hazards": 1, "trained_rate": "88", "drill_rate": "40"}),
  # One accident (none last year) with 2 injuries: 10 + 10 + 2 = 22 → 78; two penalties → 6 → 72 合格.
  ("发生事故的企业", {"total": "72.00", "grade": "合格"}, {"accidents": 1, "injuries": 2, "penalties": 2}),
  # A fatal accident: 10 + 2 = 12 deducted → 88, grade 不合格 whatever the score.
  ("发生死亡事故的企业", {"total": "88.00", "grade": "不合格", "vetoes": ["fatal"]}, {"accidents": 1, "deaths": 1}),
  ("列入失信惩戒对象的企业", {"total": "100.00", "grade": "合格", "vetoes": ["blacklisted"]}, {"blacklisted": True}),
  # Edges: trained 99% → 0.5 step × 0.5 = 0.25 lost; certified 19/20 = 95% → 5 steps (5 lost, only 4 to lose) → 0;
  # equipment 95% → one full step (down) → 2 of 3; invest 25/50 → 1.5 of 3; drill 60% → 3; violations 2/100 = 2% → target met → 2;
  # 1 contractor violation is free → 3; 4 missing procedures → 2 = the cap → 1; workplace tested 95% → nothing lost.
  # 100 − 0.25 − 4 − 1 − 1.5 − 2 = 91.25.
  ("恰在边界的企业", {"total": "91.25", "grade": "优秀",
    "items": {"4.1": "4.75", "3.2": "0", "3.5": "2", "1.4": "1.5", "5.2": "3", "3.7": "2", "3.6": "3", "1.6": "1", "4.3": "4"}},
   {"trained_rate": "99", "certified_workers": 19, "equipment_inspected": "95", "invest_used": "25", "drill_rate": "60",
    "site_checks": 100, "violations": 2, "contractor_issues": 1, "missing_procedures": 4, "workplace_tested": "95"}),
  # Confined space: both findings, only the larger (4) counts (就高不就低).
  ("有限空间作业未审批的企业", {"total": "96.00", "items": {"3.3": "0"}}, {"confined_unapproved": True, "confined_untested": True}),
  # An average enterprise. 1: gaps 2 (−1), judged 3.5 (−0.5), invest 45/50 → 2.7 (−0.3), 6 missing procedures → 3 capped at 2
  # (−2) → 16.2. 2: 1 uncontrolled risk (−1), hazards 38/40 = 95% → −2.5, 1 reward paid (−1), 8 self-reports → 3 (−1) → 24.5.
  # 3: 二级 → 4 (−1), 1 chemical issue (−1), equipment 92% → 1 step (down) (−1), 2 contractor violations → 1 over free (−1),
  # violations 6/120 = 5% → 3 steps × 0.5 (−1.5) → 19.5. 4: trained 95% → 2.5 steps × 0.5 (−1.25), tested 78%: 15 × 0.1 +
  # 2 × 0.2 = 1.9 (−1.9), PPE 0.5 (−0.5) → 11.35. 5: drill 50% → 2 (−1) → 9. Sections 80.55; a penalty −3 → 77.55 合格.
  ("一般水平的企业", {"total": "77.55", "grade": "合格",
    "items": {"1.4": "2.7", "1.6": "1", "2.2": "5.5", "3.5": "2", "3.6": "2", "3.7": "0.5", "4.1": "3.75", "4.3": "2.1", "4.4": "2.5"}},
   {"duty_gaps": 2, "leader_score": "3.5", "invest_used": "45", "missing_procedures": 6, "uncontrolled_risks": 1, "hazards_fixed": 38,
    "rewards_paid": 1, "self_reports": 8, "level": "二级", "chem_issues": 1, "equipment_inspected": "92", "contractor_issues": 2,
    "violations": 6, "trained_rate": "95", "workplace_tested": "78", "ppe_penalty": "0.5", "drill_rate": "50", "penalties": 1}),
  # Concealed an accident: 1 accident (none last year) → 12 deducted → 88 合格, lowered one grade → 不合格.
  ("瞒报事故的企业", {"total": "88.00", "grade": "不合格", "vetoes": ["concealed"]}, {"accidents": 1, "concealed": True}),
  # No site checks: 3.7 scores 0 (when_undefined zero) → 98; a national award (+2) → 100; falsified materials → total 0.
  ("评审材料弄虚作假的企业", {"total": "0.00", "grade": "不合格", "vetoes": ["falsified"], "items": {"3.7": "0"}},
   {"site_checks": 0, "violations": 0, "national_awards": 1, "falsified": True}),
  # Special work declared but 0 workers: 3.2 is pending (when_undefined pending), counted at full points.
  ("特种作业人数待核实的企业", {"total": "100.00", "grade": "优秀", "status": "provisional", "items": {"3.2": "4"}},
   {"special_workers": 0, "certified_workers": 0}),
])
print(json.dumps(rules, ensure_ascii=False, indent=1))
