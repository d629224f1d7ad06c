#!/usr/bin/env python3
"""Generate a large, valid roster CSV for `kiemdiem import roster` (docs/roster.md).

usage: bench/gen_roster.py N OUT [--groups G] [--seed S]

Writes N people (codes dv000001..., dv00000001... from a million on) in the columns of docs/roster.md, header on
line 1, `,`-separated, `\\n` line ends, UTF-8 without a byte order mark, fields
quoted only when they must be (a position with a comma in it). Deterministic:
the same N, G and seed give the same bytes. Python 3 standard library only.

The party groups are to0001 ... toG (G = 3000 by default), named "Tổ đảng 1"
... "Tổ đảng G"; they must exist before the import (`kiemdiem group add to0001
--name "Tổ đảng 1"`, which is what bench/store.sh does). The first ten people
are the cell's committee (one bí thư, two phó bí thư, seven chi ủy viên) and
belong to no group; everyone else is spread evenly over the groups, and the
first person of each group is its leader (to_truong). N = 100,000 and G = 3000
give groups of 33 or 34.

The mix is meant to look like a real roster, not to be kind to the importer:
Vietnamese names in NFC with diacritics (three or four words), birth dates
1950-2000, admission dates after the 18th birthday, official dates 12 months
later (empty for the members admitted in the last year, who are probationary),
card numbers "PP.NNNNNN" unique (about 3% missing), about 30% of the dates in
DD/MM/YYYY (day and month sometimes one digit), yes/no written as 1/0, co/khong
or có/không, some positions with a comma (quoted), and e-mail addresses for
about 60%.
"""
import argparse
import datetime
import random
import sys
import unicodedata

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Cao", "Châu",
          "Tạ", "Quách", "Lương", "Thái", "Kiều", "Tôn Thất", "Âu"]
MIDDLE = ["Thị", "Văn", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Hồng", "Kim", "Thu", "Quốc",
          "Bích", "Như", "Mỹ", "Anh", "Trọng", "Xuân", "Thúy", "Hoài", "Bảo", "Thị Ngọc",
          "Văn Đức", "Thị Thu", "Công", "Đình", "Diệu", "Ánh", "Phương"]
GIVEN = ["Lệ", "Dung", "Thủy", "Ngân", "Hồng", "Tuấn", "Hiền", "Hải", "Kháng", "Hào", "Nhi",
         "Lan", "Xuân", "Chất", "Hiệp", "Hạnh", "Quỳnh", "Châu", "Trang", "Ngọc", "Triều",
         "Nguyên", "Linh", "Nhật", "Đức", "Phượng", "Chương", "Ba", "Hùng", "Phúc", "Sơn", "Yến",
         "Ánh", "Ấn", "Ước", "Ưng", "Đạt", "Dũng", "Khôi", "Thắng", "Vượng", "Tường", "Oanh", "Nguyệt"]
WORK = ["Giáo viên", "Giáo viên", "Giáo viên", "Giáo viên", "Tổ trưởng chuyên môn", "Tổ phó chuyên môn",
        "Nhân viên văn phòng", "Kế toán", "Thủ thư", "Giáo viên, Tổ phó chuyên môn",
        "Giáo viên, Chủ tịch Công đoàn", "Giáo viên, Bí thư Đoàn trường", "Nhân viên y tế", "Bảo vệ"]
DOMAINS = ["thpt-minhkhai.edu.vn", "gmail.com", "hcm.edu.vn", "yahoo.com.vn"]
COMMITTEE = ["bi_thu", "pho_bi_thu", "pho_bi_thu"] + ["chi_uy_vien"] * 7
COMMITTEE_POS = {"bi_thu": "Bí thư chi bộ", "pho_bi_thu": "Phó Bí thư chi bộ", "chi_uy_vien": "Chi ủy viên"}
AS_OF = datetime.date(2021, 11, 27)
HEADER = ["ma", "ho_ten", "ngay_sinh", "ngay_vao_dang", "ngay_chinh_thuc", "so_the", "to_dang",
          "chuc_vu_dang", "chuc_vu_chinh_quyen", "cong_chuc", "cap_tren_quan_ly", "chi_uy", "to_truong", "email"]


def ascii_fold(s):
    """Vietnamese text without its marks, lowercase, for e-mail addresses."""
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).lower()


def date(rng, d):
    """A date as a roster file would have it: mostly ISO, sometimes DD/MM/YYYY."""
    if rng.random() < 0.3:
        if rng.random() < 0.5:
            return f"{d.day}/{d.month}/{d.year}"
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return d.isoformat()


def yes_no(rng, b):
    x = rng.random()
    if x < 0.8:
        return "1" if b else "0"
    if x < 0.9:
        return "co" if b else "khong"
    return "có" if b else "không"


def field(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\r\n') else s


def person(rng, i, n_groups, n_committee, n_members, wide):
    code = f"dv{i:08d}" if wide else f"dv{i:06d}"
    family = rng.choice(FAMILY)
    name = f"{family} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    name = unicodedata.normalize("NFC", name)
    birth = datetime.date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
    earliest = datetime.date(birth.year + 18, birth.month, birth.day)
    if rng.random() < 0.04:  # admitted in the last year: probationary
        admitted = AS_OF - datetime.timedelta(days=rng.randint(20, 360))
    else:
        span = (AS_OF - datetime.timedelta(days=400) - earliest).days
        admitted = earliest + datetime.timedelta(days=rng.randint(0, max(span, 0)))
    official = admitted + datetime.timedelta(days=365)
    role = COMMITTEE[i - 1] if i <= n_committee else ""
    if role:
        group, leader = "", False
        party_pos = COMMITTEE_POS[role]
        admitted = min(admitted, AS_OF - datetime.timedelta(days=3650))
        admitted = max(admitted, earliest)
        official = admitted + datetime.timedelta(days=365)
    else:
        k = i - n_committee - 1  # spread evenly: group g holds k in [g*M/G, (g+1)*M/G)
        g = k * n_groups // n_members
        group = f"to{g + 1:04d}"
        leader = k == 0 or (k - 1) * n_groups // n_members != g
        party_pos = "Tổ trưởng tổ đảng" if leader else "Đảng viên"
    # 999983 (99999989 for a roster of a million or more) is prime and larger
    # than N, so the serials are unique
    serial = f"{i * 7919 % 99999989:08d}" if wide else f"{i * 7919 % 999983:06d}"
    card = "" if rng.random() < 0.03 else f"{rng.choice((79, 79, 79, 1, 48, 92)):02d}.{serial}"
    email = ""
    if rng.random() < 0.6:
        email = f"{ascii_fold(name.split()[-1])}.{ascii_fold(family).replace(' ', '')}{i}@{rng.choice(DOMAINS)}"
    civil = rng.random() < 0.85
    upper = bool(role) and rng.random() < 0.5
    row = [code, name, date(rng, birth), date(rng, admitted),
           date(rng, official) if official <= AS_OF else "", card, group, party_pos,
           rng.choice(WORK), yes_no(rng, civil), yes_no(rng, upper), role, yes_no(rng, leader) if group else "",
           email]
    return ",".join(field(f) for f in row)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of people")
    ap.add_argument("out", help="output file ('-' for standard output)")
    ap.add_argument("--groups", type=int, default=3000, help="number of party groups (to0001 ...)")
    ap.add_argument("--seed", type=int, default=20211127)
    a = ap.parse_args()
    n_committee = len(COMMITTEE)
    if a.n < n_committee + a.groups:
        ap.error(f"N must be at least {n_committee} + GROUPS (one person per group)")
    if a.groups < 1 or a.groups > 9999 or a.n >= 99999989:
        ap.error("GROUPS must be between 1 and 9999 and N below 99999989")
    # Rosters below a million keep the six-digit codes and card serials
    # their published figures were measured with (the same bytes as before).
    wide = a.n >= 999983
    rng = random.Random(a.seed)
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", newline="\n")
    with out:
        out.write(",".join(HEADER) + "\n")
        chunk = []
        for i in range(1, a.n + 1):
            chunk.append(person(rng, i, a.groups, n_committee, a.n - n_committee, wide))
            if len(chunk) == 10000:
                out.write("\n".join(chunk) + "\n")
                chunk = []
        if chunk:
            out.write("\n".join(chunk) + "\n")


if __name__ == "__main__":
    main()
