package locale

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/number"

	"github.com/dxtrack/dxtrack"
)

// decimalSep is the decimal separator of the language.
func (p *Printer) decimalSep() string {
	if p.lang == "en" {
		return "."
	}
	return ","
}

// Percent formats a completion rate to one decimal, rounded half away from
// zero by the domain: "40,7%" in Vietnamese, "40.7%" in English; a whole
// rate drops its decimal ("80%").
func (p *Printer) Percent(c dxtrack.Completion) string {
	return p.tenths(c.Tenths()) + "%"
}

// tenths formats a number given in tenths, dropping a zero decimal.
func (p *Printer) tenths(t int) string {
	s := p.Number(int64(t / 10))
	if f := t % 10; f != 0 {
		s += p.decimalSep() + strconv.Itoa(f)
	}
	return s
}

// Completion formats a completion rate with its formula, "11/27 = 40,7%",
// or "—" when there is nothing to complete.
func (p *Printer) Completion(c dxtrack.Completion) string {
	if c.Total <= 0 {
		return "—"
	}
	return p.Number(int64(c.Done)) + "/" + p.Number(int64(c.Total)) + " = " + p.Percent(c)
}

// Number formats an integer with the language's digit grouping:
// "1.234.567" in Vietnamese, "1,234,567" in English.
func (p *Printer) Number(n int64) string {
	return p.num.Sprintf("%d", n)
}

// Decimal formats a number with at most maxDecimals decimals and no
// trailing zeros: 1234.5 gives "1.234,5" in Vietnamese.
func (p *Printer) Decimal(f float64, maxDecimals int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	// Round half away from zero first, as the domain rounds rates; the
	// formatter alone would round half to even.
	scale := math.Pow(10, float64(maxDecimals))
	if r := math.Round(f*scale) / scale; !math.IsInf(r, 0) {
		f = r
	}
	return p.num.Sprint(number.Decimal(f, number.MaxFractionDigits(maxDecimals)))
}

// Fixed formats a number with exactly decimals decimals, as indices are
// published: 0.941 with 4 gives "0,9410" in Vietnamese, "0.9410" in
// English.
func (p *Printer) Fixed(f float64, decimals int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	scale := math.Pow(10, float64(decimals))
	if r := math.Round(f*scale) / scale; !math.IsInf(r, 0) {
		f = r
	}
	return p.num.Sprint(number.Decimal(f, number.MinFractionDigits(decimals), number.MaxFractionDigits(decimals)))
}

// Date formats a calendar date: "05/02/2022" in Vietnamese, "5 Feb 2022"
// in English; the zero time gives "".
func (p *Printer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if p.lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// DateTime formats an instant in Vietnam's time zone (UTC+7), as audit
// trails and tokens show it.
func (p *Printer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(vietnam)
	return p.Date(t) + " " + t.Format("15:04")
}

var vietnam = time.FixedZone("ICT", 7*3600)

// VND formats an amount of Vietnamese đồng in full with the đồng sign:
// "148.000.000.000 ₫" in Vietnamese, "148,000,000,000 ₫" in English.
func (p *Printer) VND(n int64) string {
	return p.Number(n) + " ₫"
}

// ErrNotANumber is returned by ParseDecimal for text that is not a number.
var ErrNotANumber = errors.New("locale: not a number")

// ParseDecimal reads a number typed by a user. Both "12,5" (Vietnamese)
// and "12.5" read as 12.5. Digit grouping is understood when it is
// unambiguous: with both separators the last one is the decimal mark
// ("1.234,5", "1,234.5"); a separator that occurs more than once groups
// digits ("1.234.567"); a single separator followed by exactly three digits
// groups them when it is the language's grouping mark ("1.500" is 1500 in
// Vietnamese, "1,500" is 1500 in English); otherwise a single separator is
// the decimal mark. Spaces are ignored.
func (p *Printer) ParseDecimal(s string) (float64, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\t':
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, ErrNotANumber
	}
	sign := ""
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, s = "-", rest
	} else if rest, ok := strings.CutPrefix(s, "\u2212"); ok {
		sign, s = "-", rest
	} else {
		s = strings.TrimPrefix(s, "+")
	}
	group := "."
	if p.lang == "en" {
		group = ","
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	var intPart, frac string
	switch {
	case dots > 0 && commas > 0:
		dec := strings.LastIndexAny(s, ".,")
		sep := s[dec : dec+1]
		if strings.Count(s, sep) > 1 {
			return 0, ErrNotANumber
		}
		intPart, frac = s[:dec], s[dec+1:]
		if frac == "" {
			return 0, ErrNotANumber
		}
		other := "."
		if sep == "." {
			other = ","
		}
		if !grouped(intPart, other) {
			return 0, ErrNotANumber
		}
		intPart = strings.ReplaceAll(intPart, other, "")
	case dots > 1 || commas > 1:
		sep := "."
		if commas > 1 {
			sep = ","
		}
		if !grouped(s, sep) {
			return 0, ErrNotANumber
		}
		intPart = strings.ReplaceAll(s, sep, "")
	case dots == 1 || commas == 1:
		sep := "."
		if commas == 1 {
			sep = ","
		}
		i := strings.Index(s, sep)
		if sep == group && grouped(s, sep) && s[0] != '0' {
			intPart = s[:i] + s[i+1:]
		} else {
			intPart, frac = s[:i], s[i+1:]
			if frac == "" {
				return 0, ErrNotANumber
			}
		}
	default:
		intPart = s
	}
	if !digits(intPart) && !(intPart == "" && frac != "") || frac != "" && !digits(frac) {
		return 0, ErrNotANumber
	}
	if intPart == "" {
		intPart = "0"
	}
	text := sign + intPart
	if frac != "" {
		text += "." + frac
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, ErrNotANumber
	}
	return f, nil
}

// grouped reports whether s is digits grouped in threes by sep, the first
// group of one to three digits.
func grouped(s, sep string) bool {
	parts := strings.Split(s, sep)
	if len(parts) < 2 || len(parts[0]) < 1 || len(parts[0]) > 3 || !digits(parts[0]) {
		return false
	}
	for _, g := range parts[1:] {
		if len(g) != 3 || !digits(g) {
			return false
		}
	}
	return true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
