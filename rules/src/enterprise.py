#!/usr/bin/env python3
"""Source of rules/enterprise.json (企业), version 2026.2. Run python3 rules/src/build.py.

The items follow YP14's list of enterprise duties (“从法制宣贯、企业安全投入、安全生产责任保险、企业安管机构及
制度健全、双控机制建设、培训教育、设备管理、危险作业管理、外包及供应商管理、企业应急能力建设、事故处置流程优化、
安全奖惩等方面落实企业安全生产主体责任”), with fire safety (YP14 “建立企业安全生产、消防记分制管理办法”) and the
2026 work plans' enterprise tasks; items that do not concern an enterprise are not applicable and the
total is rescaled."""
import json

from common import (BS, DOCUMENTS, I, PT23, PT25, SJ, YP, adjustment, bonus_item, case_list, item, per,
                    section_points, shortfall, veto, when)

Q_DUTIES = YP("培训教育、设备管理、危险作业管理、外包及供应商管理、企业应急能力建设、事故处置流程优化、安全奖惩")
Q_DIRECT = PT23("督促各部门、各街镇和有关企业有效落实事故统计直报责任")
Q_REDUCE = PT23("事故“减量防大”（压减一般生产安全事故，坚决遏制较大以上生产安全事故）")
Q_DUAL = PT25("帮扶指导企业落实安全风险分级管控和隐患排查治理双重预防机制")
Q_FIRE_SCORE = YP("建立企业安全生产、消防记分制管理办法")

inputs = [
  # 一、安全生产责任体系
  I("all_staff_duty", "建立全员安全生产责任制", "bool", "responsibility"),
  I("duty_gaps", "未明确安全生产责任的岗位（个）", "count", "responsibility", unit="个"),
  I("safety_officer", "按规定设置安全管理机构或配备专职安全管理人员", "bool", "responsibility"),
  I("missing_procedures", "缺少安全管理制度或岗位安全操作规程（项）", "count", "responsibility", unit="项"),
  I("leader_score", "主要负责人履职评议分（分）", "number", "responsibility", min="0", max="4", unit="分",
    help="评审组根据主要负责人带头落实全员安全生产责任、组织制定制度、督促检查、带班值班等履职记录评议，满分4分"),
  I("invest_required", "应提取安全生产费用（万元）", "number", "responsibility", min="0", unit="万元"),
  I("invest_used", "实际提取使用安全生产费用（万元）", "number", "responsibility", min="0", unit="万元"),
  I("high_risk", "属于高危行业领域企业", "bool", "responsibility"),
  I("insured", "投保安全生产责任保险", "bool", "responsibility"),
  I("incentives", "建立安全生产奖惩制度并兑现", "bool", "responsibility"),
  I("six_ones", "开展“责任主体谈主体责任”“六个一”活动", "bool", "responsibility"),
  I("culture", "开展企业安全文化建设", "bool", "responsibility"),
  # 二、双重预防机制
  I("risk_graded", "落实安全风险分级管控", "bool", "prevention"),
  I("uncontrolled_risks", "未落实管控措施的重大风险（项）", "count", "prevention", unit="项"),
  I("hazards_found", "排查发现一般事故隐患（项）", "count", "prevention", unit="项"),
  I("hazards_fixed", "已整改一般事故隐患（项）", "count", "prevention", unit="项", max="hazards_found"),
  I("major_hazards", "存在重大事故隐患（项）", "count", "prevention", unit="项"),
  I("major_unreported", "未落实“双报告”的重大事故隐患（项）", "count", "prevention", unit="项"),
  I("reward_system", "建立事故隐患内部报告奖励制度", "bool", "prevention"),
  I("report_list", "建立事故隐患内部“报告清单”", "bool", "prevention"),
  I("rewards_paid", "兑现隐患报告奖励（次）", "count", "prevention", unit="次"),
  I("self_reports", "全年自查自报隐患（项）", "count", "prevention", unit="项"),
  # 三、现场安全管理
  I("level", "安全生产标准化等级", "choice", "site", options=["一级", "二级", "三级", "未达标"]),
  I("has_special_work", "有特种作业人员", "bool", "site"),
  I("special_workers", "特种作业人员（人）", "count", "site", unit="人"),
  I("certified_workers", "持有效证件上岗的特种作业人员（人）", "count", "site", unit="人", max="special_workers"),
  I("has_confined", "有有限空间作业", "bool", "site"),
  I("confined_unapproved", "有限空间作业未履行审批", "bool", "site"),
  I("confined_untested", "有限空间作业未进行气体检测", "bool", "site"),
  I("has_hot_work", "有动火等特殊作业", "bool", "site"),
  I("hotwork_unapproved", "动火等特殊作业未履行审批（次）", "count", "site", unit="次"),
  I("has_chemicals", "生产、储存或使用危险化学品", "bool", "site"),
  I("chem_issues", "危险化学品管理问题（项）", "count", "site", unit="项"),
  I("major_source", "构成危险化学品重大危险源", "bool", "site"),
  I("custody", "落实重大危险源三级包保责任人", "bool", "site"),
  I("se_total", "特种设备（台）", "count", "site", unit="台"),
  I("se_registered", "已注册登记的特种设备（台）", "count", "site", unit="台", max="se_total"),
  I("se_inspected", "在定期检验有效期内的特种设备（台）", "count", "site", unit="台", max="se_total"),
  I("equipment_issues", "设备设施维护保养检查发现问题（项）", "count", "site", unit="项"),
  I("has_dust", "属于粉尘涉爆企业", "bool", "site"),
  I("dust_connected", "接入粉尘涉爆企业安全风险监测预警系统", "bool", "site"),
  I("welders", "电气焊作业设备（台）", "count", "site", unit="台"),
  I("welders_coded", "已“加芯赋码”的电气焊作业设备（台）", "count", "site", unit="台", max="welders"),
  I("contractor_agreement", "与承包方、承租方签订安全生产管理协议", "bool", "site"),
  I("contractor_issues", "相关方违章作业（次）", "count", "site", unit="次"),
  I("height_issues", "高处作业、机械防护检查发现问题（项）", "count", "site", unit="项"),
  I("has_env_facilities", "有脱硫脱硝、挥发性有机物回收、污水处理、粉尘治理、蓄热式焚烧炉等环保设备设施", "bool", "site"),
  I("env_assessed", "环保设备设施开展安全风险辨识评估和隐患排查治理", "bool", "site"),
  I("gas_issues", "燃气使用检查发现隐患未整改（项）", "count", "site", unit="项"),
  # 四、消防安全
  I("fire_hazards_open", "火灾隐患未整改（处）", "count", "fire", unit="处",
    help="不含通道堵塞占用和电动自行车违规停放充电，这两类分别计分"),
  I("lifeline_blocked", "消防车通道、疏散通道堵塞占用", "bool", "fire"),
  I("ebike_issues", "电动自行车违规停放充电（处）", "count", "fire", unit="处"),
  I("fire_std_sector", "属于推行消防安全标准化管理的行业（大型商业综合体、养老、医疗、文博、宗教活动场所、高层建筑、高等院校）", "bool", "fire"),
  I("fire_std_met", "达到行业消防安全标准化管理要求", "bool", "fire"),
  I("fire_key_unit", "属于消防安全重点单位", "bool", "fire"),
  I("iot_connected", "消防物联网系统已联网", "bool", "fire"),
  # 五、教育培训与应急管理
  I("trained_rate", "从业人员安全培训覆盖率（%）", "percent", "training", unit="%"),
  I("health_checks", "组织接触职业病危害人员职业健康检查", "bool", "training"),
  I("workplace_tested", "职业病危害因素检测率（%）", "percent", "training", unit="%"),
  I("plan_ok", "生产安全事故应急预案按期修订", "bool", "training"),
  I("drills", "组织应急演练（次）", "count", "training", unit="次"),
  I("supplies_ok", "应急物资和器材配备到位", "bool", "training"),
  I("late_reports", "事故迟报（次）", "count", "training", unit="次"),
  I("missing_reports", "事故漏报（次）", "count", "training", unit="次"),
  I("false_reports", "事故谎报（次）", "count", "training", unit="次"),
  I("concealed_reports", "事故瞒报（次）", "count", "training", unit="次"),
  # 事故、处罚、加分与否决
  I("accidents", "生产安全事故（起）", "count", None, unit="起"),
  I("accidents_last_year", "上年生产安全事故（起）", "count", None, unit="起"),
  I("deaths", "事故死亡人数（人）", "count", None, unit="人"),
  I("penalties", "受到安全生产行政处罚（次）", "count", None, unit="次"),
  I("blacklisted", "被列入严重失信主体名单", "bool", None),
  I("demo_titles", "被分行业选树为标准化、双重预防机制、安全文化建设典型示范企业或标杆企业（项）", "count", None, unit="项"),
  I("remark", "备注", "text", None, required=False),
]

responsibility = [
  item("1.1", "全员安全生产责任制", "4",
       "未建立全员安全生产责任制的扣3分；每有1个岗位未明确安全生产责任扣0.5分；扣完为止",
       SJ("推动企业主要负责人带头落实全员安全生产责任"), example=True,
       deduct=[when("!all_staff_duty", "3", "未建立全员安全生产责任制", SJ("推动企业主要负责人带头落实全员安全生产责任")),
               per("duty_gaps", "0.5", "岗位未明确安全生产责任", sources=SJ("落实全员安全生产责任"))]),
  item("1.2", "安全管理机构和制度", "4",
       "未按规定设置安全生产管理机构或配备专职安全生产管理人员的扣3分；每缺少1项安全管理制度或岗位安全操作规程扣0.5分；扣完为止",
       YP("企业安管机构及制度健全"), example=True,
       deduct=[when("!safety_officer", "3", "未按规定设置安全管理机构或配备专职安全管理人员", YP("企业安管机构及制度健全")),
               per("missing_procedures", "0.5", "缺少安全管理制度或岗位安全操作规程", sources=YP("企业安管机构及制度健全"))]),
  item("1.3", "主要负责人履职", "4",
       "评审组根据主要负责人带头落实全员安全生产责任等履职记录评议，满分4分",
       [SJ("推动企业主要负责人带头落实全员安全生产责任"),
        PT23("将企业法人和管理团队安全责任落实情况纳入日常执法重点内容")], example=True,
       judged={"input": "leader_score"}),
  item("1.4", "安全生产投入", "3",
       "按规定足额提取使用安全生产费用的得满分，不足的按比例得分；不需提取的得满分",
       [YP("企业安全投入"), YP("督促企业依法加大安全投入，不断改善安全生产条件")], example=True,
       rate={"value": "invest_used / invest_required * 100", "target": "100", "mode": "proportional", "when_undefined": "full"}),
  item("1.5", "安全生产责任保险", "2",
       "高危行业领域企业未投保安全生产责任保险的扣2分；非高危行业领域企业不涉及",
       [PT23("严格落实高危企业安全生产责任保险全覆盖"), YP("安全生产责任保险")], example=True, applicable="high_risk",
       deduct=[when("!insured", "2", "高危行业领域企业未投保安全生产责任保险", PT23("严格落实高危企业安全生产责任保险全覆盖"))]),
  item("1.6", "安全奖惩和安全文化", "4",
       "未建立安全生产奖惩制度并兑现的扣1.5分；未开展“责任主体谈主体责任”“六个一”活动的扣1分；未开展企业安全文化建设的扣1分；扣完为止",
       [Q_DUTIES, PT25("指导企业开展安全文化建设")], example=True,
       deduct=[when("!incentives", "1.5", "未建立安全生产奖惩制度并兑现", YP("安全奖惩")),
               when("!six_ones", "1", "未开展“责任主体谈主体责任”“六个一”活动",
                    PT23("组织开展“责任主体谈主体责任”“六个一”活动落实情况专项检查")),
               when("!culture", "1", "未开展企业安全文化建设", PT25("指导企业开展安全文化建设"))]),
]

prevention = [
  item("2.1", "安全风险分级管控", "5",
       "未落实安全风险分级管控的扣2分；重大风险未落实管控措施的每项扣1分；扣完为止",
       [Q_DUAL, YP("双控机制建设")], example=True,
       deduct=[when("!risk_graded", "2", "未落实安全风险分级管控", Q_DUAL),
               per("uncontrolled_risks", "1", "重大风险未落实管控措施", sources=Q_DUAL)]),
  item("2.2", "事故隐患整改率", "7",
       "一般事故隐患整改率100%得满分，每低1个百分点扣0.5分，扣完为止；未发现隐患的得满分",
       [Q_DUAL, SJ("健全企业自查自改常态化机制")], example=True,
       rate={"value": "hazards_fixed / hazards_found * 100", "target": "100", "mode": "step", "step": "1", "points_per_step": "0.5",
             "when_undefined": "full"}),
  item("2.3", "重大事故隐患和“双报告”", "6",
       "存在重大事故隐患的每项扣3分；重大事故隐患未落实“双报告”的每项加扣2分；扣完为止",
       [PT23("严格落实重大事故隐患“双报告”制度"), PT25("持续开展重大事故隐患动态清零行动")], example=True,
       deduct=[per("major_hazards", "3", "存在重大事故隐患", sources=PT25("持续开展重大事故隐患动态清零行动")),
               per("major_unreported", "2", "重大事故隐患未落实“双报告”", sources=PT23("严格落实重大事故隐患“双报告”制度"))]),
  item("2.4", "事故隐患内部报告奖励", "4",
       "未建立事故隐患内部报告奖励制度的扣2分；未建立“报告清单”的扣1分；全年兑现奖励少于2次的每少1次扣0.5分；扣完为止",
       [SJ("完善事故隐患内部报告奖励和安责险事故预防服务机制"),
        PT25("指导危化、工贸等重点领域企业建立“报告清单”，按计划推进覆盖面")], example=True,
       deduct=[when("!reward_system", "2", "未建立事故隐患内部报告奖励制度", SJ("完善事故隐患内部报告奖励和安责险事故预防服务机制")),
               when("!report_list", "1", "未建立事故隐患内部“报告清单”", PT25("指导危化、工贸等重点领域企业建立“报告清单”")),
               per("max(2 - rewards_paid, 0)", "0.5", "隐患报告奖励兑现少", unit="次",
                   sources=PT25("深化企业内部奖励机制建设"), example=True)]),
  item("2.5", "隐患自查自报", "5",
       "全年自查自报隐患12项及以上得5分，6—11项得3.5分，1—5项得1.5分，未自查自报的不得分",
       [SJ("健全企业自查自改常态化机制"), BS("“重大事故隐患整改率、千次检查发现率、企业自查发现数”等关键指标开展监测评估")],
       example=True,
       bands={"value": "self_reports", "bands": [{"min": "12", "score": "5"}, {"min": "6", "max": "12", "score": "3.5"},
                                                  {"min": "1", "max": "6", "score": "1.5"}, {"min": "0", "max": "1", "score": "0"}]}),
]

site = [
  item("3.1", "安全生产标准化", "5",
       "安全生产标准化一级得5分，二级得4分，三级得3分，未达标不得分",
       [PT25("分行业、分等级选树安全生产标准化标杆企业"), PT23("大力培育标准化示范性企业创建")], example=True,
       formula="if(level == \"一级\", 5, if(level == \"二级\", 4, if(level == \"三级\", 3, 0)))"),
  item("3.2", "特种作业持证上岗", "3",
       "特种作业人员持证率100%得满分，每低1个百分点扣1分，不足1个百分点的按1个百分点计；无特种作业的不涉及；填报有特种作业但人数为0的，待核实后评分",
       PT25("开展“特种作业假证”回头看专项行动，推动持证上岗规范化"), example=True, applicable="has_special_work",
       rate={"value": "certified_workers / special_workers * 100", "target": "100", "mode": "step", "step": "1",
             "points_per_step": "1", "partial": "up", "when_undefined": "pending"}),
  item("3.3", "有限空间作业", "3",
       "有限空间作业未履行审批的扣3分，未进行气体检测的扣2分，就高不就低、不累计扣分；无有限空间作业的不涉及",
       [BS("推动有限空间作业指导服务和安全检查全面落地"), YP("危险作业管理")], example=True, applicable="has_confined",
       combine="max",
       deduct=[when("confined_unapproved", "3", "有限空间作业未履行审批", YP("危险作业管理")),
               when("confined_untested", "2", "有限空间作业未进行气体检测", BS("推动有限空间作业指导服务和安全检查全面落地"))]),
  item("3.4", "动火等特殊作业", "3",
       "动火等特殊作业未履行审批的，每次扣1.5分，扣完为止；无特殊作业的不涉及",
       [SJ("严格特殊作业、检维修、试生产、开停车及异常工况等环节安全管理"), YP("危险作业管理")], example=True,
       applicable="has_hot_work",
       deduct=[per("hotwork_unapproved", "1.5", "动火等特殊作业未履行审批",
                   sources=[SJ("严格特殊作业、检维修、试生产、开停车及异常工况等环节安全管理"),
                            BS("协调推进人员密集场所动火作业、建筑保温材料安全专项治理")])]),
  item("3.5", "危险化学品管理", "3",
       "危险化学品管理每发现1项问题扣1分；构成重大危险源未落实三级包保责任人的扣2分；扣完为止；不涉及危险化学品的不涉及",
       [PT23("加强使用危险化学品从事生产的企业及医院、学校、科研机构等单位的危险化学品使用安全管理"),
        PT23("实施重大危险源企业三级包保责任人常态化、常压式管控")], example=True, applicable="has_chemicals",
       deduct=[per("chem_issues", "1", "危险化学品管理问题",
                   sources=PT23("加强使用危险化学品从事生产的企业及医院、学校、科研机构等单位的危险化学品使用安全管理")),
               when("major_source && !custody", "2", "重大危险源未落实三级包保责任人",
                    PT23("实施重大危险源企业三级包保责任人常态化、常压式管控"))]),
  item("3.6", "设备管理和特种设备", "3",
       "特种设备注册登记率、定检率均应达到100%，每低1个百分点各扣0.1分；设备设施维护保养检查发现问题的每项扣0.5分；扣完为止",
       [YP("设备管理"), YP("人员密集场所及高层建筑特种设备注册登记和定检率达到 100%")], example=True,
       deduct=[per(shortfall("se_registered", "se_total"), "0.1", "特种设备注册登记率低于100%，差{n}个百分点，每个百分点扣{points}分",
                   sources=YP("人员密集场所及高层建筑特种设备注册登记和定检率达到 100%")),
               per(shortfall("se_inspected", "se_total"), "0.1", "特种设备定检率低于100%，差{n}个百分点，每个百分点扣{points}分",
                   sources=YP("人员密集场所及高层建筑特种设备注册登记和定检率达到 100%")),
               per("equipment_issues", "0.5", "设备设施维护保养检查发现问题", sources=YP("设备管理"))]),
  item("3.7", "粉尘涉爆和电气焊作业", "2",
       "粉尘涉爆企业未接入安全风险监测预警系统的扣1分；电气焊作业设备“加芯赋码”率应达到100%，每低1个百分点扣0.01分；扣完为止",
       [PT25("推广应用粉尘涉爆企业安全风险监测预警系统，实现应接尽接"), SJ("开展电气焊作业“加芯赋码”推广应用，完成数字化监管全覆盖")],
       example=True,
       deduct=[when("has_dust && !dust_connected", "1", "粉尘涉爆企业未接入安全风险监测预警系统",
                    PT25("推广应用粉尘涉爆企业安全风险监测预警系统，实现应接尽接")),
               per(shortfall("welders_coded", "welders"), "0.01", "电气焊作业“加芯赋码”率低于100%，差{n}个百分点，每个百分点扣{points}分",
                   sources=SJ("开展电气焊作业“加芯赋码”推广应用，完成数字化监管全覆盖"))]),
  item("3.8", "外包及相关方管理和高发环节", "3",
       "未与承包方、承租方签订安全生产管理协议的扣2分；检查发现相关方违章作业1次以内（含）的不扣分，超过的每次扣1分；高处作业、机械防护检查发现问题的每项扣0.5分；扣完为止",
       [YP("外包及供应商管理"), PT23("紧盯厂房仓库等事故多发行业领域和承包商、高处坠落、物体打击等高发环节，开展专项治理")],
       example=True,
       deduct=[when("!contractor_agreement", "2", "未签订安全生产管理协议", YP("外包及供应商管理")),
               per("contractor_issues", "1", "相关方违章作业", free="1", sources=PT23("承包商、高处坠落、物体打击等高发环节"),
                   example=True),
               per("height_issues", "0.5", "高处作业、机械防护检查发现问题",
                   sources=[PT23("承包商、高处坠落、物体打击等高发环节"), BS("开展防范高处坠落和机械伤害事故")])]),
  item("3.9", "环保设施和燃气使用安全", "2",
       "环保设备设施未开展安全风险辨识评估和隐患排查治理的扣1分；燃气使用检查发现隐患未整改的每项扣0.5分；扣完为止",
       [PT23("指导督促企业开展环保设备设施安全风险辨识评估和隐患排查治理"), BS("城镇燃气等领域整治成果纳入常态化监管")],
       example=True,
       deduct=[when("has_env_facilities && !env_assessed", "1", "环保设备设施未开展安全风险辨识评估和隐患排查治理",
                    PT23("指导督促企业开展环保设备设施安全风险辨识评估和隐患排查治理")),
               per("gas_issues", "0.5", "燃气使用检查发现隐患未整改",
                   sources=[BS("城镇燃气等领域整治成果纳入常态化监管"), YP("落实“排查-整改-销号”全过程管理")])]),
]

fire = [
  item("4.1", "火灾隐患和疏散通道", "6",
       "火灾隐患未整改的每处扣1分；消防车通道、疏散通道堵塞占用的扣2分；电动自行车违规停放充电的每处扣0.5分；扣完为止",
       [Q_FIRE_SCORE, PT23("深化高层建筑、厂房仓库、大型商业综合体、农民自建房、电动自行车等重点场所和领域专项治理")],
       example=True,
       deduct=[per("fire_hazards_open", "1", "火灾隐患未整改", sources=Q_FIRE_SCORE),
               when("lifeline_blocked", "2", "消防车通道、疏散通道堵塞占用", BS("巩固畅通“生命通道”整治成效")),
               per("ebike_issues", "0.5", "电动自行车违规停放充电", sources=PT25("持续开展电动自行车等专项整治行动"))]),
  item("4.2", "消防安全标准化管理", "3",
       "推行消防安全标准化管理行业的企业未达到标准化管理要求的扣3分；其他企业不涉及",
       [PT23("分行业、分类别推动实行消防安全标准化管理"),
        PT23("深化大型商业综合体、养老机构、医疗机构、文博单位、宗教活动场所、高层建筑、高等院校消防安全标准化管理工作")],
       example=True, applicable="fire_std_sector",
       deduct=[when("!fire_std_met", "3", "未达到行业消防安全标准化管理要求", PT23("分行业、分类别推动实行消防安全标准化管理"))]),
  item("4.3", "消防物联网联网", "2",
       "消防安全重点单位消防物联网系统未联网的扣2分；非消防安全重点单位不涉及",
       PT23("继续推进全区消防安全重点单位消防物联网系统联网"), example=True, applicable="fire_key_unit",
       deduct=[when("!iot_connected", "2", "消防物联网系统未联网", PT23("继续推进全区消防安全重点单位消防物联网系统联网"))]),
]

training = [
  item("5.1", "全员安全培训", "5",
       "从业人员安全培训覆盖率100%得满分，每低2个百分点扣0.5分，扣完为止",
       YP("培训教育"), example=True,
       rate={"value": "trained_rate", "target": "100", "mode": "step", "step": "2", "points_per_step": "0.5"}),
  item("5.2", "职业健康", "3",
       "未组织接触职业病危害人员职业健康检查的扣2分；职业病危害因素检测率低于95%的，每降低1个百分点扣0.1分；低于80%的，每降低1个百分点再扣0.2分；扣完为止",
       [BS("切实履行安全生产和职业健康管理监督责任"), YP("尘肺病易发高发行业领域的粉尘危害专项治理工作")], example=True,
       deduct=[when("!health_checks", "2", "未组织职业健康检查", BS("切实履行安全生产和职业健康管理监督责任")),
               per("max(min(95 - workplace_tested, 15), 0)", "0.1", "职业病危害因素检测率低于95%，低{n}个百分点，每个百分点扣{points}分",
                   sources=YP("尘肺病易发高发行业领域的粉尘危害专项治理工作"), example=True),
               per("max(80 - workplace_tested, 0)", "0.2", "职业病危害因素检测率低于80%，低{n}个百分点，每个百分点再扣{points}分",
                   sources=YP("尘肺病易发高发行业领域的粉尘危害专项治理工作"), example=True)]),
  item("5.3", "应急预案和演练", "3",
       "生产安全事故应急预案未按期修订的扣1.5分；全年未组织应急演练的扣1.5分",
       YP("企业应急能力建设、事故处置流程优化"), example=True,
       deduct=[when("!plan_ok", "1.5", "应急预案未按期修订", YP("企业应急能力建设")),
               when("drills == 0", "1.5", "全年未组织应急演练", YP("企业应急能力建设"), example=True)]),
  item("5.4", "事故报告", "2",
       "事故迟报一次扣0.5分，漏报一次扣1分，谎报一次扣1.5分，瞒报一次扣2分，扣完为止",
       [Q_DIRECT, YP("事故处置流程优化")], example=True,
       deduct=[per("late_reports", "0.5", "事故迟报", sources=Q_DIRECT),
               per("missing_reports", "1", "事故漏报", sources=Q_DIRECT),
               per("false_reports", "1.5", "事故谎报", sources=Q_DIRECT),
               per("concealed_reports", "2", "事故瞒报", sources=Q_DIRECT)]),
  item("5.5", "应急物资", "1",
       "应急物资和器材配备不到位的扣1分",
       YP("企业应急能力建设"), example=True,
       deduct=[when("!supplies_ok", "1", "应急物资和器材配备不到位", YP("企业应急能力建设"))]),
]

sections = [
  {"id": "responsibility", "title": "安全生产责任体系", "points": section_points(responsibility), "items": responsibility},
  {"id": "prevention", "title": "双重预防机制", "points": section_points(prevention), "items": prevention},
  {"id": "site", "title": "现场安全管理", "points": section_points(site), "items": site},
  {"id": "fire", "title": "消防安全", "points": section_points(fire), "items": fire},
  {"id": "training", "title": "教育培训与应急管理", "points": section_points(training), "items": training},
]

rules = {
  "format": "kpi-rules/1", "id": "enterprise", "version": "2026.2", "period": "2026",
  "title": "2026年度企业安全生产主体责任落实情况考核细则（示例）", "unit_kind": "enterprise",
  "description": (
    "示例细则，非官方细则：根据五份公开文件（公开工作计划、规划和工作意见）中企业主体责任相关要求编写——主要依据YP14《杨浦区"
    "应急管理“十四五”规划》（杨府发〔2021〕13号）列举的企业主体责任（企业安全投入、安全生产责任保险、企业安管机构及制度健全、"
    "双控机制建设、培训教育、设备管理、危险作业管理、外包及供应商管理、企业应急能力建设、事故处置流程优化、安全奖惩）和“建立企业"
    "安全生产、消防记分制管理办法”，以及BS26《宝山区应急管理局2026年工作要点》（宝应急〔2026〕2号）、SJ26《松江区应急管理局"
    "2026年工作要点》（沪松应急局〔2026〕1号）、PT25《上海市普陀区应急管理局2025年工作要点》（普应急〔2025〕8号）、PT23《普陀区"
    "2023年安全生产工作意见》（普安委〔2023〕4号）中的企业任务。每个项目、扣分项、否决项和加分项都以sources注明所依据的原文"
    "（docs/sources/）；各项分值和文件未给出的阈值均为示例值。仅用于演示和测试，不代表任何地区的正式考核标准。不涉及的项目不计分，"
    "按“实得分＝可评分项目实得分之和÷可评分项目应得分之和×100”折算。"),
  "documents": DOCUMENTS,
  "full_score": "100", "scale": 2, "not_applicable": "rescale",
  "inputs": inputs, "sections": sections,
  "adjustments": [
    adjustment("accidents", "事故扣分",
               "每发生1起生产安全事故扣10分；事故起数较上年每多1起加扣2分；本项最多扣40分",
               [per("accidents", "10", "发生生产安全事故", sources=Q_REDUCE),
                per("max(accidents - accidents_last_year, 0)", "2", "事故起数较上年增加", unit="起", sources=Q_REDUCE)],
               Q_REDUCE, cap="40"),
    adjustment("penalties", "行政处罚",
               "受到安全生产行政处罚的，每次扣3分，本项最多扣10分",
               [per("penalties", "3", "受到安全生产行政处罚", sources=SJ("加大挂牌督办、一案双罚和约谈警示力度"))],
               [SJ("加大挂牌督办、一案双罚和约谈警示力度"), YP("以经济、法制手段压实企业主体责任")], cap="10"),
  ],
  "bonus": {"cap": "2", "items": [
    bonus_item("demo", "典型示范企业", "2",
               "被分行业选树为安全生产标准化、双重预防机制、安全文化建设典型示范企业或标准化标杆企业的，每项加1分，最多加2分",
               [per("demo_titles", "1", "被选树为典型示范企业或标杆企业",
                    sources=PT23("分行业选树一批安全生产标准化、风险管控和隐患排查双重预防机制、企业安全生产文化建设的典型示范企业"))],
               [PT23("分行业选树一批安全生产标准化、风险管控和隐患排查双重预防机制、企业安全生产文化建设的典型示范企业"),
                PT25("分行业、分等级选树安全生产标准化标杆企业")]),
  ]},
  "vetoes": [
    veto("fatal", "发生生产安全死亡事故", "发生生产安全死亡事故的，考核定为不合格", "deaths >= 1", "fail", Q_REDUCE, example=True),
    veto("concealed", "瞒报、谎报事故", "存在瞒报、谎报事故行为的，降低一个考核等次",
         "concealed_reports + false_reports >= 1", {"lower_grades": 1}, Q_DIRECT),
    veto("blacklisted", "列入严重失信主体名单", "被列入严重失信主体名单的，不得评为优秀",
         "blacklisted", {"max_grade": "合格"}, [SJ("加强严重失信主体名单管理和信用修复"), PT23("失信惩戒")]),
  ],
  "grades": [{"name": "优秀", "min": "90", "example": True}, {"name": "合格", "min": "70", "example": True},
             {"name": "不合格", "min": "0"}],
  "quotas": [{"grade": "优秀", "max_share": "0.2", "example": True}],
}

good = {
  "all_staff_duty": True, "duty_gaps": 0, "safety_officer": True, "missing_procedures": 0, "leader_score": "4",
  "invest_required": "50", "invest_used": "56.5", "high_risk": True, "insured": True, "incentives": True, "six_ones": True,
  "culture": True, "risk_graded": True, "uncontrolled_risks": 0, "hazards_found": 40, "hazards_fixed": 40, "major_hazards": 0,
  "major_unreported": 0, "reward_system": True, "report_list": True, "rewards_paid": 3, "self_reports": 15, "level": "一级",
  "has_special_work": True, "special_workers": 20, "certified_workers": 20, "has_confined": True, "confined_unapproved": False,
  "confined_untested": False, "has_hot_work": True, "hotwork_unapproved": 0, "has_chemicals": True, "chem_issues": 0,
  "major_source": True, "custody": True, "se_total": 12, "se_registered": 12, "se_inspected": 12, "equipment_issues": 0,
  "has_dust": True, "dust_connected": True, "welders": 10, "welders_coded": 10, "contractor_agreement": True,
  "contractor_issues": 0, "height_issues": 0, "has_env_facilities": True, "env_assessed": True, "gas_issues": 0,
  "fire_hazards_open": 0, "lifeline_blocked": False, "ebike_issues": 0, "fire_std_sector": True, "fire_std_met": True,
  "fire_key_unit": True, "iot_connected": True,
  "trained_rate": "100", "health_checks": True, "workplace_tested": "100", "plan_ok": True, "drills": 2, "supplies_ok": True,
  "late_reports": 0, "missing_reports": 0, "false_reports": 0, "concealed_reports": 0,
  "accidents": 0, "accidents_last_year": 0, "deaths": 0, "penalties": 0, "blacklisted": False, "demo_titles": 0,
}

SMALL = {"high_risk": False, "insured": False, "has_special_work": False, "has_confined": False, "confined_unapproved": True,
         "has_hot_work": False, "hotwork_unapproved": 3, "has_chemicals": False, "chem_issues": 5, "custody": False,
         "fire_std_sector": False, "fire_std_met": False, "fire_key_unit": False, "iot_connected": False}

rules["tests"] = case_list(good, [
  # Everything met: 100, final.
  ("全部达标的企业", {"total": "100.00", "grade": "优秀", "status": "final", "items": {"1.4": "3", "3.1": "5", "4.3": "2"}}, {}),
  # Not applicable: 1.5 (2), 3.2 (3), 3.3 (3), 3.4 (3), 3.5 (3), 4.2 (3), 4.3 (2) = 19 points, whatever their fields say.
  # 二级 → 4 (1 lost); training 95% → 2.5 steps × 0.5 = 1.25 lost. 78.75 of 81 → 78.75 ÷ 81 × 100 = 97.222 → 97.22.
  ("小型非高危企业（多项不涉及）", {"total": "97.22", "grade": "优秀", "items": {"3.1": "4", "5.1": "3.75"}},
   dict(SMALL, level="二级", trained_rate="95")),
  # The same enterprise unstandardized, with no safety officer and one procedure missing: 81 − 5 − 3 − 0.5 = 72.5 →
  # 72.5 ÷ 81 × 100 = 89.506 → 89.51: just below 优秀.
  ("未达标的小型企业", {"total": "89.51", "grade": "合格", "items": {"3.1": "0", "1.2": "0.5"}},
   dict(SMALL, level="未达标", safety_officer=False, missing_procedures=1)),
  # 2.2: 34/40 = 85% → 15 × 0.5 = 7.5 → all 7 lost; 2.3: a major hazard (−3) not dual-reported (−2) → 1. 100 − 12 = 88.
  ("隐患整改不到位的企业", {"total": "88.00", "grade": "合格", "items": {"2.2": "0", "2.3": "1"}},
   {"hazards_fixed": 34, "major_hazards": 1, "major_unreported": 1}),
  # 2 accidents (none last year): 20 + 4 = 24; 2 penalties: 6. 100 − 30 = 70.00: exactly 合格 (以上包括本数).
  ("发生事故的企业", {"total": "70.00", "grade": "合格", "vetoes": []}, {"accidents": 2, "penalties": 2}),
  # A fatal accident: 10 + 2 = 12 deducted → 88, grade 不合格 whatever the score.
  ("发生死亡事故的企业", {"total": "88.00", "grade": "不合格", "vetoes": ["fatal"]}, {"accidents": 1, "deaths": 1}),
  # Concealed an accident: 5.4 −2; 1 accident (none last year) −12 → 86.00 合格, lowered one grade → 不合格.
  ("瞒报事故的企业", {"total": "86.00", "grade": "不合格", "vetoes": ["concealed"], "items": {"5.4": "0"}},
   {"accidents": 1, "concealed_reports": 1}),
  ("列入严重失信主体名单的企业", {"total": "100.00", "grade": "合格", "vetoes": ["blacklisted"]}, {"blacklisted": True}),
  # Fire: 2 hazards open (−2), a blocked exit (−2), one e-bike charging indoors (−0.5) → 1.5; not at the sector's fire
  # standard → 4.2 = 0 (−3). 100 − 7.5 = 92.50.
  ("消防安全有短板的企业", {"total": "92.50", "grade": "优秀", "items": {"4.1": "1.5", "4.2": "0"}},
   {"fire_hazards_open": 2, "lifeline_blocked": True, "ebike_issues": 1, "fire_std_met": False}),
  # 100% targets: 11 of 12 special equipment inspected → 8.33 × 0.1 = 0.83 lost → 2.17; 9 of 10 welders coded → 0.1 lost;
  # 19 of 20 special workers certified → 5 steps × 1 → 3.2 = 0. 100 − 0.83 − 0.1 − 3 = 96.07.
  ("百分之百目标未达到的企业", {"total": "96.07", "items": {"3.6": "2.17", "3.7": "1.9", "3.2": "0"}},
   {"se_inspected": 11, "welders_coded": 9, "certified_workers": 19}),
  # Bonus: 3 titles → 3, capped at the item's 2 (= bonus.cap); a penalty −3. 97 + 2 = 99.00.
  ("被选树为示范企业的企业", {"total": "99.00", "grade": "优秀"}, {"demo_titles": 3, "penalties": 1}),
  # Confined space: both findings, only the larger (3) counts (就高不就低).
  ("有限空间作业未审批的企业", {"total": "97.00", "items": {"3.3": "0"}}, {"confined_unapproved": True, "confined_untested": True}),
  # An average enterprise. 1: 2 duty gaps (−1), 2 procedures missing (−1), judged 3.5 (−0.5), invest 45/50 → 2.7 (−0.3), no
  # safety culture (−1) → 17.2. 2: 1 risk uncontrolled (−1), hazards 38/40 = 95% → 2.5 lost → 4.5, 1 reward paid (−0.5),
  # 8 self-reports → 3.5 (−1.5) → 21.5. 3: 二级 (−1), 1 chemical issue (−1), 1 equipment issue (−0.5), 2 contractor
  # violations → 1 over the free one (−1) → 23.5. 4: 1 fire hazard open (−1) → 10. 5: trained 95% (−1.25), tested 78%:
  # 15 × 0.1 + 2 × 0.2 = 1.9 lost → 10.85. Sections 83.05; a penalty −3 → 80.05 合格.
  ("一般水平的企业", {"total": "80.05", "grade": "合格",
    "items": {"1.3": "3.5", "1.4": "2.7", "2.2": "4.5", "2.5": "3.5", "3.8": "2", "5.1": "3.75", "5.2": "1.1"}},
   {"duty_gaps": 2, "missing_procedures": 2, "leader_score": "3.5", "invest_used": "45", "culture": False,
    "uncontrolled_risks": 1, "hazards_fixed": 38, "rewards_paid": 1, "self_reports": 8, "level": "二级", "chem_issues": 1,
    "equipment_issues": 1, "contractor_issues": 2, "fire_hazards_open": 1, "trained_rate": "95", "workplace_tested": "78",
    "penalties": 1}),
  # Special work declared but 0 workers: 3.2 is pending (when_undefined pending), counted at full points.
  ("特种作业人数待核实的企业", {"total": "100.00", "grade": "优秀", "status": "provisional", "items": {"3.2": "3"}},
   {"special_workers": 0, "certified_workers": 0}),
])


if __name__ == "__main__":
    print(json.dumps(rules, ensure_ascii=False, indent=1))
