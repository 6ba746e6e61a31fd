package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// testNow is the fixed "now" of every test store unless a test sets its own.
var testNow = time.Date(2025, 8, 1, 9, 30, 0, 0, time.UTC)

// engine opens a fresh, migrated store and returns it with its DSN.
type engine struct {
	name string
	open func(t *testing.T) (*store.DB, string)
}

var engines = []engine{
	{"sqlite", openSQLite},
	{"postgres", openPostgres},
}

// forEachEngine runs fn on a fresh store of every engine, as parallel
// subtests named after the engine; the test itself runs in parallel too.
func forEachEngine(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Parallel()
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			db, _ := e.open(t)
			fn(t, db)
		})
	}
}

func openSQLite(t *testing.T) (*store.DB, string) {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "dxtrack.db")
	return mustOpen(t, dsn), dsn
}

// openPostgres opens a store in a fresh schema of the database named by
// DXTRACK_TEST_POSTGRES, dropped when the test ends.
func openPostgres(t *testing.T) (*store.DB, string) {
	t.Helper()
	base := os.Getenv("DXTRACK_TEST_POSTGRES")
	if base == "" {
		t.Skip("DXTRACK_TEST_POSTGRES is not set; set it to a PostgreSQL URL to run the store tests on PostgreSQL")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "dxtrack_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return mustOpen(t, u.String()), u.String()
}

func mustOpen(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	db.Now = func() time.Time { return testNow }
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return db
}

// as returns a context with the user signed in.
func as(u *dxtrack.User) context.Context {
	return dxtrack.NewContextWithUser(context.Background(), u)
}

var sys = as(dxtrack.SystemUser)

// wantCode fails unless err carries the error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := dxtrack.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField fails unless err is EINVALID naming the field with the message.
func wantField(t *testing.T, err error, field, msgID string) {
	t.Helper()
	wantCode(t, err, dxtrack.EINVALID)
	for _, f := range dxtrack.ErrorFields(err) {
		if f.Field == field && f.MsgID == msgID {
			return
		}
	}
	t.Fatalf("error %v does not name field %q with %q", err, field, msgID)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func date(s string) time.Time { return dxtrack.MustDate(s) }

func describe(v any) string { return fmt.Sprintf("%+v", v) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
