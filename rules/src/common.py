"""Helpers shared by the rule-set sources in this folder."""

def I(id, label, type, section, **kw):
    d = {"id": id, "label": label, "type": type}
    if section:
        d["section"] = section
    d.update(kw)
    return d

def item(id, title, points, basis, **rule):
    d = {"id": id, "title": title, "points": points, "basis": basis}
    d.update(rule)
    return d

def per(expr, points, reason, **kw):
    d = {"per": expr, "points": points, "reason": reason}
    d.update(kw)
    return d

def when(cond, points, reason):
    return {"if": cond, "points": points, "reason": reason}

def case_list(good, cases):
    out = []
    for name, expect, changes in cases:
        v = dict(good)
        v.update(changes)
        out.append({"name": name, "values": v, "expect": expect})
    return out
