package aftercare

import (
	"strings"
	"testing"
	"time"

	"zhaoshang/modules/core"
	"zhaoshang/modules/projects"
	"zhaoshang/search"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, core.Zone()).UTC() }

func TestOverdue(t *testing.T) {
	// 2025-03-10 09:00 China time; also just after midnight and just before.
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, core.Zone())
	cases := []struct {
		name    string
		r       Request
		now     time.Time
		overdue bool
		days    int
	}{
		{"due yesterday, pending", Request{Status: StatusPending, Due: core.NewDate(2025, 3, 9)}, now, true, 1},
		{"due a week ago, in progress", Request{Status: StatusInProgress, Due: core.NewDate(2025, 3, 3)}, now, true, 7},
		{"due today is not overdue yet", Request{Status: StatusPending, Due: core.NewDate(2025, 3, 10)}, now, false, 0},
		{"due tomorrow", Request{Status: StatusPending, Due: core.NewDate(2025, 3, 11)}, now, false, 0},
		{"resolved late is not overdue", Request{Status: StatusResolved, Due: core.NewDate(2025, 1, 1)}, now, false, 0},
		{"closed late is not overdue", Request{Status: StatusClosed, Due: core.NewDate(2025, 1, 1)}, now, false, 0},
		{"no due day", Request{Status: StatusPending}, now, false, 0},
		{"00:30 China time (16:30 UTC the day before)", Request{Status: StatusPending, Due: core.NewDate(2025, 3, 9)},
			time.Date(2025, 3, 9, 16, 30, 0, 0, time.UTC), true, 1},
		{"23:59 China time on the due day", Request{Status: StatusPending, Due: core.NewDate(2025, 3, 9)},
			time.Date(2025, 3, 9, 23, 59, 0, 0, core.Zone()), false, 0},
		{"across a year end", Request{Status: StatusInProgress, Due: core.NewDate(2024, 12, 31)},
			time.Date(2025, 1, 2, 8, 0, 0, 0, core.Zone()), true, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.r.Overdue(c.now); got != c.overdue {
				t.Errorf("Overdue = %v, want %v", got, c.overdue)
			}
			if got := c.r.DaysOverdue(c.now); got != c.days {
				t.Errorf("DaysOverdue = %d, want %d", got, c.days)
			}
		})
	}
}

func mustDate(t *testing.T, s string) core.Date {
	t.Helper()
	d, err := core.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestInputValidate(t *testing.T) {
	due := mustDate(t, "2025-04-01")
	ok := func() Input {
		return Input{ProjectID: "p1", Type: TypePolicy, Title: "申报高新技术企业认定", Owner: "kfq_li", Due: due}
	}
	cases := []struct {
		name   string
		edit   func(*Input)
		field  string // "" = valid
		status string // normalised status when valid
	}{
		{"valid, default status", func(*Input) {}, "", StatusPending},
		{"chinese type and status", func(in *Input) { in.Type, in.Status = "融资对接", "处理中" }, "", StatusInProgress},
		{"talent housing synonym", func(in *Input) { in.Type = "子女入学" }, "", StatusPending},
		{"missing type", func(in *Input) { in.Type = "" }, "type", ""},
		{"bad type", func(in *Input) { in.Type = "lunch" }, "type", ""},
		{"blank title", func(in *Input) { in.Title = "  " }, "title", ""},
		{"long title", func(in *Input) { in.Title = strings.Repeat("长", 101) }, "title", ""},
		{"no owner", func(in *Input) { in.Owner = "" }, "owner", ""},
		{"bad status", func(in *Input) { in.Status = "done" }, "status", ""},
		{"no due", func(in *Input) { in.Due = core.Date{} }, "due", ""},
		{"resolved without resolution", func(in *Input) { in.Status = StatusResolved }, "resolution", ""},
		{"closed without resolution", func(in *Input) { in.Status = "已关闭" }, "resolution", ""},
		{"resolved with resolution", func(in *Input) { in.Status, in.Resolution = StatusResolved, "已协调人社局办结" }, "", StatusResolved},
		{"clause without policy", func(in *Input) { in.ClauseNo = "4" }, "policy_id", ""},
		{"bad policy id", func(in *Input) { in.PolicyID = "po 1;drop" }, "policy_id", ""},
		{"policy and clause", func(in *Input) { in.PolicyID, in.ClauseNo = "po-0001", "5(1)" }, "", StatusPending},
		{"long detail", func(in *Input) { in.Detail = strings.Repeat("x", 5001) }, "detail", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := ok()
			c.edit(&in)
			err := in.Validate()
			fe, isField := core.AsFieldError(err)
			switch {
			case c.field == "" && err != nil:
				t.Fatalf("want valid, got %v", err)
			case c.field == "" && in.Status != c.status:
				t.Fatalf("status = %q, want %q", in.Status, c.status)
			case c.field != "" && (!isField || fe.Field != c.field):
				t.Fatalf("want error on %s, got %v", c.field, err)
			}
		})
	}
}

func TestApplyResolvedAt(t *testing.T) {
	at := time.Date(2025, 3, 10, 1, 2, 3, 0, time.UTC)
	r := &Request{}
	in := Input{Type: TypeSpace, Title: "t", Owner: "u", Status: StatusPending}
	in.apply(r, at)
	if !r.ResolvedAt.IsZero() {
		t.Fatal("pending request has a resolved time")
	}
	in.Status = StatusResolved
	in.apply(r, at)
	if !r.ResolvedAt.Equal(at) {
		t.Fatalf("ResolvedAt = %v", r.ResolvedAt)
	}
	in.Status = StatusClosed // resolved → closed keeps the first answer time
	in.apply(r, at.Add(time.Hour))
	if !r.ResolvedAt.Equal(at) {
		t.Fatalf("ResolvedAt moved to %v", r.ResolvedAt)
	}
	in.Status = StatusInProgress // reopened
	in.apply(r, at)
	if !r.ResolvedAt.IsZero() {
		t.Fatal("reopened request keeps a resolved time")
	}
}

func TestListQueryValidate(t *testing.T) {
	cases := []struct {
		q     ListQuery
		field string
	}{
		{ListQuery{}, ""},
		{ListQuery{Status: "待受理", Type: "政策申报", Sort: "-due"}, ""},
		{ListQuery{Status: "x"}, "status"},
		{ListQuery{Type: "x"}, "type"},
		{ListQuery{Sort: "title"}, "sort"},
		{ListQuery{PerPage: 201}, "per_page"},
		{ListQuery{Page: 100000, PerPage: 20}, "page"},
		{ListQuery{Text: strings.Repeat("字", 201)}, "q"},
	}
	for _, c := range cases {
		err := c.q.Validate()
		fe, _ := core.AsFieldError(err)
		if (c.field == "" && err != nil) || (c.field != "" && (fe == nil || fe.Field != c.field)) {
			t.Errorf("%+v: got %v, want field %q", c.q, err, c.field)
		}
	}
}

func TestDiff(t *testing.T) {
	a := Input{Type: TypePolicy, Title: "甲", Owner: "u1", Due: mustDate(t, "2025-01-02"), Status: StatusPending}
	b := a
	b.Title, b.Due = "乙", mustDate(t, "2025-01-05")
	ch := Diff(a, b)
	if len(ch) != 2 || ch[0].Field != "title" || ch[1].Field != "due" || ch[1].Stored != "2025-01-05" {
		t.Fatalf("Diff = %+v", ch)
	}
}

func TestToDocAgreesWithSchema(t *testing.T) {
	r := &Request{Meta: core.Meta{ID: "ac1", Version: 3, CreatedAt: day(2025, 1, 2)}, ProjectID: "p1", ProjectName: "某项目",
		Unit: "kfq", Type: TypeFinancing, Title: "融资需求", Detail: "需要 2000 万元", Owner: "kfq_li", Due: core.NewDate(2025, 2, 1),
		Status: StatusResolved, Resolution: "已对接银行", ResolvedAt: day(2025, 1, 20), PolicyID: "po-1", ClauseNo: "4"}
	d := ToDoc(r)
	if d.Kind != Kind || d.ID != "ac1" || len(d.Units) != 1 || d.Units[0] != "kfq" || d.Fields["year"] != "2025" {
		t.Fatalf("doc envelope: %+v", d)
	}
	for name, v := range d.Fields {
		typ, ok := SearchSchema[name]
		if !ok {
			t.Errorf("field %q not in SearchSchema", name)
			continue
		}
		switch v.(type) {
		case string:
			ok = typ == search.Keyword || typ == search.Text
		case time.Time:
			ok = typ == search.Date
		default:
			ok = false
		}
		if !ok {
			t.Errorf("field %q holds %T, schema type %d", name, v, typ)
		}
	}
	empty := ToDoc(&Request{Meta: core.Meta{ID: "ac2"}, Status: StatusPending})
	for _, f := range []string{"due", "resolved_at", "policy_id"} {
		if _, ok := empty.Fields[f]; ok {
			t.Errorf("empty %s indexed", f)
		}
	}
	// A field name shared with another module must have the same type (the
	// platform checks the union of all modules at start).
	for _, other := range []search.Schema{projects.SearchSchema} {
		for name, typ := range SearchSchema {
			if have, ok := other[name]; ok && have != typ {
				t.Errorf("field %q is type %d here, %d elsewhere", name, typ, have)
			}
		}
	}
}
