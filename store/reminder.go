package store

import (
	"context"
	"fmt"
	"time"

	"github.com/dxtrack/dxtrack"
)

// reminderStore keeps what the reminder job needs from the store. The job
// runs as dxtrack.SystemUser; the methods only ask that someone is
// signed in.
type reminderStore struct{ db *DB }

// NewReminderStore returns the reminder bookkeeping over db.
func NewReminderStore(db *DB) dxtrack.ReminderStore { return &reminderStore{db} }

// ClaimReminder inserts the key; a key already there (sent, or being sent
// by another instance) makes the insert do nothing and the claim fail.
func (s *reminderStore) ClaimReminder(ctx context.Context, key string, at time.Time) (bool, error) {
	if _, err := reader(ctx); err != nil {
		return false, err
	}
	res, err := s.db.w.ExecContext(ctx, "INSERT INTO reminders_sent (key, sent_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
		key, instant(at))
	if err != nil {
		return false, fmt.Errorf("store: claim reminder: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: claim reminder: %w", err)
	}
	return n == 1, nil
}

func (s *reminderStore) ReleaseReminder(ctx context.Context, key string) error {
	if _, err := reader(ctx); err != nil {
		return err
	}
	if _, err := s.db.w.ExecContext(ctx, "DELETE FROM reminders_sent WHERE key = $1", key); err != nil {
		return fmt.Errorf("store: release reminder: %w", err)
	}
	return nil
}

// Contacts returns, for each existing unit asked for, the addresses of its
// enabled reporters and the unit's own address as its head's.
func (s *reminderStore) Contacts(ctx context.Context, unitIDs []int64) (map[int64]dxtrack.Contacts, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	out, err := s.contacts(ctx, unitIDs)
	if err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	return out, nil
}

func (s *reminderStore) contacts(ctx context.Context, unitIDs []int64) (map[int64]dxtrack.Contacts, error) {
	out := map[int64]dxtrack.Contacts{}
	ids := uniqueIDs(unitIDs)
	if len(ids) == 0 {
		return out, nil
	}
	w := &where{}
	rows, err := s.db.r.QueryContext(ctx, "SELECT id, email FROM units WHERE id IN "+w.in(idArgs(ids)), w.args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = dxtrack.Contacts{Head: email}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	reporters, err := s.db.reporters(ctx, s.db.r, ids)
	if err != nil {
		return nil, err
	}
	for _, u := range reporters {
		if u.Email == "" {
			continue
		}
		c := out[u.UnitID]
		c.Reporters = append(c.Reporters, u.Email)
		out[u.UnitID] = c
	}
	return out, nil
}

func (s *reminderStore) LeaderEmails(ctx context.Context) ([]string, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT DISTINCT email FROM users WHERE role = $1 AND disabled = $2 AND email <> ''
		ORDER BY email`, string(dxtrack.RoleLeader), false)
	if err != nil {
		return nil, fmt.Errorf("store: leader emails: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, fmt.Errorf("store: leader emails: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: leader emails: %w", err)
	}
	return out, nil
}
