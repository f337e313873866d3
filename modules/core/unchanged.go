package core

import (
	"reflect"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// Unchanged reports whether after would be stored as before is: their BSON
// documents hold the same values once Meta's bookkeeping (version, updated
// at and by) is set aside. Neither field order nor an empty list against a
// missing or null one counts (all read back as no items). Saving an
// unchanged form is then no write at all (Repo.Update).
func Unchanged[P Record](before, after P) bool {
	b, err := storedShape(before)
	if err != nil {
		return false
	}
	a, err := storedShape(after)
	return err == nil && reflect.DeepEqual(a, b)
}

// bookkeeping are the BSON keys of Meta that every write sets anew.
var bookkeeping = []string{"version", "updated_at", "updated_by"}

func storedShape(p Record) (map[string]any, error) {
	raw, err := bson.Marshal(p)
	if err != nil {
		return nil, err
	}
	var d bson.D
	if err := bson.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	m := shape(d).(map[string]any)
	for _, k := range bookkeeping {
		delete(m, k)
	}
	return m, nil
}

// shape turns decoded BSON into plain maps and slices, dropping null and
// empty-list values.
func shape(v any) any {
	switch x := v.(type) {
	case bson.D:
		m := make(map[string]any, len(x))
		for _, e := range x {
			if s := shape(e.Value); s != nil {
				m[e.Key] = s
			}
		}
		return m
	case bson.M:
		m := make(map[string]any, len(x))
		for k, e := range x {
			if s := shape(e); s != nil {
				m[k] = s
			}
		}
		return m
	case bson.A:
		if len(x) == 0 {
			return nil
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = shape(e)
		}
		return out
	case primitive.Null, primitive.Undefined:
		return nil
	}
	return v
}
