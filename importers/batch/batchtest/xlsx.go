package batchtest

import (
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// XLSX is a workbook whose first sheet has rows at the given 1-based row
// numbers (missing numbers are blank rows), as the bytes of its file.
func XLSX(t testing.TB, rows map[int][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for n, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", n), &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
