package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// overrideTarget sets a target's status by hand with a reason, or clears
// the override (clear=1).
func (s *Server) overrideTarget(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	o := overrideOf(r)
	if _, err := s.Targets.SetTargetOverride(ctx, id, o); err != nil {
		f := newForm(r.PostForm)
		if f.addError(p, err, nil) {
			s.renderTarget(w, r, http.StatusUnprocessableEntity, id, nil, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	if o == nil {
		s.flash(r, "flash.override_cleared")
	} else {
		s.flash(r, "flash.override_set")
	}
	http.Redirect(w, r, "/targets/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// overrideOf reads an override form: nil when the override is cleared.
func overrideOf(r *http.Request) *dxtrack.Override {
	if r.PostForm.Get("clear") != "" {
		return nil
	}
	return &dxtrack.Override{
		Status: dxtrack.Status(r.PostForm.Get("override_status")),
		Reason: strings.TrimSpace(r.PostForm.Get("override_reason")),
	}
}
