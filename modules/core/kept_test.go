package core

import (
	"bytes"
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
