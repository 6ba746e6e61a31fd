package web

import (
	"context"
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// indicatorInputs maps the store's field names to the form's inputs.
var indicatorInputs = map[string]string{"denominator_id": "denominator"}

// saveIndicator creates (POST /indicators) or updates (POST
// /indicators/{id}) an indicator; invalid input shows the form again.
// An update starts from the stored indicator and changes only the inputs
// the form sent, so that a field the form does not carry is never wiped.
func (s *Server) saveIndicator(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var existing *dxtrack.Indicator
	if r.PathValue("id") != "" {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if existing, err = s.Indicators.FindIndicatorByID(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	in := &dxtrack.Indicator{}
	if existing != nil {
		cp := *existing
		in = &cp
	}
	in.Code = ps.code("code")
	in.NameVI = ps.str("name_vi")
	in.NameEN = ps.str("name_en")
	in.Measure = ps.str("measure")
	in.Type = dxtrack.ValueType(ps.str("type"))
	in.Decimals = int(ps.integer("decimals"))
	in.Min = ps.decimal("min")
	in.Max = ps.decimal("max")
	in.Direction = dxtrack.Direction(ps.str("direction"))
	in.OwnerUnitID = ps.unit(ctx, s, "owner_unit")
	s.parseIndicatorAnalytics(ctx, ps, in, existing)
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		ps.merge(in.Validate())
		f.addError(p, ps.probs.Err(), indicatorInputs)
		s.renderIndicatorForm(w, r, http.StatusUnprocessableEntity, f, existing)
		return
	}
	var err error
	if existing == nil {
		err = s.Indicators.CreateIndicator(ctx, in)
	} else {
		err = s.Indicators.UpdateIndicator(ctx, in)
	}
	if err != nil {
		if f.addError(p, err, indicatorInputs) {
			s.renderIndicatorForm(w, r, http.StatusUnprocessableEntity, f, existing)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/indicators", http.StatusSeeOther)
}

// parseIndicatorAnalytics reads the pillar, aggregation, source and
// formula inputs that were sent. The denominator is read only for a ratio
// and the condition only for a count or share of units, since the store
// clears them otherwise and a stale code there should not block a save.
func (s *Server) parseIndicatorAnalytics(ctx context.Context, ps *parser, in, existing *dxtrack.Indicator) {
	sent := func(name string) bool { _, ok := ps.values[name]; return ok }
	if sent("pillar") {
		in.PillarID = ps.id("pillar")
	}
	if sent("unit_agg") {
		in.UnitAgg = dxtrack.UnitAgg(ps.str("unit_agg"))
	}
	if sent("time_agg") {
		in.TimeAgg = dxtrack.TimeAgg(ps.str("time_agg"))
	}
	if sent("source") {
		in.Source = dxtrack.Source(ps.str("source"))
		// "" and manual mean the same: keep what is stored rather than
		// record a change nobody made.
		if existing != nil && indicatorSource(existing.Source) == indicatorSource(in.Source) {
			in.Source = existing.Source
		}
	}
	if sent("formula") {
		in.Formula = ps.str("formula")
	}
	if in.UnitAgg == dxtrack.AggRatio && sent("denominator") {
		in.DenominatorID = 0
		if code := ps.str("denominator"); code != "" {
			d, err := s.Indicators.FindIndicatorByCode(ctx, code)
			switch {
			case dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND:
				ps.probs.Add("denominator", "error.no_indicator_code", map[string]any{"Code": code})
			case err != nil:
				ps.keep(err)
			default:
				in.DenominatorID = d.ID
			}
		}
	}
	if in.UnitAgg == dxtrack.AggCount || in.UnitAgg == dxtrack.AggShare {
		if sent("condition") {
			in.Condition = dxtrack.RuleOp(ps.str("condition"))
		}
		if sent("threshold") {
			if v := ps.decimal("threshold"); v != nil {
				in.Threshold = *v
			} else if ps.str("threshold") == "" {
				ps.probs.Add("threshold", "error.required", nil)
			}
		}
	}
}
