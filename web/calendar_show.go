package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// calendarPage is the data of a year of the holiday calendar.
type calendarPage struct {
	Year     int
	Days     []dxtrack.CalendarDay
	Kinds    []dxtrack.DayKind
	CanAdmin bool
	Form     *form
}

// showCalendar lists a year's exceptions to the working week (?year=):
// public holidays, days off in exchange and make-up working days, which
// report deadlines count over.
func (s *Server) showCalendar(w http.ResponseWriter, r *http.Request) {
	year := s.Now().Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 1945 && y <= 2200 {
		year = y
	}
	v := url.Values{}
	v.Set("kind", string(dxtrack.DayOff))
	s.renderCalendar(w, r, http.StatusOK, year, newForm(v))
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, status, year int, f *form) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	cal, err := s.Calendar.Calendar(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := dxtrack.UserFromContext(ctx)
	s.render(w, r, status, "calendar", p.T("page.calendar.title", map[string]any{"Year": strconv.Itoa(year)}), calendarPage{
		Year: year, Days: cal.Holidays(year), Kinds: []dxtrack.DayKind{dxtrack.DayOff, dxtrack.DayWorking},
		CanAdmin: u != nil && u.Role == dxtrack.RoleAdmin, Form: f,
	})
}
