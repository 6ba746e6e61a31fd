package web

import (
	"context"
	"net/http"

	"github.com/dxtrack/dxtrack"
)

// reportTask records the lead unit's progress (percent) and note.
func (s *Server) reportTask(w http.ResponseWriter, r *http.Request) {
	reportItem(s, w, r, s.taskPages(), s.Tasks.FindTaskByID, func(ps *parser, t *dxtrack.Task) func(context.Context, int64) error {
		var upd dxtrack.TaskUpdate
		if ps.str("progress") == "" {
			ps.probs.Add("progress", "error.required", nil)
		} else if n := int(ps.integer("progress")); len(ps.probs) == 0 {
			upd.Progress = &n
		}
		if note := ps.str("note"); note != t.Note {
			upd.Note = &note
		}
		if len(ps.probs) == 0 {
			ps.keep(upd.Validate())
		}
		return func(ctx context.Context, id int64) error {
			_, err := s.Tasks.ReportTask(ctx, id, upd)
			return err
		}
	})
}
