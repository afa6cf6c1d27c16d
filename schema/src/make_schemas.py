#!/usr/bin/env python3
"""Writes schema/kpi-rules.schema.json, schema/kpi-submission.schema.json and
schema/kpi-report.schema.json (JSON Schema draft 2020-12) from the field reference in docs/FORMATS.md,
and the result types of js/index.d.ts (between its `generated` markers) from the report schema.
Usage: make_schemas.py [OUT_DIR [D_TS]] (default: schema/ and js/index.d.ts, rewritten in place).
Only standard keywords are used (no VS Code extensions), so strict validators such as Ajv accept them.
The reserved words come from the engine's own table (src/expr/mod.rs), not a copy."""
import json, pathlib, re, sys

root = pathlib.Path(__file__).resolve().parents[2]
out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "schema"
d_ts = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else root / "js/index.d.ts"
META = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://kpi-wasm.invalid/schema/"
_expr = (root / "src/expr/mod.rs").read_text(encoding="utf-8")
RESERVED = re.findall(r'"(\w+)"', re.search(r"const LITERAL_WORDS[^;]*;", _expr).group(0)) + \
    re.findall(r'\("(\w+)", Func::', _expr)
ID_RE = "^(?!(?:" + "|".join(RESERVED) + ")$)[A-Za-z_][A-Za-z0-9_]*$"
DEC_RE = r"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"


def ref(name, desc=None, **kw):
    d = {"$ref": f"#/$defs/{name}"}
    if desc:
        d["description"] = desc
    d.update(kw)
    return d


def dec(desc, **kw):
    return ref("decimal", desc, **kw)


def text(desc, **kw):
    return {"type": "string", "minLength": 1, "pattern": r"\S", "description": desc, **kw}


def expr(desc):
    return ref("expression", desc)


def obj(title, desc, props, required=(), **kw):
    desc = desc.removeprefix(title + "：")  # editors show the title above the description
    d = {"title": title, "description": desc, "type": "object", "properties": props}
    if required:
        d["required"] = list(required)
    d["additionalProperties"] = False
    d.update(kw)
    return d


def enum(values, desc, default=None):
    d = {"type": "string", "enum": values, "description": desc}
    if default is not None:
        d["default"] = default
    return d


def req(*keys, **props):
    """`required` with each key also named under `properties` (Ajv's strictRequired wants that)."""
    return {"required": list(keys), "properties": {**{k: True for k in keys}, **props}}


def when(prop, values, then, otherwise=None):
    """if `prop` is present and one of `values` then …"""
    cond = {"required": [prop], "properties": {prop: {"const": values} if isinstance(values, str) else {"enum": values}}}
    d = {"if": cond, "then": then}
    if otherwise is not None:
        d["else"] = otherwise
    return d


# ---------------------------------------------------------------- shared by both documents
decimal = {
    "title": "十进制数（decimal）",
    "description": "精确十进制数，可写作 JSON 字符串（\"2.5\"，推荐）或 JSON 数字（2.5）；数字按字面文本读取，"
                   "不经二进制浮点。可用指数（1e3）；有效数字至多28位，绝对值不超过10¹²。",
    "type": ["string", "number"],
    "pattern": DEC_RE,
    "examples": ["2.5", "100", 0.5],
}
unit = obj("被考核单位（unit）", "被考核单位（unit）：街镇、部门或企业。", {
    "id": text("单位的稳定 id（id），如 \"yp-dq\"。", examples=["yp-dq"]),
    "name": text("单位名称（name），如「大桥街道」。", examples=["大桥街道"]),
    "group": text("分类排名的组别（group）：排名、等次比例和批量聚合（avg/sum/count/rank）只在同组内计算。"),
    "ranked": {"type": "boolean", "default": True,
               "description": "是否纳入排名（ranked）；false 表示纳入考核、不纳入排名（不参与排名、等次比例和聚合）。默认 true。"},
    "tags": {"type": "array", "uniqueItems": True, "items": text("单位标签 id，须为考核细则 unit_tags 中的 id。"),
             "description": "单位标签（tags）：本单位承担的职责等属性，如 [\"fire\"]；表达式中标签 id 为真。"},
}, ["id", "name"])
values = {
    "title": "填报值（values）",
    "description": "输入项 id → 值（values）；null 表示未填。count：整数（数字或字符串）；number、percent：十进制数"
                   "（percent 在0到100之间）；bool：true/false；choice：选项之一；text：文本；date：\"YYYY-MM-DD\"；"
                   "records（明细）：记录的数组，每条记录是 字段 id → 值 的对象；多人评议分（multiple）：评议分的数组。",
    "type": "object",
    "propertyNames": ref("identifier"),
    "additionalProperties": {"type": ["string", "number", "boolean", "null", "array", "object"],
                             "description": "值的类型由引擎按输入项检查（value.type、value.range）。"},
}
not_applicable = {
    "title": "考核组认定不涉及（not_applicable）",
    "description": "项目 id → 考核组认定不涉及的理由（not_applicable）：只能用于设置了 assessor_na 的项目，理由必填、至多2000个字符。",
    "type": "object",
    "additionalProperties": {"type": "string", "description": "理由：非空、至多2000个字符（na.reason）。"},
}
notes = {
    "title": "扣分理由（notes）",
    "description": "项目 id → 考核人员填写的理由（notes）；评议分（judged）低于满分时应填写。null 等同于未填。",
    "type": "object",
    "additionalProperties": {"type": ["string", "null"]},
}
identifier = {
    "title": "标识符（identifier）",
    "description": "输入项 id（identifier）：字母或下划线开头，只含字母、数字、下划线；不能是保留字 "
                   + "、".join(RESERVED) + "。",
    "type": "string",
    "pattern": ID_RE,
}
schema_prop = {"type": "string", "description": "本文件所用 JSON Schema 的地址（$schema），仅供编辑器校验和补全，引擎忽略。"}

# ---------------------------------------------------------------- rule set
trace = {
    "sources": {"type": "array", "items": ref("source"),
                "description": "依据（sources）：来源文件中的原话，每条 {doc: documents 中的 id, quote: 原文}。"},
    "example": {"type": "boolean", "default": False,
                "description": "示例值（example）：为 true 时表示此处的阈值或分值并非来源文件规定，而是细则起草人的示例值。"},
}
source = obj("依据（source）", "一条依据：来源文件 id 和原文。", {
    "doc": text("来源文件 id（doc），须为 documents 中的 id。"),
    "quote": text("原文（quote）：来源文件中的原话。"),
}, ["doc", "quote"])
document = obj("来源文件（document）", "细则依据的来源文件（document）：工作要点、工作意见、规划等。", {
    "id": text("来源文件 id（id），唯一；sources 的 doc 引用它。", examples=["PT23"]),
    "title": text("文件标题（title）。"),
    "number": text("文号（number），如「普安委〔2023〕4号」。"),
    "issuer": text("发文单位（issuer）。"),
    "date": text("日期（date）。"),
    "file": text("文本存放位置（file）。"),
}, ["id", "title"])
unit_tag = obj("单位标签（unit tag）", "单位可带的属性（unit tag），如承担的行业监管职责；表达式中其 id 为 bool。", {
    "id": ref("identifier", "标签 id（id）：与输入项 id 共用命名空间，不得重复。", examples=["fire"]),
    "label": text("标签名称（label），如「消防救援（消防安全监管）」。"),
    "help": text("说明（help）。"),
}, ["id", "label"])
expression = {
    "title": "表达式（expression）",
    "description": "表达式（expression）：字面量（2.5、true、false、\"一级\" 仅用于与选择类输入比较）、输入项 id、"
                   "+ - * /、一元 - 和 !、< <= > >= == !=、&& ||、括号、if(c, a, b)、min(a, b, …)、max(a, b, …)、"
                   "abs(x)、floor(x)、ceil(x)、round(x, n)，批量聚合 avg(id)、sum(id)、count()、rank(id)，以及明细函数 "
                   "count(明细)、count(明细, 条件)、sum/max/min(明细, 数值)、any/all(明细, 条件)（第2个参数对每条记录计算）。"
                   "除以零为「无定义」。至多2000个字符、32层嵌套。",
    "type": "string", "minLength": 1, "maxLength": 2000, "pattern": r"\S",
}
line = {
    "title": "扣分/加分规则（line）",
    "description": "一条扣分或加分规则（line），四种写法之一，可加 each 对明细逐条计算：\n"
                   "· {\"if\": 条件, \"points\": P, \"reason\": 原因}：条件成立时扣（加）P 分一次；\n"
                   "· {\"per\": 数量, \"points\": P, \"free\"?: N, \"unit\"?: 单位, \"reason\": 原因}：按数量计，"
                   "扣（加）P × max(0, 数量 − free)；\n"
                   "· {\"amount\": 数值, \"reason\": 原因}：扣（加）该数值（为正时），如考核组在5—15分内核定的分数；\n"
                   "· {\"tiers\": [{\"if\", \"points\", \"reason\"}, …]}：成立的各档中取分值最高的一档（每起按最高档计）。",
    "type": "object",
    "properties": {
        "amount": expr("金额（amount，number 表达式）：扣（加）其值（为正时）。与 if、per、tiers 四选一。"),
        "tiers": {"type": "array", "minItems": 1, "description": "分档（tiers）：成立的各档中分值最高的一档计入。",
                  "items": obj("档（tier）", "一档：条件成立时扣（加）points 分。", {
                      "if": expr("条件（if，bool 表达式）。"), "points": dec("分值（points，> 0）。"),
                      "reason": text("原因（reason）。")}, ["if", "points", "reason"])},
        "each": ref("identifier", "逐条（each）：明细（records）输入项的 id；本规则对每条记录计算一次，记录的字段可在表达式中直接使用。"),
        **trace,
        "if": expr("条件（if，bool 表达式）：为真时扣（加）points 分一次。与 per 二选一。"),
        "per": expr("数量（per，number 表达式）：每超出 free 一个单位扣（加）points 分。与 if 二选一。"),
        "points": dec("每次（每单位）扣（加）的分值（points，> 0）。"),
        "free": dec("免扣数量（free，≥ 0，仅用于 per）：不超过此数量不扣分。默认 0。", default="0"),
        "unit": text("计数单位（unit，仅用于 per），如「起」「项」「次」；用于说明文字。"
                     "默认取 per 所引用输入项的单位，否则为「次」。", examples=["起", "项", "人"]),
        "reason": text("原因（reason），写入扣分说明。per 规则可含占位符 {n}（超出 free 的数量）、"
                       "{points}（每单位分值）、{amount}（本条合计）；不含占位符时引擎写作"
                       "「原因」{n}{unit}，每{unit}扣{P}分。"),
        **trace,
    },
    "additionalProperties": False,
    "oneOf": [
        {"title": "条件规则（if line）", **req("if", "points", "reason", per=False, free=False, unit=False,
                                              amount=False, tiers=False)},
        {"title": "计数规则（per line）", **req("per", "points", "reason", **{"if": False}, amount=False, tiers=False)},
        {"title": "金额规则（amount line）", **req("amount", "reason", **{"if": False}, per=False, tiers=False,
                                                  points=False, free=False, unit=False)},
        {"title": "分档规则（tiers line）", **req("tiers", **{"if": False}, per=False, amount=False, points=False,
                                                 free=False, unit=False)},
    ],
}
group = obj("规则分组（group）", "规则分组（group）：同一扣分池下带小标题的若干规则（如「1、有人员伤亡的安全事故」），本身不设分值，不能嵌套。", {
    "group": text("小标题（group），如「（一）死亡事故」。", maxLength=100),
    "lines": {"type": "array", "minItems": 1, "items": ref("line"), "description": "本组的规则（lines）。"},
    **trace,
}, ["group", "lines"])
lines = lambda desc: {"type": "array", "minItems": 1, "items": {"anyOf": [ref("line"), ref("group")]}, "description": desc}

inp = obj("输入项（input）", "表单中的一个填报项（input）。", {
    "id": ref("identifier", "输入项 id（id）：在表达式中引用，唯一。", examples=["hazards_fixed"]),
    "label": text("显示名称（label），如「已整改重大事故隐患（项）」。"),
    "type": enum(["count", "number", "percent", "bool", "choice", "text", "date", "records"],
                 "类型（type）：count 计数（≥ 0 的整数）；number 十进制数；percent 百分数（0到100）；"
                 "bool 是/否；choice 单选（需 options）；text 文本（不计分）；date 日期（YYYY-MM-DD，不计分）；"
                 "records 明细（每条记录一行，需 fields）。"),
    "section": text("所属部分 id（section）：表单在哪一部分下显示此项（可选）。"),
    "required": {"type": "boolean", "default": True,
                 "description": "是否必填（required），默认 true。选填项为空时按 default 取值；无 default 时"
                               "数值类为0、bool 为 false；参与计分的选填 choice 须设置 default。"},
    "min": ref("bound", "最小值（min，仅 count/number/percent）：数值，或另一个数值类输入项的 id。"),
    "max": ref("bound", "最大值（max，仅 count/number/percent）：数值，或另一个数值类输入项的 id（如已整改数不超过发现数）。"),
    "options": {"type": "array", "minItems": 1, "uniqueItems": True, "items": text("选项文本。"),
                "description": "可选项（options，仅 choice 且必填）：互不相同的非空字符串列表。",
                "examples": [["一级", "二级", "三级", "无"]]},
    "default": {"type": ["string", "number", "boolean"],
                "description": "默认值（default，扩展字段，仅选填项 required: false）：类型须与 type 相符"
                               "（数值类为十进制数，bool 为 true/false，choice 为选项之一）。"},
    "unit": text("显示单位（unit，扩展字段），如「起」「项」「人」「%」；用于表单和扣分说明。"),
    "help": text("填写说明（help，扩展字段）：显示在字段下方的较长解释。"),
    "applicable": expr("需填写的条件（applicable，bool 表达式，可引用输入项和单位标签）：为假时本项不必填写，按选填项未填处理。"),
    "fields": {"type": "array", "minItems": 1, "items": ref("field"),
               "description": "明细的字段（fields，仅 records）：每条记录的各列。"},
    "min_rows": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 0,
                 "description": "最少记录条数（min_rows，仅 records），默认0。"},
    "max_rows": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 1000,
                 "description": "最多记录条数（max_rows，仅 records），默认1000。"},
    "describe": {"type": "array", "items": ref("identifier"),
                 "description": "说明文字中用来指称一条记录的字段 id（describe，仅 records），默认取日期和文本字段，至多2个。"},
    "multiple": {"type": "boolean", "description": "多人评议分（multiple，仅必填的 number）：填写多个评议分，由设置了 aggregate 的评议项目读取。"},
}, ["id", "label", "type"],
    allOf=[
        when("type", "choice", req("options", default={"type": "string"}),
             {"properties": {"options": False}}),
        when("type", ["bool", "choice", "text", "date", "records"], {"properties": {"min": False, "max": False}}),
        when("type", "bool", {"properties": {"default": {"type": "boolean"}}}),
        when("type", ["count", "number", "percent"], {"properties": {"default": ref("decimal")}}),
        when("type", ["text", "date", "records"], {"properties": {"default": False}}),
        when("type", "records", {"required": ["fields"]},
             {"properties": {"fields": False, "min_rows": False, "max_rows": False, "describe": False}}),
    ],
    dependentSchemas={"default": {"required": ["required"], "properties": {"required": {"const": False}}}},
)
field = obj("明细字段（field）", "明细的一个字段（field）：每条记录的一列。类型不能是 records，上下限只能是数值。", {
    "id": ref("identifier", "字段 id（id）：在逐条计算的表达式中引用，明细内唯一。"),
    "label": text("显示名称（label），如「重伤（人）」。"),
    "type": enum(["count", "number", "percent", "bool", "choice", "text", "date"], "类型（type）。"),
    "required": {"type": "boolean", "default": True, "description": "是否必填（required），默认 true。"},
    "min": ref("decimal", "最小值（min，数值）。"),
    "max": ref("decimal", "最大值（max，数值）。"),
    "options": {"type": "array", "minItems": 1, "uniqueItems": True, "items": text("选项文本。"),
                "description": "可选项（options，仅 choice）。"},
    "default": {"type": ["string", "number", "boolean"], "description": "默认值（default，仅选填字段）。"},
    "unit": text("显示单位（unit）。"),
    "help": text("填写说明（help）。"),
}, ["id", "label", "type"])
bound = {
    "title": "上下限（bound）",
    "description": "数值，或另一个数值类输入项的 id。",
    "anyOf": [ref("decimal"), ref("identifier")],
}

rate = obj("比率指标（rate）", "比率指标（rate）：有目标值的百分比指标。step 模式：得分 = points − min(points, 差距步数 × "
           "points_per_step)；proportional 模式：得分 = points × 值 ÷ target（lower 时 points × target ÷ 值），不超过 points。", {
    "value": expr("指标值（value，number 表达式），如 \"hazards_fixed / hazards_found * 100\"。"),
    "target": dec("目标值（target）：达到即满分；proportional 模式须 > 0。与 above、below 三选一。"),
    "above": dec("须高于（above，仅 step 模式，越高越好）：恰为该值也未达标（按开始的一步计）。"),
    "below": dec("须低于（below，仅 step 模式，越低越好）：恰为该值也未达标。"),
    "direction": enum(["higher", "lower"], "方向（direction）：higher 越高越好（默认）；lower 越低越好。", "higher"),
    "mode": enum(["step", "proportional"], "计分方式（mode）：step 按差距步数扣分（需 step、points_per_step）；"
                 "proportional 按比例得分。"),
    "step": dec("步长（step，> 0，仅 step 模式）：差距每满一个步长扣一次。"),
    "points_per_step": dec("每步扣分（points_per_step，> 0，仅 step 模式）。"),
    "partial": enum(["exact", "up", "down"], "不足一步的处理（partial，仅 step 模式）：exact 按比例（默认）；"
                    "up 向上取整；down 向下取整。", "exact"),
    "when_undefined": enum(["full", "zero", "pending"], "指标无定义（除以零，如分母为0）时（when_undefined）：full 得满分"
                           "（默认）；zero 得0分；pending 待定。", "full"),
}, ["value", "mode"],
    oneOf=[{"title": "目标值（target）", **req("target", above=False, below=False)},
           {"title": "须高于（above）", **req("above", target=False, below=False)},
           {"title": "须低于（below）", **req("below", target=False, above=False)}],
    allOf=[when("mode", "step", req("step", "points_per_step")),
           when("mode", "proportional", {"properties": {"step": False, "points_per_step": False, "partial": False}})])

band = obj("区间（band）", "一个区间（band）：值在上下限之内时得 score。下限 min（含，以上）或 over（不含，超过）；"
           "上限 max（不含，最大的 max 含端点）、under（不含，不满/低于）或 upto（含，以下/不超过）。", {
    "min": dec("下限（min，含）；省略表示无下限（至多一个区间）。"),
    "over": dec("下限（over，不含：超过）。与 min 二选一。"),
    "max": dec("上限（max，不含；上限最大的区间含端点）；省略表示无上限（至多一个区间）。"),
    "under": dec("上限（under，不含：不满、低于）。"),
    "upto": dec("上限（upto，含：以下、不超过）。"),
    "score": dec("得分（score），在 0 到项目分值 points 之间。"),
}, ["score"], **{"not": {"anyOf": [req("min", "over"), req("max", "under"), req("max", "upto"), req("under", "upto")]}})
bands = obj("区间赋分（bands）", "区间赋分（bands）：按指标值落入的区间得分；各区间按 min 排序后须首尾相接，不得有空档或重叠。", {
    "value": expr("指标值（value，number 表达式）。"),
    "bands": {"type": "array", "minItems": 1, "items": ref("band"), "description": "区间列表（bands）。"},
}, ["value", "bands"])
judged = obj("评议分（judged）", "评议分（judged）：考核人员直接填写0到 points 之间的分数；低于满分而 notes 中无理由时给出警告。", {
    "input": ref("identifier", "填写分数的输入项 id（input），须为 number 类型。"),
    "aggregate": enum(["mean", "trimmed_mean"], "多人评议（aggregate）：mean 取平均；trimmed_mean 去掉一个最高分和一个最低分后取平均"
                      "（至少3个）；按 scale 四舍五入。input 须为 multiple。"),
}, ["input"])
rank = obj("排名赋分（rank）", "排名赋分（rank，仅批量评分）：竞赛排名（并列取较好名次，1-2-2-4），"
           "得分 = max(floor, first − (名次 − 1) × step)，不超过 points；单份评分时为待定。", {
    "value": expr("排名依据（value，number 表达式）。"),
    "order": enum(["desc", "asc"], "排序（order）：desc 值越高名次越前（默认）；asc 值越低名次越前。", "desc"),
    "first": dec("第一名得分（first，> 0）。"),
    "step": dec("每降一个名次减少的分数（step，≥ 0）。"),
    "floor": dec("最低得分（floor，≥ 0，不高于 first）。默认 0。", default="0"),
}, ["value", "first", "step"])

RULES = ["deduct", "rate", "bands", "judged", "rank", "formula"]
has = lambda *ks: {"anyOf": [req(k) for k in ks]}
item = obj("考核项目（item）", "考核项目（item）：id、title、points，以及有且只有一个计分规则："
           "deduct（定额扣分）、rate（比率指标）、bands（区间赋分）、judged（评议分）、rank（排名赋分）、formula（公式）。", {
    "id": text("项目 id（id），如 \"1.2\"；与扣分项、加分项、否决项共用一个命名空间，须唯一。notes 按此 id 填写。",
               examples=["1.1"]),
    "title": text("项目名称（title），如「重大事故隐患整改率」。"),
    "points": dec("项目分值（points，满分，> 0）。"),
    "basis": text("考核细则原文（basis），显示给考核人员。"),
    "cap": dec("本项最多扣分（cap，0 < cap ≤ points，仅 deduct、rate）：「最多扣 X 分」。"),
    "combine": enum(["sum", "max"], "合并方式（combine，仅 deduct）：sum 累计扣分（默认）；"
                    "max 只计最大一条（就高不就低、不累计扣分）。", "sum"),
    "applicable": expr("适用条件（applicable，bool 表达式）：为假时本项不涉及（not applicable），"
                       "按 not_applicable 计满分或折算。"),
    "deduct": lines("定额扣分（deduct）：扣分规则列表；得分 = points − min(points, Σ 扣分)（扣完为止）。"),
    "rate": ref("rate"),
    "bands": ref("bands"),
    "judged": ref("judged"),
    "rank": ref("rank"),
    "formula": expr("公式计分（formula，number 表达式）：其值即得分，限定在 0 到 points 之间。"),
    "assessor_na": {"type": "boolean", "description": "可由考核组认定不涉及（assessor_na）：考核表 not_applicable 中写明理由即按不涉及计。"},
    **trace,
}, ["id", "title", "points"],
    oneOf=[{"title": f"计分规则 {k}", **req(k)} for k in RULES],
    allOf=[
        {"if": has("bands", "judged", "rank", "formula"), "then": {"properties": {"cap": False}}},
        {"if": has("rate", "bands", "judged", "rank", "formula"), "then": {"properties": {"combine": {"const": "sum"}}}},
    ],
)
section = obj("部分（section）", "考核内容的一个部分（section），如「党政领导责任」。各项目分值之和等于 out_of（若有）或 points。", {
    "id": text("部分 id（id），唯一；输入项的 section 引用它。"),
    "title": text("部分名称（title）。"),
    "points": dec("本部分分值（points，> 0）；各部分之和等于 full_score。"),
    "out_of": dec("折算前满分（out_of，> 0，可选）：本部分按 out_of 分制评分，再折算为 points 分"
                  "（得分 = Σ 项目得分 × points ÷ out_of）。不能与 not_applicable: \"rescale\" 同用。"),
    "items": {"type": "array", "minItems": 1, "items": ref("item"), "description": "考核项目列表（items）。"},
}, ["id", "title", "points", "items"])
adjustment = obj("扣分项（adjustment）", "总分扣分项（adjustment），如事故扣分、约谈扣分：从各部分合计中扣除；无 cap 时不设上限，总分不低于0。", {
    "id": text("扣分项 id（id），唯一。"),
    "title": text("扣分项名称（title）。"),
    "basis": text("考核细则原文（basis）。"),
    "cap": dec("本项最多扣分（cap，> 0）；省略则不设上限。"),
    "combine": enum(["sum", "max"], "合并方式（combine）：sum 累计（默认）；max 只计最大一条（就高不就低）。", "sum"),
    "deduct": lines("扣分规则列表（deduct）。"),
    **trace,
}, ["id", "title", "deduct"])
bonus_item = obj("加分项（bonus item）", "加分项（bonus item）：按规则加分，不超过本项 points。", {
    "id": text("加分项 id（id），唯一。"),
    "title": text("加分项名称（title）。"),
    "points": dec("本项最多加分（points，> 0）。"),
    "basis": text("考核细则原文（basis）。"),
    "combine": enum(["sum", "max"], "合并方式（combine）：sum 累计（默认）；max 只计最大一条。", "sum"),
    "add": lines("加分规则列表（add），写法与扣分规则相同。"),
    "assessor_na": {"type": "boolean", "description": "可由考核组认定不涉及（assessor_na）。"},
    **trace,
}, ["id", "title", "points", "add"])
bonus = obj("加分（bonus）", "加分（bonus）：各加分项之和不超过 cap；总分 = max(0, Σ 部分 − Σ 扣分项) + 加分。", {
    "cap": dec("加分总上限（cap，> 0）。"),
    "items": {"type": "array", "items": ref("bonus_item"), "description": "加分项列表（items）。"},
}, ["cap", "items"])
effect = {
    "title": "否决后果（effect）",
    "description": "\"fail\" 等次降为最低；\"zero\" 总分归零、等次最低；"
                   "{\"max_grade\": 等次} 等次至多为该等次（一票否优）；{\"lower_grades\": N} 降低 N 个等次（不低于最低等次）。",
    "oneOf": [
        enum(["fail", "zero", "ungraded"], "fail：等次降为最低；zero：总分归零且等次最低；ungraded：不评等次（总分不变）。"),
        obj("最高等次（max_grade）", "等次至多为 max_grade（一票否优、取消评优资格）。",
            {"max_grade": text("等次名称（max_grade），须为 grades 中的 name，如「合格」。")}, ["max_grade"]),
        obj("降低等次（lower_grades）", "等次降低 lower_grades 级（降低考核等次），不低于最低等次。",
            {"lower_grades": {"type": "integer", "minimum": 1, "description": "降低的等次数（lower_grades，≥ 1 的整数）。"}},
            ["lower_grades"]),
    ],
    "examples": ["fail", "zero", "ungraded", {"max_grade": "合格"}, {"lower_grades": 1}],
}
veto = obj("否决项（veto）", "一票否决项（veto）：when 为真时施加 effect；多个否决同时触发时取最低的结果等次。", {
    "id": text("否决项 id（id），唯一。"),
    "title": text("否决项名称（title），如「发生较大及以上生产安全事故」。"),
    "basis": text("考核细则原文（basis）。"),
    "when": expr("触发条件（when，bool 表达式），如 \"major_accidents >= 1\"。"),
    "effect": ref("effect"),
    "ranking": enum(["last", "excluded"], "排名（ranking，仅批量评分）：last 排名列末位；excluded 不参与排名（也不计入等次比例）。"),
    **trace,
}, ["id", "title", "when", "effect"])
grade = obj("等次（grade）", "考核等次（grade）：总分达到其界限的第一个等次：min（以上，含本数）或 over（超过，不含本数）。", {
    "name": text("等次名称（name），如「优秀」。"),
    "min": dec("最低分（min，含本数）；各等次界限严格递减，最后一个为 min 0。"),
    "over": dec("须超过（over，不含本数）：与 min 二选一。"),
    **trace,
}, ["name"], oneOf=[req("min", over=False), req("over", min=False)])
quota = obj("等次比例限制（quota）", "等次比例限制（quota，仅批量评分）：至多 floor(max_share × 单位数) 个单位保持该等次，按名次选取，其余降一等。", {
    "grade": text("等次名称（grade），不能是最低等次。"),
    "max_share": dec("最高比例（max_share），0 < max_share ≤ 1，如 \"0.3\"。"),
    **trace,
}, ["grade", "max_share"])
expect = obj("期望结果（expect）", "测试用例的期望结果（expect）；只核对给出的字段。", {
    "total": dec("期望总分（total）。"),
    "grade": text("期望等次（grade）。"),
    "status": enum(["final", "provisional"], "期望状态（status）：final 最终；provisional 暂定（有待定项）。"),
    "items": {"type": "object", "additionalProperties": ref("decimal"),
              "description": "项目 id → 期望得分（items）。"},
    "vetoes": {"type": "array", "items": {"type": "string"}, "description": "期望触发的否决项 id 列表（vetoes）。"},
})
test = obj("测试用例（test）", "规则作者的测试用例（test）：一份填报值及其期望结果。", {
    "name": text("用例名称（name）。"),
    "unit": ref("unit", "被考核单位（unit，可选）；省略时用 test-N 和用例名称。"),
    "values": ref("values"),
    "notes": ref("notes"),
    "not_applicable": ref("not_applicable"),
    "expect": ref("expect"),
}, ["name", "values", "expect"])

rules_schema = {
    "$schema": META,
    "$id": BASE + "kpi-rules.schema.json",
    "title": "考核细则（rule set, kpi-rules/1）",
    "description": "安全生产考核细则（rule set）：一类单位一年的考核规则。字段说明见 docs/FORMATS.md；未列出的字段均为错误。",
    "type": "object",
    "properties": {
        "$schema": schema_prop,
        "format": {"const": "kpi-rules/1", "description": "格式标识（format），固定为 \"kpi-rules/1\"。"},
        "id": text("考核细则 id（id），如 \"subdistrict\"；考核表 rules.id 引用它。", examples=["subdistrict"]),
        "version": text("版本（version），如 \"2026.1\"；考核表 rules.version 须与之一致。", examples=["2026.1"]),
        "title": text("标题（title），如「2026年度街镇安全生产和应急管理工作考核细则」。"),
        "period": text("考核年度（period），如 \"2026\"。", examples=["2026"]),
        "unit_kind": text("被考核单位类别（unit_kind）：subdistrict 街镇、department 部门、enterprise 企业 等。",
                          examples=["subdistrict", "department", "enterprise"]),
        "description": text("说明（description，扩展字段）：显示在标题下方。"),
        "full_score": dec("满分（full_score，> 0），须等于各部分 points 之和。", examples=["100"]),
        "scale": {"type": "integer", "minimum": 0, "maximum": 6, "default": 2,
                  "description": "小数位数（scale，0到6）：得分四舍五入到的位数，默认2。"},
        "not_applicable": enum(["full", "rescale"], "不涉及项目的处理（not_applicable）：full 按满分计（默认，不涉及的不扣分）；"
                               "rescale 按可评分项目折算（实得分 = 可评分项目实得分之和 ÷ 可评分项目应得分之和 × full_score）。", "full"),
        "inputs": {"type": "array", "items": ref("input"), "description": "填报项（inputs），按表单显示顺序。"},
        "sections": {"type": "array", "minItems": 1, "items": ref("section"), "description": "考核内容各部分（sections），至少一个。"},
        "adjustments": {"type": "array", "items": ref("adjustment"), "description": "总分扣分项（adjustments），如事故扣分。"},
        "bonus": ref("bonus"),
        "vetoes": {"type": "array", "items": ref("veto"), "description": "一票否决项（vetoes）。"},
        "grades": {"type": "array", "items": ref("grade"),
                   "description": "考核等次（grades），界限从高到低，最后一个 min 为0；空数组表示只打分、不评等次。"},
        "notes_required": {"type": "boolean", "description": "须说明扣分情况（notes_required）：失分项目须在 notes 中说明，否则考核结果为暂定。"},
        "quotas": {"type": "array", "items": ref("quota"), "description": "等次比例限制（quotas，仅批量评分）。"},
        "tests": {"type": "array", "items": ref("test"), "description": "规则作者的测试用例（tests），由 kpi test 运行。"},
        "documents": {"type": "array", "items": ref("document"), "description": "来源文件（documents）：sources 引用的文件。"},
        "unit_tags": {"type": "array", "items": ref("unit_tag"), "description": "单位标签（unit_tags）：单位可带的属性，表达式中为 bool。"},
    },
    "required": ["format", "id", "version", "title", "period", "unit_kind", "full_score", "inputs", "sections", "grades"],
    "additionalProperties": False,
    "$defs": {
        "decimal": decimal, "identifier": identifier, "expression": expression, "bound": bound,
        "input": inp, "field": field, "section": section, "item": item, "line": line, "group": group,
        "not_applicable": not_applicable,
        "rate": rate, "bands": bands, "band": band, "judged": judged, "rank": rank,
        "adjustment": adjustment, "bonus": bonus, "bonus_item": bonus_item,
        "veto": veto, "effect": effect, "grade": grade, "quota": quota,
        "source": source, "document": document, "unit_tag": unit_tag,
        "test": test, "expect": expect, "unit": unit, "values": values, "notes": notes,
    },
}

sub_schema = {
    "$schema": META,
    "$id": BASE + "kpi-submission.schema.json",
    "title": "考核表（submission, kpi-submission/1）",
    "description": "考核表（submission）：一个单位按某一考核细则填写的数据。字段说明见 docs/FORMATS.md；未列出的字段均为错误。",
    "type": "object",
    "properties": {
        "$schema": schema_prop,
        "format": {"const": "kpi-submission/1", "description": "格式标识（format），固定为 \"kpi-submission/1\"。"},
        "rules": obj("考核细则（rules）", "所依据的考核细则（rules）：id 和 version 须与细则一致，否则拒绝评分。", {
            "id": text("考核细则 id（id），如 \"subdistrict\"。", examples=["subdistrict"]),
            "version": text("考核细则版本（version），如 \"2026.1\"。", examples=["2026.1"]),
        }, ["id", "version"]),
        "unit": ref("unit"),
        "period": text("考核年度（period，可选），如 \"2026\"；与细则不一致时给出警告。", examples=["2026"]),
        "values": ref("values"),
        "notes": ref("notes"),
        "not_applicable": ref("not_applicable"),
        "self": {"title": "自评（self）",
                 "description": "被考核单位的自评（self）：values 自评填报值（按同一细则评分），或 items 各项目自评分（项目 id → 分数）；二者有且只有一个。",
                 "type": "object", "additionalProperties": False,
                 "properties": {"values": ref("values"),
                                "items": {"type": "object", "additionalProperties": {"type": ["string", "number"]},
                                          "description": "项目 id → 自评分（items），在0到项目分值之间。"}}},
        "meta": {"title": "附加信息（meta）",
                 "description": "附加信息（meta，扩展字段）：任意 字符串 → 字符串（考核人、日期、OA 记录号等），原样写入考核结果。",
                 "type": "object", "additionalProperties": {"type": ["string", "null"]}},
    },
    "required": ["format", "rules", "unit", "values"],
    "additionalProperties": False,
    "$defs": {"identifier": identifier, "unit": unit, "values": values, "notes": notes,
              "not_applicable": not_applicable, "decimal": decimal},
}

# ---------------------------------------------------------------- report (what the engine writes)
# Descriptions in English: the report is read by integrators' code, and they become the JSDoc of the
# generated TypeScript types.
def out_obj(desc, props, optional=()):
    return {"description": desc, "type": "object", "properties": props,
            "required": [k for k in props if k not in optional], "additionalProperties": False}


def arr(items, desc=None):
    d = {"type": "array", "items": items}
    if desc:
        d["description"] = desc
    return d


def nullable(s, desc=None):
    d = {"anyOf": [s, {"type": "null"}]}
    if desc:
        d["description"] = desc
    return d


s_ = lambda desc=None: {"type": "string", **({"description": desc} if desc else {})}
amount = lambda desc=None: ref("amount", desc)
count = lambda desc: {"type": "integer", "minimum": 0, "description": desc}
LINE_KINDS = ["deduct", "add", "cap", "rate", "band", "judged", "formula", "rank",
              "convert", "rescale", "floor", "veto", "quota", "info"]
report_defs = {
    "amount": {"description": "A decimal as text with exactly the rule set's scale of places, e.g. \"97.50\".",
               "type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"},
    "unit": out_obj("The unit assessed (`ranked` appears only when false, `tags` only when non-empty).", {
        "id": s_(), "name": s_(), "group": s_(), "ranked": {"const": False},
        "tags": {"type": "array", "minItems": 1, "items": s_()}}, optional=("group", "ranked", "tags")),
    "line_kind": {"description": "What a trace line records.", "enum": LINE_KINDS},
    "line": out_obj("One explained change of points: for an item, points + Σ lines = score.", {
        "reason": s_(), "points": amount("Signed, e.g. \"-4.00\"."), "kind": ref("line_kind"),
        "row": {"type": "integer", "minimum": 1, "description": "The row (1-based) of the record list an `each` line counted."},
        "group": s_("The sub-heading of the line's group.")}, optional=("row", "group")),
    "item_status": {"description": "How an item, adjustment or bonus item was scored.",
                    "enum": ["scored", "not_applicable", "pending"]},
    "item": out_obj("One item's result.", {
        "id": s_(), "title": s_(), "points": amount(),
        "score": nullable(amount(), "Null only for a not-applicable item when the rule set rescales."),
        "status": ref("item_status"),
        "value": amount("The indicator value of a rate, bands, formula or rank item."),
        "lines": arr(ref("line")),
        "self_score": nullable(amount(), "The unit's own score (with a self-assessment); null where it gave none."),
        "self_difference": nullable(amount(), "The assessors' score minus the unit's (with a self-assessment)."),
    }, optional=("value", "self_score", "self_difference")),
    "section": out_obj("One section's result.", {
        "id": s_(), "title": s_(), "points": amount(), "out_of": amount(),
        "score": nullable(amount(), "Null when every item is not applicable and the rule set rescales."),
        "status": {"const": "not_applicable", "description": "Present when every item of the section is not applicable."},
        "lines": arr(ref("line")), "items": arr(ref("item"))}, optional=("out_of", "status")),
    "adjustment": out_obj("One adjustment's result.", {
        "id": s_(), "title": s_(), "cap": amount(), "amount": amount("Negative or zero."),
        "status": ref("item_status"), "lines": arr(ref("line"))}, optional=("cap",)),
    "bonus_item": out_obj("One bonus item's result.", {
        "id": s_(), "title": s_(), "points": amount(), "amount": amount(), "status": ref("item_status"),
        "lines": arr(ref("line"))}),
    "bonus": out_obj("The bonus result.", {
        "cap": amount(), "amount": amount(), "items": arr(ref("bonus_item")), "lines": arr(ref("line"))}),
    "effect": {"description": "A veto's effect as written in the rule set.", "anyOf": [
        {"enum": ["fail", "zero", "ungraded"]},
        out_obj("At most this grade.", {"max_grade": s_()}),
        out_obj("This many grades down.", {"lower_grades": {"type": "integer", "minimum": 1}})]},
    "veto": out_obj("One veto and whether it triggered.", {
        "id": s_(), "title": s_(), "triggered": nullable({"type": "boolean"}, "Null while pending."),
        "effect": ref("effect"), "effect_text": s_(),
        "ranking": {"enum": ["last", "excluded"], "description": "Where it puts the unit in a batch's ranking."}},
        optional=("ranking",)),
    "pending": out_obj("Something not known yet (kind `batch`: a ranked report whose group has incomplete peers; kind `note`: an item that lost points still needs its note).", {
        "kind": {"enum": ["item", "adjustment", "bonus", "veto", "batch", "note"]}, "id": {"type": "string"}, "title": s_(),
        "missing": arr(s_(), "Ids of the empty inputs it reads."), "reason": s_()}),
    "problem": out_obj("One problem (or warning): a stable dotted code, a JSON pointer, a Chinese message.", {
        "code": {"type": "string", "pattern": r"^[a-z]+\.[a-z_]+$", "description": "E.g. \"expr.unknown_id\", \"value.range\"."},
        "path": s_("JSON pointer into the document, e.g. \"/sections/1/items/3/points\"."),
        "message": s_("Simplified Chinese message naming the item or field.")}),
    "fingerprint": out_obj("What the report was computed from (docs/FORMATS.md, \"Fingerprint\"): the engine, and "
                           "SHA-256 digests of the rule set's and the submission's canonical texts. Not a signature: "
                           "a back end trusts a report after re-scoring it (`kpi verify`, `POST /v1/verify`).", {
        "engine": s_("The engine and its version, e.g. \"kpi-wasm 0.1.0\"."),
        "rules": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$",
                  "description": "Digest of the rule set's canonical text."},
        "submission": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$",
                       "description": "Digest of the submission's canonical text (its values as the rule set converts them)."}}),
    "report": out_obj("A scored submission (`kpi-report/1`).", {
        "format": {"const": "kpi-report/1"}, "unit": ref("unit"),
        "rules": out_obj("The rule set used.", {"id": s_(), "version": s_(), "title": s_()}),
        "period": s_(), "status": {"enum": ["final", "provisional"]}, "total": amount(),
        "grade": nullable(s_(), "Null without grades, or when a veto withholds it."),
        "grade_text": {"const": "不评等次", "description": "Present when a veto withheld the grade."},
        "grade_by_score": nullable(s_(), "The grade the total alone gives, before vetoes and quotas (null without grades)."),
        "rank": nullable({"type": "integer", "minimum": 1}, "Present in a batch; null for units not ranked."),
        "full_score": amount(), "subtotal": amount("Σ section scores (after rescaling)."),
        "sections": arr(ref("section")), "adjustments": arr(ref("adjustment")), "bonus": ref("bonus"),
        "vetoes": arr(ref("veto")), "lines": arr(ref("line"), "Report-level: rescaling, the floor at zero, veto effects, quota moves."),
        "pending": arr(ref("pending")), "warnings": arr(ref("problem")),
        "meta": {"type": "object", "additionalProperties": {"type": "string"}, "description": "The submission's meta, echoed."},
        "lists": arr(out_obj("A record list's number of rows.", {
            "id": s_(), "rows": nullable({"type": "integer", "minimum": 0}, "Null when the list was not given.")}),
            "Rows per record list (rule sets with record lists)."),
        "self": out_obj("The unit's self-assessment beside the assessors' score.", {
            "total": nullable(amount()), "grade": nullable(s_()),
            "difference": nullable(amount(), "The assessors' total minus the self-assessed one.")}),
        "fingerprint": ref("fingerprint"),
    }, optional=("rank", "bonus", "meta", "grade_text", "lists", "self")),
    "difference": out_obj("One figure of a report that re-scoring does not confirm.", {
        "path": s_("JSON pointer into the report, e.g. \"/sections/1/items/3/score\" (empty for the count of differences not listed)."),
        "reported": {"description": "The report's value (any JSON); null when the report lacks it."},
        "recomputed": {"description": "The recomputed value (any JSON); null when re-scoring has no such figure."},
        "message": s_("Simplified Chinese, naming the figure by its item's or section's title, with both values.")}),
    "verification": out_obj("A report checked against its submission (`kpi verify`, `POST /v1/verify`).", {
        "ok": {"type": "boolean", "description": "True when the report is exactly what re-scoring gives, fingerprint included."},
        "differences": arr(ref("difference"), "The fingerprint's parts first, then the total and grade, then the rest; at most 100, then one entry counting the others.")}),
    "errors": out_obj("Why something could not be read or scored (the golden cases' expected errors).", {
        "error": arr(ref("problem"))}),
    "batch_entry": {"description": "One entry of a batch (`scoreBatch`): the report, or the problems of that submission.",
                    "anyOf": [out_obj("A scored submission.", {"report": ref("report")}),
                              out_obj("A submission that could not be read or scored.", {"error": arr(ref("problem"))})]},
    "standing": out_obj("A unit's standing under one rule set.", {
        "total": amount(), "grade": nullable(s_()), "rank": nullable({"type": "integer", "minimum": 1}),
        "status": {"enum": ["final", "provisional"]}}),
    "item_change": out_obj("One item whose score changed.", {
        "id": s_(), "title": s_(), "old": nullable(amount()), "new": nullable(amount()),
        "reasons": arr(s_(), "The new trace lines of the item.")}),
    "unit_diff": out_obj("One unit under both rule sets.", {
        "unit": ref("unit"), "changed": {"type": "boolean"}, "old": nullable(ref("standing")),
        "new": nullable(ref("standing")), "items": arr(ref("item_change")), "notes": arr(s_())}),
    "diff_summary": out_obj("Counts over all units (`diffSummaryText` words them).", {
        k: count(d) for k, d in [("units", "Units compared."), ("changed", "Total, grade or rank changed."),
                                 ("total_up", "Total went up."), ("total_down", "Total went down."),
                                 ("grade_up", "Grade went up."), ("grade_down", "Grade went down."),
                                 ("errors", "Could not be scored under one of the rule sets.")]}),
    "diff": out_obj("The same submissions under two rule sets.", {
        "old": out_obj("The old rule set.", {"id": s_(), "version": s_()}),
        "new": out_obj("The new rule set.", {"id": s_(), "version": s_()}),
        "units": arr(ref("unit_diff")), "summary": ref("diff_summary"), "rule_changes": arr(s_())}),
    "probe_finding": out_obj("A synthetic submission where the two rule sets disagree (`kpi diff --probe`).", {
        "base": s_(), "input": s_(), "label": s_(), "value": s_(), "old": ref("standing"), "new": ref("standing"),
        "items": arr(ref("item_change"))}),
}
report_schema = {
    "$schema": META,
    "$id": BASE + "kpi-report.schema.json",
    "title": "考核结果（report, kpi-report/1）",
    "description": "What the engine writes for one scored submission. $defs also describe a batch entry, "
                   "a diff and a probe finding. Fields: docs/FORMATS.md.",
    "$ref": "#/$defs/report",
    "$defs": report_defs,
}

# ---------------------------------------------------------------- TypeScript types of the results
TS_NAMES = {"amount": "Decimal", "unit": "ReportUnit", "line_kind": "LineKind", "line": "TraceLine",
            "item_status": "ItemStatus", "item": "ItemReport", "section": "SectionReport",
            "adjustment": "AdjustmentReport", "bonus_item": "BonusItemReport", "bonus": "BonusReport",
            "effect": "VetoEffect", "veto": "VetoReport", "pending": "PendingEntry", "problem": "Problem",
            "report": "Report", "batch_entry": "BatchEntry", "standing": "Standing", "item_change": "ItemChange",
            "unit_diff": "UnitDiff", "diff_summary": "DiffSummary", "diff": "Diff", "probe_finding": "ProbeFinding",
            "fingerprint": "Fingerprint", "difference": "Difference", "verification": "Verification"}


def ts(s, indent):
    """The TypeScript type of schema `s`."""
    if "$ref" in s:
        return TS_NAMES[s["$ref"].rsplit("/", 1)[1]]
    if "const" in s:
        return json.dumps(s["const"])
    if "enum" in s:
        return " | ".join(json.dumps(v) for v in s["enum"])
    if "anyOf" in s:
        variants = s["anyOf"]
        keys = [set(v.get("properties", {})) for v in variants]
        if all(keys):
            # Objects with distinct keys: each names the others' as `?: undefined`, so that
            # `entry.report` type-checks on the union before narrowing.
            variants = [{**v, "properties": {**v["properties"], **{k: {"tsUndefined": True} for o in keys
                                                                  for k in sorted(o - ks)}}}
                        for v, ks in zip(variants, keys)]
        return " | ".join(ts(x, indent) for x in variants)
    if s.get("tsUndefined"):
        return "undefined"
    t = s.get("type")
    if t is None:
        return "unknown"
    if t == "array":
        inner = ts(s["items"], indent)
        return f"({inner})[]" if "|" in inner else f"{inner}[]"
    if t == "object" and "properties" in s:
        return ts_object(s, indent)
    if t == "object":
        return f"Record<string, {ts(s['additionalProperties'], indent)}>"
    return {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "null": "null"}[t]


def ts_object(s, indent):
    pad = "  " * (indent + 1)
    lines = ["{"]
    for k, v in s["properties"].items():
        if "description" in v:
            lines.append(f"{pad}/** {v['description']} */")
        opt = "" if k in s.get("required", []) else "?"
        lines.append(f"{pad}{k}{opt}: {ts(v, indent + 1)};")
    lines.append("  " * indent + "}")
    return "\n".join(lines)


def ts_types():
    out_lines = []
    for name, s in report_defs.items():
        if name == "errors":
            continue
        out_lines.append(f"/** {s['description']} */")
        if s.get("type") == "object" and "properties" in s:
            out_lines.append(f"export interface {TS_NAMES[name]} {ts_object(s, 0)}")
        else:
            out_lines.append(f"export type {TS_NAMES[name]} = {ts(s, 0)};")
        out_lines.append("")
    return "\n".join(out_lines)


BEGIN = "// ---- generated by schema/src/make_schemas.py from schema/kpi-report.schema.json: do not edit ----\n"
END = "// ---- end of generated types ----\n"
for name, s in [("kpi-rules.schema.json", rules_schema), ("kpi-submission.schema.json", sub_schema),
                ("kpi-report.schema.json", report_schema)]:
    (out / name).write_text(json.dumps(s, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("wrote", out / name)
text = (root / "js/index.d.ts").read_text(encoding="utf-8")
start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
d_ts.write_text(text[:start] + "\n" + ts_types() + text[end:], encoding="utf-8")
print("wrote", d_ts)
