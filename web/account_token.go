package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// createToken issues an API token for the signed-in user and shows it
// once; only its hash is kept.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	tf := newForm(r.PostForm)
	name := newParser(r).str("token_name")
	if name == "" {
		tf.addError(p, dxtrack.Invalid("token_name", "error.required", nil), nil)
		s.renderAccount(w, r, http.StatusUnprocessableEntity, nil, tf, "")
		return
	}
	token, err := s.Users.CreateToken(ctx, name)
	if err != nil {
		if tf.addError(p, err, map[string]string{"name": "token_name"}) {
			s.renderAccount(w, r, http.StatusUnprocessableEntity, nil, tf, "")
			return
		}
		s.fail(w, r, err)
		return
	}
	s.renderAccount(w, r, http.StatusOK, nil, nil, token)
}

// revokeToken deletes one of the user's tokens; the next request that
// sends it is refused.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Users.RevokeToken(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.token_revoked")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}
