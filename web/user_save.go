package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// saveUser creates (POST /users) or updates (POST /users/{id}) an account.
func (s *Server) saveUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var existing *dxtrack.User
	if r.PathValue("id") != "" {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if existing, err = s.Users.FindUserByID(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	u := &dxtrack.User{}
	if existing != nil {
		*u = *existing
	} else {
		u.Username = ps.str("username")
	}
	u.Name = ps.str("name")
	u.Email = ps.str("email")
	u.Role = dxtrack.Role(ps.str("role"))
	u.Lang = ps.str("lang")
	u.Disabled = ps.bool("disabled")
	u.UnitID = ps.unit(ctx, s, "unit")
	password := r.PostForm.Get("password")
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		ps.merge(u.Validate(password, existing == nil))
		f.addError(p, ps.probs.Err(), nil)
		s.renderUserForm(w, r, http.StatusUnprocessableEntity, f, existing)
		return
	}
	var err error
	if existing == nil {
		err = s.Users.CreateUser(ctx, u, password)
	} else {
		err = s.Users.UpdateUser(ctx, u, password)
	}
	if err != nil {
		if f.addError(p, err, nil) {
			s.renderUserForm(w, r, http.StatusUnprocessableEntity, f, existing)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}
