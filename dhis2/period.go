package dhis2

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
)

// PeriodError says why a DHIS2 period cannot be read: Kind names a DHIS2
// period type dxtrack has no periods of ("weekly", "daily", …, one of
// PeriodKinds), or is empty when the text is no DHIS2 period at all.
type PeriodError struct {
	Period string
	Kind   string
}

func (e *PeriodError) Error() string {
	if e.Kind != "" {
		return "dhis2: " + strings.ReplaceAll(e.Kind, "_", " ") + " period " + strconv.Quote(e.Period) + " has no dxtrack period"
	}
	return "dhis2: " + strconv.Quote(e.Period) + " is not a DHIS2 period"
}

var (
	reYear      = regexp.MustCompile(`^(\d{4})$`)
	reMonth     = regexp.MustCompile(`^(\d{4})(\d{2})$`)
	reQuarter   = regexp.MustCompile(`^(\d{4})Q(\d)$`)
	reSixMonths = regexp.MustCompile(`^(\d{4})S(\d)$`)
	// DHIS2 period types without a dxtrack counterpart, to name them in
	// the refusal.
	unsupported = []struct {
		re   *regexp.Regexp
		kind string
	}{
		{regexp.MustCompile(`^\d{8}$`), "daily"},
		{regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`), "daily"},
		{regexp.MustCompile(`^\d{4}(Wed|Thu|Sat|Sun)?W\d{1,2}$`), "weekly"},
		{regexp.MustCompile(`^\d{4}BiW\d{1,2}$`), "biweekly"},
		{regexp.MustCompile(`^\d{6}B$`), "bimonthly"},
		{regexp.MustCompile(`^\d{4}(April|Nov)S\d$`), "financial_half"},
		{regexp.MustCompile(`^\d{4}(April|July|Oct|Nov)$`), "financial_year"},
	}
)

// PeriodKinds are the kinds of DHIS2 period a PeriodError may name.
var PeriodKinds = []string{"daily", "weekly", "biweekly", "bimonthly", "financial_half", "financial_year", "second_half"}

// ParsePeriod reads a period in DHIS2's notation as a dxtrack period:
// "2025" (yearly), "2025S1" (the first half: dxtrack's six-month period),
// "2025Q1" (quarterly) and "202501" (monthly). dxtrack's own keys
// ("2025-01", "2025-Q1", "2025-6M") are read too. DHIS2's other period
// types, and "2025S2" (dxtrack has no second-half period), are refused
// with a *PeriodError naming the kind.
func ParsePeriod(s string) (dxtrack.Period, error) {
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	var p dxtrack.Period
	switch {
	case reYear.MatchString(s):
		p = dxtrack.Period{Freq: dxtrack.Yearly, Year: atoi(s), N: 1}
	case reMonth.MatchString(s):
		m := reMonth.FindStringSubmatch(s)
		p = dxtrack.Period{Freq: dxtrack.Monthly, Year: atoi(m[1]), N: atoi(m[2])}
	case reQuarter.MatchString(s):
		m := reQuarter.FindStringSubmatch(s)
		p = dxtrack.Period{Freq: dxtrack.Quarterly, Year: atoi(m[1]), N: atoi(m[2])}
	case reSixMonths.MatchString(s):
		m := reSixMonths.FindStringSubmatch(s)
		if m[2] == "2" {
			return p, &PeriodError{Period: s, Kind: "second_half"}
		}
		p = dxtrack.Period{Freq: dxtrack.SixMonths, Year: atoi(m[1]), N: atoi(m[2])}
	default:
		for _, u := range unsupported {
			if u.re.MatchString(s) {
				return p, &PeriodError{Period: s, Kind: u.kind}
			}
		}
		q, err := dxtrack.ParsePeriod(s)
		if err != nil {
			return p, &PeriodError{Period: s}
		}
		p = q
	}
	if !p.Valid() {
		return dxtrack.Period{}, &PeriodError{Period: s}
	}
	return p, nil
}
