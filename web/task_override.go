package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// overrideTask sets a task's status by hand with a reason, or clears the
// override (clear=1).
func (s *Server) overrideTask(w http.ResponseWriter, r *http.Request) {
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
	if _, err := s.Tasks.SetTaskOverride(ctx, id, o); err != nil {
		f := newForm(r.PostForm)
		if f.addError(p, err, nil) {
			s.renderTask(w, r, http.StatusUnprocessableEntity, id, nil, f)
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
	http.Redirect(w, r, "/tasks/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
