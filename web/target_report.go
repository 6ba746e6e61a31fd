package web

import (
	"context"
	"net/http"

	"github.com/dxtrack/dxtrack"
)

// reportTarget records the lead unit's reported figure: the current
// value of a quantitative target or whether a qualitative one is done.
func (s *Server) reportTarget(w http.ResponseWriter, r *http.Request) {
	reportItem(s, w, r, s.targetPages(), s.Targets.FindTargetByID, func(ps *parser, t *dxtrack.Target) func(context.Context, int64) error {
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
		return func(ctx context.Context, id int64) error {
			_, err := s.Targets.ReportTarget(ctx, id, upd)
			return err
		}
	})
}
