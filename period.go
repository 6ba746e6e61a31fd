package dxtrack

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Frequency is how often a regime asks for a report.
type Frequency string

// Frequencies allowed by Decree 09/2019/NĐ-CP.
const (
	Monthly    Frequency = "month"
	Quarterly  Frequency = "quarter"
	SixMonths  Frequency = "6months"
	NineMonths Frequency = "9months"
	Yearly     Frequency = "year"
)

// Frequencies lists the frequencies in display order.
var Frequencies = []Frequency{Monthly, Quarterly, SixMonths, NineMonths, Yearly}

// Valid reports whether f is a known frequency.
func (f Frequency) Valid() bool {
	for _, v := range Frequencies {
		if f == v {
			return true
		}
	}
	return false
}

// PerYear is how many periods of the frequency a year has.
func (f Frequency) PerYear() int {
	switch f {
	case Monthly:
		return 12
	case Quarterly:
		return 4
	}
	return 1
}

// Period is one reporting period: a frequency, a year and the number of the
// period within the year (month 1–12, quarter 1–4, otherwise 1).
type Period struct {
	Freq Frequency `json:"freq"`
	Year int       `json:"year"`
	N    int       `json:"n"`
}

// Key is the period's stable text form: "2026-03", "2026-Q1", "2026-6M",
// "2026-9M", "2026".
func (p Period) Key() string {
	switch p.Freq {
	case Monthly:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarterly:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case SixMonths:
		return fmt.Sprintf("%04d-6M", p.Year)
	case NineMonths:
		return fmt.Sprintf("%04d-9M", p.Year)
	}
	return fmt.Sprintf("%04d", p.Year)
}

func (p Period) String() string { return p.Key() }

// ParsePeriod reads a period key as written by Key.
func ParsePeriod(key string) (Period, error) {
	bad := fmt.Errorf("dxtrack: %q is not a period (2026-03, 2026-Q1, 2026-6M, 2026-9M or 2026)", key)
	ys, rest, _ := strings.Cut(strings.TrimSpace(key), "-")
	y, err := strconv.Atoi(ys)
	if err != nil || len(ys) != 4 || y < 1945 || y > 2200 {
		return Period{}, bad
	}
	p := Period{Year: y, N: 1}
	switch {
	case rest == "":
		p.Freq = Yearly
	case rest == "6M":
		p.Freq = SixMonths
	case rest == "9M":
		p.Freq = NineMonths
	case strings.HasPrefix(rest, "Q"):
		p.Freq = Quarterly
		p.N, err = strconv.Atoi(rest[1:])
	default:
		p.Freq = Monthly
		if len(rest) != 2 {
			return Period{}, bad
		}
		p.N, err = strconv.Atoi(rest)
	}
	if err != nil || p.N < 1 || p.N > p.Freq.PerYear() {
		return Period{}, bad
	}
	return p, nil
}

// Valid reports whether the period is well formed.
func (p Period) Valid() bool {
	return p.Freq.Valid() && p.Year >= 1945 && p.Year <= 2200 && p.N >= 1 && p.N <= p.Freq.PerYear()
}

// Prev returns the period before p of the same frequency.
func (p Period) Prev() Period {
	if p.N > 1 {
		return Period{p.Freq, p.Year, p.N - 1}
	}
	return Period{p.Freq, p.Year - 1, p.Freq.PerYear()}
}

// Next returns the period after p of the same frequency.
func (p Period) Next() Period {
	if p.N < p.Freq.PerYear() {
		return Period{p.Freq, p.Year, p.N + 1}
	}
	return Period{p.Freq, p.Year + 1, 1}
}

// CutoffDay is the day of the month on which a data window starts; the
// window ends the day before it (Decree 09/2019/NĐ-CP, art. 12: from the
// 15th of the month before to the 14th of the reporting month).
const CutoffDay = 15

// Window returns the first and last day (inclusive) of the data the
// period's report covers, by the decree's cut-off rule: a month covers the
// 15th of the previous month to the 14th; a quarter from the 15th of the
// month before it to the 14th of its last month; six months 15 Dec–14 Jun;
// nine months 15 Dec–14 Sep; a year 15 Dec–14 Dec.
func (p Period) Window() (from, to time.Time) {
	var firstMonth, lastMonth int // months of the year, may be 0 for December before
	switch p.Freq {
	case Monthly:
		firstMonth, lastMonth = p.N-1, p.N
	case Quarterly:
		firstMonth, lastMonth = 3*(p.N-1), 3*p.N
	case SixMonths:
		firstMonth, lastMonth = 0, 6
	case NineMonths:
		firstMonth, lastMonth = 0, 9
	default:
		firstMonth, lastMonth = 0, 12
	}
	// time.Date normalises month 0 to December of the year before.
	from = time.Date(p.Year, time.Month(firstMonth), CutoffDay, 0, 0, 0, 0, time.UTC)
	to = time.Date(p.Year, time.Month(lastMonth), CutoffDay-1, 0, 0, 0, 0, time.UTC)
	return from, to
}

// PeriodsOf lists the periods of a frequency in a year.
func PeriodsOf(f Frequency, year int) []Period {
	out := make([]Period, f.PerYear())
	for i := range out {
		out[i] = Period{f, year, i + 1}
	}
	return out
}

// PeriodOn returns the period of frequency f whose data window holds day d.
func PeriodOn(f Frequency, d time.Time) Period {
	d = Day(d)
	for _, y := range []int{d.Year(), d.Year() + 1} {
		for _, p := range PeriodsOf(f, y) {
			if from, to := p.Window(); !d.Before(from) && !d.After(to) {
				return p
			}
		}
	}
	// Six and nine months leave part of the year uncovered: the next one.
	for _, p := range PeriodsOf(f, d.Year()+1) {
		return p
	}
	return Period{}
}
