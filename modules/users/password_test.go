package users

import (
	"testing"

	"zhaoshang/modules/core"
)

func TestPasswordPolicy(t *testing.T) {
	for _, c := range []struct {
		pw string
		ok bool
	}{
		{"", false}, {"short1", false}, {"abcdefgh", false}, {"12345678", false},
		{"abcdefg1", true}, {"Demo@2025", true}, {"密码密码密码密码1", true},
		{string(make([]byte, 129)), false},
	} {
		if err := CheckPolicy(c.pw); (err == nil) != c.ok {
			t.Errorf("CheckPolicy(%q) = %v, want ok=%v", c.pw, err, c.ok)
		}
	}
	if err := CheckPolicy(GeneratePassword()); err != nil {
		t.Errorf("generated password fails policy: %v", err)
	}
}

func TestHashAndCheck(t *testing.T) {
	h, err := HashPassword("Right-pass-1")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword("Right-pass-1")
	if h == h2 {
		t.Error("hashes not salted")
	}
	for _, c := range []struct {
		enc, pw string
		ok      bool
	}{
		{h, "Right-pass-1", true}, {h, "right-pass-1", false}, {h, "", false},
		{"", "x", false}, {"$argon2id$v=19$m=1,t=1,p=1$$", "x", false}, {"$bcrypt$junk", "x", false},
	} {
		if got := CheckPassword(c.enc, c.pw); got != c.ok {
			t.Errorf("CheckPassword(%.20q, %q) = %v", c.enc, c.pw, got)
		}
	}
}

func TestNewUserValidate(t *testing.T) {
	tree := fakeTree{"kfq": true, "gxq": true}
	for _, c := range []struct {
		n     NewUser
		field string
	}{
		{NewUser{Username: "kfq_li", Role: RoleOfficer, Units: []string{"kfq"}}, ""},
		{NewUser{Username: " KFQ_Li ", Role: RoleOfficer, Units: []string{"kfq"}}, ""},
		{NewUser{Username: "admin2", Role: RoleAdmin}, ""},
		{NewUser{Username: "1abc", Role: RoleOfficer, Units: []string{"kfq"}}, "username"},
		{NewUser{Username: "a.b", Role: RoleOfficer, Units: []string{"kfq"}}, "username"},
		{NewUser{Username: "abc", Role: "boss", Units: []string{"kfq"}}, "role"},
		{NewUser{Username: "abc", Role: RoleOfficer}, "units"},
		{NewUser{Username: "abc", Role: RoleField, Units: []string{"kfq", "gxq"}}, "units"},
		{NewUser{Username: "abc", Role: RoleOfficer, Units: []string{"mars"}}, "units"},
		{NewUser{Username: "abc", Role: RoleOfficer, Units: []string{"kfq"}, Password: "weak"}, "password"},
	} {
		err := c.n.Validate(tree)
		if c.field == "" && err != nil {
			t.Errorf("%+v: %v", c.n, err)
		}
		if c.field != "" {
			fe, ok := asField(err)
			if !ok || fe != c.field {
				t.Errorf("%+v: got %v, want field %s", c.n, err, c.field)
			}
		}
	}
}

type fakeTree map[string]bool

func (f fakeTree) Subtree(ids []string) []string { return ids }
func (f fakeTree) HasUnit(id string) bool        { return f[id] }

func asField(err error) (string, bool) {
	fe, ok := core.AsFieldError(err)
	if !ok {
		return "", false
	}
	return fe.Field, true
}
