package web

import (
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

func (s *Server) renderIndicatorForm(w http.ResponseWriter, r *http.Request, status int, f *form, in *dxtrack.Indicator) {
	p := locale.For(langFrom(r.Context()))
	title := p.T("page.indicator_new.title", nil)
	if in != nil {
		title = p.T("page.indicator_edit.title", map[string]any{"Code": in.Code})
	}
	s.render(w, r, status, "indicator_form", title, indicatorFormPage{
		Form: f, I: in,
		Types:      []dxtrack.ValueType{dxtrack.ValueCount, dxtrack.ValuePercent, dxtrack.ValueNumber},
		Directions: []dxtrack.Direction{dxtrack.DirectionUp, dxtrack.DirectionDown},
	})
}
