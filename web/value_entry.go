package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/locale"
)

// valueSelection is the unit, indicator and period the value page is
// about, as typed and as resolved (nil while unknown or not given).
type valueSelection struct {
	UnitCode, IndicatorCode, PeriodKey string
	Unit                               *dxtrack.Unit
	Indicator                          *dxtrack.Indicator
	Period                             dxtrack.Period
	HasPeriod                          bool
	Probs                              dxtrack.Problems // codes that resolve to nothing
}

// URL is the value page of the selection.
func (sel *valueSelection) URL() string {
	q := url.Values{}
	if sel.UnitCode != "" {
		q.Set("unit", sel.UnitCode)
	}
	if sel.IndicatorCode != "" {
		q.Set("indicator", sel.IndicatorCode)
	}
	if sel.HasPeriod {
		q.Set("period", sel.Period.Key())
	}
	return "/values?" + q.Encode()
}

// valueSelection resolves the codes of the value page; unknown ones are
// problems of their inputs, not failures.
func (s *Server) valueSelection(ctx context.Context, unit, indicator, period string) (*valueSelection, error) {
	sel := &valueSelection{UnitCode: strings.TrimSpace(unit), IndicatorCode: strings.ToUpper(strings.TrimSpace(indicator)),
		PeriodKey: strings.TrimSpace(period)}
	if sel.UnitCode != "" {
		u, err := s.Units.FindUnitByCode(ctx, sel.UnitCode)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			sel.Probs.Add("unit", "error.unknown_unit", map[string]any{"Code": sel.UnitCode})
		} else if err != nil {
			return nil, err
		}
		sel.Unit = u
	}
	if sel.IndicatorCode != "" {
		in, err := s.Indicators.FindIndicatorByCode(ctx, sel.IndicatorCode)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			sel.Probs.Add("indicator", "error.no_indicator", map[string]any{"Code": sel.IndicatorCode})
		} else if err != nil {
			return nil, err
		}
		sel.Indicator = in
	}
	if sel.PeriodKey != "" {
		p, err := dxtrack.ParsePeriod(sel.PeriodKey)
		if err != nil {
			sel.Probs.Add("period", "error.period", map[string]any{"Value": sel.PeriodKey})
		} else {
			sel.Period, sel.HasPeriod = p, true
		}
	}
	return sel, nil
}

// valuePage is the data of the value page.
type valuePage struct {
	Sel        *valueSelection
	PeriodName string
	Indicators []*dxtrack.Indicator
	CanWrite   bool // may set the unit's values
	CanAdmin   bool // may set the unit's targets
	Computed   bool // a formula indicator: computed, never entered
	Current    *storedRow
	Figure     string // the engine's figure at the unit for the period, its subtree included
	History    []storedRow
	Changes    []valueChange // of the value of the unit, indicator and period, newest first
	Targets    []assessedTarget
	Decimals   int
	VF, TF     *form
	Years      []int // offered for a new target
}

// storedRow is a stored value as the page lists it.
type storedRow struct {
	Period     string
	Key        string
	Value      string
	Provenance dxtrack.Provenance
	At         time.Time
	raw        float64
}

// maxHistory keeps the page short: the newest values of the series.
const maxHistory = 48

// showValues shows the value page (GET /values?unit=&indicator=&period=).
func (s *Server) showValues(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	unit := q.Get("unit")
	if unit == "" && !q.Has("unit") {
		if u := dxtrack.UserFromContext(ctx); u != nil && u.UnitID != 0 {
			if own, err := s.Units.FindUnitByID(ctx, u.UnitID); err == nil {
				unit = own.Code
			}
		}
	}
	sel, err := s.valueSelection(ctx, unit, q.Get("indicator"), q.Get("period"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderValuePage(w, r, http.StatusOK, sel, nil, nil)
}

// saveValue sets one value from the value page's form (POST /values).
func (s *Server) saveValue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	sel, err := s.valueSelection(ctx, ps.str("unit"), ps.str("indicator"), ps.str("period"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps.probs = append(ps.probs, sel.Probs...)
	for _, name := range []string{"unit", "indicator", "period", "figure"} {
		if ps.str(name) == "" {
			ps.probs.Add(name, "error.required", nil)
		}
	}
	v := ps.decimal("figure")
	f := newForm(r.PostForm)
	if len(ps.probs) == 0 {
		err = s.Values.SetValues(ctx, []dxtrack.Value{{UnitID: sel.Unit.ID, IndicatorID: sel.Indicator.ID, Period: sel.Period,
			Value: *v, Provenance: dxtrack.FromManual}}, ps.str("reason"))
	} else {
		err = ps.probs.Err()
	}
	if err != nil {
		// The store names the value "values[0]"; the form's input is "figure".
		if f.addError(p, apiRenameFields(err, map[string]string{"values[0]": "figure"}), nil) {
			s.renderValuePage(w, r, http.StatusUnprocessableEntity, sel, f, nil)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, sel.URL(), http.StatusSeeOther)
}

// renderValuePage shows the value page; vf and tf are the value and
// target forms as submitted, nil to fill them from the selection.
func (s *Server) renderValuePage(w http.ResponseWriter, r *http.Request, status int, sel *valueSelection, vf, tf *form) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	user := dxtrack.UserFromContext(ctx)
	now := s.Now()
	inds, err := s.Indicators.FindIndicators(ctx, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := valuePage{Sel: sel, Indicators: inds, VF: vf, TF: tf}
	if !sel.HasPeriod {
		sel.Period = dxtrack.Period{Freq: dxtrack.Monthly, Year: now.Year(), N: int(now.Month())}.Prev()
	}
	if sel.Unit != nil {
		path, err := s.unitPath(ctx, sel.Unit.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.CanWrite, d.CanAdmin = user.CanReport(path), user.CanAdmin(path)
	}
	if sel.Indicator != nil {
		d.Computed = sel.Indicator.Source == dxtrack.SourceFormula || sel.Indicator.Formula != ""
		d.Decimals = sel.Indicator.Decimals
	}
	if sel.Unit != nil && sel.Indicator != nil {
		vs, err := s.Values.FindValues(ctx, dxtrack.ValueFilter{IndicatorID: sel.Indicator.ID, UnitID: sel.Unit.ID})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		slices.Reverse(vs) // newest first
		for _, v := range vs {
			row := storedRow{Period: periodName(p, v.Period), Key: v.Period.Key(), Value: figure(p, sel.Indicator, v.Value),
				Provenance: v.Provenance, At: v.At, raw: v.Value}
			if v.Period == sel.Period {
				cur := row
				d.Current = &cur
			}
			if len(d.History) < maxHistory {
				d.History = append(d.History, row)
			}
		}
		if !d.Computed {
			es, err := s.Values.ValueHistory(ctx, sel.Unit.ID, sel.Indicator.ID, sel.Period)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			d.Changes = valueChanges(p, es)
		}
		if s.Analytics != nil {
			res, err := s.Analytics.Query(cube.Query{Indicators: []int64{sel.Indicator.ID}, UnitID: sel.Unit.ID,
				From: sel.Period, To: sel.Period})
			if err != nil && dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
				s.fail(w, r, err)
				return
			}
			if err == nil {
				if v, ok := res.Value(0, 0, 0); ok {
					d.Figure = figure(p, sel.Indicator, v)
				}
			}
		}
		if d.Targets, err = s.targetsOfUnit(ctx, p, sel.Indicator, sel.Unit.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if d.VF == nil {
		d.VF = newForm(url.Values{"unit": {sel.UnitCode}, "indicator": {sel.IndicatorCode}, "period": {sel.Period.Key()}})
		if d.Current != nil {
			d.VF.Values.Set("figure", formatValue(p, &d.Current.raw))
		}
		d.VF.addError(p, sel.Probs.Err(), nil)
	}
	if d.TF == nil {
		d.TF = newForm(url.Values{"year": {itoaYear(now.Year() + 1)}, "baseline_year": {itoaYear(now.Year() - 1)}})
	}
	d.PeriodName = periodName(p, sel.Period)
	for y := now.Year() - 1; y <= now.Year()+5; y++ {
		d.Years = append(d.Years, y)
	}
	title := p.T("page.values.title", nil)
	s.render(w, r, status, "value_entry", title, d)
}
