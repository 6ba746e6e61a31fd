package web

import (
	"context"
	"net/http"

	"github.com/dxtrack/dxtrack"
)

// overrideTask sets a task's status by hand with a reason, or clears the
// override (clear=1).
func (s *Server) overrideTask(w http.ResponseWriter, r *http.Request) {
	s.overrideItem(w, r, s.taskPages(), func(ctx context.Context, id int64, o *dxtrack.Override) error {
		_, err := s.Tasks.SetTaskOverride(ctx, id, o)
		return err
	})
}
