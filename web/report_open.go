package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
)

// openReport opens (creating it prefilled if need be) a unit's report for
// a period of a regime, from the regime, unit and period posted, and goes
// to it.
func (s *Server) openReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	regime, unit := ps.id("regime"), ps.id("unit")
	pd, err := dxtrack.ParsePeriod(ps.str("period"))
	if err != nil || regime == 0 || unit == 0 || len(ps.probs) > 0 {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	rep, err := s.Reports.OpenReport(ctx, regime, unit, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports/"+strconv.FormatInt(rep.ID, 10), http.StatusSeeOther)
}
