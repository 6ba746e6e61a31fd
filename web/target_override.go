package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/dxtrack/dxtrack"
)

// overrideTarget sets a target's status by hand with a reason, or clears
// the override (clear=1).
func (s *Server) overrideTarget(w http.ResponseWriter, r *http.Request) {
	s.overrideItem(w, r, s.targetPages(), func(ctx context.Context, id int64, o *dxtrack.Override) error {
		_, err := s.Targets.SetTargetOverride(ctx, id, o)
		return err
	})
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
