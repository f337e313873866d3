package core

import (
	"bytes"
	"slices"
	"testing"
)

type shapeA struct {
	Meta `bson:",inline"`
	Name string   `bson:"name"`
	Tags []string `bson:"tags"`
}

type shapeB struct { // shapeA with a field added
	Meta `bson:",inline"`
	Name string   `bson:"name"`
	Tags []string `bson:"tags"`
	Zone string   `bson:"zone"`
}

type shapeC struct { // shapeA with a tag renamed
	Meta `bson:",inline"`
	Name string   `bson:"title"`
	Tags []string `bson:"tags"`
}

type tree struct { // refers to itself
	Name     string  `bson:"name"`
	Children []*tree `bson:"children"`
}

func TestRecordFormat(t *testing.T) {
	a, b, c := recordFormat[shapeA](), recordFormat[shapeB](), recordFormat[shapeC]()
	if len(a) != 8 || !bytes.Equal(a, recordFormat[shapeA]()) {
		t.Fatalf("format %x is not stable", a)
	}
	if bytes.Equal(a, b) || bytes.Equal(a, c) || bytes.Equal(b, c) {
		t.Fatalf("different shapes, same format: %x %x %x", a, b, c)
	}
	if f := recordFormat[tree](); len(f) != 8 {
		t.Fatalf("recursive type: %x", f)
	}
}

func TestScopeTo(t *testing.T) {
	officer := Scope{Units: []string{"kfq", "gxq"}}
	for _, c := range []struct {
		name  string
		s     Scope
		unit  string
		want  Scope
		allow bool
	}{
		{"no unit keeps the scope", officer, "", officer, true},
		{"own unit narrows", officer, "gxq", Scope{Units: []string{"gxq"}}, true},
		{"other unit matches nothing", officer, "zs-zp", Scope{}, false},
		{"admin narrows to any unit", AllUnits, "zs-zp", Scope{Units: []string{"zs-zp"}}, true},
	} {
		got, ok := c.s.To(c.unit)
		if ok != c.allow || got.All != c.want.All || !slices.Equal(got.Units, c.want.Units) {
			t.Errorf("%s: %+v %v, want %+v %v", c.name, got, ok, c.want, c.allow)
		}
	}
}
