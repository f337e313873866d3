package resources

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"zhaoshang/modules/core"
	"zhaoshang/search"
)

// creditCodeTaken names the enterprise that holds code (found in the
// engine by its keyword field; the unique index said it exists).
func (s *Service) creditCodeTaken(ctx context.Context, code, self string) error {
	if e, err := s.engine(); err == nil {
		res, err := e.Search(ctx, search.Query{Kinds: []string{KindEnterprises}, Scope: search.Scope{All: true},
			Filters: []search.Filter{{Field: "credit_code", Values: []string{code}}}, Limit: 2})
		if err == nil {
			for _, h := range res.Hits {
				if h.ID != self {
					unit := ""
					if len(h.Units) > 0 {
						unit = "，" + s.Vocab.Name(h.Units[0])
					}
					return core.Invalid("credit_code", "统一社会信用代码 %s 已登记为「%s」（编号 %s%s），不能重复登记", code, h.Title, h.ID, unit)
				}
			}
		}
	}
	return core.Invalid("credit_code", "统一社会信用代码 %s 已被另一家企业登记，不能重复登记", code)
}

// Duplicates returns stored records r may duplicate, in every unit: a
// talent with the same name and phone; an enterprise with a very similar
// name. Other kinds have no check.
func (s *Service) Duplicates(ctx context.Context, kind string, r Resource) ([]Candidate, error) {
	e, err := s.engine()
	if err != nil {
		return nil, err
	}
	q := search.Query{Kinds: []string{kind}, Scope: search.Scope{All: true}, Limit: 20}
	var match func(h search.Hit) bool
	detail, texts := "", []string{""}
	switch x := r.(type) {
	case *Talent:
		if x.Phone == "" {
			return nil, nil
		}
		q.Filters = []search.Filter{{Field: "phone", Values: []string{x.Phone}}}
		match = func(h search.Hit) bool { return sameName(h.Title, x.Name) }
		detail = "institution"
	case *Enterprise:
		// The engine matches every word of a text query: ask for the name's
		// core (without place and legal form) and for its first part, so
		// that names with extra or different trailing words are found too.
		cr := []rune(nameCore(x.Name))
		texts = []string{string(cr)}
		if len(cr) >= 4 {
			texts = append(texts, string(cr[:len(cr)/2+1]))
		}
		q.Limit = 10
		match = func(h search.Hit) bool { return SimilarNames(h.Title, x.Name) }
		detail = "credit_code"
	default:
		return nil, nil
	}
	var hits []search.Hit
	for _, t := range texts {
		q.Text = t
		res, err := e.Search(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("resources: duplicates: %w", err)
		}
		hits = append(hits, res.Hits...)
	}
	var out []Candidate
	seen := map[string]bool{}
	for _, h := range hits {
		if h.ID == r.GetMeta().ID || seen[h.ID] || !match(h) {
			continue
		}
		seen[h.ID] = true
		c := Candidate{ID: h.ID, Name: h.Title}
		if len(h.Units) > 0 {
			c.Unit = h.Units[0]
		}
		if d, ok := h.Fields[detail].(string); ok {
			c.Detail = d
		}
		out = append(out, c)
	}
	return out, nil
}

// uniqueViolation recognises the unique credit code index refusing a write.
func uniqueViolation(err error) bool {
	return errors.Is(err, core.ErrDuplicate) || core.IsDuplicate(err)
}

func sameName(a, b string) bool {
	return strings.Join(strings.Fields(a), "") == strings.Join(strings.Fields(b), "")
}
