/* Unit tests of the document model and its DOCX and XLSX renderers. */
#include "kdtest.h"
#include "doc/doc.h"
#include "doc/zip.h"

#include <time.h>
#include <zip.h>

/* Every Vietnamese diacritic the tests look for, and the XML specials. */
#define VN_TEXT "Ỷ Ữ Đ ẫ ợ: Nguyễn Thị Hồng Nhung, Đảng viên"
#define VN_SPECIAL "Báo cáo <số 1> & \"kết luận\" 'chi bộ'"

/* A model with every feature the builders offer. */
static struct kd_doc *sample_doc(struct kd_arena *a)
{
	struct kd_doc *d = kd_doc_new(a, "Báo cáo kiểm điểm & đánh giá <2021>");
	d->page_numbers = true;

	/* The heading block: a borderless layout table. */
	static const int head_w[] = { 75, 90 };
	struct kd_doc_table *head = kd_doc_table(d, 2, head_w, false);
	struct kd_doc_row *hr = kd_table_row(d, head, false);
	kd_para_text(d, kd_row_cell(d, hr, 1, KD_ALIGN_CENTER), KD_RUN_BOLD, "CHI BỘ MINH KHAI");
	kd_para_text(d, kd_row_cell(d, hr, 1, KD_ALIGN_CENTER), KD_RUN_BOLD | KD_RUN_UNDERLINE,
		     "ĐẢNG CỘNG SẢN VIỆT NAM");
	kd_para_text(d, kd_cell_para(d, hr, KD_ALIGN_CENTER), KD_RUN_ITALIC, "Hà Nội, ngày 27 tháng 11 năm 2021");

	struct kd_doc_para *title = kd_doc_para(d, KD_ALIGN_CENTER);
	title->size = 32;
	title->before = 12;
	title->after = 6;
	title->keep_with_next = true;
	kd_para_text(d, title, KD_RUN_BOLD, "BÁO CÁO KIỂM ĐIỂM");

	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
	p->indent = 10;
	p->left = 5;
	kd_para_text(d, p, 0, VN_TEXT);
	kd_para_text(d, p, KD_RUN_ITALIC, "\ndòng hai\tsau tab");
	kd_para_textf(d, p, KD_RUN_BOLD, " %s %d", VN_SPECIAL, 42)->size = 24;
	kd_para_text(d, p, 0, " kiểm\x01tra\r");     /* control characters XML forbids */

	struct kd_doc_para *ticks = kd_doc_para(d, KD_ALIGN_LEFT);
	kd_para_tick(d, ticks, true);
	kd_para_text(d, ticks, 0, " Hoàn thành xuất sắc nhiệm vụ ");
	kd_para_tick(d, ticks, false);
	kd_para_text(d, ticks, 0, " Không hoàn thành nhiệm vụ");

	static const int w[] = { 10, 60, 30, 30 };
	struct kd_doc_table *t = kd_doc_table(d, 4, w, true);
	t->sheet = "Kết quả";
	struct kd_doc_row *r = kd_table_row(d, t, true);
	kd_para_text(d, kd_row_cell(d, r, 1, KD_ALIGN_CENTER), KD_RUN_BOLD, "TT");
	kd_para_text(d, kd_row_cell(d, r, 1, KD_ALIGN_CENTER), KD_RUN_BOLD, "Họ và tên");
	kd_para_text(d, kd_row_cell(d, r, 2, KD_ALIGN_CENTER), KD_RUN_BOLD, "Kết quả biểu quyết");
	r->cells[2].shaded = true;
	r = kd_table_row(d, t, true);
	kd_row_cell(d, r, 2, KD_ALIGN_CENTER);
	kd_para_text(d, kd_row_cell(d, r, 1, KD_ALIGN_CENTER), KD_RUN_BOLD, "Số phiếu");
	kd_para_text(d, kd_row_cell(d, r, 1, KD_ALIGN_CENTER), KD_RUN_BOLD, "Tỷ lệ");
	for (int i = 1; i <= 3; i++) {
		r = kd_table_row(d, t, false);
		kd_para_textf(d, kd_row_cell(d, r, 1, KD_ALIGN_CENTER), 0, "%d", i);
		kd_para_text(d, kd_row_cell(d, r, 1, KD_ALIGN_LEFT), 0, i == 2 ? VN_TEXT : "Trần Văn <An> & Bình");
		kd_para_textf(d, kd_row_cell(d, r, 1, KD_ALIGN_RIGHT), 0, "%d", 10 + i);
		kd_para_textf(d, kd_row_cell(d, r, 1, KD_ALIGN_RIGHT), 0, "%d,5", 30 + i);
	}

	static const char *const labels[] = { "Hoàn thành xuất sắc", "Hoàn thành tốt", "Không hoàn thành" };
	static const double values[] = { 18.2, 63.6, 0 };
	kd_doc_chart(d, "Tỷ lệ xếp loại", labels, values, 3, "%");
	kd_doc_page_break(d);
	kd_para_text(d, kd_doc_para(d, KD_ALIGN_RIGHT), KD_RUN_BOLD, "T/M CHI BỘ");
	return d;
}

/* The entry `name` of the ZIP in `bytes`, as a malloc'd string, or NULL. */
static char *zip_entry(const struct strbuf *bytes, const char *name)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(bytes->buf, bytes->len, 0, &ze);
	assert_non_null(src);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	assert_non_null(za);
	zip_error_fini(&ze);
	char *text = NULL;
	zip_stat_t st;
	if (zip_stat(za, name, 0, &st) == 0) {
		/* Every entry carries the fixed date, whatever the time zone. */
		struct tm tm;
		localtime_r(&st.mtime, &tm);
		assert_int_equal(tm.tm_year + 1900, 2000);
		assert_int_equal(tm.tm_mon, 0);
		assert_int_equal(tm.tm_mday, 1);
		assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
		text = kd_xmalloc(st.size + 1);
		zip_file_t *f = zip_fopen(za, name, 0);
		assert_non_null(f);
		assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
		zip_fclose(f);
		text[st.size] = '\0';
	}
	zip_discard(za);
	return text;
}

/* The names of the entries of the ZIP in `bytes`, one per line. */
static void zip_names(const struct strbuf *bytes, struct strbuf *names)
{
	zip_source_t *src = zip_source_buffer_create(bytes->buf, bytes->len, 0, NULL);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, NULL);
	assert_non_null(za);
	for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++)
		strbuf_addf(names, "%s\n", zip_get_name(za, (zip_uint64_t)i, 0));
	zip_discard(za);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void render_docx(const struct kd_doc *d, struct strbuf *out)
{
	struct kd_err err = KD_ERR_INIT;
	int rc = kd_docx_render(d, out, &err);
	if (rc != KD_OK)
		fprintf(stderr, "%s", err.lines.buf);
	assert_int_equal(rc, KD_OK);
	kd_err_release(&err);
}

static void render_xlsx(const struct kd_doc *d, struct strbuf *out)
{
	struct kd_err err = KD_ERR_INIT;
	int rc = kd_xlsx_render(d, out, &err);
	if (rc != KD_OK)
		fprintf(stderr, "%s", err.lines.buf);
	assert_int_equal(rc, KD_OK);
	kd_err_release(&err);
}

static void test_builders_copy_and_count(void **state)
{
	(void)state;
	struct kd_arena a = KD_ARENA_INIT;
	char buf[32];
	strcpy(buf, "tạm thời");
	struct kd_doc *d = kd_doc_new(&a, "T");
	assert_int_equal(d->page_w, 210);
	assert_int_equal(d->page_h, 297);
	assert_string_equal(d->font, "Times New Roman");
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_LEFT);
	kd_para_text(d, p, KD_RUN_BOLD, buf);
	strcpy(buf, "changed");
	assert_string_equal(p->runs[0].text, "tạm thời");
	static const int w[] = { 10, 20, 30 };
	struct kd_doc_table *t = kd_doc_table(d, 3, w, true);
	for (int i = 0; i < 40; i++) {
		struct kd_doc_row *r = kd_table_row(d, t, i < 2);
		kd_row_cell(d, r, 3, KD_ALIGN_LEFT);
	}
	assert_int_equal(t->n_rows, 40);
	assert_int_equal(t->header_rows, 2);
	assert_int_equal(t->rows[39].cells[0].span, 3);
	assert_int_equal(t->rows[39].cells[0].n_paras, 1);
	assert_int_equal(d->n_blocks, 2);
	kd_arena_release(&a);
}

static void test_docx_is_deterministic(void **state)
{
	(void)state;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_doc *d = sample_doc(&a);
	struct strbuf one = STRBUF_INIT, two = STRBUF_INIT, three = STRBUF_INIT;
	render_docx(d, &one);
	render_docx(d, &two);
	/* Another time zone must not move the entries' DOS dates. */
	const char *tz = getenv("TZ");
	char *saved = tz ? kd_xstrdup(tz) : NULL;
	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tzset();
	render_docx(d, &three);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	assert_true(one.len > 1000);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(one.buf, two.buf, one.len);
	assert_int_equal(one.len, three.len);
	assert_memory_equal(one.buf, three.buf, one.len);
	strbuf_release(&one);
	strbuf_release(&two);
	strbuf_release(&three);
	kd_arena_release(&a);
}

static void test_docx_package_and_content(void **state)
{
	(void)state;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_doc *d = sample_doc(&a);
	struct strbuf out = STRBUF_INIT, names = STRBUF_INIT;
	render_docx(d, &out);
	zip_names(&out, &names);
	/* [Content_Types].xml comes first, as Word expects. */
	assert_true(strncmp(names.buf, "[Content_Types].xml\n", 20) == 0);
	static const char *const parts[] = { "_rels/.rels", "word/document.xml", "word/styles.xml",
					     "word/settings.xml", "docProps/core.xml", "docProps/app.xml",
					     "word/_rels/document.xml.rels", "word/header1.xml" };
	for (size_t i = 0; i < KD_ARRAY_LEN(parts); i++) {
		char *s = zip_entry(&out, parts[i]);
		if (!s)
			fail_msg("missing part %s", parts[i]);
		free(s);
	}

	char *doc = zip_entry(&out, "word/document.xml");
	assert_non_null(strstr(doc, VN_TEXT));
	assert_non_null(strstr(doc, "Báo cáo &lt;số 1&gt; &amp; &quot;kết luận&quot; &apos;chi bộ&apos; 42"));
	assert_null(strstr(doc, "<số 1>"));
	assert_non_null(strstr(doc, "BÁO CÁO KIỂM ĐIỂM"));
	assert_non_null(strstr(doc, "<w:br/>"));
	assert_non_null(strstr(doc, "<w:tab/>"));
	assert_non_null(strstr(doc, "<w:br w:type=\"page\"/>"));
	assert_non_null(strstr(doc, "<w:keepNext/>"));
	assert_non_null(strstr(doc, "<w:jc w:val=\"both\"/>"));
	assert_non_null(strstr(doc, "<w:sz w:val=\"32\"/>"));
	assert_non_null(strstr(doc, "<w:u w:val=\"single\"/>"));
	assert_non_null(strstr(doc, "\xe2\x98\x92"));   /* ☒ */
	assert_non_null(strstr(doc, "\xe2\x98\x90"));   /* ☐ */
	/* The two header rows repeat; all rows of the data table stay whole. */
	assert_int_equal(count(doc, "<w:tblHeader/>"), 2);
	assert_true(count(doc, "<w:cantSplit/>") >= 1 + 5 + 3);
	assert_non_null(strstr(doc, "<w:gridSpan w:val=\"2\"/>"));
	assert_non_null(strstr(doc, "<w:tblLayout w:type=\"fixed\"/>"));
	assert_non_null(strstr(doc, "<w:gridCol w:w=\"3402\"/>"));  /* 60 mm */
	assert_non_null(strstr(doc, "w:fill=\"D9D9D9\""));
	/* A4 and the party's margins, in twips. */
	assert_non_null(strstr(doc, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
	assert_non_null(strstr(doc, "w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""));
	assert_non_null(strstr(doc, "<w:titlePg/>"));
	assert_non_null(strstr(doc, " kiểmtra<"));
	/* The chart's values, the Vietnamese way, and bars as long as their
	 * share of 100 %: 63,6 % is 25 of 40 steps, 18,2 % is 7. */
	assert_non_null(strstr(doc, "63,6%"));
	assert_non_null(strstr(doc, "18,2%"));
	assert_non_null(strstr(doc, "<w:gridSpan w:val=\"25\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"7F7F7F\"/>"));
	assert_non_null(strstr(doc, "<w:gridSpan w:val=\"7\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"7F7F7F\"/>"));
	assert_non_null(strstr(doc, "<w:gridSpan w:val=\"15\"/>"));
	free(doc);

	char *styles = zip_entry(&out, "word/styles.xml");
	assert_non_null(strstr(styles, "w:ascii=\"Times New Roman\""));
	assert_non_null(strstr(styles, "<w:sz w:val=\"28\"/>"));
	free(styles);
	char *hdr = zip_entry(&out, "word/header1.xml");
	assert_non_null(strstr(hdr, " PAGE "));
	free(hdr);
	char *core = zip_entry(&out, "docProps/core.xml");
	assert_non_null(strstr(core, "Báo cáo kiểm điểm &amp; đánh giá &lt;2021&gt;"));
	assert_non_null(strstr(core, KD_DOC_EPOCH_ISO));
	free(core);

	/* Without page numbers there is no header part, and landscape swaps. */
	d->page_numbers = false;
	d->landscape = true;
	strbuf_reset(&out);
	render_docx(d, &out);
	hdr = zip_entry(&out, "word/header1.xml");
	assert_null(hdr);
	doc = zip_entry(&out, "word/document.xml");
	assert_non_null(strstr(doc, "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"));
	assert_null(strstr(doc, "headerReference"));
	free(doc);

	strbuf_release(&names);
	strbuf_release(&out);
	kd_arena_release(&a);
}

static void test_xlsx_sheets_strings_numbers(void **state)
{
	(void)state;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_doc *d = sample_doc(&a);
	struct strbuf one = STRBUF_INIT, two = STRBUF_INIT;
	render_xlsx(d, &one);
	render_xlsx(d, &two);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(one.buf, two.buf, one.len);

	char *wb = zip_entry(&one, "xl/workbook.xml");
	assert_non_null(wb);
	assert_non_null(strstr(wb, "name=\"Kết quả\""));
	/* The borderless heading table is layout, not a sheet. */
	assert_int_equal(count(wb, "<sheet "), 1);
	free(wb);
	char *ss = zip_entry(&one, "xl/sharedStrings.xml");
	assert_non_null(ss);
	assert_non_null(strstr(ss, VN_TEXT));
	assert_non_null(strstr(ss, "Trần Văn &lt;An&gt; &amp; Bình"));
	assert_non_null(strstr(ss, "Báo cáo kiểm điểm &amp; đánh giá &lt;2021&gt;"));
	assert_non_null(strstr(ss, "Kết quả biểu quyết"));
	free(ss);
	char *sh = zip_entry(&one, "xl/worksheets/sheet1.xml");
	assert_non_null(sh);
	/* Votes are numbers ("12", and "32,5" read with its decimal comma). */
	assert_non_null(strstr(sh, "<v>12</v>"));
	assert_non_null(strstr(sh, "<v>32.5</v>"));
	assert_non_null(strstr(sh, "<mergeCell ref=\"C3:D3\"/>"));
	assert_non_null(strstr(sh, "<mergeCell ref=\"A4:B4\"/>"));
	assert_non_null(strstr(sh, "state=\"frozen\""));
	assert_non_null(strstr(sh, "topLeftCell=\"A5\""));
	free(sh);
	char *core = zip_entry(&one, "docProps/core.xml");
	assert_non_null(strstr(core, "2000-01-01T00:00:00Z"));
	free(core);
	strbuf_release(&one);
	strbuf_release(&two);
	kd_arena_release(&a);
}

static void test_xlsx_sheet_names(void **state)
{
	(void)state;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_doc *d = kd_doc_new(&a, "Tổng hợp");
	static const int w[] = { 20 };
	const char *sheets[] = { "Đây là một tên bảng rất dài quá ba mươi mốt ký tự", NULL, "Bảng 2", "a/b:c" };
	for (size_t i = 0; i < KD_ARRAY_LEN(sheets); i++) {
		struct kd_doc_table *t = kd_doc_table(d, 1, w, true);
		t->sheet = sheets[i];
		kd_para_text(d, kd_row_cell(d, kd_table_row(d, t, false), 1, KD_ALIGN_LEFT), 0, "007");
	}
	struct strbuf out = STRBUF_INIT;
	render_xlsx(d, &out);
	char *wb = zip_entry(&out, "xl/workbook.xml");
	/* Cut to 31 characters (not bytes), numbered, made unique, cleaned. */
	assert_non_null(strstr(wb, "name=\"Đây là một tên bảng rất dài quá\""));
	assert_non_null(strstr(wb, "name=\"Bảng 2\""));
	assert_non_null(strstr(wb, "name=\"Bảng 2 (2)\""));
	assert_non_null(strstr(wb, "name=\"a_b_c\""));
	free(wb);
	/* "007" is a code, not the number 7. */
	char *ss = zip_entry(&out, "xl/sharedStrings.xml");
	assert_non_null(strstr(ss, ">007<"));
	free(ss);
	strbuf_release(&out);
	kd_arena_release(&a);
}

static void test_xlsx_without_table_is_refused(void **state)
{
	(void)state;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_doc *d = kd_doc_new(&a, "Kế hoạch");
	kd_para_text(d, kd_doc_para(d, KD_ALIGN_LEFT), 0, "Chỉ có văn bản");
	struct strbuf out = STRBUF_INIT;
	struct kd_err err = KD_ERR_INIT;
	assert_int_equal(kd_xlsx_render(d, &out, &err), KD_EINPUT);
	assert_int_equal(out.len, 0);
	assert_non_null(strstr(err.lines.buf, "Kế hoạch"));
	kd_err_release(&err);
	strbuf_release(&out);
	kd_arena_release(&a);
}

static void test_zip_keeps_order_and_bytes(void **state)
{
	(void)state;
	struct kd_zip *z = kd_zip_new();
	kd_zip_add_str(z, "z-last-name-first.txt", "một");
	kd_zip_add(z, "thư mục/hai.bin", "a\0b", 3);
	kd_zip_add(z, "empty", "", 0);
	struct strbuf out = STRBUF_INIT, names = STRBUF_INIT, again = STRBUF_INIT;
	struct kd_err err = KD_ERR_INIT;
	assert_int_equal(kd_zip_finish(z, &out, &err), KD_OK);
	zip_names(&out, &names);
	assert_string_equal(names.buf, "z-last-name-first.txt\nthư mục/hai.bin\nempty\n");
	char *s = zip_entry(&out, "thư mục/hai.bin");
	assert_memory_equal(s, "a\0b", 3);
	free(s);
	/* Rewriting our own archive changes nothing. */
	assert_int_equal(kd_zip_normalize(out.buf, out.len, &again, &err), KD_OK);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.buf, out.buf, out.len);
	/* Not a ZIP: refused with a line. */
	strbuf_reset(&again);
	assert_int_equal(kd_zip_normalize("not a zip", 9, &again, &err), KD_EINPUT);
	assert_int_equal(err.count, 1);
	/* No entries: still a valid (empty) archive. */
	strbuf_reset(&again);
	assert_int_equal(kd_zip_finish(kd_zip_new(), &again, &err), KD_OK);
	strbuf_reset(&names);
	zip_names(&again, &names);
	assert_string_equal(names.buf, "");
	strbuf_release(&names);
	strbuf_release(&again);
	strbuf_release(&out);
	kd_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builders_copy_and_count),
		cmocka_unit_test(test_docx_is_deterministic),
		cmocka_unit_test(test_docx_package_and_content),
		cmocka_unit_test(test_xlsx_sheets_strings_numbers),
		cmocka_unit_test(test_xlsx_sheet_names),
		cmocka_unit_test(test_xlsx_without_table_is_refused),
		cmocka_unit_test(test_zip_keeps_order_and_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
