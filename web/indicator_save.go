package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// saveIndicator creates (POST /indicators) or updates (POST
// /indicators/{id}) an indicator; invalid input shows the form again.
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
	in := &dxtrack.Indicator{
		Code:      ps.code("code"),
		NameVI:    ps.str("name_vi"),
		NameEN:    ps.str("name_en"),
		Measure:   ps.str("measure"),
		Type:      dxtrack.ValueType(ps.str("type")),
		Decimals:  int(ps.integer("decimals")),
		Min:       ps.decimal("min"),
		Max:       ps.decimal("max"),
		Direction: dxtrack.Direction(ps.str("direction")),
	}
	in.OwnerUnitID = ps.unit(ctx, s, "owner_unit")
	if existing != nil {
		in.ID = existing.ID
	}
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		ps.merge(in.Validate())
		f.addError(p, ps.probs.Err(), nil)
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
		if f.addError(p, err, nil) {
			s.renderIndicatorForm(w, r, http.StatusUnprocessableEntity, f, existing)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/indicators", http.StatusSeeOther)
}
