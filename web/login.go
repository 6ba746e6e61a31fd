package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// loginPage is the data of the login form.
type loginPage struct {
	Form *form
	Next string
}

// showLogin shows the login form; a signed-in user goes on at once.
func (s *Server) showLogin(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"), "/")
	if dxtrack.UserFromContext(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p := locale.For(langFrom(r.Context()))
	s.render(w, r, http.StatusOK, "login", p.T("page.login.title", nil), loginPage{Form: newForm(nil), Next: next})
}

// login checks the username and password and starts a session with a
// fresh token, so that a token planted before login is worthless.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	p := locale.For(langFrom(r.Context()))
	next := safeNext(r.PostForm.Get("next"), "/")
	u, err := s.Users.Authenticate(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("password"))
	if err != nil {
		if code := dxtrack.ErrorCode(err); code != dxtrack.EUNAUTHORIZED && code != dxtrack.EINVALID {
			s.internalError(w, r, err)
			return
		}
		f := newForm(r.PostForm)
		f.Values.Del("password")
		f.Summary = append(f.Summary, summaryItem{Msg: p.T("error.login_failed", nil)})
		s.render(w, r, http.StatusUnauthorized, "login", p.T("page.login.title", nil), loginPage{Form: f, Next: next})
		return
	}
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		s.internalError(w, r, err)
		return
	}
	s.Sessions.Put(r.Context(), sessionUserKey, u.ID)
	http.Redirect(w, r, next, http.StatusSeeOther)
}
