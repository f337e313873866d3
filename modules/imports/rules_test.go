package imports

import (
	"testing"

	"zhaoshang/importers/batch"
)

func TestSignature(t *testing.T) {
	cases := []struct {
		name string
		a, b []string
		same bool
	}{
		{"width and spaces ignored", []string{"项目名称", "总投资（万元）"}, []string{"项目 名称", "总投资(万元)"}, true},
		{"trailing blanks ignored", []string{"项目名称", "投资方", "", ""}, []string{"项目名称", "投资方"}, true},
		{"order matters", []string{"项目名称", "投资方"}, []string{"投资方", "项目名称"}, false},
		{"another column", []string{"项目名称", "投资方"}, []string{"项目名称", "投资方", "阶段"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Signature(c.a) == Signature(c.b); got != c.same {
				t.Errorf("Signature(%q) == Signature(%q): %v, want %v", c.a, c.b, got, c.same)
			}
		})
	}
	if Signature([]string{"", " "}) != "" {
		t.Error("a blank row has a signature")
	}
	if mappingID("zs-zp", "projects", "x") == mappingID("kfq", "projects", "x") {
		t.Error("two units share a template id")
	}
}

func TestColLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := colLetter(i); got != want {
			t.Errorf("colLetter(%d) = %s, want %s", i, got, want)
		}
	}
}

func TestToken(t *testing.T) {
	a := token(3, map[int]string{0: "", 1: "name", 2: "type"})
	cases := []struct {
		name string
		tok  string
		same bool
	}{
		{"same choices", token(3, map[int]string{2: "type", 1: "name", 0: ""}), true},
		{"another header row", token(4, map[int]string{0: "", 1: "name", 2: "type"}), false},
		{"a column left out", token(3, map[int]string{0: "", 1: "name", 2: ""}), false},
		{"columns swapped", token(3, map[int]string{0: "", 1: "type", 2: "name"}), false},
	}
	for _, c := range cases {
		if (c.tok == a) != c.same {
			t.Errorf("%s: equal %v, want %v", c.name, c.tok == a, c.same)
		}
	}
}

func TestParseRows(t *testing.T) {
	cases := []struct {
		in   []string
		want []int
		bad  bool
	}{
		{in: []string{""}, want: nil},
		{in: []string{"5,8"}, want: []int{5, 8}},
		{in: []string{" 5 , 8 ,"}, want: []int{5, 8}},
		{in: []string{"5", "9"}, want: []int{5, 9}},
		{in: []string{"0"}, bad: true},
		{in: []string{"x"}, bad: true},
	}
	for _, c := range cases {
		got, err := parseRows(c.in...)
		if (err != nil) != c.bad {
			t.Errorf("parseRows(%q) err %v", c.in, err)
			continue
		}
		if len(got) != len(c.want) {
			t.Errorf("parseRows(%q) = %v, want %v", c.in, got, c.want)
		}
		for _, r := range c.want {
			if !got[r] {
				t.Errorf("parseRows(%q) lacks %d", c.in, r)
			}
		}
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	s := Settings{HeaderRow: 3, Mapping: map[int]string{0: "", 1: "name"}, Confirm: map[int]bool{9: true, 5: true, 7: false}}
	var j batch.Job
	s.apply(&j)
	if j.HeaderRow != 3 || j.Mapping["1"] != "name" || len(j.Confirm) != 2 || j.Confirm[0] != 5 || j.Confirm[1] != 9 {
		t.Fatalf("job %+v", j)
	}
	back := settingsOf(&j)
	if back.HeaderRow != 3 || back.Mapping[1] != "name" || back.Mapping[0] != "" || len(back.Mapping) != 2 || !back.Confirm[5] || back.Confirm[7] {
		t.Fatalf("settings %+v", back)
	}
}

func TestRecordURL(t *testing.T) {
	for _, c := range [][3]string{{"projects", "p1", "/projects/p1"}, {"talents", "t1", "/resources/talents/t1"},
		{"results", "r1", "/resources/results/r1"}, {"events", "e1", "/events/e1"}, {"policies", "x", "/policies/x"}, {"projects", "", ""}} {
		if got := RecordURL(c[0], c[1]); got != c[2] {
			t.Errorf("RecordURL(%s, %s) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}
