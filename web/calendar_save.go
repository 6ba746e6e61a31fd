package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// saveCalendarDay adds or replaces an exception of the holiday calendar.
func (s *Server) saveCalendarDay(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	d := dxtrack.CalendarDay{
		Date:   ps.date("date"),
		Kind:   dxtrack.DayKind(ps.str("kind")),
		NameVI: ps.str("name_vi"),
		NameEN: ps.str("name_en"),
	}
	year := s.Now().Year()
	if !d.Date.IsZero() {
		year = d.Date.Year()
	}
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		ps.merge(d.Validate())
		f.addError(p, ps.probs.Err(), nil)
		s.renderCalendar(w, r, http.StatusUnprocessableEntity, year, f)
		return
	}
	if err := s.Calendar.SetCalendarDay(ctx, d); err != nil {
		if f.addError(p, err, nil) {
			s.renderCalendar(w, r, http.StatusUnprocessableEntity, year, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/calendar?year="+strconv.Itoa(year), http.StatusSeeOther)
}

// deleteCalendarDay removes the exception on /calendar/{date}/delete.
func (s *Server) deleteCalendarDay(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	d, err := dxtrack.ParseDate(r.PathValue("date"))
	if err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
		return
	}
	if err := s.Calendar.DeleteCalendarDay(r.Context(), d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.deleted")
	http.Redirect(w, r, "/calendar?year="+strconv.Itoa(d.Year()), http.StatusSeeOther)
}
