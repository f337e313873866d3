// Package batchtest helps the modules test their Kind adapters without a
// store: a run's Env over a header detected as the importer detects it,
// rows by that header, and what a row parses to.
package batchtest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"zhaoshang/importers/batch"
	"zhaoshang/importers/header"
	"zhaoshang/importers/sheet"
	"zhaoshang/modules/core"
)

// Env is a run of officer zp (张浦) over a header with the given labels,
// detected as the importer does.
func Env(t testing.TB, fields []header.Field, labels ...string) batch.Env {
	t.Helper()
	res, err := header.At([]sheet.Row{{Num: 1, Cells: labels}}, 1, fields)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Columns) != len(labels) {
		t.Fatalf("header %q maps %v", labels, res.Columns)
	}
	return batch.Env{Actor: core.Actor{User: "zp_officer"}, Scope: core.Scope{Units: []string{"zs-zp"}}, Unit: "zs-zp",
		Header: res, Now: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
}

// Row maps cells to field keys by the env's columns.
func Row(env batch.Env, cells ...string) map[string]string {
	m := map[string]string{}
	for i, c := range cells {
		m[env.Header.Columns[i]] = c
	}
	return m
}

// Parsed is a row's outcome: its keys and similar key, or the field keys
// of its problems.
func Parsed(p batch.Planner, row map[string]string) (keys []string, similar string, bad []string) {
	c, errs := p.Parse(row)
	for _, e := range errs {
		bad = append(bad, e.Field)
	}
	if len(errs) == 0 {
		keys, similar = c.Keys, c.Similar
	}
	return keys, similar, bad
}

// CheckKeys parses one row and compares its natural keys, its similar-name
// key and the fields it was rejected on with the case's.
func CheckKeys(t testing.TB, p batch.Planner, env batch.Env, name string, cells, keys []string, similar string, bad []string) {
	t.Helper()
	c, errs := p.Parse(Row(env, cells...))
	var gotBad, gotKeys []string
	gotSimilar := ""
	for _, e := range errs {
		gotBad = append(gotBad, e.Field)
	}
	if len(errs) == 0 {
		gotKeys, gotSimilar = c.Keys, c.Similar
	}
	if !slices.Equal(gotKeys, keys) || gotSimilar != similar || !slices.Equal(gotBad, bad) {
		t.Errorf("%s: keys %q similar %q bad %q; want %q %q %q", name, gotKeys, gotSimilar, gotBad, keys, similar, bad)
	}
}

// IsField reports whether err is a field error on field whose message
// contains msg.
func IsField(err error, field, msg string) bool {
	fe, ok := core.AsFieldError(err)
	return ok && fe.Field == field && strings.Contains(fe.Message, msg)
}

// CheckFields checks a kind's ledger fields: registered under kind (with
// the hidden id and version columns), and no label or synonym naming two
// fields.
func CheckFields(t testing.TB, kind string, fs []header.Field) {
	t.Helper()
	if got := header.FieldsFor(kind); len(got) == 0 || len(got) != len(fs) {
		t.Errorf("%s: registered %d fields", kind, len(got))
	}
	seen := map[string]string{}
	for _, f := range fs {
		for _, n := range append([]string{f.Label}, f.Synonyms...) {
			if prev, ok := seen[header.Normalize(n)]; ok && prev != f.Key {
				t.Errorf("%s: name %q is both %s and %s", kind, n, prev, f.Key)
			}
			seen[header.Normalize(n)] = f.Key
		}
	}
}
