#!/usr/bin/env python3
"""Writes schema/kpi-rules.schema.json and schema/kpi-submission.schema.json (JSON Schema 2020-12)
from the field lists in docs/FORMATS.md. Run: python3 schema/src/make_schemas.py"""
import json, pathlib

out = pathlib.Path(__file__).resolve().parent.parent
DEC = {"$ref": "#/$defs/decimal"}
EXPR = {"type": "string", "minLength": 1, "maxLength": 2000, "description": "表达式（expression）：输入项 id、+ - * /、比较、&& || !、if/min/max/abs/floor/ceil/round、avg/sum/count/rank"}
TEXT = {"type": "string", "minLength": 1}

def obj(props, required=(), desc=None, **kw):
    d = {"type": "object", "properties": props, "additionalProperties": False}
    if required: d["required"] = list(required)
    if desc: d["description"] = desc
    d.update(kw)
    return d

decimal = {"description": "十进制数，写作字符串（\"2.5\"）或数字（2.5）；绝对值不超过10¹²",
           "oneOf": [{"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$"}, {"type": "number"}]}
line = {"description": "扣分/加分规则：{if, points, reason}（条件成立扣/加一次）或 {per, points, free?, unit?, reason}（按数量计）",
        "oneOf": [
          obj({"if": {**EXPR, "description": "条件表达式（bool）"}, "points": DEC, "reason": TEXT}, ["if", "points", "reason"]),
          obj({"per": {**EXPR, "description": "数量表达式（number）"}, "points": DEC, "free": DEC, "unit": TEXT,
               "reason": {**TEXT, "description": "原因；可含 {n}、{points}、{amount} 占位符"}}, ["per", "points", "reason"])]}
lines = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/line"}}
rules = {
  "deduct": {**lines, "description": "定额扣分（deduct）：扣分规则列表"},
  "rate": obj({"value": EXPR, "target": DEC, "direction": {"enum": ["higher", "lower"]}, "mode": {"enum": ["step", "proportional"]},
               "step": DEC, "points_per_step": DEC, "partial": {"enum": ["exact", "up", "down"]},
               "when_undefined": {"enum": ["full", "zero", "pending"]}}, ["value", "target", "mode"], "比率指标（rate）"),
  "bands": obj({"value": EXPR, "bands": {"type": "array", "minItems": 1, "items": obj({"min": DEC, "max": DEC, "score": DEC}, ["score"])}},
               ["value", "bands"], "区间赋分（bands）：min ≤ 值 < max"),
  "judged": obj({"input": TEXT}, ["input"], "评议分（judged）：引用一个 number 类型输入项"),
  "rank": obj({"value": EXPR, "order": {"enum": ["desc", "asc"]}, "first": DEC, "step": DEC, "floor": DEC},
              ["value", "first", "step"], "排名赋分（rank，仅批量评分）"),
  "formula": {**EXPR, "description": "公式计分（formula），结果限定在 0..points"},
}
rule_keys = list(rules)
item_props = {"id": TEXT, "title": TEXT, "points": DEC, "basis": {**TEXT, "description": "细则原文"}, "cap": {**DEC, "description": "本项最多扣分（仅 deduct、rate）"},
              "combine": {"enum": ["sum", "max"], "description": "max：就高不就低、不累计"}, "applicable": {**EXPR, "description": "适用条件；为假时不涉及"}}
item_props.update(rules)
item = {**obj(item_props, ["id", "title", "points"], "考核项目（item）：有且只有一个计分规则"),
        "oneOf": [{"required": [k], "not": {"anyOf": [{"required": [o]} for o in rule_keys if o != k]}} for k in rule_keys]}
bound = {"description": "数值，或另一个数值类输入项的 id", "oneOf": [DEC, {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}]}
input_ = obj({"id": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}, "label": TEXT,
              "type": {"enum": ["count", "number", "percent", "bool", "choice", "text"]}, "section": TEXT, "required": {"type": "boolean"},
              "min": bound, "max": bound, "options": {"type": "array", "minItems": 1, "items": TEXT},
              "default": {"type": ["string", "number", "boolean"]}, "unit": TEXT, "help": TEXT}, ["id", "label", "type"], "填报项（input）")
effect = {"description": "否决后果", "oneOf": [{"enum": ["fail", "zero"]}, obj({"max_grade": TEXT}, ["max_grade"]),
                                           obj({"lower_grades": {"type": "integer", "minimum": 1}}, ["lower_grades"])]}
expect = obj({"total": DEC, "grade": TEXT, "status": {"enum": ["final", "provisional"]},
              "items": {"type": "object", "additionalProperties": DEC}, "vetoes": {"type": "array", "items": TEXT}})
unit = obj({"id": TEXT, "name": TEXT, "group": TEXT, "ranked": {"type": "boolean"}}, ["id", "name"], "被考核单位")
values = {"type": "object", "description": "输入项 id → 值（null 表示未填）",
          "additionalProperties": {"type": ["string", "number", "boolean", "null"]}}
notes = {"type": "object", "description": "项目 id → 扣分理由", "additionalProperties": {"type": ["string", "null"]}}

rules_schema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://kpi-wasm.invalid/schema/kpi-rules.schema.json",
  "title": "考核细则（kpi-rules/1）",
  **obj({
    "$schema": {"type": "string"}, "format": {"const": "kpi-rules/1"}, "id": TEXT, "version": TEXT, "title": TEXT, "period": TEXT,
    "unit_kind": TEXT, "description": TEXT, "full_score": DEC, "scale": {"type": "integer", "minimum": 0, "maximum": 6},
    "not_applicable": {"enum": ["full", "rescale"]},
    "inputs": {"type": "array", "items": {"$ref": "#/$defs/input"}},
    "sections": {"type": "array", "minItems": 1, "items": obj({"id": TEXT, "title": TEXT, "points": DEC, "out_of": DEC,
                  "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}}}, ["id", "title", "points", "items"])},
    "adjustments": {"type": "array", "items": obj({"id": TEXT, "title": TEXT, "basis": TEXT, "cap": DEC, "combine": {"enum": ["sum", "max"]},
                    "deduct": lines}, ["id", "title", "deduct"], "扣分项（adjustment）")},
    "bonus": obj({"cap": DEC, "items": {"type": "array", "items": obj({"id": TEXT, "title": TEXT, "points": DEC, "basis": TEXT,
                  "combine": {"enum": ["sum", "max"]}, "add": lines}, ["id", "title", "points", "add"])}}, ["cap", "items"], "加分"),
    "vetoes": {"type": "array", "items": obj({"id": TEXT, "title": TEXT, "basis": TEXT, "when": EXPR, "effect": effect},
               ["id", "title", "when", "effect"], "一票否决")},
    "grades": {"type": "array", "minItems": 1, "items": obj({"name": TEXT, "min": DEC}, ["name", "min"])},
    "quotas": {"type": "array", "items": obj({"grade": TEXT, "max_share": DEC}, ["grade", "max_share"])},
    "tests": {"type": "array", "items": obj({"name": TEXT, "unit": unit, "values": values, "notes": notes, "expect": expect},
              ["name", "values", "expect"])},
  }, ["format", "id", "version", "title", "period", "unit_kind", "full_score", "inputs", "sections", "grades"]),
  "$defs": {"decimal": decimal, "line": line, "item": item, "input": input_},
}
sub_schema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://kpi-wasm.invalid/schema/kpi-submission.schema.json",
  "title": "考核表（kpi-submission/1）",
  **obj({"$schema": {"type": "string"}, "format": {"const": "kpi-submission/1"},
         "rules": obj({"id": TEXT, "version": TEXT}, ["id", "version"]), "unit": unit, "period": TEXT,
         "values": values, "notes": notes, "meta": {"type": "object", "additionalProperties": {"type": ["string", "null"]}}},
        ["format", "rules", "unit"]),
}
for name, s in [("kpi-rules.schema.json", rules_schema), ("kpi-submission.schema.json", sub_schema)]:
    (out / name).write_text(json.dumps(s, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
