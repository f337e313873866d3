package resources

import "zhaoshang/modules/core/cells"

// CreditCodeCheckChar returns the 18th character of a 统一社会信用代码 whose
// first 17 characters are given (cells.CreditCodeCheckChar, GB 32100-2015).
func CreditCodeCheckChar(first17 string) (byte, bool) { return cells.CreditCodeCheckChar(first17) }

// ValidCreditCode reports whether s is a well-formed 统一社会信用代码
// (cells.ValidCreditCode: the one check of pages, API and importer).
func ValidCreditCode(s string) bool { return cells.ValidCreditCode(s) }
