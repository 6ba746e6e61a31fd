package web

import (
	"net/http"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// regimeRow is a regime as the list shows it: its owner and the period
// due now with its deadline.
type regimeRow struct {
	*dxtrack.Regime
	Owner    *dxtrack.Unit
	Due      dxtrack.Period
	DueName  string
	Deadline time.Time
}

// regimeListPage is the data of the regime list.
type regimeListPage struct {
	Regimes  []regimeRow
	CanAdmin bool
}

// listRegimes lists the reporting regimes; everyone signed in may read
// them, admins set them up.
func (s *Server) listRegimes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	rgs, err := s.Regimes.FindRegimes(ctx, dxtrack.RegimeFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cal, err := s.Calendar.Calendar(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids := make([]int64, 0, len(rgs))
	for _, rg := range rgs {
		ids = append(ids, rg.OwnerUnitID)
	}
	units, err := s.unitsByID(ctx, ids...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.Now()
	data := regimeListPage{}
	for _, rg := range rgs {
		due := duePeriod(rg, cal, now)
		data.Regimes = append(data.Regimes, regimeRow{Regime: rg, Owner: units[rg.OwnerUnitID], Due: due,
			DueName: periodName(p, due), Deadline: dxtrack.Deadline(cal, due, rg.DeadlineDays)})
	}
	u := dxtrack.UserFromContext(ctx)
	data.CanAdmin = u.Role == dxtrack.RoleAdmin && !u.Disabled
	s.render(w, r, http.StatusOK, "regime_list", p.T("page.regimes.title", nil), data)
}
