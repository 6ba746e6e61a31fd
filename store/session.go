package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// SessionStore keeps scs sessions in the sessions table. Expired rows are
// never returned, and are purged now and then on commit.
type SessionStore struct {
	db *DB

	mu        sync.Mutex
	lastPurge time.Time
}

// NewSessionStore returns a session store for scs (it implements
// scs.Store and scs.CtxStore).
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

// purgeEvery is how often Commit also deletes expired sessions.
const purgeEvery = 10 * time.Minute

// FindCtx returns the data of a live session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.r.QueryRowContext(ctx, "SELECT data FROM sessions WHERE token = $1 AND expiry > $2",
		token, s.db.Now().UnixMilli()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("store: find session: %w", err)
	}
	return b, true, nil
}

// CommitCtx adds or replaces a session.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
			ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
			token, b, expiry.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: commit session: %w", err)
	}
	return s.purge(ctx)
}

// DeleteCtx removes a session; a missing one is no error.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token = $1", token)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// purge deletes expired sessions if it has not done so for a while.
func (s *SessionStore) purge(ctx context.Context) error {
	now := s.db.Now()
	s.mu.Lock()
	due := now.Sub(s.lastPurge) >= purgeEvery || now.Before(s.lastPurge)
	if due {
		s.lastPurge = now
	}
	s.mu.Unlock()
	if !due {
		return nil
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expiry <= $1", now.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: purge sessions: %w", err)
	}
	return nil
}

// Find is FindCtx without a context.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}
