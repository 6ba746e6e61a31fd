package store

import "context"

// ValueID returns the row ID of a stored value: the audit's entity ID of
// its history.
func ValueID(db *DB, unitID, indicatorID int64, periodKey string) (int64, error) {
	var id int64
	err := db.r.QueryRowContext(context.Background(),
		"SELECT id FROM indicator_values WHERE unit_id = $1 AND indicator_id = $2 AND period_key = $3",
		unitID, indicatorID, periodKey).Scan(&id)
	return id, err
}
