package projects

import (
	"fmt"
	"strings"
	"unicode"

	"zhaoshang/modules/core/cells"
)

// FormatContacts writes contacts as one cell (the 其他联系人 column of
// ledgers and exports), "姓名 电话；姓名 电话", the phone left out when
// there is none; ParseContacts reads it back.
func FormatContacts(cs []Contact) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = strings.TrimSpace(c.Name + " " + c.Phone)
	}
	return strings.Join(parts, "；")
}

// ParseContacts reads a cell of contacts: entries separated by "；", ";" or
// new lines, each a name followed by an optional phone (cells.NormalizePhone,
// then cells.ValidPhone or cells.LocalPhone). Full-width characters and extra spaces are
// accepted; blank entries are skipped. An entry without a name or with a
// phone that is no mainland number is an error naming the entry.
func ParseContacts(s string) ([]Contact, error) {
	var out []Contact
	for _, e := range strings.FieldsFunc(cells.Fold(s), func(r rune) bool { return r == ';' || r == '\n' || r == '\r' }) {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		c, err := parseContact(e)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// parseContact reads one "姓名 电话" entry; the phone starts at the first
// space, digit, "+" or "(".
func parseContact(e string) (Contact, error) {
	name, phone := e, ""
	if i := strings.IndexFunc(e, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsDigit(r) || r == '+' || r == '(' }); i >= 0 {
		name, phone = e[:i], strings.TrimSpace(e[i:])
	}
	if name == "" {
		return Contact{}, fmt.Errorf("“%s”缺少联系人姓名（格式：姓名 电话；姓名 电话）", e)
	}
	if phone == "" {
		return Contact{Name: name}, nil
	}
	p, err := ContactPhone(phone)
	if err != nil {
		return Contact{}, fmt.Errorf("%s 的%v", name, err)
	}
	return Contact{Name: name, Phone: p}, nil
}

// ContactPhone normalises a contact's phone (cells.NormalizePhone) and
// checks it is a mainland mobile, a landline with its area code or a local
// 7–8 digit number; "" stays "".
func ContactPhone(s string) (string, error) {
	p := cells.NormalizePhone(strings.TrimSpace(s))
	if p == "" || cells.ValidPhone(p) || cells.LocalPhone(p) {
		return p, nil
	}
	return "", fmt.Errorf("电话“%s”不是有效号码（手机 11 位，座机 7–8 位或带区号）", strings.TrimSpace(s))
}
