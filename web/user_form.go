package web

import (
	"net/http"
	"net/url"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// userFormPage is the data of the user form.
type userFormPage struct {
	Form  *form
	U     *dxtrack.User // nil when creating
	Roles []dxtrack.Role
}

// newUser shows an empty account form. Only admins may create accounts;
// the service refuses the others, the page spares them the form.
func (s *Server) newUser(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	v := url.Values{}
	v.Set("role", string(dxtrack.RoleReporter))
	v.Set("lang", "vi")
	s.renderUserForm(w, r, http.StatusOK, newForm(v), nil)
}

// editUser shows the form filled with an account.
func (s *Server) editUser(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Users.FindUserByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("username", u.Username)
	v.Set("name", u.Name)
	v.Set("email", u.Email)
	v.Set("role", string(u.Role))
	v.Set("lang", u.Lang)
	if u.Disabled {
		v.Set("disabled", "1")
	}
	units, err := s.unitsByID(ctx, u.UnitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if unit := units[u.UnitID]; unit != nil {
		v.Set("unit", unit.Code)
	}
	s.renderUserForm(w, r, http.StatusOK, newForm(v), u)
}

func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, f *form, u *dxtrack.User) {
	p := locale.For(langFrom(r.Context()))
	title := p.T("page.user_new.title", nil)
	if u != nil {
		title = p.T("page.user_edit.title", map[string]any{"Name": u.Name})
	}
	f.Values.Del("password")
	s.render(w, r, status, "user_form", title, userFormPage{Form: f, U: u, Roles: dxtrack.Roles})
}
