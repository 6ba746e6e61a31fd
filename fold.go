package dxtrack

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold reduces Vietnamese text to a search key: lower case, tone marks and
// other diacritics removed, đ as d, runs of space as one. "Hòa Bình",
// "Hoà Bình" and "hoa binh" all fold to "hoa binh".
func Fold(s string) string {
	var b strings.Builder
	space := true // drops leading space
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), " ")
}

// MatchFolded reports whether every word of the query occurs in the folded
// text. Stores use the same rule in SQL over a folded column.
func MatchFolded(folded, query string) bool {
	for _, w := range strings.Fields(Fold(query)) {
		if !strings.Contains(folded, w) {
			return false
		}
	}
	return true
}
