package policies

import (
	"context"
	"errors"
	"slices"
	"testing"

	"zhaoshang/importers/batch/batchtest"
	"zhaoshang/modules/core"
	"zhaoshang/modules/matrix/matrixtest"
)

type fakeRoles map[string]string // name → role

func (f fakeRoles) role(_ context.Context, name string) string { return f[name] }

func TestPolicyRows(t *testing.T) {
	k := &Ledger{Matrix: matrixtest.Defaults{}, Role: fakeRoles{"zp_officer": "officer", "zp_manager": "manager"}.role}
	env := batchtest.Env(t, k.Fields(), "政策名称", "发文字号", "发文机关", "政策级别", "有效性", "政策分类", "发文日期", "有效期至")
	if _, err := k.Open(context.Background(), env); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("officer may not import policies: %v", err)
	}
	env.Actor.User = "zp_manager"
	p, err := k.Open(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		cells   []string
		keys    []string
		similar string
		bad     []string
	}{
		{"文号", []string{"昆山市科技 创新政策", "昆科字[2023] 53 号", "昆山市科技局", "市", "现行有效", "科技创新", "2023-05-01", ""},
			[]string{"doc:昆科字〔2023〕53号"}, "昆山市科技创新政策", nil},
		{"no 文号: title", []string{"张浦镇人才政策", "", "张浦镇", "区镇级", "", "人才", "", ""}, []string{"title:张浦镇人才政策"}, "张浦镇人才政策", nil},
		{"bad date", []string{"某政策", "", "某局", "省级", "", "", "2023-02-30", ""}, nil, "", []string{"issued_on"}},
	} {
		batchtest.CheckKeys(t, p, env, c.name, c.cells, c.keys, c.similar, c.bad)
	}
	c, _ := p.Parse(batchtest.Row(env, "昆山市科技创新政策", "昆科字〔2023〕53号", "昆山市科技局", "市", "现行有效", "科技创新、人才", "2023-05-01", ""))
	rec, _, err := p.Build(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	pol := rec.(*Policy)
	if pol.Level != "市级" || pol.Status != StatusValid || !slices.Equal(pol.Categories, []string{"科技创新政策", "人才政策"}) || pol.Unit != "zs-zp" {
		t.Errorf("built %+v", pol)
	}
	stored := &Policy{Meta: core.Meta{ID: "p1"}, Title: "昆山市科技创新政策", DocNo: "昆科字〔2023〕53号", Level: "市级", Unit: "kjj",
		Status: StatusValid, Issuer: "昆山市科技局"}
	if keys, unit, _, _ := p.Keys(stored); !slices.Equal(keys, []string{"doc:昆科字〔2023〕53号", "title:昆山市科技创新政策"}) || unit != "kjj" {
		t.Errorf("stored keys %q %s", keys, unit)
	}
	// A policy of a unit outside the writer's scope is not overwritten.
	if _, _, err := p.Build(c, stored); !batchtest.IsField(err, "unit", "无权修改") {
		t.Errorf("update of kjj's policy by a 张浦 manager: %v", err)
	}
	mine := *stored
	mine.Unit, mine.Clauses = "zs-zp", []Clause{{No: "1", Title: "奖励"}}
	c, _ = p.Parse(batchtest.Row(env, "昆山市科技创新政策", "昆科字〔2023〕53号", "昆山市科技局", "市级", "有效", "", "2023-05-01", "2025-12-31"))
	rec, same, err := p.Build(c, &mine)
	if err != nil || same {
		t.Fatalf("update: same=%v err=%v", same, err)
	}
	if got := rec.(*Policy); len(got.Clauses) != 1 || got.Categories != nil || got.EffectiveTo.String() != "2025-12-31" ||
		got.IssuedOn != core.NewDate(2023, 5, 1) {
		t.Errorf("updated %+v", got)
	}
}

func TestFieldsRegistered(t *testing.T) {
	batchtest.CheckFields(t, "policies", LedgerFields)
}
