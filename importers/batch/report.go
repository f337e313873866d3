package batch

import "zhaoshang/importers/header"

// Actions of a row in a report.
const (
	ActCreate    = "create"
	ActUpdate    = "update"
	ActUnchanged = "unchanged"
	ActReview    = "review"   // likely duplicate or changed since export: written only when confirmed
	ActReject    = "rejected" // invalid: never written
)

// ActionLabels are the Chinese names of the actions.
var ActionLabels = map[string]string{ActCreate: "新建", ActUpdate: "更新", ActUnchanged: "未变",
	ActReview: "待确认", ActReject: "拒绝"}

// Error is one rejected or review row of the report.
type Error struct {
	Row     int    `bson:"row" json:"row"`       // 1-based row number as the spreadsheet shows it
	Column  string `bson:"column" json:"column"` // header label as written in the file ("" when about the whole row)
	Value   string `bson:"value" json:"value"`
	Message string `bson:"message" json:"message"`
	// ID is the existing record a review row resembles or would update.
	ID string `bson:"id,omitempty" json:"id,omitempty"`
}

// Outcome is what happens (or happened) to one data row.
type Outcome struct {
	Row     int    `json:"row"`
	Action  string `json:"action"`
	ID      string `json:"id,omitempty"`
	Name    string `json:"name"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message,omitempty"`
}

// Report is the outcome of a preview or a commit: the `zhaoshang import
// --json` contract of ARCHITECTURE.md plus the review list.
type Report struct {
	File      string  `bson:"file" json:"file"`
	Kind      string  `bson:"kind" json:"kind"`
	DryRun    bool    `bson:"dry_run" json:"dry_run"`
	Sheet     string  `bson:"sheet,omitempty" json:"sheet,omitempty"`
	HeaderRow int     `bson:"header_row" json:"header_row"`
	Rows      int     `bson:"rows" json:"rows"` // data rows below the header, skipped ones included
	Created   int     `bson:"created" json:"created"`
	Updated   int     `bson:"updated" json:"updated"`
	Unchanged int     `bson:"unchanged" json:"unchanged"`
	Skipped   int     `bson:"skipped" json:"skipped"` // blank and 合计/小计 rows
	Rejected  int     `bson:"rejected" json:"rejected"`
	Review    int     `bson:"review" json:"review"`
	BatchID   string  `bson:"batch_id" json:"batch_id"`
	Errors    []Error `bson:"errors" json:"errors"`
	Reviews   []Error `bson:"reviews" json:"review_rows"`
	// SkippedSheets are instruction or empty sheets before the data sheet.
	SkippedSheets []string `bson:"skipped_sheets,omitempty" json:"skipped_sheets,omitempty"`
	// Outcomes lists the first MaxOutcomes rows (preview page).
	Outcomes []Outcome `bson:"-" json:"-"`
	// Header is the header as used (detected, then the mapping applied),
	// also when the run stopped at a missing column (preview page).
	Header header.Result `bson:"-" json:"-"`
	// Truncated is set when Errors/Reviews hold only the first MaxErrors.
	Truncated bool `bson:"truncated,omitempty" json:"truncated,omitempty"`
}

// Limits of what a report keeps in memory (counts are always complete).
const (
	MaxOutcomes = 2000
	MaxErrors   = 5000
)

// Problems is Rejected + Review: rows that were not written.
func (r *Report) Problems() int { return r.Rejected + r.Review }

func (r *Report) outcome(o Outcome) {
	if len(r.Outcomes) < MaxOutcomes {
		r.Outcomes = append(r.Outcomes, o)
	}
}

func (r *Report) reject(es ...Error) {
	for _, e := range es {
		if len(r.Errors) >= MaxErrors {
			r.Truncated = true
			return
		}
		r.Errors = append(r.Errors, e)
	}
}

func (r *Report) review(e Error) {
	if len(r.Reviews) >= MaxErrors {
		r.Truncated = true
		return
	}
	r.Reviews = append(r.Reviews, e)
}
