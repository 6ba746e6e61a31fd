package store_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestCalendar(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		s := store.NewCalendarService(db)

		_, err := s.Calendar(t.Context())
		wantCode(t, err, dxtrack.EUNAUTHORIZED)
		c, err := s.Calendar(as(w.reporterA))
		must(t, err)
		seeded := len(c.Holidays(2025)) + len(c.Holidays(2026)) + len(c.Holidays(2027))
		if seeded != len(dxtrack.DefaultCalendarDays()) {
			t.Fatalf("seeded days = %d, want %d", seeded, len(dxtrack.DefaultCalendarDays()))
		}
		// Tết 2026 runs 14–22 February: the monthly report of February,
		// whose window closes on Saturday the 14th, is due on the fifth
		// working day after the holiday.
		feb := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 2}
		if got := dxtrack.Deadline(c, feb, 5); !got.Equal(date("2026-02-27")) {
			t.Fatalf("February 2026 deadline = %v, want 2026-02-27", got)
		}

		day := dxtrack.CalendarDay{Date: date("2026-02-27"), Kind: dxtrack.DayOff, NameVI: "Nghỉ bù"}
		wantCode(t, s.SetCalendarDay(as(w.reviewer), day), dxtrack.EFORBIDDEN)
		wantField(t, s.SetCalendarDay(as(w.admin), dxtrack.CalendarDay{Date: day.Date, Kind: "x"}), "kind", "error.unknown_value")
		must(t, s.SetCalendarDay(as(w.admin), day))
		c, err = s.Calendar(as(w.leader))
		must(t, err)
		if c.IsWorkingDay(date("2026-02-27")) {
			t.Fatal("27 February 2026 is still a working day")
		}
		if got := dxtrack.Deadline(c, feb, 5); !got.Equal(date("2026-03-02")) {
			t.Fatalf("deadline with the extra day off = %v, want 2026-03-02", got)
		}
		// Setting the day again replaces it.
		day.Kind, day.NameVI = dxtrack.DayWorking, "Làm bù"
		must(t, s.SetCalendarDay(as(w.admin), day))
		must(t, s.DeleteCalendarDay(as(w.admin), day.Date))
		wantCode(t, s.DeleteCalendarDay(as(w.admin), day.Date), dxtrack.ENOTFOUND)
		wantCode(t, s.DeleteCalendarDay(as(w.reporterA), date("2026-01-01")), dxtrack.EFORBIDDEN)
		es, err := w.audit.FindAudit(as(w.leader), "calendar", 20260227)
		must(t, err)
		if len(es) != 5 || es[0].Field != "deleted" {
			t.Fatalf("calendar audit = %s", describe(es))
		}
	})
}
