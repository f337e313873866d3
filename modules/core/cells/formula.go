package cells

import "strings"

// SafeCell neutralises spreadsheet formula injection in text written to a
// workbook: text starting with = + - @, a tab or a carriage return gets a
// leading single quote, so that no spreadsheet application evaluates it.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// RestoreCell undoes SafeCell for an importer reading an exported ledger
// back: "'=x" becomes "=x" (kept as text, never evaluated), so that an
// export and re-import leaves the value unchanged.
func RestoreCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}
