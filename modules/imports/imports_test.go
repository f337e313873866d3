package imports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhaoshang/app/testapp"
	"zhaoshang/importers/batch"
	"zhaoshang/importers/batch/batchtest"
	"zhaoshang/modules/core"
	"zhaoshang/modules/imports"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/users"
)

const pw = "Import-Test-2025"

// Ledger is a field team's messy projects ledger: title and note rows,
// a 招商项目 column the importer does not know (it must be mapped), a bad
// date, a twin row, a 合计 row.
func Ledger(t testing.TB, prefix string) []byte {
	t.Helper()
	rows := map[int][]any{
		1: {"2024年张浦镇重点科技招商项目台账"},
		2: {"填报单位：张浦镇", "", "", "", "日期：2024-05-01"},
		3: {"序号", "招商项目", "项目种类", "企业名称", "联系人", "手机", "总投资（万元）", "项目进展", "签约日期", "行业"},
		4: {1, prefix + "智能传感器项目", "产业", "昆山某某传感科技有限公司", "张三", "138 1234 5678", "1,200", "在谈", "", "新智造"},
		5: {2, prefix + "医疗器械项目", "产业", "某医疗公司", "李四", "13912345678", "800", "已签约", "2024-02-30", "新医疗"},
		6: {3, prefix + "储能电池项目", "产业", "某能源公司", "", "", "1.2亿", "已签约", "2024/03/05", "新能源"},
		7: {4, prefix + "智能传感器项目", "产业", "重复一行", "", "", "100", "在谈", "", "新智造"},
		8: {"", "合计", "", "", "", "", "3100"},
	}
	return batchtest.XLSX(t, rows)
}

// clean is a ledger whose header the importer knows.
func clean(t testing.TB, names ...string) []byte {
	rows := map[int][]any{1: {"项目名称", "项目类型", "投资方", "阶段"}}
	for i, n := range names {
		rows[i+2] = []any{n, "产业", n + "公司", "在谈"}
	}
	return batchtest.XLSX(t, rows)
}

// form builds a multipart body: fields, then the file (if name != "").
func form(t testing.TB, fields map[string]string, name string, data []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// bomb is an .xlsx whose zip directory declares 300 MB uncompressed.
func bomb(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/worksheets/sheet1.xml"} {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: 4, UncompressedSize64: 300 << 20})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	zw.Close()
	return buf.Bytes()
}

type env struct {
	a                        *testapp.App
	zp, zp2, kfq, mgr, admin *testapp.Client
	upload                   func(c *testapp.Client, query, name string, data []byte) (int, string)
	job                      func(c *testapp.Client, id string) batch.Job
	edit                     func(id string)
	projectsNamed            func(prefix string) int
}

func setup(t *testing.T) *env {
	a := testapp.Start(t)
	ctx := context.Background()
	for _, u := range []struct{ name, role, unit string }{
		{"zp_wang", users.RoleOfficer, "zs-zp"}, {"zp_li", users.RoleOfficer, "zs-zp"},
		{"kfq_zhao", users.RoleOfficer, "kfq"}, {"zz_boss", users.RoleManager, "zzfd"},
	} {
		if _, err := a.P.Users.EnsureUser(ctx, u.name, u.name, u.role, []string{u.unit}, pw); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{a: a, zp: a.Client(t).Login("zp_wang", pw), zp2: a.Client(t).Login("zp_li", pw),
		kfq: a.Client(t).Login("kfq_zhao", pw), mgr: a.Client(t).Login("zz_boss", pw), admin: a.Admin(t)}
	e.upload = func(c *testapp.Client, query, name string, data []byte) (int, string) {
		body, ctype := form(t, nil, name, data)
		return c.Do("POST", "/api/v1/imports"+query, body, map[string]string{"Content-Type": ctype})
	}
	e.job = func(c *testapp.Client, id string) batch.Job {
		st, body := c.Do("GET", "/api/v1/imports/"+id, nil, nil)
		if st != 200 {
			t.Fatalf("get %s: %d %s", id, st, body)
		}
		var j batch.Job
		json.Unmarshal([]byte(body), &j)
		return j
	}
	e.edit = func(id string) {
		p, err := a.P.Projects.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		before := *p
		p.Summary = "导入后手工修改"
		if err := a.P.Projects.Update(ctx, core.Actor{User: "zp_li"}, p, &before); err != nil {
			t.Fatal(err)
		}
	}
	e.projectsNamed = func(prefix string) int {
		n := 0
		a.P.Projects.Each(ctx, func(p *projects.Project) error {
			if strings.HasPrefix(p.Name, prefix) {
				n++
			}
			return nil
		})
		return n
	}
	return e
}

func report(t *testing.T, body string) batch.Report {
	t.Helper()
	var r batch.Report
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("report %q: %v", body, err)
	}
	return r
}

// TestAPI: the JSON contract, access by unit and role, bad input, undo.
func TestAPI(t *testing.T) {
	e := setup(t)
	mapping := url.QueryEscape(`{"1":"name","2":"type"}`)

	// Dry run with the mapping the ledger needs: the CLI's --json report.
	st, body := e.upload(e.zp, "?kind=projects&dry_run=1&mapping="+mapping, "台账.xlsx", Ledger(t, "A-"))
	if st != 200 {
		t.Fatalf("dry run: %d %s", st, body)
	}
	dry := report(t, body)
	// Row 6 (已签约, no decision in the system) is an officer's legacy row:
	// it waits in the review list for a manager's import.
	if !dry.DryRun || dry.Created != 1 || dry.Rejected != 1 || dry.Review != 2 || dry.Skipped != 1 || dry.BatchID != "" ||
		!strings.Contains(body, "须由管理者导入") {
		t.Fatalf("dry run report %s", body)
	}
	if len(dry.Errors) != 1 || dry.Errors[0].Row != 5 || dry.Errors[0].Column != "签约日期" {
		t.Fatalf("dry run errors %+v", dry.Errors)
	}
	if n := e.projectsNamed("A-"); n != 0 {
		t.Fatalf("dry run wrote %d projects", n)
	}
	// Without the mapping the ledger lacks its 项目名称 column: one line, 400.
	st, body = e.upload(e.zp, "?kind=projects&dry_run=1", "台账.xlsx", Ledger(t, "A-"))
	if st != 400 || !strings.Contains(body, "缺少必填列") || !strings.Contains(body, `"field":"file"`) {
		t.Fatalf("unmapped ledger: %d %s", st, body)
	}

	// Commit: 201 with the batch id; the file is kept as the batch's source.
	st, body = e.upload(e.zp, "?kind=projects&mapping="+mapping+"&confirm=7", "台账.xlsx", Ledger(t, "A-"))
	if st != 201 {
		t.Fatalf("commit: %d %s", st, body)
	}
	com := report(t, body)
	if com.BatchID == "" || com.Created != 2 || com.Review != 1 || com.Rejected != 1 {
		t.Fatalf("commit report %s", body)
	}
	if n := e.projectsNamed("A-"); n != 2 {
		t.Fatalf("commit wrote %d projects, want 2 (twin confirmed, legacy row left for a manager)", n)
	}
	id := com.BatchID
	if j := e.job(e.zp, id); j.State != batch.StateDone || j.By != "zp_wang" || j.Unit != "zs-zp" || j.Report.Created != 2 {
		t.Fatalf("job %+v", j)
	}

	// A second batch of the manager's unit, for the undo scenarios.
	st, body = e.upload(e.zp, "?kind=projects", "b.xlsx", clean(t, "B-一号", "B-二号"))
	if st != 201 {
		t.Fatalf("commit b: %d %s", st, body)
	}
	idB := report(t, body).BatchID
	// And one whose record is edited after the import: undo conflicts.
	st, body = e.upload(e.zp, "?kind=projects", "c.xlsx", clean(t, "C-一号", "C-二号"))
	if st != 201 {
		t.Fatalf("commit c: %d %s", st, body)
	}
	idC := report(t, body).BatchID
	var edited string
	e.a.P.Projects.Each(context.Background(), func(p *projects.Project) error {
		if p.Name == "C-一号" {
			edited = p.ID
		}
		return nil
	})
	e.edit(edited)

	big := make([]byte, imports.MaxUpload+1024)
	copy(big, clean(t, "X"))
	bigBody, bigType := form(t, nil, "big.xlsx", big)
	noFile, noFileType := form(t, map[string]string{"note": "x"}, "", nil)
	mp := func(name string, data []byte) (any, map[string]string) {
		b, ct := form(t, nil, name, data)
		return b, map[string]string{"Content-Type": ct}
	}
	renamed, renamedH := mp("台账.xlsx", []byte("项目名称,投资方\n某项目,某公司\n"))
	bombed, bombH := mp("bomb.xlsx", bomb(t))
	long, longH := mp("long.csv", []byte("项目名称,项目类型,项目简介\n量子项目,产业,"+strings.Repeat("长", 40000)+"\n"))
	emptyBook, emptyH := mp("empty.xlsx", batchtest.XLSX(t, nil))
	okBody, okH := mp("ok.xlsx", clean(t, "D-一号"))

	testapp.Run(t, e.a, []testapp.Scenario{
		// Lists: own unit's batches; another unit sees none of them.
		{Name: "officer lists own batches", As: e.zp, URL: "/api/v1/imports", Status: 200,
			Expect: []string{`"total":3`, id, idB, `"kind_label":"项目"`, `"may_undo":true`}},
		{Name: "same-unit officer sees the unit's batches", As: e.zp2, URL: "/api/v1/imports", Status: 200,
			Expect: []string{`"total":3`, `"may_undo":false`}},
		{Name: "other unit lists nothing", As: e.kfq, URL: "/api/v1/imports", Status: 200, Expect: []string{`"items":[]`, `"total":0`}},
		{Name: "manager of the parent unit lists them", As: e.mgr, URL: "/api/v1/imports?kind=projects", Status: 200, Expect: []string{`"total":3`}},
		{Name: "list with unknown kind", As: e.zp, URL: "/api/v1/imports?kind=cars", Status: 400, Expect: []string{`"field":"kind"`}},
		{Name: "list paged", As: e.zp, URL: "/api/v1/imports?per_page=1&page=2", Status: 200, Expect: []string{`"total":3`, idB}, Reject: []string{id, idC}},
		// One batch.
		{Name: "get own batch", As: e.zp, URL: "/api/v1/imports/" + id, Status: 200,
			Expect: []string{`"state":"done"`, `"created":2`, `"rejected_url":"/api/v1/imports/` + id + `/rejected.xlsx"`}},
		{Name: "get other unit's batch", As: e.kfq, URL: "/api/v1/imports/" + id, Status: 403},
		{Name: "get missing batch", As: e.zp, URL: "/api/v1/imports/imp-nope", Status: 404},
		{Name: "rejected rows download", As: e.zp, URL: "/api/v1/imports/" + id + "/rejected.xlsx", Status: 200, Expect: []string{"PK"}},
		{Name: "rejected rows of other unit", As: e.kfq, URL: "/api/v1/imports/" + id + "/rejected.xlsx", Status: 403},
		{Name: "no rejected rows", As: e.zp, URL: "/api/v1/imports/" + idB + "/rejected.xlsx", Status: 404},
		// Undo: importer or a manager over the unit; nobody else.
		{Name: "other unit cannot undo", As: e.kfq, Method: "POST", URL: "/api/v1/imports/" + idB + "/undo", Status: 403},
		{Name: "same-unit officer cannot undo", As: e.zp2, Method: "POST", URL: "/api/v1/imports/" + idB + "/undo", Status: 403},
		{Name: "manager undoes the unit's batch", As: e.mgr, Method: "POST", URL: "/api/v1/imports/" + idB + "/undo", Status: 200,
			Expect: []string{`"state":"undone"`, `"undone_by":"zz_boss"`}},
		{Name: "second undo refused", As: e.zp, Method: "POST", URL: "/api/v1/imports/" + idB + "/undo", Status: 422},
		{Name: "undo with edited record", As: e.zp, Method: "POST", URL: "/api/v1/imports/" + idC + "/undo", Status: 409,
			Expect: []string{`"conflicts":[`, `"id":"` + edited + `"`, `"by":"zp_li"`, `"url":"/projects/` + edited + `"`}},
		{Name: "undo without CSRF", As: e.zp, Method: "POST", URL: "/api/v1/imports/" + id + "/undo",
			Headers: map[string]string{"X-CSRF-Token": ""}, Status: 403},
		{Name: "anonymous list", URL: "/api/v1/imports", Status: 401},
		// Bad input.
		{Name: "no kind", As: e.zp, Method: "POST", URL: "/api/v1/imports?dry_run=1", Body: okBody, Headers: okH, Status: 400,
			Expect: []string{`"field":"kind"`}},
		{Name: "unknown kind", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=cars&dry_run=1", Body: okBody, Headers: okH, Status: 400,
			Expect: []string{`"field":"kind"`, "未知导入类型"}},
		{Name: "no file", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=projects&dry_run=1", Body: noFile,
			Headers: map[string]string{"Content-Type": noFileType}, Status: 400, Expect: []string{`"field":"file"`}},
		{Name: "too large", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=projects&dry_run=1", Body: bigBody,
			Headers: map[string]string{"Content-Type": bigType}, Status: 413, Expect: []string{`"field":"file"`, "20 MB"}},
		{Name: "renamed file", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=projects", Body: renamed, Headers: renamedH, Status: 400,
			Expect: []string{"不是有效的 .xlsx"}},
		{Name: "zip bomb", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=projects", Body: bombed, Headers: bombH, Status: 400,
			Expect: []string{"解压后"}},
		{Name: "40000-character cell", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=projects", Body: long, Headers: longH, Status: 400,
			Expect: []string{"40000 个字符"}},
		{Name: "empty workbook", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=projects", Body: emptyBook, Headers: emptyH, Status: 400},
		{Name: "bad mapping", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=projects&dry_run=1&mapping=" + url.QueryEscape(`{"9":"name"}`),
			Body: okBody, Headers: okH, Status: 400, Expect: []string{`"field":"mapping"`}},
		{Name: "bad confirm", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=projects&dry_run=1&confirm=x", Body: okBody, Headers: okH,
			Status: 400, Expect: []string{`"field":"confirm"`}},
		{Name: "other unit as default unit", As: e.zp, Method: "POST", URL: "/api/v1/imports?kind=projects&dry_run=1&unit=kfq", Body: okBody,
			Headers: okH, Status: 400, Expect: []string{`"field":"unit"`}},
	})
	// Refused reads and undos of another unit's batch are audited.
	entries, err := e.a.P.Users.AuditLog(context.Background(), 500)
	if err != nil {
		t.Fatal(err)
	}
	denied := map[string]bool{}
	for _, x := range entries {
		if x.Action == "denied" && x.Kind == imports.AuditKind {
			denied[x.User+" "+x.Note] = true
		}
	}
	for _, want := range []string{"kfq_zhao GET /api/v1/imports/" + id, "kfq_zhao POST /api/v1/imports/" + idB + "/undo",
		"zp_li POST /api/v1/imports/" + idB + "/undo", "kfq_zhao GET /api/v1/imports/" + id + "/rejected.xlsx"} {
		if !denied[want] {
			t.Errorf("no denied audit entry %q (have %v)", want, denied)
		}
	}
	// Nothing of the refused files was stored.
	if st, body := e.zp.Do("GET", "/api/v1/imports", nil, nil); st != 200 || !strings.Contains(body, `"total":3`) {
		t.Fatalf("after refusals: %d %.200s", st, body)
	}
	if n := e.projectsNamed("B-"); n != 0 {
		t.Fatalf("undone batch left %d projects", n)
	}
	if n := e.projectsNamed("C-"); n != 2 {
		t.Fatalf("refused undo changed data: %d C- projects", n)
	}
}

var (
	tokenRE   = regexp.MustCompile(`name="previewed" value="([0-9a-f]+)"`)
	headerRE  = regexp.MustCompile(`name="previewed_header" value="(\d+)"`)
	columnsRE = regexp.MustCompile(`name="columns" value="(\d+)"`)
)

func find(t *testing.T, re *regexp.Regexp, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page lacks %s: %.2000s", re, body)
	}
	return m[1]
}

// postForm posts an urlencoded form.
func postForm(c *testapp.Client, path string, v url.Values) (int, string) {
	return c.Do("POST", path, v.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// previewForm is what the preview page's form posts as shown, with changes.
func previewForm(t *testing.T, page string, mapping map[int]string, confirm ...string) url.Values {
	v := url.Values{}
	v.Set("previewed", find(t, tokenRE, page))
	h := find(t, headerRE, page)
	v.Set("previewed_header", h)
	v.Set("header_row", h)
	n := find(t, columnsRE, page)
	v.Set("columns", n)
	cols := 0
	fmt.Sscan(n, &cols)
	sel := regexp.MustCompile(`name="col_(\d+)"[^>]*>(?s:.*?)</select>`)
	opt := regexp.MustCompile(`<option value="([^"]*)" selected>`)
	for _, m := range sel.FindAllStringSubmatch(page, -1) {
		key := ""
		if o := opt.FindStringSubmatch(m[0]); o != nil {
			key = o[1]
		}
		v.Set("col_"+m[1], key)
	}
	for c, k := range mapping {
		v.Set(fmt.Sprintf("col_%d", c), k)
	}
	for _, r := range confirm {
		v.Add("confirm", r)
	}
	return v
}

// uploadPage posts the upload form; the draft id comes from the redirect.
func uploadPage(t *testing.T, c *testapp.Client, fields map[string]string, name string, data []byte) (int, string, string) {
	t.Helper()
	body, ctype := form(t, fields, name, data)
	req, err := http.NewRequest("POST", c.App.URL+"/imports/new", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("X-CSRF-Token", c.CSRF)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	id := ""
	if m := regexp.MustCompile(`^/imports/(imp-[0-9a-z-]+)$`).FindStringSubmatch(resp.Header.Get("Location")); m != nil {
		id = m[1]
	}
	return resp.StatusCode, string(out), id
}

// TestPageFlow: upload → preview (column needs mapping) → mapping change →
// template saved and applied to the next file → commit → history → undo.
func TestPageFlow(t *testing.T) {
	e := setup(t)
	upload := func(c *testapp.Client, kind, name string, data []byte) (int, string, string) {
		return uploadPage(t, c, map[string]string{"kind": kind, "unit": "zs-zp"}, name, data)
	}
	get := func(c *testapp.Client, path string) string {
		st, body := c.Do("GET", path, nil, nil)
		if st != 200 {
			t.Fatalf("GET %s: %d %.500s", path, st, body)
		}
		return body
	}
	if page := get(e.zp, "/imports"); !strings.Contains(page, "还没有导入记录") || !strings.Contains(page, `href="/imports/new"`) {
		t.Fatalf("empty history: %.1000s", page)
	}
	if page := get(e.zp, "/imports/new?kind=projects"); !strings.Contains(page, `enctype="multipart/form-data"`) ||
		!strings.Contains(page, "/imports/templates/projects.xlsx") || !strings.Contains(page, "张浦镇科技招商组") {
		t.Fatalf("new page: %.1500s", page)
	}

	// Refused files: the one-line reason on the form, nothing stored.
	for _, c := range []struct {
		name   string
		data   []byte
		status int
		msg    string
	}{
		{"改名.xlsx", []byte("这不是工作簿"), 422, "不是有效的 .xlsx"},
		{"bomb.xlsx", bomb(t), 422, "解压后"},
		{"empty.xlsx", batchtest.XLSX(t, nil), 422, "没有任何数据"},
		{"long.csv", []byte("项目名称,项目简介\n量子," + strings.Repeat("长", 40000) + "\n"), 422, "40000 个字符"},
		{"nothing.xlsx", batchtest.XLSX(t, map[int][]any{1: {"甲", "乙"}, 2: {"1", "2"}}), 422, "未找到表头"},
	} {
		st, body, _ := upload(e.zp, "projects", c.name, c.data)
		if st != c.status || !strings.Contains(body, c.msg) || !strings.Contains(body, `id="upload-error"`) {
			t.Errorf("%s: %d, want %d with %q: %.300s", c.name, st, c.status, c.msg, body)
		}
	}
	big := make([]byte, imports.MaxUpload+10)
	if st, body, _ := upload(e.zp, "projects", "big.xlsx", big); st != 413 || !strings.Contains(body, "20 MB") {
		t.Errorf("big upload: %d %.300s", st, body)
	}
	if st, body, _ := upload(e.zp, "cars", "a.xlsx", clean(t, "x")); st != 400 || !strings.Contains(body, "请选择导入类型") {
		t.Errorf("bad kind: %d %.300s", st, body)
	}
	if st, body := e.zp.Do("GET", "/api/v1/imports", nil, nil); st != 200 || !strings.Contains(body, `"total":0`) {
		t.Fatalf("refused uploads stored something: %s", body)
	}

	// The messy ledger: stored as a draft; the preview says which required
	// column is missing and offers the mapping.
	st, _, id := upload(e.zp, "projects", "张浦台账.xlsx", Ledger(t, "P-"))
	if st != 303 || id == "" {
		t.Fatalf("upload: %d %q", st, id)
	}
	page := get(e.zp, "/imports/"+id)
	for _, want := range []string{"缺少必填列", "项目名称", `id="mapping-table"`, "招商项目", "不导入", "第 3 行", `name="col_1"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("preview lacks %q: %.3000s", want, page)
		}
	}
	if e.job(e.zp, id).State != batch.StateDraft {
		t.Fatal("upload is not a draft")
	}
	// Another user, even of the same unit, cannot open or commit the draft.
	if st, _ := e.zp2.Do("GET", "/imports/"+id, nil, nil); st != 403 {
		t.Errorf("other user's draft: %d", st)
	}
	if st, _ := postForm(e.zp2, "/imports/"+id+"/commit", url.Values{}); st != 403 {
		t.Errorf("other user's commit: %d", st)
	}
	// Mapping the same field twice is refused with the reason.
	st, _ = postForm(e.zp, "/imports/"+id+"/mapping", previewForm(t, page, map[int]string{1: "name", 2: "name"}))
	if page = get(e.zp, "/imports/"+id); st != 303 || !strings.Contains(page, "同时选给了") {
		t.Fatalf("double mapping: %d %.2000s", st, page)
	}
	// Map 招商项目 → 项目名称 and 项目种类 → 项目类型.
	st, _ = postForm(e.zp, "/imports/"+id+"/mapping", previewForm(t, page, map[int]string{1: "name", 2: "type"}))
	page = get(e.zp, "/imports/"+id)
	if st != 303 || strings.Contains(page, "缺少必填列") {
		t.Fatalf("after mapping: %d %.3000s", st, page)
	}
	for _, want := range []string{`data-count="create"`, `id="review-rows"`, "与第 4 行是同一项目", `id="rejected-rows"`,
		"签约日期", "2024-02-30", `/imports/` + id + `/rejected.xlsx`, `data-action="create"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("mapped preview lacks %q: %.4000s", want, page)
		}
	}
	if st, body := e.zp.Do("GET", "/imports/"+id+"/rejected.xlsx", nil, nil); st != 200 || !strings.HasPrefix(body, "PK") {
		t.Fatalf("draft rejected rows: %d", st)
	}
	if tab := get(e.zp, "/imports/"+id+"?tab=rejected"); strings.Contains(tab, `data-action="create"`) || !strings.Contains(tab, `data-action="rejected"`) {
		t.Fatalf("rejected tab: %.3000s", tab)
	}
	// Save the mapping as the unit's template.
	st, _ = postForm(e.zp, "/imports/"+id+"/template", previewForm(t, page, nil))
	if p := get(e.zp, "/imports/"+id); st != 303 || !strings.Contains(p, "导入模板") {
		t.Fatalf("save template: %d", st)
	}
	// A changed mapping is not committed unseen: it is previewed first.
	st, _ = postForm(e.zp, "/imports/"+id+"/commit", previewForm(t, page, map[int]string{9: ""}))
	if p := get(e.zp, "/imports/"+id); st != 303 || !strings.Contains(p, "请核对后再点") || e.projectsNamed("P-") != 0 {
		t.Fatalf("commit of unpreviewed mapping: %d", st)
	}
	page = get(e.zp, "/imports/"+id)
	// Commit as previewed, with the twin row confirmed.
	st, _ = postForm(e.zp, "/imports/"+id+"/commit", previewForm(t, page, nil, "7"))
	done := get(e.zp, "/imports/"+id)
	if st != 303 || !strings.Contains(done, "已导入 张浦台账.xlsx") || !strings.Contains(done, `id="batch-id"`) || !strings.Contains(done, `id="undo-button"`) {
		t.Fatalf("commit: %d %.3000s", st, done)
	}
	if n := e.projectsNamed("P-"); n != 2 {
		t.Fatalf("committed %d projects, want 2 (the legacy 已签约 row waits for a manager)", n)
	}
	j := e.job(e.zp, id)
	if j.State != batch.StateDone || j.Mapping["1"] != "name" || len(j.Confirm) != 1 || j.Confirm[0] != 7 {
		t.Fatalf("committed job %+v", j)
	}
	// Commit again: refused, nothing more written.
	if st, _ := postForm(e.zp, "/imports/"+id+"/commit", previewForm(t, page, nil)); st != 303 || e.projectsNamed("P-") != 2 ||
		!strings.Contains(get(e.zp, "/imports/"+id), "不能再修改") {
		t.Fatalf("second commit: %d", st)
	}

	// The next file with the same header from the unit gets the template.
	st, _, id2 := upload(e.zp2, "projects", "第二份.xlsx", Ledger(t, "Q-"))
	if st != 303 || id2 == "" {
		t.Fatalf("second upload: %d", st)
	}
	if p := get(e.zp2, "/imports/"+id2); strings.Contains(p, "缺少必填列") || !strings.Contains(p, `data-count="create"`) {
		t.Fatalf("template not applied: %.3000s", p)
	}
	// Another unit's file with that header does not.
	st, out, kid := uploadPage(t, e.kfq, map[string]string{"kind": "projects"}, "k.xlsx", Ledger(t, "K-"))
	if st != 303 || kid == "" || !strings.Contains(get(e.kfq, "/imports/"+kid), "缺少必填列") {
		t.Fatalf("other unit's upload: %d %s", st, out)
	}

	// History: the batch with its counts and links; other units see nothing.
	hist := get(e.zp, "/imports")
	for _, want := range []string{"张浦台账.xlsx", id, "已导入", "/imports/" + id + "/rejected.xlsx", `action="/imports/` + id + `/undo"`} {
		if !strings.Contains(hist, want) {
			t.Fatalf("history lacks %q: %.3000s", want, hist)
		}
	}
	if strings.Contains(hist, "第二份.xlsx") {
		t.Fatal("another user's draft is listed")
	}
	if h := get(e.zp2, "/imports"); strings.Contains(h, `action="/imports/`+id+`/undo"`) || !strings.Contains(h, "张浦台账.xlsx") ||
		!strings.Contains(h, "第二份.xlsx") || !strings.Contains(h, "继续预览") {
		t.Fatalf("same-unit officer's history: %.2000s", h)
	}
	if h := get(e.kfq, "/imports"); strings.Contains(h, "张浦台账.xlsx") {
		t.Fatal("other unit sees the batch")
	}
	if st, _ := e.kfq.Do("GET", "/imports/"+id, nil, nil); st != 403 {
		t.Fatalf("other unit's batch page: %d", st)
	}
	if st, _ := postForm(e.kfq, "/imports/"+id+"/undo", url.Values{}); st != 403 {
		t.Fatalf("other unit's undo: %d", st)
	}

	// Undo with an edited record lists the conflict and changes nothing.
	var edited *projects.Project
	e.a.P.Projects.Each(context.Background(), func(p *projects.Project) error {
		if p.Name == "P-智能传感器项目" && edited == nil {
			edited = p
		}
		return nil
	})
	e.edit(edited.ID)
	st, body := postForm(e.zp, "/imports/"+id+"/undo", url.Values{})
	if st != 409 || !strings.Contains(body, `id="undo-conflicts"`) || !strings.Contains(body, `href="/projects/`+edited.ID+`"`) ||
		!strings.Contains(body, "zp_li") || !strings.Contains(body, "导入后已被修改") {
		t.Fatalf("undo with conflict: %d %.3000s", st, body)
	}
	if n := e.projectsNamed("P-"); n != 2 {
		t.Fatalf("refused undo changed data: %d", n)
	}
	// Once the edit is reverted by deleting that record, undo succeeds.
	cur, _ := e.a.P.Projects.Get(context.Background(), edited.ID)
	if err := e.a.P.Projects.Delete(context.Background(), core.System, cur.ID, cur.Version); err != nil {
		t.Fatal(err)
	}
	st, _ = postForm(e.zp, "/imports/"+id+"/undo", url.Values{})
	if p := get(e.zp, "/imports/"+id); st != 303 || !strings.Contains(p, "已撤销批次") || strings.Contains(p, `id="undo-button"`) {
		t.Fatalf("undo: %d %.2000s", st, p)
	}
	if n := e.projectsNamed("P-"); n != 0 {
		t.Fatalf("after undo %d projects", n)
	}
}
