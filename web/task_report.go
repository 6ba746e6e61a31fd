package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// reportTask records the lead unit's progress (percent) and note.
func (s *Server) reportTask(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Tasks.FindTaskByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	var upd dxtrack.TaskUpdate
	if ps.str("progress") == "" {
		ps.probs.Add("progress", "error.required", nil)
	} else if n := int(ps.integer("progress")); len(ps.probs) == 0 {
		upd.Progress = &n
	}
	if note := ps.str("note"); note != t.Note {
		upd.Note = &note
	}
	f := newForm(r.PostForm)
	if len(ps.probs) == 0 {
		ps.keep(upd.Validate())
	}
	if len(ps.probs) > 0 {
		f.addError(p, ps.probs.Err(), nil)
		s.renderTask(w, r, http.StatusUnprocessableEntity, id, f, nil)
		return
	}
	if _, err := s.Tasks.ReportTask(ctx, id, upd); err != nil {
		if f.addError(p, err, nil) {
			s.renderTask(w, r, http.StatusUnprocessableEntity, id, f, nil)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.reported")
	http.Redirect(w, r, "/tasks/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
