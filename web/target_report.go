package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// reportTarget records the lead unit's reported figure: the current
// value of a quantitative target or whether a qualitative one is done.
func (s *Server) reportTarget(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Targets.FindTargetByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	var upd dxtrack.TargetUpdate
	if t.Kind == dxtrack.TargetQualitative {
		done := ps.bool("done")
		upd.Done = &done
	} else {
		upd.Current = ps.decimal("current")
		if upd.Current == nil && len(ps.probs) == 0 {
			ps.probs.Add("current", "error.required", nil)
		}
	}
	if note := ps.str("note"); note != t.Note {
		upd.Note = &note
	}
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		f.addError(p, ps.probs.Err(), nil)
		s.renderTarget(w, r, http.StatusUnprocessableEntity, id, f, nil)
		return
	}
	if _, err := s.Targets.ReportTarget(ctx, id, upd); err != nil {
		if f.addError(p, err, nil) {
			s.renderTarget(w, r, http.StatusUnprocessableEntity, id, f, nil)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.reported")
	http.Redirect(w, r, "/targets/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
