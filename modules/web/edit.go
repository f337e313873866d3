package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// DecodeEdit reads an update's JSON body into v as strictly as Decode, but
// the body may be the record as its GET answered: a key v has no field for
// is accepted, and ignored, when current (the record as GET answers it now)
// holds the same value under it; one that differs is refused by name as
// read-only, one the record does not have stays unknown. Fields of the
// answer tagged `edit:"derived"` (a unit's name, days overdue: worked out
// when answering) are always ignored, and so is everything when the body's
// version is not the stored one — the update then answers its conflict.
// current is called only when the body holds such keys.
func DecodeEdit(c *fiber.Ctx, v any, current func() (any, error)) error {
	body := c.Body()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return decodeJSON(body, v) // reports what is wrong with it
	}
	return decodeEdit(raw, body, v, current)
}

// DecodeVersioned is DecodeEdit for a body that is an input plus the
// "version" it was read at: it decodes the input into v and returns the
// version, refusing an update without one.
func DecodeVersioned(c *fiber.Ctx, v any, current func() (any, error)) (int64, error) {
	body := c.Body()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return 0, decodeJSON(body, v)
	}
	var version int64
	if rv, ok := raw["version"]; ok && json.Unmarshal(rv, &version) != nil {
		return 0, &BadInput{Field: "version", Message: "字段 version 的类型不正确，应为 int64"}
	}
	if err := decodeEdit(raw, nil, v, current); err != nil {
		return 0, err
	}
	if version <= 0 {
		return 0, &BadInput{Field: "version", Message: "须提供读取时的 version"}
	}
	return version, nil
}

// decodeEdit decodes raw (body, when not nil, is its text) into v: keys v
// has no field for must hold what current holds (see DecodeEdit); a
// "version" key is checked against current but not decoded when v has no
// field for it.
func decodeEdit(raw map[string]json.RawMessage, body []byte, v any, current func() (any, error)) error {
	fields := jsonFields(reflect.TypeOf(v))
	var extra []string
	for k := range raw {
		if !fields[strings.ToLower(k)] && k != "version" {
			extra = append(extra, k)
		}
	}
	_, hasVersion := raw["version"]
	if len(extra) == 0 && body != nil && (!hasVersion || fields["version"]) {
		return decodeJSON(body, v)
	}
	if len(extra) > 0 {
		if err := readOnlySame(raw, extra, current); err != nil {
			return err
		}
	}
	rest := make(map[string]json.RawMessage, len(raw))
	for k, m := range raw {
		if !slices.Contains(extra, k) && (k != "version" || fields["version"]) {
			rest[k] = m
		}
	}
	b, err := json.Marshal(rest)
	if err != nil {
		return err
	}
	return decodeJSON(b, v)
}

// CheckReadOnly refuses a JSON body whose keys that isReadOnly names hold
// other values than current (the record as GET answers it) — for handlers
// that decode a body their own way; DecodeEdit does this itself.
func CheckReadOnly(c *fiber.Ctx, isReadOnly func(key string) bool, current func() (any, error)) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(c.Body(), &raw) != nil {
		return nil // the decoder reports it
	}
	var keys []string
	for k := range raw {
		if isReadOnly(k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	return readOnlySame(raw, keys, current)
}

// readOnlySame checks the keys of raw against current: each must hold what
// current holds (null for what it lacks); a key current lacks is unknown.
func readOnlySame(raw map[string]json.RawMessage, keys []string, current func() (any, error)) error {
	cur, err := current()
	if err != nil {
		return err
	}
	b, err := json.Marshal(cur)
	if err != nil {
		return err
	}
	var stored map[string]json.RawMessage
	if err := json.Unmarshal(b, &stored); err != nil {
		return err
	}
	if v, ok := raw["version"]; ok && !sameJSON(v, stored["version"]) {
		return nil // a stale body: the update answers 409 with what changed
	}
	derived := derivedFields(reflect.TypeOf(cur))
	slices.Sort(keys)
	var wrong []string
	for _, k := range keys {
		s, ok := stored[k]
		switch {
		case derived[k]:
		case !ok && !isNull(raw[k]):
			return &BadInput{Field: k, Message: "未知字段 " + k}
		case ok && !sameJSON(s, raw[k]):
			wrong = append(wrong, k)
		}
	}
	if len(wrong) > 0 {
		return &BadInput{Field: wrong[0], Message: fmt.Sprintf("只读字段不能在更新中修改：%s（须与读取时一致，或省去）", strings.Join(wrong, "、"))}
	}
	return nil
}

// derivedFields are the JSON keys of t's fields tagged `edit:"derived"`
// (its embedded structs' included).
func derivedFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	eachField(t, func(f reflect.StructField, tag string) {
		switch {
		case f.Anonymous && tag == "":
			for k := range derivedFields(f.Type) {
				out[k] = true
			}
		case f.Tag.Get("edit") == "derived" && tag != "" && tag != "-":
			out[tag] = true
		}
	})
	return out
}

// jsonFields are the lower-cased JSON keys a struct type decodes (its
// embedded structs' included), as encoding/json matches them.
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	eachField(t, func(f reflect.StructField, tag string) {
		switch {
		case tag == "-":
		case f.Anonymous && tag == "" && (f.Type.Kind() == reflect.Struct || f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct):
			for k := range jsonFields(f.Type) {
				out[k] = true
			}
		case !f.IsExported():
		case tag != "":
			out[strings.ToLower(tag)] = true
		default:
			out[strings.ToLower(f.Name)] = true
		}
	})
	return out
}

// eachField calls fn with each field of the struct type t (through
// pointers; nothing for another type) and the name its json tag gives.
func eachField(t reflect.Type, fn func(f reflect.StructField, tag string)) {
	if t == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		fn(f, tag)
	}
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// sameJSON: a and b decode to the same value.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// Result tells an update's caller whether it stored anything: the header
// X-Result is "unchanged" when the record is as it was (its version still
// the one read), "updated" otherwise.
func Result(c *fiber.Ctx, read, now int64) {
	if read == now {
		c.Set("X-Result", "unchanged")
	} else {
		c.Set("X-Result", "updated")
	}
}

// Saved flashes the outcome of a form's save: 已保存, or 未修改 when nothing
// changed (the version is still the one the form was read at).
func Saved(c *fiber.Ctx, read, now int64) {
	if read == now {
		Flash(c, "ok", "未修改：内容与保存前相同，没有产生新版本")
	} else {
		Flash(c, "ok", "已保存")
	}
}
