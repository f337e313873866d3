package projects

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"zhaoshang/modules/core/cells"
	"zhaoshang/search"
)

// Candidate is a stored project a new one may duplicate.
type Candidate struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Stage  string `json:"stage"`
	Reason string `json:"reason"` // 名称相近
}

// DuplicateWarning refuses a create that looks like a stored project until
// the caller confirms (Input.ConfirmDuplicate).
type DuplicateWarning struct {
	Candidates []Candidate
}

func (w *DuplicateWarning) Error() string {
	return fmt.Sprintf("可能与已登记的 %d 个项目重复，请核对后确认", len(w.Candidates))
}

// phaseNumbers are what tells apart projects whose names differ only by a
// number or a phase (某某项目一期 / 二期, 测试项目1 / 测试项目2).
var phaseNumbers = regexp.MustCompile(`[0-9]+|[一二三四五六七八九十]+期`)

// nameNoise are the place prefixes and generic endings project names are
// written with and without (昆山…, …项目, …有限公司).
var (
	namePlaces = []string{"江苏省", "江苏", "苏州市", "苏州", "昆山市", "昆山"}
	nameEnds   = []string{"项目", "股份有限公司", "有限责任公司", "有限公司", "公司"}
)

// nameCore is a project name without spaces, punctuation, a leading place
// and a generic ending.
func nameCore(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || strings.ContainsRune("()（）[]【】·", r) {
			return -1
		}
		return r
	}, s)
	for _, p := range namePlaces {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			s = s[len(p):]
			break
		}
	}
	for _, e := range nameEnds {
		if strings.HasSuffix(s, e) && len(s) > len(e) {
			s = s[:len(s)-len(e)]
			break
		}
	}
	return s
}

// SimilarNames reports whether two project names very likely name the same
// project: equal cores, one core inside the other (at least 4 characters),
// or cores sharing at least 80% of their character pairs, unless the
// numbers or phases in the names differ.
func SimilarNames(a, b string) bool {
	if !slices.Equal(phaseNumbers.FindAllString(a, -1), phaseNumbers.FindAllString(b, -1)) {
		return false
	}
	ca, cb := nameCore(a), nameCore(b)
	if ca == "" || cb == "" {
		return ca == cb
	}
	return cells.SimilarCores(ca, cb)
}

// Duplicates returns stored projects, in every unit, whose name is very
// similar to in's (found by the engine, then compared). A shared credit code
// alone is no warning: one enterprise often runs several projects (扩产,
// 新建研发中心 ...). self is the project's own id when editing.
func (s *Service) Duplicates(ctx context.Context, in Input, self string) ([]Candidate, error) {
	e := s.Engine()
	if e == nil {
		return nil, nil // a command attached to a serving process: nothing to ask
	}
	var out []Candidate
	seen := map[string]bool{self: true}
	add := func(h search.Hit, reason string) {
		if seen[h.ID] {
			return
		}
		seen[h.ID] = true
		c := Candidate{ID: h.ID, Name: h.Title, Reason: reason}
		if len(h.Units) > 0 {
			c.Unit = h.Units[0]
		}
		c.Stage, _ = h.Fields["stage"].(string)
		out = append(out, c)
	}
	q := search.Query{Kinds: []string{Kind}, Scope: search.Scope{All: true}, Limit: 10}
	// The engine matches every word of the text: ask for the whole name and
	// for its first half, so names with different endings are found too.
	name := []rune(clean(in.Name))
	texts := []string{string(name)}
	if len(name) >= 6 {
		texts = append(texts, string(name[:len(name)/2+1]))
	}
	for _, t := range texts {
		if t == "" {
			continue
		}
		q.Text = t
		res, err := e.Search(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("projects: duplicates: %w", err)
		}
		for _, h := range res.Hits {
			if SimilarNames(h.Title, in.Name) {
				add(h, "名称相近")
			}
		}
	}
	return out, nil
}
