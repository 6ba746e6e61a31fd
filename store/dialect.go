package store

// The differences between SQLite and PostgreSQL live in this file; all
// other SQL in the package is the portable subset both engines run
// ($N placeholders, RETURNING, ON CONFLICT, ||, LIKE ... ESCAPE).

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"hash/crc32"
	"io/fs"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Engine names returned by (*DB).Engine.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

func isPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openPools opens the writer and reader pools for a DSN. PostgreSQL uses
// one pool for both. SQLite gets a single writer connection, so that
// writers queue in Go instead of failing with SQLITE_BUSY, and a reader
// pool that WAL lets run beside it.
func openPools(dsn string) (engine string, w, r *sql.DB, err error) {
	if isPostgresDSN(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return "", nil, nil, err
		}
		return EnginePostgres, db, db, nil
	}
	if dsn == "" || strings.Contains(dsn, ":memory:") {
		// A memory database is private to its connection: the reader
		// pool would see another, empty database.
		return "", nil, nil, errors.New("an SQLite store needs a file path")
	}
	w, err = sql.Open("sqlite", sqliteDSN(dsn, true))
	if err != nil {
		return "", nil, nil, err
	}
	w.SetMaxOpenConns(1)
	r, err = sql.Open("sqlite", sqliteDSN(dsn, false))
	if err != nil {
		w.Close()
		return "", nil, nil, err
	}
	return EngineSQLite, w, r, nil
}

// sqliteDSN adds the connection pragmas: busy_timeout first so that the
// others never fail on a busy file, then WAL and foreign keys; the writer
// begins its transactions IMMEDIATE so that a transaction that reads
// before it writes cannot fail to upgrade its lock.
func sqliteDSN(path string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(on)")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(on)")
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + q.Encode()
}

func gooseDialect(engine string) goose.Dialect {
	if engine == EnginePostgres {
		return goose.DialectPostgres
	}
	return goose.DialectSQLite3
}

func migrationsFS(engine string) (fs.FS, error) {
	return fs.Sub(migrationFiles, "migrations/"+engine)
}

// migrationLock keeps two dxtrack instances on one PostgreSQL from
// migrating the same schema at once. The lock ID is derived from the
// schema so that stores in different schemas (the tests) do not wait for
// each other. SQLite needs none: its writer is already exclusive.
func migrationLock(ctx context.Context, engine string, db *sql.DB) ([]goose.ProviderOption, error) {
	if engine != EnginePostgres {
		return nil, nil
	}
	var schema string
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return nil, err
	}
	id := int64(crc32.ChecksumIEEE([]byte("dxtrack migrations " + schema)))
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, err
	}
	return []goose.ProviderOption{goose.WithSessionLocker(locker)}, nil
}

// forUpdate locks the rows a read-modify-write reads; SQLite's immediate
// transactions already hold the only write lock.
func (db *DB) forUpdate() string {
	if db.engine == EnginePostgres {
		return " FOR UPDATE"
	}
	return ""
}

// snapshot returns the options of a read transaction whose statements
// all see the same data: PostgreSQL needs REPEATABLE READ for that, while
// an SQLite read transaction on a WAL file already is one snapshot.
func (db *DB) snapshot() *sql.TxOptions {
	if db.engine == EnginePostgres {
		return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return nil
}

// isUniqueViolation reports whether err is a unique-constraint failure,
// which the store turns into a duplicate error on the field when a
// concurrent insert beat its own check.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
