package web

import (
	"net/http"
	"net/url"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// accountPage is the data of the user's own account page.
type accountPage struct {
	Form      *form
	Unit      *dxtrack.Unit
	TokenForm *form
	Token     string           // a token just created, shown this once
	Tokens    []*dxtrack.Token // the user's tokens, newest first
}

// showAccount shows the signed-in user's name, language and password
// form, and the API-token form.
func (s *Server) showAccount(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil, nil, "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, f, tf *form, token string) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	u := dxtrack.UserFromContext(ctx)
	if f == nil {
		v := url.Values{}
		v.Set("name", u.Name)
		v.Set("email", u.Email)
		v.Set("lang", u.Lang)
		f = newForm(v)
	}
	if tf == nil {
		tf = newForm(nil)
	}
	units, err := s.unitsByID(ctx, u.UnitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tokens, err := s.Users.FindTokens(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Values.Del("password")
	f.Values.Del("current_password")
	s.render(w, r, status, "account", p.T("page.account.title", nil),
		accountPage{Form: f, Unit: units[u.UnitID], TokenForm: tf, Token: token, Tokens: tokens})
}

// saveAccount changes the user's own name, e-mail, language and, given
// the current password, the password.
func (s *Server) saveAccount(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	u := *dxtrack.UserFromContext(ctx)
	u.Name = ps.str("name")
	u.Email = ps.str("email")
	u.Lang = ps.str("lang")
	password := r.PostForm.Get("password")
	f := newForm(r.PostForm)
	if password != "" {
		// A session left open must not be enough to take the account.
		if _, err := s.Users.Authenticate(ctx, u.Username, r.PostForm.Get("current_password")); err != nil {
			if code := dxtrack.ErrorCode(err); code != dxtrack.EUNAUTHORIZED && code != dxtrack.EINVALID {
				s.fail(w, r, err)
				return
			}
			ps.probs.Add("current_password", "error.login_failed", nil)
		}
		if password != r.PostForm.Get("password2") {
			ps.probs.Add("password2", "error.password_mismatch", nil)
		}
	}
	if len(ps.probs) > 0 {
		ps.merge(u.Validate(password, false))
		f.addError(p, ps.probs.Err(), nil)
		s.renderAccount(w, r, http.StatusUnprocessableEntity, f, nil, "")
		return
	}
	if err := s.Users.UpdateUser(ctx, &u, password); err != nil {
		if f.addError(p, err, nil) {
			s.renderAccount(w, r, http.StatusUnprocessableEntity, f, nil, "")
			return
		}
		s.fail(w, r, err)
		return
	}
	// The cookie outranks the account's language: make them agree.
	setLangCookie(w, u.Lang)
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}
