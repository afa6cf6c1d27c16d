#!/usr/bin/env python3
"""Source of rules/subdistrict.json (kept as Python so points and ids stay consistent; the JSON is
what ships and what `kpi check` validates). Run: python3 rules/src/subdistrict.py > rules/subdistrict.json"""
import json

from common import I, item, per, when

inputs = [
  # 党政领导责任
  I("plan_made", "制定年度安全生产工作计划", "bool", "leadership"),
  I("safety_meetings", "党政领导专题研究安全生产（次）", "count", "leadership", unit="次"),
  I("training_absent", "主要及分管领导缺席安全专题培训（人次）", "count", "leadership", unit="人次"),
  I("duty_list", "制定党政领导干部安全生产责任清单", "bool", "leadership"),
  I("duty_list_public", "责任清单已公示", "bool", "leadership"),
  I("duty_signed", "逐级签订安全生产责任书", "bool", "leadership"),
  I("council_score", "安委会运转评议分（分）", "number", "leadership", min="0", max="5", unit="分",
    help="由区安委办根据日常督查、会议纪要和工作台账评议，满分5分"),
  # 属地管理责任
  I("grid_gaps", "未落实安全监管员的网格（个）", "count", "territorial", unit="个"),
  I("hazards_found", "排查发现重大事故隐患（项）", "count", "territorial", unit="项"),
  I("hazards_fixed", "已整改重大事故隐患（项）", "count", "territorial", unit="项", max="hazards_found"),
  I("listed_total", "挂牌督办隐患（项）", "count", "territorial", unit="项"),
  I("listed_closed", "按期销号的挂牌督办隐患（项）", "count", "territorial", unit="项", max="listed_total"),
  I("inspections", "开展安全检查（次）", "count", "territorial", unit="次"),
  I("inspection_findings", "检查发现重大事故隐患（项）", "count", "territorial", unit="项"),
  I("supervision_penalty", "督查发现问题整改扣分（分）", "number", "territorial", min="0", max="3", unit="分",
    help="区安委办对督查发现问题未按期整改的，按每处0.5—2分核定，合计不超过3分"),
  # 企业主体责任督促
  I("self_check_rate", "企业自查覆盖率（%）", "percent", "enterprise", unit="%"),
  I("enterprises", "辖区纳管企业（家）", "count", "enterprise", unit="家"),
  I("self_reported_hazards", "企业自查发现隐患（项）", "count", "enterprise", unit="项"),
  I("standardized_rate", "安全生产标准化达标企业占比（%）", "percent", "enterprise", unit="%"),
  I("has_high_risk", "辖区有高危行业领域企业", "bool", "enterprise"),
  I("insured_rate", "高危行业领域企业安责险投保率（%）", "percent", "enterprise", unit="%"),
  I("no_reward_enterprises", "抽查中未建立隐患内部报告奖励制度的企业（家）", "count", "enterprise", unit="家"),
  I("has_chemical", "辖区有危险化学品企业", "bool", "enterprise"),
  I("chem_incomplete", "危化品专项检查未全覆盖", "bool", "enterprise"),
  I("chem_major_unfixed", "危化品企业存在未整改重大事故隐患", "bool", "enterprise"),
  # 重点领域与专项整治
  I("fire_issues", "消防安全检查发现问题（项）", "count", "key", unit="项"),
  I("fire_plan", "制定消防安全专项整治方案", "bool", "key"),
  I("has_gas_users", "辖区有瓶装液化气非居民用户", "bool", "key"),
  I("gas_issues", "城镇燃气检查发现问题（项）", "count", "key", unit="项"),
  I("has_confined_space", "辖区有有限空间作业单位", "bool", "key"),
  I("confined_issues", "有限空间作业检查发现问题（项）", "count", "key", unit="项"),
  I("site_pass_rate", "在建工程安全检查合格率（%）", "percent", "key", unit="%"),
  # 应急管理
  I("plan_updated", "总体应急预案按期修订", "bool", "emergency"),
  I("plan_filed", "应急预案按规定报备", "bool", "emergency"),
  I("missing_special_plans", "缺少的专项应急预案（项）", "count", "emergency", unit="项"),
  I("drills", "组织综合应急演练（次）", "count", "emergency", unit="次"),
  I("late_reports", "事故信息迟报（次）", "count", "emergency", unit="次"),
  I("missing_reports", "事故信息漏报（次）", "count", "emergency", unit="次"),
  I("false_reports", "事故信息谎报（次）", "count", "emergency", unit="次"),
  I("response_minutes", "应急队伍平均到场时间（分钟）", "number", "emergency", min="0", unit="分钟"),
  I("campaigns", "开展安全宣传教育活动（次）", "count", "emergency", unit="次"),
  I("safety_month", "组织“安全生产月”活动", "bool", "emergency"),
  # 事故控制、约谈通报、加分与否决（不属于某一部分）
  I("general_accidents", "一般生产安全事故（起）", "count", None, unit="起"),
  I("deaths", "生产安全事故死亡人数（人）", "count", None, unit="人"),
  I("accident_target", "事故起数控制指标（起）", "count", None, unit="起"),
  I("last_year_accidents", "上年一般生产安全事故（起）", "count", None, unit="起"),
  I("death_target", "死亡人数控制指标（人）", "count", None, unit="人"),
  I("major_accidents", "较大及以上生产安全事故（起）", "count", None, unit="起"),
  I("concealed", "存在迟报、漏报、谎报、瞒报事故行为", "bool", None),
  I("falsified", "考核材料弄虚作假", "bool", None),
  I("interviews", "被区安委会约谈（次）", "count", None, unit="次"),
  I("notices", "被区安委会通报批评（次）", "count", None, unit="次"),
  I("listed_by_city", "被市级挂牌督办的重大事故隐患（项）", "count", None, unit="项"),
  I("national_awards", "获国家级表彰（项）", "count", None, unit="项"),
  I("city_awards", "获市级表彰（项）", "count", None, unit="项"),
  I("innovations", "工作经验被市级以上推广（项）", "count", None, unit="项"),
  I("remark", "备注", "text", None, required=False),
]

sections = [
  {"id": "leadership", "title": "党政领导责任", "points": "20", "items": [
    item("1.1", "年度安全生产工作计划", "4", "未制定年度安全生产工作计划的，扣4分",
         deduct=[when("!plan_made", "4", "未制定年度安全生产工作计划")]),
    item("1.2", "党政领导专题研究安全生产", "4", "党（工）委、政府（办事处）每季度至少专题研究安全生产工作1次，每少1次扣1分",
         deduct=[per("max(4 - safety_meetings, 0)", "1", "党政领导专题研究安全生产少", unit="次")]),
    item("1.3", "领导干部安全专题培训", "3", "主要领导和分管领导参加区安委会组织的安全专题培训，每缺席1人次扣1.5分，扣完为止",
         deduct=[per("training_absent", "1.5", "领导干部缺席安全专题培训")]),
    item("1.4", "安全生产责任清单", "4", "未制定党政领导干部安全生产责任清单的扣2分；清单未公示的扣1分；未逐级签订安全生产责任书的扣1分",
         deduct=[when("!duty_list", "2", "未制定党政领导干部安全生产责任清单"),
                 when("duty_list && !duty_list_public", "1", "安全生产责任清单未公示"),
                 when("!duty_signed", "1", "未逐级签订安全生产责任书")]),
    item("1.5", "安委会运转", "5", "根据区安委办日常督查、会议纪要和工作台账评议，满分5分", judged={"input": "council_score"}),
  ]},
  {"id": "territorial", "title": "属地管理责任", "points": "25", "items": [
    item("2.1", "网格化安全监管", "5", "每发现1个网格未落实安全监管员的，扣0.5分，本项最多扣3分", cap="3",
         deduct=[per("grid_gaps", "0.5", "网格未落实安全监管员")]),
    item("2.2", "重大事故隐患整改率", "8", "重大事故隐患整改率100%得满分，每低1个百分点扣0.5分，扣完为止；未排查出重大事故隐患的得满分",
         rate={"value": "hazards_fixed / hazards_found * 100", "target": "100", "mode": "step", "step": "1",
               "points_per_step": "0.5", "when_undefined": "full"}),
    item("2.3", "挂牌督办隐患按期销号率", "4", "挂牌督办隐患按期销号率100%得满分，每低10个百分点扣1分，不足10个百分点的按10个百分点计",
         rate={"value": "listed_closed / listed_total * 100", "target": "100", "mode": "step", "step": "10",
               "points_per_step": "1", "partial": "up", "when_undefined": "full"}),
    item("2.4", "千次检查发现率", "3", "千次检查发现重大事故隐患数≥5得3分，3—5得2分，1—3得1分，低于1不得分",
         bands={"value": "if(inspections == 0, 0, inspection_findings / inspections * 1000)",
                "bands": [{"min": "5", "score": "3"}, {"min": "3", "max": "5", "score": "2"},
                          {"min": "1", "max": "3", "score": "1"}, {"max": "1", "score": "0"}]}),
    item("2.5", "千次检查发现率全区排名", "2", "全区排名第1位得2分，每后退1位扣0.25分，最低得0.5分",
         rank={"value": "if(inspections == 0, 0, inspection_findings / inspections * 1000)", "order": "desc",
               "first": "2", "step": "0.25", "floor": "0.5"}),
    item("2.6", "督查发现问题整改", "3", "区安委办督查发现问题未按期整改的，每处扣0.5—2分，由区安委办核定，扣完为止",
         deduct=[per("supervision_penalty", "1", "督查发现问题未按期整改，经核定扣{amount}分")]),
  ]},
  {"id": "enterprise", "title": "企业主体责任督促", "points": "20", "items": [
    item("3.1", "企业自查覆盖率", "5", "覆盖率低于96%的，每降低1个百分点扣0.25分；低于90%的，每降低1个百分点扣0.5分；本项扣完为止",
         deduct=[per("max(min(96 - self_check_rate, 6), 0)", "0.25", "企业自查覆盖率低于96%，低{n}个百分点，每个百分点扣{points}分"),
                 per("max(90 - self_check_rate, 0)", "0.5", "企业自查覆盖率低于90%，低{n}个百分点，每个百分点扣{points}分")]),
    item("3.2", "企业自查发现隐患数", "4", "每10家纳管企业自查发现隐患数达到8项得满分，不足的按比例得分；无纳管企业的不得分",
         rate={"value": "self_reported_hazards / enterprises * 10", "target": "8", "mode": "proportional", "when_undefined": "zero"}),
    item("3.3", "安全生产标准化建设", "3", "标准化达标企业占比≥30%得3分，20%—30%得2分，10%—20%得1分，低于10%不得分",
         bands={"value": "standardized_rate", "bands": [{"min": "30", "max": "100", "score": "3"}, {"min": "20", "max": "30", "score": "2"},
                                                       {"min": "10", "max": "20", "score": "1"}, {"min": "0", "max": "10", "score": "0"}]}),
    item("3.4", "安全生产责任保险", "3", "高危行业领域企业安责险投保率100%得满分，每低5个百分点扣1分，不足5个百分点的不扣；辖区无高危企业的不扣分",
         applicable="has_high_risk",
         rate={"value": "insured_rate", "target": "100", "mode": "step", "step": "5", "points_per_step": "1", "partial": "down"}),
    item("3.5", "隐患内部报告奖励制度", "2", "抽查企业未建立事故隐患内部报告奖励制度的，每家扣0.5分",
         deduct=[per("no_reward_enterprises", "0.5", "企业未建立隐患内部报告奖励制度")]),
    item("3.6", "危险化学品专项检查", "3", "专项检查未全覆盖的扣1分；企业存在未整改重大事故隐患的扣3分；同一项目就高不就低、不累计扣分；辖区无危化品企业的不扣分",
         applicable="has_chemical", combine="max",
         deduct=[when("chem_incomplete", "1", "危化品专项检查未全覆盖"),
                 when("chem_major_unfixed", "3", "危化品企业存在未整改重大事故隐患")]),
  ]},
  {"id": "key", "title": "重点领域专项整治", "points": "15", "items": [
    item("4.1", "消防安全", "5", "未制定消防安全专项整治方案的扣2分；消防安全检查发现问题2项以内（含）的不扣分，超过的每项扣0.5分；扣完为止",
         deduct=[when("!fire_plan", "2", "未制定消防安全专项整治方案"), per("fire_issues", "0.5", "消防安全检查发现问题", free="2")]),
    item("4.2", "城镇燃气安全", "3", "检查发现问题每项扣0.5分，扣完为止；辖区无非居民用户的不扣分",
         applicable="has_gas_users", deduct=[per("gas_issues", "0.5", "城镇燃气检查发现问题")]),
    item("4.3", "有限空间作业", "3", "检查发现问题每项扣1分，扣完为止；辖区无有限空间作业单位的不扣分",
         applicable="has_confined_space", deduct=[per("confined_issues", "1", "有限空间作业检查发现问题")]),
    item("4.4", "建设施工安全", "4", "按在建工程安全检查合格率折算：得分＝4×合格率", formula="4 * site_pass_rate / 100"),
  ]},
  {"id": "emergency", "title": "应急管理", "points": "20", "items": [
    item("5.1", "应急预案管理", "4", "总体应急预案未按期修订的扣2分，未按规定报备的扣1分，每缺少1项专项预案扣0.5分",
         deduct=[when("!plan_updated", "2", "总体应急预案未按期修订"), when("!plan_filed", "1", "应急预案未按规定报备"),
                 per("missing_special_plans", "0.5", "缺少专项应急预案")]),
    item("5.2", "应急演练", "4", "全年组织综合应急演练4次及以上得4分，2—3次得2.5分，1次得1分，未组织的不得分",
         bands={"value": "drills", "bands": [{"min": "4", "score": "4"}, {"min": "2", "max": "4", "score": "2.5"},
                                              {"min": "1", "max": "2", "score": "1"}, {"min": "0", "max": "1", "score": "0"}]}),
    item("5.3", "应急值守与信息报送", "5", "迟报一次扣1分，谎报一次扣2分，漏报一次扣3分，扣完为止",
         deduct=[per("late_reports", "1", "事故信息迟报"), per("false_reports", "2", "事故信息谎报"),
                 per("missing_reports", "3", "事故信息漏报")]),
    item("5.4", "应急救援响应", "3", "应急队伍平均到场时间不超过15分钟得满分，超过的按15÷实际时间的比例得分",
         rate={"value": "response_minutes", "target": "15", "direction": "lower", "mode": "proportional"}),
    item("5.5", "安全宣传教育", "4", "全年开展宣传教育活动少于3次的，每少1次扣1分；未组织“安全生产月”活动的扣1分",
         deduct=[per("max(3 - campaigns, 0)", "1", "安全宣传教育活动少", unit="次"), when("!safety_month", "1", "未组织“安全生产月”活动")]),
  ]},
]

rules = {
  "format": "kpi-rules/1",
  "id": "subdistrict", "version": "2026.1", "period": "2026",
  "title": "2026年度街镇安全生产和应急管理工作考核细则（示例）",
  "unit_kind": "subdistrict",
  "description": "示例细则，非官方细则：根据公开工作计划（上海市各区应急管理局2025—2026年工作要点）、区安委会工作意见与“十四五”规划中的指标和责任清单编写，仅用于演示和测试，不代表任何地区的正式考核标准。",
  "full_score": "100", "scale": 2, "not_applicable": "full",
  "inputs": inputs,
  "sections": sections,
  "adjustments": [
    {"id": "accidents", "title": "事故控制", "cap": "20",
     "basis": "每发生1起一般生产安全事故扣2分，每死亡1人扣3分；事故起数较上年增加的每多1起加扣0.2分；超过控制指标的每起加扣1分；本项最多扣20分",
     "deduct": [per("general_accidents", "2", "发生一般生产安全事故"), per("deaths", "3", "生产安全事故死亡"),
                per("max(general_accidents - last_year_accidents, 0)", "0.2", "事故起数较上年增加", unit="起"),
                per("max(general_accidents - accident_target, 0)", "1", "事故起数超过控制指标", unit="起")]},
    {"id": "warnings", "title": "约谈与通报", "cap": "6",
     "basis": "被区安委会约谈的每次扣3分，被通报批评的每次扣1分，本项最多扣6分",
     "deduct": [per("interviews", "3", "被区安委会约谈"), per("notices", "1", "被区安委会通报批评")]},
    {"id": "listed", "title": "市级挂牌督办", "basis": "辖区重大事故隐患被市级挂牌督办的，每项扣2分",
     "deduct": [per("listed_by_city", "2", "重大事故隐患被市级挂牌督办")]},
  ],
  "bonus": {"cap": "3", "items": [
    {"id": "awards", "title": "表彰奖励", "points": "2", "combine": "max",
     "basis": "安全生产工作获国家级表彰的加2分，获市级表彰的加1分；同一项按最高分只计1次",
     "add": [per("national_awards", "2", "安全生产工作获国家级表彰"), per("city_awards", "1", "安全生产工作获市级表彰")]},
    {"id": "innovation", "title": "创新做法", "points": "1", "basis": "工作经验被市级以上推广的，每项加0.5分，最多加1分",
     "add": [per("innovations", "0.5", "工作经验被市级以上推广")]},
  ]},
  "vetoes": [
    {"id": "major", "title": "发生较大及以上生产安全事故", "basis": "发生较大及以上生产安全事故的，年度考核定为不合格",
     "when": "major_accidents >= 1", "effect": "fail"},
    {"id": "falsified", "title": "考核材料弄虚作假", "basis": "考核材料弄虚作假的，年度考核分计为零", "when": "falsified", "effect": "zero"},
    {"id": "concealed", "title": "迟报、漏报、谎报、瞒报事故", "basis": "存在迟报、漏报、谎报、瞒报生产安全事故行为的，降低一个考核等次",
     "when": "concealed", "effect": {"lower_grades": 1}},
    {"id": "deaths_over", "title": "死亡人数超过控制指标", "basis": "生产安全事故死亡人数超过控制指标的，不得评为优秀",
     "when": "deaths > death_target", "effect": {"max_grade": "良好"}},
  ],
  "grades": [{"name": "优秀", "min": "90"}, {"name": "良好", "min": "80"}, {"name": "合格", "min": "60"}, {"name": "不合格", "min": "0"}],
  "quotas": [{"grade": "优秀", "max_share": "0.3"}],
}

good = {
  "plan_made": True, "safety_meetings": 4, "training_absent": 0, "duty_list": True, "duty_list_public": True, "duty_signed": True,
  "council_score": "5", "grid_gaps": 0, "hazards_found": 12, "hazards_fixed": 12, "listed_total": 3, "listed_closed": 3,
  "inspections": 400, "inspection_findings": 3, "supervision_penalty": "0",
  "self_check_rate": "98.5", "enterprises": 250, "self_reported_hazards": 260, "standardized_rate": "35", "has_high_risk": True,
  "insured_rate": "100", "no_reward_enterprises": 0, "has_chemical": True, "chem_incomplete": False, "chem_major_unfixed": False,
  "fire_issues": 0, "fire_plan": True, "has_gas_users": True, "gas_issues": 0, "has_confined_space": True, "confined_issues": 0,
  "site_pass_rate": "100", "plan_updated": True, "plan_filed": True, "missing_special_plans": 0, "drills": 4,
  "late_reports": 0, "missing_reports": 0, "false_reports": 0, "response_minutes": "12", "campaigns": 5, "safety_month": True,
  "general_accidents": 0, "deaths": 0, "accident_target": 3, "last_year_accidents": 2, "death_target": 2, "major_accidents": 0,
  "concealed": False, "falsified": False, "interviews": 0, "notices": 0, "listed_by_city": 0,
  "national_awards": 0, "city_awards": 0, "innovations": 0,
}

def case(name, expect, **changes):
    v = dict(good); v.update(changes)
    return {"name": name, "values": v, "expect": expect}

rules["tests"] = [
  # All requirements met: every item full; 2.5 (rank) pending outside a batch → provisional.
  case("全部达标的街道", {"total": "100.00", "grade": "优秀", "status": "provisional",
       "items": {"2.2": "8", "2.4": "3", "3.2": "4", "5.4": "3"}}),
  # 2.2: 9/12 = 75% → 25 points short × 0.5 = 12.5 → all 8 lost. 3.1: 88% → 6 × 0.25 + 2 × 0.5 = 2.5 lost.
  # 5.3: one late report → 1 lost. 100 − 8 − 2.5 − 1 = 88.5.
  case("隐患整改不力的街道", {"total": "88.50", "grade": "良好",
       "items": {"2.2": "0", "3.1": "2.5", "5.3": "4"}},
       hazards_fixed=9, self_check_rate="88", late_reports=1),
  # Accidents: 3 general (target 3, last year 2): 6 + deaths 2×3=6 + 1×0.2 + 0 = 12.2 → 87.80; no veto (deaths 2 ≤ target 2).
  case("发生一般事故的街道", {"total": "87.80", "grade": "良好", "vetoes": []},
       general_accidents=3, deaths=2),
  # A major accident with 3 deaths: 3 × 3 = 9 deducted (91.00); deaths over the target too; grade 不合格.
  case("发生较大事故的街道", {"total": "91.00", "grade": "不合格", "vetoes": ["major", "deaths_over"]}, major_accidents=1, deaths=3),
  # No high-risk, chemical, gas or confined-space enterprises: those items count at full points (不涉及的不扣分).
  case("无高危企业的街道", {"total": "100.00", "items": {"3.4": "3", "3.6": "3", "4.2": "3", "4.3": "3"}},
       has_high_risk=False, insured_rate="0", has_chemical=False, chem_major_unfixed=True, has_gas_users=False, gas_issues=9,
       has_confined_space=False, confined_issues=9),
  # Edges: self_check 96 → nothing lost; standardized 30 → 3; drills 2 → 2.5 (1.5 lost); insured 95 → one step (1 lost);
  # response 15 minutes → full. 100 − 1.5 − 1 = 97.5.
  case("恰在边界的街道", {"total": "97.50", "items": {"3.1": "5", "3.3": "3", "5.2": "2.5", "3.4": "2", "5.4": "3"}},
       self_check_rate="96", standardized_rate="30", drills=2, insured_rate="95", response_minutes="15"),
  # Bonus: national 1 + city 2 → max line (2) → award 2; innovations 3 → 1.5 capped at 1; sum 3 = cap.
  case("获表彰的街道", {"total": "103.00", "grade": "优秀"}, national_awards=1, city_awards=2, innovations=3),
  # Concealment lowers one grade: 100 优秀 → 良好; 3 deaths over target 2 → at most 良好; total 100 - 9 = 91.
  case("瞒报事故的街道", {"total": "91.00", "grade": "良好", "vetoes": ["concealed", "deaths_over"]}, concealed=True, deaths=3),
  # An average subdistrict. 1: 3 meetings (−1), judged 4 (−1) → 18. 2: 8 grid gaps → 4, capped at 3 → 2; hazards 11/12 =
  # 91.67% → 8.33 × 0.5 = 4.17 lost → 3.83; listed 2/3 = 66.67% → 4 steps (up) → 0; findings 3/400 × 1000 = 7.5 → 3;
  # supervision 1.5 (assessor-sized) → 1.5 → 2 + 3.83 + 0 + 3 + 2 + 1.5 = 12.33. 3: self-check 93% → 0.75 lost → 4.25;
  # 150/250 × 10 = 6 of 8 → 3; standardized 25% → 2; insured 88% → 2 full steps (down) → 1 → 4.25 + 3 + 2 + 1 + 2 + 3 = 15.25.
  # 4: 4 fire issues → 2 over the free 2 → −1 → 4; site pass 95% → 3.8 → 4 + 3 + 3 + 3.8 = 13.8.
  # 5: 2 drills → 2.5; response 20 minutes → 3 × 15 ÷ 20 = 2.25 → 4 + 2.5 + 5 + 2.25 + 4 = 17.75.
  # Sections 77.13; 1 accident (last year 2, target 3) → 2; a notice → 1. 74.13 合格.
  case("一般水平的街道", {"total": "74.13", "grade": "合格",
       "items": {"1.5": "4", "2.1": "2", "2.2": "3.83", "2.3": "0", "2.6": "1.5", "3.1": "4.25", "3.2": "3", "3.4": "1",
                 "4.1": "4", "4.4": "3.8", "5.4": "2.25"}},
       safety_meetings=3, council_score="4", grid_gaps=8, hazards_fixed=11, listed_closed=2, supervision_penalty="1.5",
       self_check_rate="93", self_reported_hazards=150, standardized_rate="25", insured_rate="88", fire_issues=4,
       site_pass_rate="95", drills=2, response_minutes="20", general_accidents=1, notices=1),
  # Falsified materials: total 0 whatever the score and bonus (年度考核分计为零).
  case("考核材料弄虚作假的街道", {"total": "0.00", "grade": "不合格", "vetoes": ["falsified"]}, falsified=True, city_awards=1),
]

print(json.dumps(rules, ensure_ascii=False, indent=1))
