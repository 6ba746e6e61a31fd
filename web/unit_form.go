package web

import (
	"net/http"
	"net/url"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// unitFormPage is the data of the unit form.
type unitFormPage struct {
	Form    *form
	U       *dxtrack.Unit // nil when creating
	Editing bool
	Types   []dxtrack.UnitType
}

// newUnit shows an empty unit form, under ?parent=ID when given.
func (s *Server) newUnit(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	v := url.Values{}
	v.Set("type", string(dxtrack.UnitDepartment))
	v.Set("valid_from", dxtrack.FormatDate(dxtrack.Day(s.Now())))
	if parent := queryID(r, "parent"); parent != 0 {
		units, err := s.unitsByID(ctx, parent)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if u := units[parent]; u != nil {
			v.Set("parent", u.Code)
		}
	}
	s.renderUnitForm(w, r, http.StatusOK, newForm(v), nil)
}

// editUnit shows the form filled with a unit; changes take effect on the
// date given in the form (today by default) and are kept in its history.
func (s *Server) editUnit(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Units.FindUnitByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("code", u.Code)
	v.Set("name_vi", u.NameVI)
	v.Set("name_en", u.NameEN)
	v.Set("full_name", u.FullName)
	v.Set("type", string(u.Type))
	v.Set("type_name_vi", u.TypeNameVI)
	v.Set("type_name_en", u.TypeNameEN)
	v.Set("head", u.Head)
	v.Set("email", u.Email)
	v.Set("on", dxtrack.FormatDate(dxtrack.Day(s.Now())))
	if u.ParentID != 0 {
		units, err := s.unitsByID(ctx, u.ParentID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if pu := units[u.ParentID]; pu != nil {
			v.Set("parent", pu.Code)
		}
	}
	s.renderUnitForm(w, r, http.StatusOK, newForm(v), u)
}

func (s *Server) renderUnitForm(w http.ResponseWriter, r *http.Request, status int, f *form, u *dxtrack.Unit) {
	p := locale.For(langFrom(r.Context()))
	title := p.T("page.unit_new.title", nil)
	if u != nil {
		title = p.T("page.unit_edit.title", map[string]any{"Name": u.Name(p.Lang())})
	}
	s.render(w, r, status, "unit_form", title, unitFormPage{Form: f, U: u, Editing: u != nil, Types: dxtrack.UnitTypes})
}
