package web

import (
	"net/http"
	"net/url"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// rotateSourceToken issues a new token for a source (POST
// /sources/{code}/rotate) and shows it once; the old one stops working.
// The form carries a confirmation box, so that no click does it by
// mistake.
func (s *Server) rotateSourceToken(w http.ResponseWriter, r *http.Request) {
	s.sourceTokenAction(w, r, true)
}

// revokeSourceToken leaves a source without a token (POST
// /sources/{code}/revoke): its pushes are refused until a rotation.
func (s *Server) revokeSourceToken(w http.ResponseWriter, r *http.Request) {
	s.sourceTokenAction(w, r, false)
}

func (s *Server) sourceTokenAction(w http.ResponseWriter, r *http.Request, rotate bool) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	src, err := s.Sources.FindSource(ctx, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	if !newParser(r).bool("confirm") {
		msg := locale.For(langFrom(ctx)).T("error.sources_confirm", nil)
		s.renderSource(w, r, http.StatusUnprocessableEntity, src, "", msg)
		return
	}
	if !rotate {
		if err := s.Sources.RevokeToken(ctx, src.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		s.flash(r, "sources.flash_revoked")
		http.Redirect(w, r, "/sources/"+url.PathEscape(src.Code), http.StatusSeeOther)
		return
	}
	token, err := s.Sources.RotateToken(ctx, src.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if src, err = s.Sources.FindSource(ctx, src.Code); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderSource(w, r, http.StatusOK, src, token, "")
}
