package core

// Page is one page of a list with the total over all matches: the one
// result shape of every list (API answers {"items","total"}).
type Page[T any] struct {
	Items []T
	Total int
}

// Paging of lists: 20 a page unless asked, at most 200, and no deeper than
// the 100,000th match (the engines' window).
const (
	DefaultPerPage = 20
	MaxPerPage     = 200
	MaxWindow      = 100000
)

// CheckPaging is the one list parameter check: it defaults page (1) and
// perPage (DefaultPerPage) and refuses a page size over MaxPerPage or a
// page past MaxWindow matches, naming the parameter.
func CheckPaging(page, perPage *int) error {
	*page = max(*page, 1)
	if *perPage <= 0 {
		*perPage = DefaultPerPage
	}
	if *perPage > MaxPerPage {
		return Invalid("per_page", "每页最多 %d 条", MaxPerPage)
	}
	if *page**perPage > MaxWindow {
		return Invalid("page", "页码过大")
	}
	return nil
}
