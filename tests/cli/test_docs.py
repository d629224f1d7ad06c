"""End-to-end tests of the documents (issue 5): `kiemdiem doc`, `doc list`
and `dossier`, read back the way a user or the upper level would read them:

  - every document of the demo cell in every format it is offered in: the
    DOCX opens in LibreOffice (converted to PDF headless, all files in one
    soffice call), the XLSX is a workbook with the names, the PDF has the
    party header block, the title and the roster's names as text (pdftotext),
    in NFC, with every font embedded (pdffonts);
  - the minutes of a party group and the extract of the cell's minutes say
    who attended, who was absent and why, each subject's ballots and the
    cell's decision for each member;
  - a vote table of 120 members runs over several pages with its header
    repeated on each and no row split across two;
  - a name with Ỷ, Ữ, Đ, ẫ and ợ comes out intact in DOCX, XLSX and PDF;
  - the same data gives the same bytes (each format, and the dossier);
  - the dossier holds the plan's documents in the plan's order, a README
    listing them, and campaign.json equal to `kiemdiem export json`;
  - bad input (unknown document, a format not offered, a missing or unknown
    member, a meeting not held) exits 2 with one line and writes nothing;
  - the first page of each document matches its reference image in
    tests/docs/ref (KD_UPDATE_REFS=1 rewrites them after an intended change).

The demo database is made once (`kiemdiem demo`); tests that change data
work on copies of it.
"""

import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unicodedata
import unittest
import zipfile
import zlib

import kdtest
from kdtest import run

REF_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "ref")
HEADER_LINES = ["ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ QUẬN 3", "CHI BỘ TRƯỜNG THPT", "NGUYỄN THỊ MINH KHAI"]
FORMATS = {  # as KD_DOCUMENTS offers them
    "plan": ("docx", "pdf"), "report": ("docx", "pdf"), "comments": ("docx", "pdf", "xlsx"),
    "review": ("docx", "pdf"), "minutes": ("docx", "pdf"), "votes": ("docx", "pdf", "xlsx"),
    "count": ("docx", "pdf"), "ballots": ("docx", "pdf"), "results": ("docx", "pdf", "xlsx"),
}
TITLES = {  # words of each document's title as printed (capitals)
    "plan": "KẾ HOẠCH", "report": "BÁO CÁO", "comments": "TỔNG HỢP", "review": "KIỂM ĐIỂM",
    "minutes": "BIÊN BẢN", "votes": "BẢNG TỔNG HỢP KẾT QUẢ BIỂU QUYẾT", "count": "BIÊN BẢN KIỂM PHIẾU",
    "ballots": "PHIẾU BIỂU QUYẾT", "results": "KẾT QUẢ",
}
DIACRITIC_NAME = "Đoàn Ữ Ỷ Lẫn Hợp"
TMP = None
DEMO = None


def setUpModule():
    global TMP, DEMO
    TMP = tempfile.mkdtemp(prefix="kd-docs-")
    DEMO = os.path.join(TMP, "demo.db")
    p = run(["demo", "--db", DEMO])
    assert p.returncode == 0, p.stderr.decode()


def tearDownModule():
    shutil.rmtree(TMP, True)


def kd(*args, db=None, ok=True):
    p = run(list(args) + (["--db", db] if db else []), timeout=120)
    if ok and p.returncode != 0:
        raise AssertionError("kiemdiem %s: exit %d\n%s" % (" ".join(args), p.returncode,
                                                          p.stderr.decode("utf-8", "replace")))
    return p


def copy_demo(name):
    path = os.path.join(TMP, name)
    kdtest.copy_db(DEMO, path)
    return path


def out_path(name):
    return os.path.join(TMP, name)


def render(name, fmt, db=None, member=None, meeting=None, path=None):
    path = path or out_path("%s-%s-%s.%s" % (name, member or "", meeting or "", fmt))
    args = ["doc", name, "--format", fmt, "--out", path]
    if member:
        args += ["--member", member]
    if meeting:
        args += ["--meeting", str(meeting)]
    kd(*args, db=db or DEMO)
    return path


def pdftext(path, page=None, layout=True):
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    if page:
        args += ["-f", str(page), "-l", str(page)]
    p = subprocess.run(args + [path, "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return p.stdout.decode("utf-8")


def pdfpages(path):
    p = subprocess.run(["pdfinfo", path], stdout=subprocess.PIPE, check=True)
    return int(re.search(rb"Pages:\s+(\d+)", p.stdout).group(1))


def squash(text):
    """Text with runs of white space made one space (pdftotext breaks lines)."""
    return re.sub(r"\s+", " ", text)


def xml_text(path, member):
    """The text of an XML part of an OOXML file, tags removed."""
    with zipfile.ZipFile(path) as z:
        xml = z.read(member).decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


def meetings(db):
    """[(id, is_cell)] from `meeting list`."""
    out = kd("meeting", "list", db=db).stdout.decode()
    return [(int(m.group(1)), "(chi bộ)" in m.group(0)) for m in re.finditer(r"^(\d+) .*$", out, re.M)]


def decisions(db):
    """{full name: rating code} of the current decisions (`decide list`)."""
    out = kd("meeting", "show", "5", db=db).stdout.decode()
    got = {}
    for m in re.finditer(r"^  \[\d+\] (.+?)(?: \((dv\d+)\))?: [^(]+\((HT\w+|KHTNV)\)", out, re.M):
        got[m.group(1)] = m.group(3)
    return got


# ---------------------------------------------------------------- PNG

def png_gray(path):
    """(width, height, bytes of gray pixels) of an 8-bit non-interlaced
    PNG (gray, RGB or RGBA), as pdftoppm writes them."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    assert depth == 8 and interlace == 0 and ctype in (0, 2, 6), hdr
    bpp = {0: 1, 2: 3, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    gray = bytearray()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if bpp == 1:
            gray += line
        else:
            gray += bytes(sum(line[i:i + 3]) // 3 for i in range(0, stride, bpp))
    return w, h, bytes(gray)


# ---------------------------------------------------------------- tests

class DocumentsTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        ms = meetings(DEMO)
        cls.group_meeting = next(i for i, cell in ms if not cell)
        cls.cell_meeting = next(i for i, cell in ms if cell)
        # One of each document: the secretary's review, a group's and the
        # cell's meeting.
        cls.samples = []
        for name, fmts in FORMATS.items():
            if name == "review":
                cls.samples.append((name, "dv01", None))
            elif name in ("minutes", "votes", "count", "ballots"):
                cls.samples.append((name, None, cls.group_meeting))
                cls.samples.append((name, None, cls.cell_meeting))
            else:
                cls.samples.append((name, None, None))
        cls.files = {}
        for name, member, meeting in cls.samples:
            for fmt in FORMATS[name]:
                cls.files[(name, member, meeting, fmt)] = render(name, fmt, member=member, meeting=meeting)

    def test_list_names_every_document_and_the_ids(self):
        out = kd("doc", "list", db=DEMO).stdout.decode()
        for name, fmts in FORMATS.items():
            line = next((ln for ln in out.splitlines() if ln.split()[:1] == [name]), None)
            self.assertIsNotNone(line, "doc list lacks %s:\n%s" % (name, out))
            self.assertIn(", ".join(fmts), line)
        self.assertRegex(out, r"--member: dv\d+")
        for mid, _ in meetings(DEMO):
            self.assertRegex(out, r"--meeting: .*\b%d \(" % mid)

    def test_every_file_is_what_its_extension_says(self):
        for (name, member, meeting, fmt), path in self.files.items():
            with open(path, "rb") as f:
                head = f.read(8)
            want = b"%PDF-" if fmt == "pdf" else b"PK\x03\x04"
            self.assertTrue(head.startswith(want), "%s %s: starts %r" % (name, fmt, head))
            if fmt != "pdf":
                with zipfile.ZipFile(path) as z:
                    self.assertIsNone(z.testzip())
                    self.assertIn("word/document.xml" if fmt == "docx" else "xl/workbook.xml", z.namelist())

    def test_pdf_has_the_party_header_title_and_names_in_nfc_with_embedded_fonts(self):
        roster = kd("export", "roster", db=DEMO).stdout.decode().splitlines()[1:]
        names = {r.split(",")[0]: r.split(",")[1] for r in roster}
        for (name, member, meeting, fmt), path in self.files.items():
            if fmt != "pdf":
                continue
            where = "%s %s %s" % (name, member or "", meeting or "")
            text = pdftext(path)
            self.assertTrue(unicodedata.is_normalized("NFC", text), where + ": text not NFC")
            flat = squash(text)
            for line in HEADER_LINES:
                self.assertIn(line, flat, where)
            self.assertIn(TITLES[name], flat, where)
            fonts = subprocess.run(["pdffonts", path], stdout=subprocess.PIPE, check=True).stdout.decode()
            rows = fonts.splitlines()[2:]
            self.assertTrue(rows, where + ": no fonts")
            for row in rows:
                self.assertEqual(row.split()[-5], "yes", "%s: font not embedded: %s" % (where, row))
            if member:
                self.assertIn(names[member], flat, where)
        # Names of the roster in the documents of the cell's meeting.
        votes = squash(pdftext(self.files[("votes", None, self.cell_meeting, "pdf")]))
        for code, full in names.items():
            if code != "dv33":   # probationary: on the agenda, not voted on
                self.assertIn(full, votes)

    @unittest.skipUnless(shutil.which("soffice"), "LibreOffice not installed")
    def test_docx_converts_with_libreoffice(self):
        docx = [p for k, p in sorted(self.files.items(), key=lambda kv: kv[1]) if k[3] == "docx"]
        outdir = tempfile.mkdtemp(dir=TMP)
        profile = tempfile.mkdtemp(dir=TMP)
        p = subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless",
                            "--convert-to", "pdf", "--outdir", outdir] + docx,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr.decode("utf-8", "replace"))
        for path in docx:
            pdf = os.path.join(outdir, os.path.basename(path)[:-5] + ".pdf")
            self.assertTrue(os.path.exists(pdf) and os.path.getsize(pdf) > 1000,
                            "LibreOffice made no PDF of %s:\n%s" % (path, p.stderr.decode("utf-8", "replace")))
            self.assertIn("ĐẢNG CỘNG SẢN VIỆT NAM", squash(pdftext(pdf)), path)

    def test_group_minutes_record_attendance_agenda_votes_and_signatures(self):
        db = copy_demo("absent.db")
        m = self.group_meeting
        show = kd("meeting", "show", str(m), db=db).stdout.decode()
        roll = show.split("Thành phần")[1].split("Chương trình")[0]
        people = re.findall(r"^  (.+?) \((dv\d+)\)", roll, re.M)
        absent_name, absent_code = people[-1]
        kd("meeting", "attend", str(m), absent_code, "--absent", "--reason", "Ốm, có đơn xin phép", db=db)
        path = render("minutes", "pdf", db=db, meeting=m, path=out_path("absent.pdf"))
        text = squash(pdftext(path))
        self.assertIn("BIÊN BẢN HỌP TỔ ĐẢNG", text)
        self.assertIn("Đồng chí %s vắng mặt, lý do: Ốm, có đơn xin phép." % absent_name, text)
        self.assertIn("Có mặt: %d đồng chí; vắng mặt: 1 đồng chí." % (len(people) - 1), text)
        # The agenda in the meeting's order, each with the chair's conclusion.
        agenda = re.findall(r"^\s+\d+\. (.+?) \(dv\d+\)", show.split("Chương trình")[1], re.M)
        body = text.split("III. NỘI DUNG")[1]
        at = [body.find("Đồng chí %s" % n) for n in agenda]
        self.assertTrue(all(a >= 0 for a in at) and at == sorted(at), "agenda order: %s" % agenda)
        self.assertEqual(text.count("Kết luận của người chủ trì:"), len(agenda))
        chair = re.search(r"^Chủ trì: (.+?) \(", show, re.M).group(1)
        self.assertIn("Chủ trì: đồng chí %s" % chair, text)
        self.assertRegex(text, "CHỦ TRÌ THƯ KÝ .*%s" % re.escape(chair))

    def test_cell_extract_gives_each_members_ballots_and_decision(self):
        path = self.files[("minutes", None, self.cell_meeting, "pdf")]
        text = pdftext(path)
        self.assertIn("TRÍCH BIÊN BẢN", squash(text))
        votes = kd("vote", "list", str(self.cell_meeting), db=DEMO).stdout.decode()
        decided = decisions(DEMO)
        self.assertGreater(len(decided), 30)
        checked = 0
        for m in re.finditer(r"^  (.+?) \(dv\d+\), vòng 1 .*?HTXSNV (\d+), HTTNV (\d+), HTNV (\d+), KHTNV (\d+)",
                             votes, re.M):
            name, counts = m.group(1), m.group(2, 3, 4, 5)
            row = next((ln for ln in text.splitlines() if re.search(r"\d+\s+%s\s" % re.escape(name), ln)), None)
            self.assertIsNotNone(row, "no row for %s" % name)
            cells = row.split()
            nums = [c for c in cells if c.isdigit()][1:5]   # after the row number
            self.assertEqual(nums, list(counts), row)
            self.assertEqual(cells[-1], decided[name], row)
            checked += 1
        self.assertGreater(checked, 30)
        self.assertIn("Chi bộ quyết định xếp loại tập thể chi bộ: Hoàn thành tốt nhiệm vụ", squash(text))

    def test_votes_give_counts_and_percentages_of_the_voters(self):
        votes = kd("vote", "list", str(self.cell_meeting), db=DEMO).stdout.decode()
        m = re.search(r"^  (.+?) \(dv\d+\), vòng 1 .*?: (\d+) người biểu quyết; HTXSNV (\d+), HTTNV (\d+)", votes, re.M)
        name, voters, xs, tt = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))

        def pct(n):
            s = "%.2f" % (round(n * 10000 / voters) / 100)
            return s.rstrip("0").rstrip(".").replace(".", ",")
        text = pdftext(self.files[("votes", None, self.cell_meeting, "pdf")])
        row = next(ln for ln in text.splitlines() if name in ln)
        self.assertRegex(row, r"\b%d\s+%s\s+%d\s+%s\b" % (xs, re.escape(pct(xs)), tt, re.escape(pct(tt))))
        strings = xml_text(self.files[("votes", None, self.cell_meeting, "xlsx")], "xl/sharedStrings.xml")
        self.assertIn(name, strings)

    def test_ballots_one_paper_per_official_member_with_four_boxes_per_subject(self):
        show = kd("meeting", "show", str(self.group_meeting), db=DEMO).stdout.decode()
        official = int(re.search(r"\((\d+) chính thức", show).group(1))
        subjects = len(re.findall(r"^\s+\d+\. ", show.split("Chương trình")[1], re.M))
        path = self.files[("ballots", None, self.group_meeting, "pdf")]
        self.assertEqual(pdfpages(path), official)
        names = re.findall(r"^\s+\d+\. (.+?) \(dv", show.split("Chương trình")[1], re.M)
        for page in (1, official):
            text = squash(pdftext(path, page))
            self.assertEqual(text.count("PHIẾU BIỂU QUYẾT"), 1)
            at = [text.find(n) for n in names]
            self.assertTrue(all(a >= 0 for a in at) and at == sorted(at), "page %d: %s" % (page, names))
        # The boxes, counted where they are text: the DOCX.
        docx = self.files[("ballots", None, self.group_meeting, "docx")]
        self.assertEqual(xml_text(docx, "word/document.xml").count("☐"), official * 4 * subjects)

    def test_count_lists_ballots_issued_valid_invalid_unused(self):
        text = squash(pdftext(self.files[("count", None, self.cell_meeting, "pdf")]))
        for word in ("Phát ra", "Thu vào", "Hợp lệ", "hợp lệ", "sử dụng", "TRƯỞNG BAN KIỂM PHIẾU"):
            self.assertIn(word, text)
        votes = kd("vote", "list", str(self.cell_meeting), db=DEMO).stdout.decode()
        m = re.search(r"^  (.+?) \(dv\d+\), vòng 1 .*?(\d+) phiếu hợp lệ \(phát ra (\d+), không hợp lệ (\d+), "
                      r"không sử dụng (\d+)\)", votes, re.M)
        name, valid, issued, invalid, unused = m.groups()
        self.assertRegex(text, r"%s (?:\(1\) )?%s %d %s %s %s" % (re.escape(name), issued, int(valid) + int(invalid),
                                                                   valid, invalid, unused))

    def test_same_data_same_bytes(self):
        for name, member, meeting in (("votes", None, self.cell_meeting), ("review", "dv01", None)):
            for fmt in FORMATS[name]:
                a = render(name, fmt, member=member, meeting=meeting, path=out_path("again." + fmt))
                with open(a, "rb") as f1, open(self.files[(name, member, meeting, fmt)], "rb") as f2:
                    self.assertEqual(f1.read(), f2.read(), "%s %s differs from run to run" % (name, fmt))


class BadInputTest(unittest.TestCase):
    def bad(self, *args, db=None):
        target = out_path("bad.pdf")
        if os.path.exists(target):
            os.remove(target)
        p = kd("doc", *args, "--out", target, db=db or DEMO, ok=False)
        err = p.stderr.decode("utf-8")
        self.assertEqual(p.returncode, 2, err)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        self.assertEqual(len(lines), 1, err)
        self.assertFalse(os.path.exists(target), "a file was written")
        self.assertFalse(os.path.exists(target + ".tmp"), "a temporary file was left")
        return lines[0]

    def test_unknown_document(self):
        self.assertIn("plan", self.bad("minute", "--format", "pdf"))

    def test_format_not_offered(self):
        self.assertIn("docx, pdf", self.bad("plan", "--format", "xlsx"))

    def test_review_needs_a_known_member(self):
        self.assertIn("--member", self.bad("review", "--format", "pdf"))
        self.assertIn("dv999", self.bad("review", "--member", "dv999", "--format", "pdf"))

    def test_meeting_not_held(self):
        db = copy_demo("notheld.db")
        mid = kd("meeting", "add", "to1", "--on", "2021-12-20", db=db).stdout.decode().strip()
        line = self.bad("minutes", "--meeting", mid, "--format", "pdf", db=db)
        self.assertIn("kiemdiem meeting held %s" % mid, line)


class LargeTableTest(unittest.TestCase):
    """A party group of 120 official members, each voted on."""
    N = 120

    @classmethod
    def setUpClass(cls):
        cls.db = copy_demo("large.db")
        kd("group", "add", "to9", "--name", "Tổ đảng 9", db=cls.db)
        header = kd("export", "roster", db=cls.db).stdout.decode().splitlines()[0]
        cols = header.split(",")
        family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng"]
        middle = ["Văn", "Thị", "Minh", "Ngọc", "Thanh"]
        given = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khoa", "Linh", "Mai", "Nam", "Oanh", "Phúc",
                 "Quân", "Sơn", "Tâm"]
        cls.names = [DIACRITIC_NAME]
        i = 0
        while len(cls.names) < cls.N:
            cls.names.append("%s %s %s" % (family[i % 8], middle[(i // 8) % 5], given[(i // 40 + i) % 15]))
            cls.names = list(dict.fromkeys(cls.names))
            i += 1
        rows = [header]
        for k, name in enumerate(cls.names):
            v = {c: "" for c in cols}
            v.update(ma="x%03d" % k, ho_ten=name, ngay_sinh="1980-01-01", ngay_vao_dang="2000-01-01",
                     ngay_chinh_thuc="2001-01-01", to_dang="to9", cong_chuc="1", cap_tren_quan_ly="0",
                     to_truong="1" if k == 0 else "0")
            rows.append(",".join(v[c] for c in cols))
        csv = out_path("large.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
        kd("import", "roster", csv, db=cls.db)
        cls.meeting = kd("meeting", "add", "to9", "--on", "2021-11-18", db=cls.db).stdout.decode().strip()
        kd("meeting", "agenda", cls.meeting, db=cls.db)
        for k in range(cls.N):
            xs = k % 30
            kd("vote", "record", cls.meeting, "x%03d" % k, "--voters", str(cls.N), "--HTXSNV", str(xs),
               "--HTTNV", str(cls.N - xs - k % 5), db=cls.db)
        cls.pdf = render("votes", "pdf", db=cls.db, meeting=cls.meeting, path=out_path("large.pdf"))

    def test_table_breaks_across_pages_with_header_repeated_and_rows_whole(self):
        pages = pdfpages(self.pdf)
        self.assertGreaterEqual(pages, 3)
        seen = []
        for page in range(1, pages + 1):
            text = pdftext(self.pdf, page)
            rows = [ln for ln in text.splitlines() if re.match(r"\s*\d+\s+\S", ln) and " 120 " in ln]
            if not rows:
                continue
            self.assertIn("Họ và tên", text, "page %d lacks the header row" % page)
            self.assertIn("Tỷ lệ", text, "page %d lacks the header's second row" % page)
            for ln in rows:
                # A whole row: number, name, every count and the voters on one line.
                m = re.match(r"\s*(\d+)\s+(.+?)\s{2,}.*\b120\b", ln)
                self.assertIsNotNone(m, ln)
                seen.append(m.group(2).strip())
        self.assertEqual(sorted(seen), sorted(self.names))

    def test_every_vietnamese_mark_survives_in_every_format(self):
        self.assertIn(DIACRITIC_NAME, squash(pdftext(self.pdf)))
        docx = render("votes", "docx", db=self.db, meeting=self.meeting, path=out_path("large.docx"))
        self.assertIn(DIACRITIC_NAME, xml_text(docx, "word/document.xml"))
        xlsx = render("votes", "xlsx", db=self.db, meeting=self.meeting, path=out_path("large.xlsx"))
        self.assertIn(DIACRITIC_NAME, xml_text(xlsx, "xl/sharedStrings.xml"))


class DossierTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.zip = out_path("dossier.zip")
        kd("dossier", "--out", cls.zip, db=DEMO)
        with zipfile.ZipFile(cls.zip) as z:
            cls.names = z.namelist()
            cls.readme = z.read("README.txt").decode("utf-8")
            cls.json = z.read("campaign.json")

    def test_holds_the_plans_documents_in_order(self):
        names = self.names
        self.assertEqual(names[0], "README.txt")
        self.assertEqual(names[-1], "campaign.json")
        prefixes = [n.split("-")[0] for n in names[1:-1]]
        self.assertEqual(prefixes, sorted(prefixes), "documents out of the plan's order")
        for base, fmts in (("01-ke-hoach", "docx pdf"), ("02-bao-cao-kiem-diem-tap-the-mau-01", "docx pdf"),
                           ("03-bang-tong-hop-y-kien-gop-y", "docx pdf xlsx"),
                           ("04-trich-bien-ban-hoi-nghi-chi-bo", "docx pdf"),
                           ("05-bang-tong-hop-ket-qua-bieu-quyet-chi-bo", "docx pdf xlsx"),
                           ("06-bien-ban-kiem-phieu-chi-bo", "docx pdf"),
                           ("09-bao-cao-ket-qua-danh-gia-xep-loai", "docx pdf xlsx")):
            for ext in fmts.split():
                self.assertIn("%s.%s" % (base, ext), names)
        for g in range(1, 5):
            folder = "07-to-dang/to-dang-%d/" % g
            files = [n[len(folder):] for n in names if n.startswith(folder)]
            parts = [f.split("/")[0].split(".")[0] for f in files]
            self.assertEqual(list(dict.fromkeys(parts)), ["1-ban-kiem-diem-ca-nhan", "2-bang-tong-hop-ket-qua-bieu-quyet",
                                                          "3-bien-ban-hop-to-dang", "4-bien-ban-kiem-phieu"], folder)
        reviews = [n for n in names if "ban-kiem-diem-ca-nhan" in n and n.endswith(".pdf")]
        roster = kd("export", "roster", db=DEMO).stdout.decode().splitlines()[1:]
        self.assertEqual(len(reviews), len(roster))
        self.assertIn("08-ban-kiem-diem-ca-nhan-ngoai-to-dang/dv01-nguyen-thi-hong-chuong.pdf", names)
        self.assertTrue(all(re.fullmatch(r"[a-z0-9./-]+|README\.txt", n) for n in names), names)

    def test_readme_lists_every_document(self):
        self.assertIn("HỒ SƠ KIỂM ĐIỂM", self.readme)
        for n in self.names[1:-1]:
            base, ext = n.rsplit(".", 1)
            self.assertRegex(self.readme, r"(?m)^%s \([^)]*\.%s" % (re.escape(base), ext))
        self.assertIn("Không có: mọi văn bản đều đã lập.", self.readme)

    def test_campaign_json_is_the_export(self):
        export = kd("export", "json", db=DEMO).stdout
        self.assertEqual(json.loads(self.json), json.loads(export))

    def test_same_data_same_bytes(self):
        again = out_path("dossier2.zip")
        kd("dossier", "--out", again, db=DEMO)
        with open(self.zip, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_documents_not_made_yet_are_listed_with_the_reason(self):
        db = copy_demo("late.db")
        mid = kd("meeting", "add", "to2", "--on", "2021-12-20", db=db).stdout.decode().strip()
        path = out_path("late.zip")
        kd("dossier", "--out", path, db=db)
        with zipfile.ZipFile(path) as z:
            readme = z.read("README.txt").decode("utf-8")
            names = z.namelist()
        self.assertNotIn("07-to-dang/to-dang-2/3-bien-ban-hop-to-dang-2.pdf", names)
        missing = readme.split("CHƯA LẬP ĐƯỢC")[1]
        self.assertRegex(missing, r"3-bien-ban-hop-to-dang-2\).*kiemdiem meeting held %s" % mid)


class ReferenceImageTest(unittest.TestCase):
    """The first page of each document against tests/docs/ref/<name>.png."""

    def test_first_pages_match_the_references(self):
        ms = meetings(DEMO)
        group = next(i for i, cell in ms if not cell)
        cell = next(i for i, c in ms if c)
        cases = [("plan", None, None, "plan"), ("report", None, None, "report"),
                 ("comments", None, None, "comments"), ("review", "dv01", None, "review"),
                 ("minutes", None, group, "minutes-group"), ("minutes", None, cell, "minutes-cell"),
                 ("votes", None, cell, "votes"), ("count", None, cell, "count"),
                 ("ballots", None, group, "ballots"), ("results", None, None, "results")]
        update = os.environ.get("KD_UPDATE_REFS") == "1"
        if update:
            os.makedirs(REF_DIR, exist_ok=True)
        for name, member, meeting, ref in cases:
            pdf = render(name, "pdf", member=member, meeting=meeting, path=out_path("ref-%s.pdf" % ref))
            png = out_path("ref-%s" % ref)
            subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-singlefile", "-png", pdf, png], check=True)
            png += ".png"
            want = os.path.join(REF_DIR, ref + ".png")
            if update:
                shutil.copyfile(png, want)
                continue
            self.assertTrue(os.path.exists(want), "%s missing: run with KD_UPDATE_REFS=1" % want)
            with open(png, "rb") as a, open(want, "rb") as b:
                if a.read() == b.read():
                    continue
            w1, h1, g1 = png_gray(png)
            w2, h2, g2 = png_gray(want)
            self.assertEqual((w1, h1), (w2, h2), "%s: page size changed" % ref)
            differ = sum(1 for x, y in zip(g1, g2) if abs(x - y) > 64)
            self.assertLess(differ / len(g1), 0.01,
                            "%s: first page differs from %s in %d pixels (KD_UPDATE_REFS=1 after an "
                            "intended change)" % (ref, want, differ))


if __name__ == "__main__":
    unittest.main()
