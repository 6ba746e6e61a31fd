package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// indicatorFormPage is the data of the indicator form.
type indicatorFormPage struct {
	Form       *form
	I          *dxtrack.Indicator // nil when creating
	Types      []dxtrack.ValueType
	Directions []dxtrack.Direction
	UnitAggs   []dxtrack.UnitAgg
	TimeAggs   []dxtrack.TimeAgg
	Sources    []dxtrack.Source
	Ops        []dxtrack.RuleOp
	Pillars    []*dxtrack.Category // pillar and foundation categories
	// Others are the indicators a denominator may be chosen from.
	Others []*dxtrack.Indicator
}

// newIndicator shows an empty indicator form.
func (s *Server) newIndicator(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	v := url.Values{}
	v.Set("type", string(dxtrack.ValueCount))
	v.Set("direction", string(dxtrack.DirectionUp))
	v.Set("decimals", "0")
	v.Set("source", string(dxtrack.SourceManual))
	s.renderIndicatorForm(w, r, http.StatusOK, newForm(v), nil)
}

// editIndicator shows the form filled with an indicator.
func (s *Server) editIndicator(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.Indicators.FindIndicatorByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("code", in.Code)
	v.Set("name_vi", in.NameVI)
	v.Set("name_en", in.NameEN)
	v.Set("measure", in.Measure)
	v.Set("type", string(in.Type))
	v.Set("decimals", strconv.Itoa(in.Decimals))
	v.Set("min", formatValue(p, in.Min))
	v.Set("max", formatValue(p, in.Max))
	v.Set("direction", string(in.Direction))
	v.Set("pillar", idValue(in.PillarID))
	v.Set("unit_agg", string(in.UnitAgg))
	v.Set("time_agg", string(in.TimeAgg))
	v.Set("source", string(indicatorSource(in.Source)))
	v.Set("formula", in.Formula)
	if in.Condition != "" {
		v.Set("condition", string(in.Condition))
		v.Set("threshold", formatValue(p, &in.Threshold))
	}
	if in.DenominatorID != 0 {
		code, err := s.indicatorCode(ctx, in.DenominatorID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Set("denominator", code)
	}
	if in.OwnerUnitID != 0 {
		units, err := s.unitsByID(ctx, in.OwnerUnitID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if u := units[in.OwnerUnitID]; u != nil {
			v.Set("owner_unit", u.Code)
		}
	}
	s.renderIndicatorForm(w, r, http.StatusOK, newForm(v), in)
}

// indicatorSource is the source as the form and the list show it: none
// set means manual entry.
func indicatorSource(src dxtrack.Source) dxtrack.Source {
	if src == "" {
		return dxtrack.SourceManual
	}
	return src
}

// indicatorCode returns the code of the indicator with the ID, "" when
// there is none (the store clears a denominator it no longer finds).
func (s *Server) indicatorCode(ctx context.Context, id int64) (string, error) {
	in, err := s.Indicators.FindIndicatorByID(ctx, id)
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return in.Code, nil
}

func (s *Server) renderIndicatorForm(w http.ResponseWriter, r *http.Request, status int, f *form, in *dxtrack.Indicator) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	title := p.T("page.indicator_new.title", nil)
	if in != nil {
		title = p.T("page.indicator_edit.title", map[string]any{"Code": in.Code})
	}
	cats, err := s.categoryLists(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := s.Indicators.FindIndicators(ctx, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	others := make([]*dxtrack.Indicator, 0, len(all))
	for _, o := range all {
		if in == nil || o.ID != in.ID {
			others = append(others, o)
		}
	}
	s.render(w, r, status, "indicator_form", title, indicatorFormPage{
		Form: f, I: in,
		Types:      []dxtrack.ValueType{dxtrack.ValueCount, dxtrack.ValuePercent, dxtrack.ValueNumber},
		Directions: []dxtrack.Direction{dxtrack.DirectionUp, dxtrack.DirectionDown},
		UnitAggs: []dxtrack.UnitAgg{dxtrack.AggSum, dxtrack.AggAvg, dxtrack.AggRatio, dxtrack.AggMin, dxtrack.AggMax,
			dxtrack.AggCount, dxtrack.AggShare},
		TimeAggs: []dxtrack.TimeAgg{dxtrack.TimeSum, dxtrack.TimeLast, dxtrack.TimeAvg},
		Sources:  []dxtrack.Source{dxtrack.SourceManual, dxtrack.SourceFormula, dxtrack.SourceMachine},
		Ops:      []dxtrack.RuleOp{dxtrack.OpGE, dxtrack.OpGT, dxtrack.OpLE, dxtrack.OpLT, dxtrack.OpEQ},
		Pillars:  cats.Pillars,
		Others:   others,
	})
}
