package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
)

// Connectors keeps what the pull connectors need beside the sources: the
// run log, the per-source lease that lets one dxtrack instance at a time
// run a connector, and the hashes of records already delivered. The lease
// and seen methods are for the scheduler, which runs as the system; Runs
// is for any signed-in user.
type Connectors struct{ db *DB }

// NewConnectors returns the connector bookkeeping over db.
func NewConnectors(db *DB) *Connectors { return &Connectors{db} }

// TakeLease gives holder the source's lease until now+ttl if nobody holds
// it, it has expired, or holder already holds it (a renewal). The single
// conditional UPDATE is atomic on both engines, so of two instances
// racing for an expired lease exactly one wins.
func (c *Connectors) TakeLease(ctx context.Context, sourceID int64, holder string, ttl time.Duration) (bool, error) {
	now := c.db.Now()
	var ok bool
	err := c.db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO connector_leases (source_id, holder, expires_at) VALUES ($1, '', $2) ON CONFLICT (source_id) DO NOTHING",
			sourceID, instant(time.Time{}.Add(1))); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx,
			"UPDATE connector_leases SET holder = $1, expires_at = $2 WHERE source_id = $3 AND (expires_at < $4 OR holder = $1)",
			holder, instant(now.Add(ttl)), sourceID, instant(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: take lease: %w", err)
	}
	return ok, nil
}

// ReleaseLease lets the lease expire at once if holder holds it, so that
// another instance need not wait for the TTL.
func (c *Connectors) ReleaseLease(ctx context.Context, sourceID int64, holder string) error {
	_, err := c.db.w.ExecContext(ctx,
		"UPDATE connector_leases SET expires_at = $1 WHERE source_id = $2 AND holder = $3",
		instant(time.Time{}.Add(1)), sourceID, holder)
	if err != nil {
		return fmt.Errorf("store: release lease: %w", err)
	}
	return nil
}

// StartRun logs the start of a run and returns it.
func (c *Connectors) StartRun(ctx context.Context, sourceID int64, holder string) (*dxtrack.PullRun, error) {
	r := &dxtrack.PullRun{SourceID: sourceID, Holder: holder, Started: c.db.Now().UTC(), Status: dxtrack.PullRunning}
	err := c.db.w.QueryRowContext(ctx,
		"INSERT INTO connector_runs (source_id, holder, started_at, status) VALUES ($1, $2, $3, $4) RETURNING id",
		sourceID, holder, instant(r.Started), r.Status).Scan(&r.ID)
	if err != nil {
		return nil, fmt.Errorf("store: start run: %w", err)
	}
	return r, nil
}

// FinishRun records how the run ended; Finished is set to now.
func (c *Connectors) FinishRun(ctx context.Context, r *dxtrack.PullRun) error {
	r.Finished = c.db.Now().UTC()
	_, err := c.db.w.ExecContext(ctx,
		`UPDATE connector_runs SET finished_at = $1, status = $2, pages = $3, accepted = $4, refused = $5, skipped = $6, error = $7
		WHERE id = $8`,
		instant(r.Finished), r.Status, r.Pages, r.Accepted, r.Refused, r.Skipped, r.Error, r.ID)
	if err != nil {
		return fmt.Errorf("store: finish run: %w", err)
	}
	return nil
}

const runSelect = `SELECT id, source_id, holder, started_at, finished_at, status, pages, accepted, refused, skipped, error FROM connector_runs`

func (c *Connectors) queryRuns(ctx context.Context, query string, args ...any) ([]*dxtrack.PullRun, error) {
	rows, err := c.db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.PullRun{}
	for rows.Next() {
		var r dxtrack.PullRun
		var started string
		var finished sql.NullString
		if err := rows.Scan(&r.ID, &r.SourceID, &r.Holder, &started, &finished, &r.Status, &r.Pages, &r.Accepted, &r.Refused, &r.Skipped, &r.Error); err != nil {
			return nil, err
		}
		r.Started = parseInstant(started)
		if finished.Valid {
			r.Finished = parseInstant(finished.String)
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// Runs lists a source's latest runs, newest first; for any signed-in user.
func (c *Connectors) Runs(ctx context.Context, sourceID int64, limit int) ([]*dxtrack.PullRun, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 20
	}
	runs, err := c.queryRuns(ctx, runSelect+" WHERE source_id = $1 ORDER BY id DESC LIMIT $2", sourceID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: runs: %w", err)
	}
	return runs, nil
}

// LastRuns returns every source's latest run by source ID; for any
// signed-in user.
func (c *Connectors) LastRuns(ctx context.Context) (map[int64]*dxtrack.PullRun, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	runs, err := c.queryRuns(ctx, runSelect+" WHERE id IN (SELECT max(id) FROM connector_runs GROUP BY source_id)")
	if err != nil {
		return nil, fmt.Errorf("store: last runs: %w", err)
	}
	out := make(map[int64]*dxtrack.PullRun, len(runs))
	for _, r := range runs {
		out[r.SourceID] = r
	}
	return out, nil
}

// seenChunk bounds the parameters of one IN (...) list.
const seenChunk = 500

// Seen returns which of the record hashes the source's connector has
// delivered before.
func (c *Connectors) Seen(ctx context.Context, sourceID int64, hashes []string) (map[string]bool, error) {
	seen := map[string]bool{}
	for start := 0; start < len(hashes); start += seenChunk {
		part := hashes[start:min(start+seenChunk, len(hashes))]
		args := []any{sourceID}
		marks := make([]string, len(part))
		for i, h := range part {
			args = append(args, h)
			marks[i] = fmt.Sprintf("$%d", i+2)
		}
		rows, err := c.db.r.QueryContext(ctx,
			"SELECT hash FROM connector_seen WHERE source_id = $1 AND hash IN ("+strings.Join(marks, ", ")+")", args...)
		if err != nil {
			return nil, fmt.Errorf("store: seen: %w", err)
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: seen: %w", err)
			}
			seen[h] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: seen: %w", err)
		}
	}
	return seen, nil
}

// MarkSeen records the hashes as delivered, in one transaction.
func (c *Connectors) MarkSeen(ctx context.Context, sourceID int64, hashes []string) error {
	now := instant(c.db.Now())
	err := c.db.write(ctx, func(tx *sql.Tx) error {
		for start := 0; start < len(hashes); start += seenChunk {
			part := hashes[start:min(start+seenChunk, len(hashes))]
			args := []any{sourceID, now}
			rows := make([]string, len(part))
			for i, h := range part {
				args = append(args, h)
				rows[i] = fmt.Sprintf("($1, $%d, $2)", i+3)
			}
			if _, err := tx.ExecContext(ctx,
				"INSERT INTO connector_seen (source_id, hash, seen_at) VALUES "+strings.Join(rows, ", ")+" ON CONFLICT (source_id, hash) DO NOTHING",
				args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: mark seen: %w", err)
	}
	return nil
}

// ForgetSeen drops the hashes older than before, so that the table does
// not grow without end: records older than that are not fetched again by
// a connector whose source keeps a rolling window.
func (c *Connectors) ForgetSeen(ctx context.Context, before time.Time) error {
	if _, err := c.db.w.ExecContext(ctx, "DELETE FROM connector_seen WHERE seen_at < $1", instant(before)); err != nil {
		return fmt.Errorf("store: forget seen: %w", err)
	}
	return nil
}
