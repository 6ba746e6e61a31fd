package store

import "context"

// CountSourceTokenRows counts data sources holding the token in the
// clear (in its hash column or anywhere in its hint).
func CountSourceTokenRows(db *DB, token string) (int, error) {
	var n int
	err := db.r.QueryRowContext(context.Background(),
		"SELECT count(*) FROM data_sources WHERE token_hash = $1 OR token_hint = $1", token).Scan(&n)
	return n, err
}
