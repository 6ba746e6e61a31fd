package dxtrack

import (
	"context"
	"time"
)

// AuditEntry records one changed field: who, when, old value, new value,
// why. Stores write it in the transaction of the change.
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id"`
	UserName string    `json:"user_name"`
	Entity   string    `json:"entity"` // "target", "task", "document", "unit", "user"
	EntityID int64     `json:"entity_id"`
	Field    string    `json:"field"`
	Old      string    `json:"old"`
	New      string    `json:"new"`
	Reason   string    `json:"reason,omitempty"`
}

// AuditService reads the audit trail.
type AuditService interface {
	// FindAudit returns an entity's entries, newest first.
	FindAudit(ctx context.Context, entity string, id int64) ([]*AuditEntry, error)
}
