#!/usr/bin/env python3
"""Writes a valid, generated kpi-rules/1 rule set of N items (for benchmarks of large forms).

    python3 benches/make_rules.py [N=300] [--seed S] [--sections K=10] [--submission FILE] > rules.json

About ten sections of 10 points each (every section's items scored out of their own point sum,
`out_of`), and a mix of item kinds and inputs like rules/subdistrict.json's: deduction items (a
bool `if` line, a count `per` line, a shortfall `per max(K - n, 0)` line, some capped, some with
tiers), rates (found/fixed counts in step mode, percents, a proportional ratio), bands over a
number, a formula over a choice (等级), judged scores; a few items applicable only to units with a
section's scope answered 是; adjustments (accidents, fires), a bonus, vetoes, four grades and two
embedded tests (all met → 100.00 优秀; a 较大事故 veto → 不合格). Ids are identifiers (s03_i012_found).
With --submission FILE also writes one filled-in, valid kpi-submission/1 for it (values as an
assessor would find them: mostly met, a few deductions). Seeded: the same arguments give the same
files."""
import argparse, json, random, sys

SECTIONS = [
    ("leadership", "党政领导责任"), ("territorial", "属地监管"), ("hazards", "隐患排查治理"),
    ("enterprise", "企业主体责任"), ("key", "重点行业领域专项整治"), ("fire", "消防安全"),
    ("flood", "防汛防台与自然灾害防治"), ("emergency", "应急管理与救援"), ("training", "安全宣传教育培训"),
    ("enforcement", "执法检查"), ("grid", "网格化管理"), ("traffic", "道路交通安全"),
]
TOPICS = ["危险化学品", "建设施工", "燃气安全", "特种设备", "有限空间", "消防通道", "电动自行车", "高层建筑",
          "人员密集场所", "小餐饮", "群租房", "工贸企业", "仓储物流", "城镇燃气", "老旧小区", "防汛物资",
          "应急预案", "应急演练", "值班值守", "安全培训", "网格巡查", "隐患举报", "执法计划", "校园安全"]
ACTIONS = ["专项检查", "隐患排查", "整治行动", "台账管理", "宣传教育", "培训考核", "应急演练", "督查督办"]
LEVELS = ["一级", "二级", "三级", "未评定"]


def dec(x):
    """A decimal literal without trailing zeros ("1.5", "2")."""
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return s if s else "0"


class Maker:
    def __init__(self, n, sections, seed):
        self.rng = random.Random(seed)
        self.n, self.k = n, sections
        self.inputs, self.best, self.real = [], {}, {}

    def add_input(self, section, id, label, type, best, real, **extra):
        self.inputs.append({"id": id, "label": label, "type": type, "section": section, **extra})
        self.best[id], self.real[id] = best, real
        return id

    def item(self, sec, si, j):
        rng = self.rng
        iid = f"{si + 1}.{j + 1}"
        p = f"s{si + 1:02d}_i{j + 1:03d}"
        topic, action = rng.choice(TOPICS), rng.choice(ACTIONS)
        title = f"{topic}{action}"
        points = rng.choice([1, 1.5, 2, 2, 2, 3, 3, 4, 5])
        item = {"id": iid, "title": title, "points": dec(points)}
        kind = rng.choices(["deduct", "tiers", "rate_step", "rate_percent", "rate_prop", "bands", "formula", "judged"],
                           [45, 5, 15, 8, 4, 10, 8, 5])[0]
        if kind == "deduct":
            lines, basis = [], []
            if rng.random() < 0.8:
                b = self.add_input(sec, f"{p}_done", f"已制定{topic}{action}工作方案", "bool", True, rng.random() < 0.9)
                pts = dec(min(points, rng.choice([0.5, 1, 1.5])))
                lines.append({"if": f"!{b}", "points": pts, "reason": f"未制定{topic}{action}工作方案"})
                basis.append(f"未制定工作方案的扣{pts}分")
            c = self.add_input(sec, f"{p}_missed", f"{topic}{action}未按期完成的任务（项）", "count", 0,
                               rng.choice([0, 0, 0, 0, 0, 1, 1, 2]), unit="项")
            pts = dec(rng.choice([0.25, 0.5, 0.5, 1]))
            lines.append({"per": c, "points": pts, "reason": f"{topic}{action}任务未按期完成"})
            basis.append(f"每有1项任务未按期完成扣{pts}分")
            if rng.random() < 0.4:
                need = rng.choice([2, 4, 4, 12])
                c2 = self.add_input(sec, f"{p}_times", f"全年开展{topic}{action}（次）", "count", need,
                                    max(0, need - rng.choice([0, 0, 0, 1, 2])), unit="次", help=f"要求全年不少于{need}次")
                pts = dec(rng.choice([0.25, 0.5]))
                lines.append({"per": f"max({need} - {c2}, 0)", "points": pts, "reason": f"{topic}{action}开展次数不足", "unit": "次"})
                basis.append(f"全年少于{need}次的，每少1次扣{pts}分")
            item["basis"] = "；".join(basis) + "；扣完为止"
            if rng.random() < 0.3:
                item["cap"] = dec(points if points < 2 else points - 1)
                item["basis"] = "；".join(basis) + f"；本项最多扣{item['cap']}分"
            item["deduct"] = lines
        elif kind == "tiers":
            c = self.add_input(sec, f"{p}_cases", f"{topic}领域被上级督办的问题（件）", "count", 0,
                               rng.choice([0, 0, 0, 1, 3]), unit="件")
            t1, t2 = dec(points / 2), dec(points)
            item["basis"] = f"被上级督办问题1至2件的扣{t1}分，3件以上的扣{t2}分"
            item["deduct"] = [{"tiers": [{"if": f"{c} >= 1", "points": t1, "reason": f"{topic}领域问题被上级督办"},
                                         {"if": f"{c} >= 3", "points": t2, "reason": f"{topic}领域问题被上级督办3件以上"}]}]
        elif kind == "rate_step":
            found = rng.randint(10, 80)
            f = self.add_input(sec, f"{p}_found", f"{topic}排查发现隐患（处）", "count", found, found, unit="处")
            x = self.add_input(sec, f"{p}_fixed", f"{topic}隐患已整改（处）", "count", found,
                               found - rng.choice([0, 0, 0, 1, 2, 5]), unit="处", max=f)
            item["title"] = f"{topic}隐患整改率"
            item["basis"] = "整改率100%得满分，每低1个百分点扣0.2分，扣完为止；未发现隐患的得满分"
            item["rate"] = {"value": f"{x} / {f} * 100", "target": "100", "mode": "step", "step": "1",
                            "points_per_step": "0.2", "when_undefined": "full"}
        elif kind == "rate_percent":
            r = self.add_input(sec, f"{p}_rate", f"{topic}覆盖率（%）", "percent", "100",
                               dec(rng.choice([100, 100, 98.5, 95, 90])), unit="%")
            item["title"] = f"{topic}覆盖率"
            item["basis"] = "覆盖率达到100%得满分，每低1个百分点扣0.1分"
            item["rate"] = {"value": r, "target": "100", "mode": "step", "step": "1", "points_per_step": "0.1"}
        elif kind == "rate_prop":
            base = rng.randint(20, 200)
            a = self.add_input(sec, f"{p}_units", f"辖区{topic}单位数（家）", "count", base, base, unit="家")
            b = self.add_input(sec, f"{p}_trained", f"{topic}单位负责人参加培训（人）", "count", base,
                               max(0, base - rng.randint(0, 20)), unit="人")
            item["title"] = f"{topic}负责人培训率"
            item["basis"] = "按实际培训人数与单位数之比计分，达到1人/家得满分"
            item["rate"] = {"value": f"{b} / {a}", "target": "1", "mode": "proportional", "when_undefined": "zero"}
        elif kind == "bands":
            v = self.add_input(sec, f"{p}_hours", f"{topic}人均培训学时（小时）", "number", "20",
                               dec(rng.choice([24, 18, 12.5, 8, 20])), unit="小时", min="0", max="1000")
            item["title"] = f"{topic}培训学时"
            item["basis"] = f"人均20小时以上得{dec(points)}分，12至20小时得{dec(points * 0.6)}分，12小时以下不得分"
            item["bands"] = {"value": v, "bands": [{"min": "20", "score": dec(points)},
                                                   {"min": "12", "under": "20", "score": dec(points * 0.6)},
                                                   {"under": "12", "score": "0"}]}
        elif kind == "formula":
            c = self.add_input(sec, f"{p}_level", f"{topic}标准化达标等级", "choice", "一级",
                               rng.choice(LEVELS[:3] + ["一级"]), options=LEVELS)
            item["title"] = f"{topic}标准化建设"
            item["basis"] = f"达到一级的得{dec(points)}分，二级得{dec(points * 0.7)}分，三级得{dec(points * 0.4)}分，未评定不得分"
            item["formula"] = f'if({c} == "一级", {dec(points)}, if({c} == "二级", {dec(points * 0.7)}, if({c} == "三级", {dec(points * 0.4)}, 0)))'
        else:  # judged
            v = self.add_input(sec, f"{p}_score", f"{topic}工作评议得分（满分{dec(points)}分）", "number", dec(points),
                               dec(points - rng.choice([0, 0, 0.5])), min="0", max=dec(points))
            item["title"] = f"{topic}工作综合评议"
            item["basis"] = "由考核组根据现场检查和资料审核情况综合评定"
            item["judged"] = {"input": v}
        return item, points

    def make(self):
        rng = self.rng
        sections = []
        per, extra = divmod(self.n, self.k)
        for si in range(self.k):
            sid, stitle = SECTIONS[si % len(SECTIONS)]
            if si >= len(SECTIONS):
                sid, stitle = f"{sid}{si}", f"{stitle}（{si}）"
            scope = None
            if si % 3 == 1 and per > 3:  # some sections have items only some units answer (applicable)
                scope = self.add_input(sid, f"s{si + 1:02d}_scope", f"辖区内有{stitle}相关重点单位", "bool", True, rng.random() < 0.9)
            items, total = [], 0
            for j in range(per + (1 if si < extra else 0)):
                item, pts = self.item(sid, si, j)
                if scope and j % 10 == 3:
                    item["applicable"] = scope
                items.append(item)
                total += pts
            sections.append({"id": sid, "title": stitle, "points": "10", "out_of": dec(total), "items": items})
        inp = lambda id, label, best, real, **kw: self.add_input(None, id, label, "count", best, real, **kw)
        inp("general_accidents", "一般生产安全事故（起）", 0, 1, unit="起")
        inp("deaths", "生产安全事故死亡（人）", 0, 0, unit="人")
        inp("larger_fires", "较大火灾事故（起）", 0, 0, unit="起")
        inp("fire_deaths", "火灾事故死亡（人）", 0, 0, unit="人")
        inp("major_accidents", "较大及以上生产安全事故（起）", 0, 0, unit="起")
        inp("national_demo", "获评全国综合减灾示范社区（个）", 0, 0, unit="个", max="5")
        inp("promoted", "典型经验被市级以上推广（项）", 0, 1, unit="项", max="10")
        inp("concealed", "瞒报、谎报事故（起）", 0, 0, unit="起")
        for i in self.inputs:
            if i["section"] is None:
                del i["section"]
        rules = {
            "format": "kpi-rules/1", "id": f"generated-{self.n}", "version": "1", "period": "2026",
            "title": f"生成的{self.n}项考核细则（基准测试用）", "unit_kind": "subdistrict",
            "description": "由 benches/make_rules.py 生成，仅用于基准测试。",
            "full_score": str(10 * self.k), "scale": 2,
            "inputs": self.inputs, "sections": sections,
            "adjustments": [
                {"id": "accidents", "title": "生产安全事故", "cap": "20", "basis": "每发生1起一般事故扣2分，每死亡1人扣3分",
                 "deduct": [{"per": "general_accidents", "points": "2", "reason": "发生一般生产安全事故"},
                            {"per": "deaths", "points": "3", "reason": "生产安全事故死亡"}]},
                {"id": "fires", "title": "火灾事故", "cap": "10", "basis": "每发生1起较大火灾扣3分，每死亡1人扣2分",
                 "deduct": [{"per": "larger_fires", "points": "3", "reason": "发生较大火灾事故"},
                            {"per": "fire_deaths", "points": "2", "reason": "火灾事故死亡"}]}],
            "bonus": {"cap": "2", "items": [
                {"id": "demo", "title": "综合减灾示范社区", "points": "1", "add": [{"per": "national_demo", "points": "1", "reason": "获评全国综合减灾示范社区"}]},
                {"id": "experience", "title": "典型经验推广", "points": "1", "add": [{"per": "promoted", "points": "0.5", "reason": "典型经验做法被市级以上推广"}]}]},
            "vetoes": [
                {"id": "major", "title": "发生较大及以上生产安全事故", "when": "major_accidents >= 1", "effect": "fail"},
                {"id": "concealed", "title": "瞒报、谎报事故", "when": "concealed >= 1", "effect": {"max_grade": "合格"}}],
            "grades": [{"name": "优秀", "min": "90"}, {"name": "良好", "min": "80"}, {"name": "合格", "min": "60"}, {"name": "不合格", "min": "0"}],
            "tests": [
                {"name": "全部达标", "values": self.best, "expect": {"total": dec(10 * self.k) + ".00", "grade": "优秀", "status": "final"}},
                {"name": "发生较大事故", "values": {**self.best, "major_accidents": 1}, "expect": {"grade": "不合格"}}],
        }
        submission = {"format": "kpi-submission/1", "rules": {"id": rules["id"], "version": rules["version"]},
                      "unit": {"id": "gen-001", "name": "基准街道"}, "period": "2026", "values": self.real}
        return rules, submission


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=300, help="items (default 300)")
    ap.add_argument("--sections", type=int, default=10)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--submission", help="also write a filled-in submission here")
    a = ap.parse_args()
    if a.n < a.sections:
        sys.exit("need at least one item per section")
    rules, submission = Maker(a.n, a.sections, a.seed).make()
    json.dump(rules, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    if a.submission:
        with open(a.submission, "w", encoding="utf-8") as f:
            json.dump(submission, f, ensure_ascii=False, indent=1)
            f.write("\n")


main()
