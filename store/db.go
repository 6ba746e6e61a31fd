// Package store implements dxtrack's services over database/sql, with one
// set of SQL statements that runs on SQLite (modernc.org/sqlite, the
// embedded default) and on PostgreSQL (pgx through its stdlib adapter).
// Migrations are embedded and run by Open.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/dxtrack/dxtrack"
)

// DB is an open store. Its services are made with the New...Service
// constructors.
type DB struct {
	// Now returns the current time; every "now" of the store (statuses,
	// audit times, "valid today") comes from it so that tests can fix it.
	Now func() time.Time

	engine string
	dsn    string  // for the change feed's listening connection
	w      *sql.DB // writes: transactions go here
	r      *sql.DB // reads; the same pool as w on PostgreSQL
	feed   *feed
}

// Open opens the store named by dsn and brings its schema up to date. A
// dsn starting with postgres:// or postgresql:// opens PostgreSQL; anything
// else is the path of an SQLite file, created if missing.
func Open(ctx context.Context, dsn string) (*DB, error) {
	engine, w, r, err := openPools(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	db := &DB{Now: time.Now, engine: engine, dsn: dsn, w: w, r: r, feed: newFeed()}
	if err := w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close stops the change feed and closes the database handles.
func (db *DB) Close() error {
	db.feed.close()
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.engine }

// Migrate applies the pending migrations; it does nothing on an up-to-date
// store.
func (db *DB) Migrate(ctx context.Context) error {
	fsys, err := migrationsFS(db.engine)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	opts, err := migrationLock(ctx, db.engine, db.w)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	opts = append(opts,
		goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(goMigrations()...))
	p, err := goose.NewProvider(gooseDialect(db.engine), db.w, fsys, opts...)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// goMigrations are the migrations written in Go, numbered among the SQL
// files: 00002 loads the default categories (the domain's list, so that
// it is not repeated in SQL), 00005 the holiday calendar.
func goMigrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(2, &goose.GoFunc{RunTx: insertDefaultCategories}, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "DELETE FROM categories")
			return err
		}}),
		// 00005 seeds the holiday calendar from the domain's list.
		goose.NewGoMigration(5, &goose.GoFunc{RunTx: insertDefaultCalendar}, &goose.GoFunc{RunTx: deleteCalendar}),
	}
}

func insertDefaultCategories(ctx context.Context, tx *sql.Tx) error {
	for _, c := range dxtrack.DefaultCategories {
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO categories (kind, code, name_vi, name_en, sort) VALUES ($1, $2, $3, $4, $5)",
			string(c.Kind), c.Code, c.NameVI, c.NameEN, c.Sort); err != nil {
			return err
		}
	}
	return nil
}

// Empty reports whether the store holds no units, documents or users: a
// store that `serve --demo` may fill.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx,
		"SELECT (SELECT count(*) FROM units) + (SELECT count(*) FROM documents) + (SELECT count(*) FROM users)").Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: empty: %w", err)
	}
	return n == 0, nil
}

// queryer is what *sql.DB and *sql.Tx share, so helpers serve both reads
// and the reads inside a write transaction.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in a transaction on the writer and commits it if fn
// returns nil.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// today is the current calendar day.
func (db *DB) today() time.Time { return dxtrack.Day(db.Now()) }

// wrap adds where an internal error happened and leaves application
// errors as they are, so that their codes and fields reach the caller.
func wrap(op string, err error) error {
	var e *dxtrack.Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// Dates are stored as 'YYYY-MM-DD' and instants as fixed-width UTC text,
// so that both engines order them as strings.
const instantLayout = "2006-01-02T15:04:05.000000Z"

func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(dxtrack.DateLayout)
}

func instant(t time.Time) string { return t.UTC().Format(instantLayout) }

func parseDate(s string) time.Time {
	t, _ := dxtrack.ParseDate(s)
	return t
}

func parseNullDate(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseDate(s.String)
}

func parseInstant(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func floatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	v := f.Float64
	return &v
}

// where builds a WHERE clause with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// arg adds a value and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return fmt.Sprintf("$%d", len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

// in returns "(ph, ph, ...)" for the values.
func (w *where) in(vals []any) string {
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = w.arg(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// words adds one LIKE condition per folded word of the query on a folded
// column: every word must occur.
func (w *where) words(column, query string) {
	for _, word := range strings.Fields(dxtrack.Fold(query)) {
		w.add(column + ` LIKE ` + w.arg("%"+escapeLike(word)+"%") + ` ESCAPE '\'`)
	}
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// defaultLimit is the page size when a filter does not set one.
const defaultLimit = 1000

// limits returns the LIMIT and OFFSET of a page.
func limits(p dxtrack.Page) (limit, offset int) {
	limit, offset = p.Limit, p.Offset
	if limit <= 0 {
		limit = defaultLimit
	}
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}

// pageSlice pages a list loaded whole (when a filter needs Go).
func pageSlice[T any](items []T, p dxtrack.Page) []T {
	limit, offset := limits(p)
	if offset >= len(items) {
		return []T{}
	}
	return items[offset:min(len(items), offset+limit)]
}
