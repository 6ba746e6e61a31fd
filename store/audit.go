package store

import (
	"context"
	"fmt"

	"github.com/dxtrack/dxtrack"
)

type auditService struct{ db *DB }

// NewAuditService returns the audit-trail reader over db.
func NewAuditService(db *DB) dxtrack.AuditService { return &auditService{db} }

// FindAudit returns an entity's entries, newest first. Any signed-in user
// may read the trail.
func (s *auditService) FindAudit(ctx context.Context, entity string, id int64) ([]*dxtrack.AuditEntry, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT id, at, user_id, user_name, entity, entity_id, field, old_value,
		new_value, reason FROM audit WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC`, entity, id)
	if err != nil {
		return nil, fmt.Errorf("store: find audit: %w", err)
	}
	defer rows.Close()
	out := []*dxtrack.AuditEntry{}
	for rows.Next() {
		var e dxtrack.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.UserName, &e.Entity, &e.EntityID, &e.Field, &e.Old, &e.New, &e.Reason); err != nil {
			return nil, fmt.Errorf("store: find audit: %w", err)
		}
		e.At = parseInstant(at)
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find audit: %w", err)
	}
	return out, nil
}
