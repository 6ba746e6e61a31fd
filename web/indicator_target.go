package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/locale"
)

// assessedTarget is an indicator target with where it stands and why, in
// words.
type assessedTarget struct {
	*dxtrack.IndicatorTarget
	A   dxtrack.Assessment
	Why string
}

// observations are the unit's yearly figures of the indicator after the
// target's baseline year up to its year (or this year), each dated at its
// year's end, or today for the running year.
func (s *Server) observations(in *dxtrack.Indicator, t *dxtrack.IndicatorTarget) ([]dxtrack.Observation, error) {
	now := s.Now()
	last := min(t.Year, now.Year())
	if last <= t.BaselineYear {
		return nil, nil
	}
	res, err := s.Analytics.Query(cube.Query{Indicators: []int64{in.ID}, UnitID: t.UnitID,
		From: dxtrack.Period{Freq: dxtrack.Yearly, Year: t.BaselineYear + 1, N: 1}, To: dxtrack.Period{Freq: dxtrack.Yearly, Year: last, N: 1},
		ByPeriod: true})
	if err != nil {
		return nil, err
	}
	var obs []dxtrack.Observation
	for k, sp := range res.Spans {
		if v, ok := res.Value(0, 0, k); ok {
			obs = append(obs, dxtrack.Observation{At: yearEnd(sp.From.Year, now), Value: v})
		}
	}
	return obs, nil
}

// assess rates a target on its trajectory from the engine's figures.
func (s *Server) assess(p *locale.Printer, in *dxtrack.Indicator, t *dxtrack.IndicatorTarget) (assessedTarget, error) {
	if s.Analytics == nil {
		return assessedTarget{}, errNoAnalytics
	}
	obs, err := s.observations(in, t)
	if err != nil {
		return assessedTarget{}, err
	}
	rule := s.Trajectory
	if rule == (dxtrack.TrajectoryRule{}) {
		rule = dxtrack.DefaultTrajectoryRule
	}
	a := dxtrack.Assess(t, in.Direction, obs, rule)
	return assessedTarget{IndicatorTarget: t, A: a, Why: p.T(a.MsgID, a.Args)}, nil
}

// currentTarget picks, of one indicator's targets at one unit, the one
// that is running: the earliest whose year is this year or later, else
// the latest.
func currentTarget(ts []*dxtrack.IndicatorTarget, year int) *dxtrack.IndicatorTarget {
	var best *dxtrack.IndicatorTarget
	for _, t := range ts {
		switch {
		case best == nil:
			best = t
		case t.Year >= year && (best.Year < year || t.Year < best.Year):
			best = t
		case t.Year < year && best.Year < year && t.Year > best.Year:
			best = t
		}
	}
	return best
}

// saveIndicatorTarget sets a target for an indicator at a unit and year
// (POST /values/targets, admins) and goes back to the value page.
func (s *Server) saveIndicatorTarget(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	sel, err := s.valueSelection(ctx, ps.str("unit"), ps.str("indicator"), "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := &dxtrack.IndicatorTarget{Year: int(ps.integer("year")), BaselineYear: int(ps.integer("baseline_year"))}
	if v := ps.decimal("baseline"); v != nil {
		t.Baseline = *v
	} else if ps.str("baseline") == "" {
		ps.probs.Add("baseline", "error.required", nil)
	}
	if v := ps.decimal("target_value"); v != nil {
		t.Value = *v
	} else if ps.str("target_value") == "" {
		ps.probs.Add("target_value", "error.required", nil)
	}
	if sel.Unit != nil {
		t.UnitID = sel.Unit.ID
	}
	if sel.Indicator != nil {
		t.IndicatorID = sel.Indicator.ID
	}
	aliases := map[string]string{"value": "target_value", "unit": "unit", "indicator": "indicator"}
	f := newForm(r.PostForm)
	if len(ps.probs) == 0 {
		err = s.IndicatorTargets.SetIndicatorTarget(ctx, t)
	} else {
		ps.merge(t.Validate())
		err = ps.probs.Err()
	}
	if err != nil {
		if f.addError(locale.For(langFrom(ctx)), err, aliases) {
			s.renderValuePage(w, r, http.StatusUnprocessableEntity, sel, nil, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, sel.URL(), http.StatusSeeOther)
}

// deleteIndicatorTarget removes a target (POST
// /values/targets/{id}/delete, admins).
func (s *Server) deleteIndicatorTarget(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.IndicatorTargets.DeleteIndicatorTarget(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.deleted")
	sel := &valueSelection{UnitCode: strings.TrimSpace(r.FormValue("unit")), IndicatorCode: strings.TrimSpace(r.FormValue("indicator"))}
	http.Redirect(w, r, sel.URL(), http.StatusSeeOther)
}

// targetsOfUnit assesses one indicator's targets at one unit, by year.
func (s *Server) targetsOfUnit(ctx context.Context, p *locale.Printer, in *dxtrack.Indicator, unitID int64) ([]assessedTarget, error) {
	ts, err := s.IndicatorTargets.FindIndicatorTargets(ctx, in.ID, unitID)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ts, func(a, b *dxtrack.IndicatorTarget) int { return cmp.Compare(a.Year, b.Year) })
	out := make([]assessedTarget, 0, len(ts))
	for _, t := range ts {
		a, err := s.assess(p, in, t)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func itoaYear(y int) string { return strconv.Itoa(y) }
