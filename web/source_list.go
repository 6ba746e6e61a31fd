package web

import (
	"context"
	"net/http"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// SourceRuns is the run log of the pull connectors.
type SourceRuns interface {
	Runs(ctx context.Context, sourceID int64, limit int) ([]*dxtrack.PullRun, error)
	LastRuns(ctx context.Context) (map[int64]*dxtrack.PullRun, error)
}

// sourceRow is a source in the list with its recent traffic.
type sourceRow struct {
	S        *dxtrack.DataSource
	Owner    *dxtrack.Unit
	Last     time.Time // the latest batch or run
	Accepted int       // records in the last 7 days
	Refused  int
	Status   string // sourceStatus
}

// Class is the badge colour of the row's status.
func (r sourceRow) Class() string { return sourceStatusClass(r.Status) }

// Statuses of a source in the list and on its page.
const (
	sourceDisabled = "disabled"
	sourceNoToken  = "no_token" // a push source that cannot push
	sourceFailed   = "failed"   // its last run failed
	sourceRefused  = "refused"  // its last batch refused records
	sourceIdle     = "idle"     // nothing received yet
	sourceOK       = "ok"
)

// sourceWindow is how far back the list counts records.
const sourceWindow = 7 * 24 * time.Hour

type sourceListPage struct {
	Rows     []sourceRow
	CanAdmin bool
}

// listSources lists the sources (GET /sources), for any signed-in user.
func (s *Server) listSources(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	srcs, err := s.Sources.FindSources(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	runs := map[int64]*dxtrack.PullRun{}
	if s.SourceRuns != nil {
		if runs, err = s.SourceRuns.LastRuns(ctx); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	var ids []int64
	for _, src := range srcs {
		ids = append(ids, src.OwnerUnitID)
	}
	units, err := s.unitsByID(ctx, ids...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := sourceListPage{CanAdmin: isAdmin(ctx)}
	since := s.Now().Add(-sourceWindow)
	for _, src := range srcs {
		row := sourceRow{S: src, Owner: units[src.OwnerUnitID]}
		batches, err := s.Sources.Batches(ctx, src.ID, 1)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		vol, err := s.Sources.Volume(ctx, src.ID, since)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, v := range vol {
			row.Accepted += v.Accepted
			row.Refused += v.Refused
		}
		var last *dxtrack.BatchResult
		if len(batches) > 0 {
			last = batches[0]
			row.Last = last.At
		}
		run := runs[src.ID]
		if run != nil && run.Started.After(row.Last) {
			row.Last = run.Started
		}
		row.Status = sourceStatus(src, last, run)
		d.Rows = append(d.Rows, row)
	}
	s.render(w, r, http.StatusOK, "source_list", locale.For(langFrom(ctx)).T("sources.title", nil), d)
}

// sourceStatus says how a source is doing, worst first.
func sourceStatus(src *dxtrack.DataSource, last *dxtrack.BatchResult, run *dxtrack.PullRun) string {
	switch {
	case src.Disabled:
		return sourceDisabled
	case src.Pull == nil && src.TokenHint == "":
		return sourceNoToken
	case run != nil && run.Status == dxtrack.PullFailed:
		return sourceFailed
	case last != nil && last.Refused > 0:
		return sourceRefused
	case last == nil && (run == nil || run.Status != dxtrack.PullOK):
		return sourceIdle
	}
	return sourceOK
}

// sourceStatusClass borrows the colours of the item statuses.
func sourceStatusClass(st string) string {
	switch st {
	case sourceOK:
		return "st-completed"
	case sourceRefused:
		return "st-at_risk"
	case sourceFailed, sourceNoToken:
		return "st-overdue"
	}
	return "st-not_started"
}

func isAdmin(ctx context.Context) bool {
	u := dxtrack.UserFromContext(ctx)
	return u != nil && u.Role == dxtrack.RoleAdmin && !u.Disabled
}
