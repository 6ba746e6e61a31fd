package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// setupPage is the data of the first-run form.
type setupPage struct {
	Form     *form
	NewUnit  bool            // the store has no unit: the form creates the root unit too
	Roots    []*dxtrack.Unit // units to scope the admin to
	NoSignIn bool
}

// firstRun answers whether the first-run page may be used, failing the
// request when it may not.
func (s *Server) firstRun(w http.ResponseWriter, r *http.Request) bool {
	need, err := s.needsSetup(r)
	if err != nil {
		s.internalError(w, r, err)
		return false
	}
	if !need {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.first_run_done", nil))
		return false
	}
	return true
}

// setupData says whether a root unit must be created and which units the
// admin can be scoped to. The store has no user yet, so it reads as the
// system; the page exists only until the first user does.
func (s *Server) setupData(r *http.Request, f *form) (setupPage, error) {
	ctx := dxtrack.NewContextWithUser(r.Context(), dxtrack.SystemUser)
	root := int64(0)
	units, n, err := s.Units.FindUnits(ctx, dxtrack.UnitFilter{ParentID: &root, Page: dxtrack.Page{Limit: 100}})
	if err != nil {
		return setupPage{}, err
	}
	return setupPage{Form: f, NewUnit: n == 0, Roots: units}, nil
}

// showSetup shows the form that creates the first admin.
func (s *Server) showSetup(w http.ResponseWriter, r *http.Request) {
	if !s.firstRun(w, r) {
		return
	}
	data, err := s.setupData(r, newForm(nil))
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if len(data.Roots) == 1 {
		data.Form.Values.Set("unit", data.Roots[0].Code)
	}
	p := locale.For(langFrom(r.Context()))
	s.render(w, r, http.StatusOK, "setup", p.T("page.setup.title", nil), data)
}

// setup creates the first admin, and the root unit when there is none,
// then signs the admin in.
func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	if !s.firstRun(w, r) {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	p := locale.For(langFrom(r.Context()))
	f := newForm(r.PostForm)
	f.Values.Del("password")
	f.Values.Del("password2")
	data, err := s.setupData(r, f)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	sys := dxtrack.NewContextWithUser(r.Context(), dxtrack.SystemUser)
	ps := newParser(r)
	password := r.PostForm.Get("password")
	u := &dxtrack.User{
		Username: ps.str("username"),
		Name:     ps.str("name"),
		Email:    ps.str("email"),
		Role:     dxtrack.RoleAdmin,
		Lang:     p.Lang(),
	}
	var unit *dxtrack.Unit
	if data.NewUnit {
		unit = &dxtrack.Unit{
			Code:      ps.str("unit"),
			NameVI:    ps.str("unit_name"),
			FullName:  ps.str("unit_name"),
			Type:      dxtrack.UnitProvince,
			ValidFrom: dxtrack.Day(s.Now()),
		}
		if err := unit.Validate(); err != nil {
			ps.keep(withAliases(err, map[string]string{"code": "unit", "name_vi": "unit_name"}))
		}
		u.UnitID = -1 // set once the unit exists
	} else {
		u.UnitID = ps.unit(sys, s, "unit")
	}
	if password != r.PostForm.Get("password2") {
		ps.probs.Add("password2", "error.password_mismatch", nil)
	}
	ps.keep(u.Validate(password, true))
	if ps.err != nil {
		s.internalError(w, r, ps.err)
		return
	}
	if len(ps.probs) > 0 {
		f.addError(p, ps.probs.Err(), nil)
		s.render(w, r, http.StatusUnprocessableEntity, "setup", p.T("page.setup.title", nil), data)
		return
	}
	if unit != nil {
		if err := s.Units.CreateUnit(sys, unit); err != nil {
			if f.addError(p, withAliases(err, map[string]string{"code": "unit", "name_vi": "unit_name"}), nil) {
				s.render(w, r, http.StatusUnprocessableEntity, "setup", p.T("page.setup.title", nil), data)
				return
			}
			s.fail(w, r, err)
			return
		}
		u.UnitID = unit.ID
	}
	// No user in the context: the service accepts this only while the
	// store has no user at all.
	if err := s.Users.CreateUser(r.Context(), u, password); err != nil {
		if f.addError(p, err, nil) {
			s.render(w, r, http.StatusUnprocessableEntity, "setup", p.T("page.setup.title", nil), data)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.hasUsers.Store(true)
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		s.internalError(w, r, err)
		return
	}
	s.Sessions.Put(r.Context(), sessionUserKey, u.ID)
	s.flash(r, "flash.setup_done")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// withAliases renames the fields of an EINVALID error, for a form whose
// inputs are named differently from the entity's fields.
func withAliases(err error, aliases map[string]string) error {
	fields := dxtrack.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	out := make(dxtrack.Problems, len(fields))
	for i, fe := range fields {
		if a, ok := aliases[fe.Field]; ok {
			fe.Field = a
		}
		out[i] = fe
	}
	return out.Err()
}
