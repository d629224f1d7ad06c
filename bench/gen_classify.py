#!/usr/bin/env python3
"""Generate a large, valid `kiemdiem classify` input (see spec classify.md).

usage: bench/gen_classify.py N OUT [--seed S]

Writes one document with N members (ids dv0000001...), five leaders and a
collective, as_of 2021-11-27, rule set kh19-2021. Deterministic: the same N and
seed give the same bytes. Python 3 standard library only.

The mix is meant to look like a (very large) real cell, not to be kind to the
engine: every member has a Vietnamese name (multi-byte UTF-8), most give an
admission date and a civil-servant rating, some give the optional flags and
numbers; about 2.5% are not rated (admitted less than 6 months before as_of,
exempted or suspended); ballots use voters = 40 with a few absentees; a few
members have too few valid ballots for a majority (V-1, undecided); and about a
quarter of the rated members reach HTXSNV by vote, so the 20% quota (Q-1)
binds and the candidates have to be ranked (with ties at the cut).
"""
import argparse
import random
import sys

VOTERS = 40
AS_OF = "2021-11-27"

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Cao", "Châu"]
MIDDLES = ["Thị", "Văn", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Hồng", "Kim", "Thu", "Quốc",
           "Bích", "Như", "Mỹ", "Anh", "Trọng", "Xuân", "Thúy", "Hoài", "Bảo"]
GIVENS = ["Lệ", "Dung", "Thủy", "Ngân", "Hồng", "Tuấn", "Hiền", "Hải", "Kháng", "Hào", "Nhi",
          "Lan", "Xuân", "Chất", "Hiệp", "Hạnh", "Quỳnh", "Châu", "Trang", "Ngọc", "Triều",
          "Nguyên", "Linh", "Nhật", "Đức", "Phượng", "Chương", "Ba", "Hùng", "Phúc", "Sơn", "Yến"]


def levels(rng, xs, t, tb):
    """One criterion level: XS with probability xs, T with t, TB with tb, else K."""
    x = rng.random()
    if x < xs:
        return "XS"
    if x < xs + t:
        return "T"
    if x < xs + t + tb:
        return "TB"
    return "K"


def ballots(rng, main, share_lo, share_hi, spill):
    """Ballots with `main` getting a share of the valid ones, the rest on `spill`."""
    present = VOTERS - (rng.random() < 0.3) * rng.randint(1, 4)
    k = rng.randint(int(present * share_lo), int(present * share_hi))
    votes = {main: k}
    if present - k:
        votes[spill] = votes.get(spill, 0) + present - k
    return votes


def fmt_votes(v):
    return "{" + ",".join(f'"{r}":{n}' for r, n in v.items()) + "}"


def member(rng, i):
    idx = f"dv{i:07d}"
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"
    parts = [f'"id":"{idx}"', f'"name":"{name}"']
    p = rng.random()

    if p < 0.025:  # not rated
        why = rng.random()
        if why < 0.7:
            parts.append(f'"admitted_on":"2021-{rng.randint(6, 11):02d}-{rng.randint(1, 28):02d}"')
        else:
            parts.append(f'"admitted_on":"{rng.randint(1975, 2019)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"')
            parts.append('"exempted":true' if why < 0.9 else '"suspended":true')
        if rng.random() < 0.5:
            parts.append(f'"criteria":{{"pham_chat":"T","nhiem_vu":"{rng.choice(("T", "XS"))}","cam_ket":"T"}}')
        return "{" + ",".join(parts) + "}"

    parts.append(f'"admitted_on":"{rng.randint(1975, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"')
    if p < 0.36:  # strong: aims at HTXSNV
        cs = "HTXSNV" if rng.random() < 0.85 else None
        crit = (levels(rng, 0.5, 0.5, 0), "XS", levels(rng, 0.4, 0.6, 0))
        exemplary = rng.random() < 0.9
        votes = ballots(rng, "HTXSNV", 0.45, 0.95, "HTTNV")
    elif p < 0.85:  # good: HTTNV
        cs = rng.choices(("HTXSNV", "HTTNV", None), (0.2, 0.65, 0.15))[0]
        crit = (levels(rng, 0.15, 0.83, 0.02), levels(rng, 0.2, 0.8, 0), levels(rng, 0.1, 0.88, 0.02))
        exemplary = rng.random() < 0.05
        votes = ballots(rng, "HTTNV", 0.6, 1.0, "HTNV")
        if rng.random() < 0.2:
            votes["HTXSNV"] = votes.pop("HTNV", 0)
    elif p < 0.97:  # weaker: HTNV
        cs = rng.choices(("HTTNV", "HTNV", None), (0.3, 0.6, 0.1))[0]
        crit = (levels(rng, 0, 0.7, 0.3), levels(rng, 0, 0.5, 0.5), levels(rng, 0, 0.6, 0.4))
        exemplary = False
        votes = ballots(rng, "HTNV", 0.55, 1.0, "HTTNV")
    else:  # failing: KHTNV
        cs = rng.choices(("HTNV", "KHTNV", None), (0.4, 0.4, 0.2))[0]
        crit = (levels(rng, 0, 0.3, 0.5), levels(rng, 0, 0.1, 0.5), levels(rng, 0, 0.3, 0.5))
        exemplary = False
        votes = ballots(rng, "KHTNV", 0.55, 1.0, "HTNV")

    if cs is not None:
        parts.append(f'"civil_servant_rating":"{cs}"')
    parts.append(f'"criteria":{{"pham_chat":"{crit[0]}","nhiem_vu":"{crit[1]}","cam_ket":"{crit[2]}"}}')
    parts.append(f'"exemplary":{"true" if exemplary else "false"}')
    x = rng.random()
    if x < 0.002:
        parts.append('"degradation_concluded":true')
    if x > 0.995:
        parts.append('"disciplined":true')
    if rng.random() < 0.1:
        parts.append(f'"task_completion_pct":{rng.choice((100, 95, 90, 80, 75, 60, 45, 30))}')
    if rng.random() < 0.04:
        parts.append(f'"sick_leave_months":{rng.choice((0.5, 1, 2, 2.5, 3, 4, 6))}')
    if rng.random() < 0.003:  # too many blank ballots: no majority (V-1)
        votes = {r: n // 3 for r, n in votes.items()}
    parts.append(f'"votes":{fmt_votes(votes)}')
    parts.append(f'"voters":{VOTERS}')
    return "{" + ",".join(parts) + "}"


LEADERS = [
    '{"id":"ld01","name":"Nguyễn Thị Hồng Chương","member_id":"dv0000001","heads_collective":true,'
    '"exemplary":"thuc_su","duties":["cao","cao","dat"],"initiative_applied":true,'
    '"unit_targets":{"total":20,"completed":20,"exceeded":9,"on_time":19}}',
    '{"id":"ld02","name":"Trần Văn Ba","member_id":"dv0000002","exemplary":"co",'
    '"duties":["cao","dat","dat","thap","cao"],"unit_targets":{"total":12,"completed":12,"exceeded":4,"on_time":10}}',
    '{"id":"ld03","name":"Lê Thị Bạch Lan","member_id":"dv0000003","exemplary":"co",'
    '"duties":["dat","dat","dat"],"unit_targets":{"total":10,"completed":8,"exceeded":0,"on_time":7}}',
    '{"id":"ld04","name":"Phạm Văn Sơn","member_id":"dv9999999","exemplary":"khong",'
    '"duties":["khong","thap"],"unit_targets":{"total":6,"completed":2,"exceeded":0,"on_time":1},'
    '"disciplined":true}',
    '{"id":"ld05","name":"Võ Thị Yến","exemplary":"thuc_su","duties":["cao","cao","cao","cao"],'
    '"initiative_applied":true,"unit_targets":{"total":8,"completed":8,"exceeded":5,"on_time":8}}',
]

COLLECTIVE = (
    '{"name":"Chi bộ trường THPT Nguyễn Thị Minh Khai (bench)",'
    '"criteria":{"chinh_tri_tu_tuong":"XS","to_chuc_can_bo":"T","lanh_dao_doan_the":"T",'
    '"kiem_tra_giam_sat":"T","ke_hoach_nam":"T","chi_tieu_nhiem_vu":"XS","xep_loai_doan_the":"T",'
    '"khac_phuc":"T"},"outstanding":false,"party_building_completion_pct":100,"disciplined":false,'
    '"mass_organizations":[{"name":"Công đoàn","rating":"HTTNV"},{"name":"Đoàn Thanh niên","rating":"HTXSNV"}],'
    '"leadership_rating":"HTTNV"}'
)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of members")
    ap.add_argument("out", help="output file ('-' for standard output)")
    ap.add_argument("--seed", type=int, default=20211127)
    a = ap.parse_args()
    if a.n < 3:
        ap.error("N must be at least 3 (the leaders refer to dv0000001..3)")
    rng = random.Random(a.seed)
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", newline="\n")
    with out:
        out.write(f'{{"ruleset":"kh19-2021","as_of":"{AS_OF}","members":[\n')
        chunk = []
        for i in range(1, a.n + 1):
            chunk.append(member(rng, i))
            if len(chunk) == 10000:
                out.write(",\n".join(chunk))
                out.write(",\n" if i < a.n else "\n")
                chunk = []
        if chunk:
            out.write(",\n".join(chunk) + "\n")
        out.write('],\n"leaders":[\n' + ",\n".join(LEADERS) + '],\n"collective":' + COLLECTIVE + "}\n")


if __name__ == "__main__":
    main()
