package cells

// creditCharset is the GB 32100-2015 code set: the digits and the upper-case
// letters without I, O, S, V and Z. A character's value is its index here.
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are 3^i mod 31 for positions 1..17.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditValues maps a byte to its value in creditCharset, -1 when outside it.
var creditValues = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(creditCharset); i++ {
		v[creditCharset[i]] = int8(i)
	}
	return v
}()

// CreditCodeCheckChar returns the 18th character of a 统一社会信用代码 whose
// first 17 characters are given (GB 32100-2015: weighted sum mod 31).
// ok is false when first17 is not 17 characters of the code set.
func CreditCodeCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := creditValues[first17[i]]
		if v < 0 {
			return 0, false
		}
		sum += int(v) * creditWeights[i]
	}
	return creditCharset[(31-sum%31)%31], true
}

// ValidCreditCode reports whether s is a well-formed 统一社会信用代码: 18
// characters of the code set (upper case, no I O S V Z) whose last character
// is the check character of the first 17. Callers trim and upper-case user
// input first; s itself is taken as is.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := CreditCodeCheckChar(s[:17])
	return ok && s[17] == c
}
