package dxtrack_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestPeriodKeys(t *testing.T) {
	for _, key := range []string{"2026-01", "2026-12", "2026-Q1", "2026-Q4", "2026-6M", "2026-9M", "2026"} {
		p, err := dxtrack.ParsePeriod(key)
		if err != nil {
			t.Fatalf("ParsePeriod(%q): %v", key, err)
		}
		if got := p.Key(); got != key {
			t.Errorf("ParsePeriod(%q).Key() = %q", key, got)
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-00", "2026-Q5", "2026-1", "26-01", "2026-3M", "abcd"} {
		if _, err := dxtrack.ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
	jan := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 1}
	if got := jan.Prev().Key(); got != "2025-12" {
		t.Errorf("Prev of 2026-01 = %s", got)
	}
	if got := (dxtrack.Period{Freq: dxtrack.Quarterly, Year: 2026, N: 4}).Next().Key(); got != "2027-Q1" {
		t.Errorf("Next of 2026-Q4 = %s", got)
	}
	if got := (dxtrack.Period{Freq: dxtrack.Yearly, Year: 2026, N: 1}).Prev().Key(); got != "2025" {
		t.Errorf("Prev of 2026 = %s", got)
	}
}

// The decree's cut-off rule: the 15th of the month before to the 14th.
func TestPeriodWindow(t *testing.T) {
	tests := []struct {
		key, from, to string
		days          int
	}{
		{"2026-01", "2025-12-15", "2026-01-14", 31}, // crosses the year
		{"2026-03", "2026-02-15", "2026-03-14", 28},
		{"2024-03", "2024-02-15", "2024-03-14", 29}, // leap year: 29 February inside
		{"2026-12", "2026-11-15", "2026-12-14", 30},
		{"2026-Q1", "2025-12-15", "2026-03-14", 90},
		{"2026-Q2", "2026-03-15", "2026-06-14", 92},
		{"2026-Q3", "2026-06-15", "2026-09-14", 92},
		{"2026-Q4", "2026-09-15", "2026-12-14", 91},
		{"2024-Q1", "2023-12-15", "2024-03-14", 91},
		{"2026-6M", "2025-12-15", "2026-06-14", 182},
		{"2026-9M", "2025-12-15", "2026-09-14", 274},
		{"2026", "2025-12-15", "2026-12-14", 365},
		{"2024", "2023-12-15", "2024-12-14", 366},
	}
	for _, tt := range tests {
		p, err := dxtrack.ParsePeriod(tt.key)
		if err != nil {
			t.Fatal(err)
		}
		from, to := p.Window()
		if dxtrack.FormatDate(from) != tt.from || dxtrack.FormatDate(to) != tt.to {
			t.Errorf("%s window = %s – %s, want %s – %s", tt.key, dxtrack.FormatDate(from), dxtrack.FormatDate(to), tt.from, tt.to)
		}
		if got := int(to.Sub(from).Hours()/24) + 1; got != tt.days {
			t.Errorf("%s window has %d days, want %d", tt.key, got, tt.days)
		}
	}
	// Consecutive monthly windows tile the year without gap or overlap.
	p := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2025, N: 12}
	_, prevTo := p.Window()
	for range 14 {
		p = p.Next()
		from, to := p.Window()
		if !from.Equal(prevTo.AddDate(0, 0, 1)) {
			t.Fatalf("%s starts %s, previous ended %s", p, dxtrack.FormatDate(from), dxtrack.FormatDate(prevTo))
		}
		prevTo = to
	}
}

func TestPeriodOn(t *testing.T) {
	tests := []struct {
		freq dxtrack.Frequency
		day  string
		want string
	}{
		{dxtrack.Monthly, "2026-01-14", "2026-01"},
		{dxtrack.Monthly, "2026-01-15", "2026-02"},
		{dxtrack.Monthly, "2025-12-20", "2026-01"},
		{dxtrack.Quarterly, "2026-03-14", "2026-Q1"},
		{dxtrack.Quarterly, "2026-12-15", "2027-Q1"},
		{dxtrack.SixMonths, "2026-03-01", "2026-6M"},
		{dxtrack.SixMonths, "2026-08-01", "2027-6M"},
		{dxtrack.Yearly, "2026-12-14", "2026"},
		{dxtrack.Yearly, "2026-12-15", "2027"},
	}
	for _, tt := range tests {
		if got := dxtrack.PeriodOn(tt.freq, dxtrack.MustDate(tt.day)).Key(); got != tt.want {
			t.Errorf("PeriodOn(%s, %s) = %s, want %s", tt.freq, tt.day, got, tt.want)
		}
	}
}

// Deadlines of every 2026 period, three working days after the cut-off,
// over the default holiday calendar (Tết 14–22 February 2026).
func TestDeadlines2026(t *testing.T) {
	cal := dxtrack.NewCalendar(dxtrack.DefaultCalendarDays())
	want := map[string]string{
		"2026-01": "2026-01-19", "2026-02": "2026-02-25", "2026-03": "2026-03-18",
		"2026-04": "2026-04-17", "2026-05": "2026-05-19", "2026-06": "2026-06-17",
		"2026-07": "2026-07-17", "2026-08": "2026-08-19", "2026-09": "2026-09-17",
		"2026-10": "2026-10-19", "2026-11": "2026-11-18", "2026-12": "2026-12-17",
		"2026-Q1": "2026-03-18", "2026-Q2": "2026-06-17", "2026-Q3": "2026-09-17", "2026-Q4": "2026-12-17",
		"2026-6M": "2026-06-17", "2026-9M": "2026-09-17", "2026": "2026-12-17",
	}
	n := 0
	for _, f := range dxtrack.Frequencies {
		for _, p := range dxtrack.PeriodsOf(f, 2026) {
			n++
			if got := dxtrack.FormatDate(dxtrack.Deadline(cal, p, 3)); got != want[p.Key()] {
				t.Errorf("deadline of %s = %s, want %s", p, got, want[p.Key()])
			}
		}
	}
	if n != len(want) {
		t.Errorf("checked %d periods, want %d", n, len(want))
	}
	// Twelve working days from 14 April 2026 step over Hùng Kings' day
	// (27/4), 30/4 and 1/5.
	if got := dxtrack.FormatDate(dxtrack.Deadline(cal, dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 4}, 12)); got != "2026-05-05" {
		t.Errorf("12 working days after 14/4/2026 = %s, want 2026-05-05", got)
	}
}

func TestCalendarMakeUpDay(t *testing.T) {
	cal := dxtrack.NewCalendar(dxtrack.DefaultCalendarDays())
	// Saturday 26 April 2025 was worked in exchange for Friday 2 May.
	if !cal.IsWorkingDay(dxtrack.MustDate("2025-04-26")) || cal.IsWorkingDay(dxtrack.MustDate("2025-05-02")) {
		t.Fatal("2025 swap of 26/4 and 2/5 not honoured")
	}
	if got := dxtrack.FormatDate(cal.AddWorkingDays(dxtrack.MustDate("2025-04-25"), 1)); got != "2025-04-26" {
		t.Errorf("working day after 25/4/2025 = %s, want the make-up Saturday", got)
	}
	if got := len(cal.Holidays(2026)); got < 10 {
		t.Errorf("2026 has %d calendar exceptions", got)
	}
	edited := dxtrack.NewCalendar(append(dxtrack.DefaultCalendarDays(),
		dxtrack.CalendarDay{Date: dxtrack.MustDate("2026-01-15"), Kind: dxtrack.DayOff, NameVI: "Nghỉ bù"}))
	if got := dxtrack.FormatDate(dxtrack.Deadline(edited, dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 1}, 3)); got != "2026-01-20" {
		t.Errorf("an added day off moves the January deadline to %s, want 2026-01-20", got)
	}
}
