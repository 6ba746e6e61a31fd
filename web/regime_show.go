package web

import (
	"net/http"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// periodInfo is a period with its data window and deadline, as the
// regime's page states them.
type periodInfo struct {
	Period   dxtrack.Period
	Name     string
	From, To time.Time
	Deadline time.Time
}

func newPeriodInfo(p *locale.Printer, rg *dxtrack.Regime, cal *dxtrack.Calendar, pd dxtrack.Period) periodInfo {
	from, to := pd.Window()
	return periodInfo{Period: pd, Name: periodName(p, pd), From: from, To: to, Deadline: dxtrack.Deadline(cal, pd, rg.DeadlineDays)}
}

// regimeItem is an item of the data form with its indicator.
type regimeItem struct {
	dxtrack.FormItem
	Indicator *dxtrack.Indicator
}

// regimePage is the data of a regime's page: the elements Decree
// 09/2019/NĐ-CP asks a regime to state.
type regimePage struct {
	R          *dxtrack.Regime
	Scope      *dxtrack.Unit
	Owner      *dxtrack.Unit
	Final      *dxtrack.Unit
	Listed     []*dxtrack.Unit // units named one by one
	Reporting  []*dxtrack.Unit // every unit that reports, today
	Levels     []*dxtrack.Unit
	Current    periodInfo
	Next       periodInfo
	Items      []regimeItem
	OutlierPct string
	CanAdmin   bool
}

// showRegime shows a regime: content, reporting and receiving units,
// frequency, the data window and deadline of the current and next
// periods, outline, data form, rules and sections.
func (s *Server) showRegime(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rg, err := s.Regimes.FindRegimeByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cal, err := s.Calendar.Calendar(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := &regimePage{R: rg}
	if data.Reporting, err = s.Regimes.ReportingUnits(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.unitsByID(ctx, append([]int64{rg.ScopeUnitID, rg.OwnerUnitID, rg.FinalUnitID}, rg.UnitIDs...)...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Scope, data.Owner, data.Final = units[rg.ScopeUnitID], units[rg.OwnerUnitID], units[rg.FinalUnitID]
	for _, uid := range rg.UnitIDs {
		if u := units[uid]; u != nil {
			data.Listed = append(data.Listed, u)
		}
	}
	for _, uid := range rg.Levels() {
		if u := units[uid]; u != nil {
			data.Levels = append(data.Levels, u)
		}
	}
	due := duePeriod(rg, cal, s.Now())
	data.Current, data.Next = newPeriodInfo(p, rg, cal, due), newPeriodInfo(p, rg, cal, due.Next())
	byID, _, err := s.indicatorMaps(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, it := range rg.Items {
		data.Items = append(data.Items, regimeItem{FormItem: it, Indicator: byID[it.IndicatorID]})
	}
	if rg.OutlierShare > 0 {
		data.OutlierPct = p.Decimal(rg.OutlierShare*100, 1) + "%"
	}
	u := dxtrack.UserFromContext(ctx)
	data.CanAdmin = u.Role == dxtrack.RoleAdmin && !u.Disabled
	s.render(w, r, http.StatusOK, "regime_show", rg.Code+" · "+rg.Name(p.Lang()), data)
}
