package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// unitAliases maps the unit's fields to the inputs of the unit form.
var unitAliases = map[string]string{"parent_id": "parent"}

// saveUnit creates (POST /units/new) or updates (POST /units/{id}/edit) a
// unit; invalid input shows the form again with the messages.
func (s *Server) saveUnit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var existing *dxtrack.Unit
	if r.PathValue("id") != "" {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if existing, err = s.Units.FindUnitByID(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	u := &dxtrack.Unit{
		Code:       ps.str("code"),
		NameVI:     ps.str("name_vi"),
		NameEN:     ps.str("name_en"),
		FullName:   ps.str("full_name"),
		Type:       dxtrack.UnitType(ps.str("type")),
		TypeNameVI: ps.str("type_name_vi"),
		TypeNameEN: ps.str("type_name_en"),
		Head:       ps.str("head"),
		Email:      ps.str("email"),
	}
	u.ParentID = ps.unit(ctx, s, "parent")
	on := dxtrack.Day(s.Now())
	if existing == nil {
		u.ValidFrom = ps.date("valid_from")
		if u.ValidFrom.IsZero() {
			u.ValidFrom = on
		}
	} else {
		u.Code, u.ValidFrom, u.ValidTo = existing.Code, existing.ValidFrom, existing.ValidTo
		if d := ps.date("on"); !d.IsZero() {
			on = d
		}
	}
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		ps.merge(u.Validate())
		f.addError(p, ps.probs.Err(), unitAliases)
		s.renderUnitForm(w, r, http.StatusUnprocessableEntity, f, existing)
		return
	}
	var err error
	if existing == nil {
		err = s.Units.CreateUnit(ctx, u)
	} else {
		u.ID = existing.ID
		if err = u.Validate(); err == nil {
			_, err = s.Units.UpdateUnit(ctx, existing.ID, dxtrack.UnitUpdate{
				NameVI: &u.NameVI, NameEN: &u.NameEN, FullName: &u.FullName,
				Type: &u.Type, TypeNameVI: &u.TypeNameVI, TypeNameEN: &u.TypeNameEN,
				ParentID: &u.ParentID, Head: &u.Head, Email: &u.Email,
			}, on)
		}
	}
	if err != nil {
		if f.addError(p, err, unitAliases) {
			s.renderUnitForm(w, r, http.StatusUnprocessableEntity, f, existing)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/units/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
}
