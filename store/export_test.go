package store

import "context"

// CountRows counts a table's rows, for tests that check nothing was written.
func CountRows(db *DB, table string) (int, error) {
	var n int
	err := db.r.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n)
	return n, err
}

// CountTokenRows counts token rows holding the token in the clear.
func CountTokenRows(db *DB, token string) (int, error) {
	var n int
	err := db.r.QueryRowContext(context.Background(), "SELECT count(*) FROM tokens WHERE hash = $1", token).Scan(&n)
	return n, err
}
