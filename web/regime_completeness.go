package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// periodPicker is the period chooser of the completeness and table pages.
type periodPicker struct {
	Action  string
	Current dxtrack.Period
	Choices []periodChoice
}

type periodChoice struct {
	Key, Name string
}

func newPeriodPicker(p *locale.Printer, action string, rg *dxtrack.Regime, cur, due dxtrack.Period) periodPicker {
	pk := periodPicker{Action: action, Current: cur}
	seen := false
	for _, pd := range periodChoices(rg, due) {
		pk.Choices = append(pk.Choices, periodChoice{Key: pd.Key(), Name: periodName(p, pd)})
		seen = seen || pd == cur
	}
	if !seen {
		pk.Choices = append([]periodChoice{{Key: cur.Key(), Name: periodName(p, cur)}}, pk.Choices...)
	}
	return pk
}

// completenessPage is the data of a regime's completeness page.
type completenessPage struct {
	C          *dxtrack.Completeness
	PeriodName string
	Picker     periodPicker
	NotYet     []dxtrack.UnitCompleteness
	Counts     []timelinessCount
	Missing    int
}

// timelinessCount is how many units stand so, in display order.
type timelinessCount struct {
	Key dxtrack.Timeliness
	N   int
}

// showCompleteness shows who reported a regime's period on time, late or
// not at all, with the rates and the "not yet reported" list with the
// officers who answer for each report.
func (s *Server) showCompleteness(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	rg, pd, due, ok := s.regimePeriod(w, r)
	if !ok {
		return
	}
	c, err := s.Reports.Completeness(ctx, rg.ID, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := completenessPage{C: c, PeriodName: periodName(p, pd), NotYet: c.NotReported(),
		Picker: newPeriodPicker(p, "/regimes/"+itoa(rg.ID)+"/completeness", rg, pd, due), Missing: c.Counts[dxtrack.Missing]}
	for _, k := range []dxtrack.Timeliness{dxtrack.OnTime, dxtrack.Late, dxtrack.Missing, dxtrack.Pending} {
		data.Counts = append(data.Counts, timelinessCount{Key: k, N: c.Counts[k]})
	}
	s.render(w, r, http.StatusOK, "regime_completeness", p.T("page.completeness.title", map[string]any{"Name": rg.Name(p.Lang()), "Value": data.PeriodName}), data)
}

// regimePeriod reads the regime of the path and the ?period= of a page
// about one of its periods; it answers the request itself on failure.
func (s *Server) regimePeriod(w http.ResponseWriter, r *http.Request) (*dxtrack.Regime, dxtrack.Period, dxtrack.Period, bool) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, dxtrack.Period{}, dxtrack.Period{}, false
	}
	rg, err := s.Regimes.FindRegimeByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, dxtrack.Period{}, dxtrack.Period{}, false
	}
	cal, err := s.Calendar.Calendar(ctx)
	if err != nil {
		s.fail(w, r, err)
		return nil, dxtrack.Period{}, dxtrack.Period{}, false
	}
	pd, err := periodOf(r, rg, s.Now())
	if err != nil {
		s.fail(w, r, err)
		return nil, dxtrack.Period{}, dxtrack.Period{}, false
	}
	return rg, pd, duePeriod(rg, cal, s.Now()), true
}
