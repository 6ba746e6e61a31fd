package dxtrack

import (
	"context"
	"sort"
	"time"
)

// DayKind marks a day of the calendar that is not what its weekday says.
type DayKind string

// Day kinds.
const (
	DayOff     DayKind = "holiday" // a public holiday or a day off given in exchange
	DayWorking DayKind = "workday" // a Saturday or Sunday worked in exchange for a day off
)

// CalendarDay is an exception to the Monday–Friday working week.
type CalendarDay struct {
	Date   time.Time `json:"date"`
	Kind   DayKind   `json:"kind"`
	NameVI string    `json:"name_vi"`
	NameEN string    `json:"name_en"`
}

// Validate checks the day's own fields.
func (d *CalendarDay) Validate() error {
	var p Problems
	if d.Date.IsZero() {
		p.Add("date", "error.required", nil)
	}
	if d.Kind != DayOff && d.Kind != DayWorking {
		p.Add("kind", "error.unknown_value", map[string]any{"Value": string(d.Kind)})
	}
	if d.NameVI == "" {
		p.Add("name_vi", "error.required", nil)
	}
	return p.Err()
}

// Calendar tells working days: Monday to Friday, less holidays, plus the
// weekend days worked in exchange.
type Calendar struct {
	days map[time.Time]CalendarDay
}

// NewCalendar returns a calendar with the given exceptions.
func NewCalendar(days []CalendarDay) *Calendar {
	c := &Calendar{days: make(map[time.Time]CalendarDay, len(days))}
	for _, d := range days {
		d.Date = Day(d.Date)
		c.days[d.Date] = d
	}
	return c
}

// IsWorkingDay reports whether civil servants work on day d.
func (c *Calendar) IsWorkingDay(d time.Time) bool {
	d = Day(d)
	if x, ok := c.days[d]; ok {
		return x.Kind == DayWorking
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the n-th working day after day d (n ≥ 1), or d
// itself for n ≤ 0.
func (c *Calendar) AddWorkingDays(d time.Time, n int) time.Time {
	d = Day(d)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// Holidays returns the exceptions of a year in date order.
func (c *Calendar) Holidays(year int) []CalendarDay {
	var out []CalendarDay
	for _, d := range c.days {
		if d.Date.Year() == year {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// Deadline is the last day to submit the report of a period under a
// regime: the given number of working days after the data window closes.
func Deadline(c *Calendar, p Period, workingDays int) time.Time {
	_, to := p.Window()
	return c.AddWorkingDays(to, workingDays)
}

// DefaultCalendarDays are Vietnam's public holidays for civil servants
// (Labour Code 2019, art. 112) with the days off and make-up working days
// announced for the year where known, otherwise the statutory days with a
// holiday on a weekend moved to the next working day. Admins edit
// them per year; these only seed a new store.
func DefaultCalendarDays() []CalendarDay {
	type h struct {
		date   string
		kind   DayKind
		vi, en string
	}
	const (
		newYear = "Tết Dương lịch"
		tet     = "Tết Nguyên đán"
		hung    = "Giỗ Tổ Hùng Vương"
		reunif  = "Ngày Chiến thắng 30/4"
		labour  = "Ngày Quốc tế Lao động"
		natl    = "Quốc khánh 2/9"
		swapped = "Nghỉ bù"
		makeup  = "Làm bù"
	)
	list := []h{
		// 2025, with the 30/4 swap (work Saturday 26/4, off Friday 2/5).
		{"2025-01-01", DayOff, newYear, "New Year's Day"},
		{"2025-01-25", DayOff, tet, "Lunar New Year"}, {"2025-01-26", DayOff, tet, "Lunar New Year"},
		{"2025-01-27", DayOff, tet, "Lunar New Year"}, {"2025-01-28", DayOff, tet, "Lunar New Year"},
		{"2025-01-29", DayOff, tet, "Lunar New Year"}, {"2025-01-30", DayOff, tet, "Lunar New Year"},
		{"2025-01-31", DayOff, tet, "Lunar New Year"}, {"2025-02-01", DayOff, tet, "Lunar New Year"},
		{"2025-02-02", DayOff, tet, "Lunar New Year"},
		{"2025-04-07", DayOff, hung, "Hung Kings' Commemoration"},
		{"2025-04-26", DayWorking, makeup, "Make-up working day"},
		{"2025-04-30", DayOff, reunif, "Reunification Day"}, {"2025-05-01", DayOff, labour, "Labour Day"},
		{"2025-05-02", DayOff, swapped, "Day off in exchange"},
		{"2025-09-01", DayOff, natl, "National Day"}, {"2025-09-02", DayOff, natl, "National Day"},
		// 2026: Tết 14–22 February.
		{"2026-01-01", DayOff, newYear, "New Year's Day"},
		{"2026-02-14", DayOff, tet, "Lunar New Year"}, {"2026-02-15", DayOff, tet, "Lunar New Year"},
		{"2026-02-16", DayOff, tet, "Lunar New Year"}, {"2026-02-17", DayOff, tet, "Lunar New Year"},
		{"2026-02-18", DayOff, tet, "Lunar New Year"}, {"2026-02-19", DayOff, tet, "Lunar New Year"},
		{"2026-02-20", DayOff, tet, "Lunar New Year"}, {"2026-02-21", DayOff, tet, "Lunar New Year"},
		{"2026-02-22", DayOff, tet, "Lunar New Year"},
		{"2026-04-27", DayOff, hung, "Hung Kings' Commemoration (in lieu of Sunday 26 April)"},
		{"2026-04-30", DayOff, reunif, "Reunification Day"}, {"2026-05-01", DayOff, labour, "Labour Day"},
		{"2026-09-01", DayOff, natl, "National Day"}, {"2026-09-02", DayOff, natl, "National Day"},
		// 2027: statutory days; Tết around 6 February (1st of the lunar year).
		{"2027-01-01", DayOff, newYear, "New Year's Day"},
		{"2027-02-05", DayOff, tet, "Lunar New Year"}, {"2027-02-08", DayOff, tet, "Lunar New Year"},
		{"2027-02-09", DayOff, tet, "Lunar New Year"}, {"2027-02-10", DayOff, tet, "Lunar New Year"},
		{"2027-02-11", DayOff, tet, "Lunar New Year"},
		{"2027-04-16", DayOff, hung, "Hung Kings' Commemoration"},
		{"2027-04-30", DayOff, reunif, "Reunification Day"}, {"2027-05-03", DayOff, labour, "Labour Day (in lieu of Saturday 1 May)"},
		{"2027-09-02", DayOff, natl, "National Day"}, {"2027-09-03", DayOff, natl, "National Day"},
	}
	out := make([]CalendarDay, len(list))
	for i, x := range list {
		out[i] = CalendarDay{Date: MustDate(x.date), Kind: x.kind, NameVI: x.vi, NameEN: x.en}
	}
	return out
}

// CalendarService keeps the holiday calendar. Reading needs a signed-in
// user; changing it is for admins.
type CalendarService interface {
	// Calendar returns the whole calendar.
	Calendar(ctx context.Context) (*Calendar, error)
	// SetCalendarDay adds or replaces the exception on d.Date.
	SetCalendarDay(ctx context.Context, d CalendarDay) error
	// DeleteCalendarDay removes the exception on a date.
	DeleteCalendarDay(ctx context.Context, date time.Time) error
}
