package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
)

// Permission checks: every service method asks the user in the context,
// so that the UI and the API cannot disagree.

func errUnauthorized() error {
	return dxtrack.Errorf(dxtrack.EUNAUTHORIZED, "error.unauthorized", nil)
}

func errForbidden() error { return dxtrack.Errorf(dxtrack.EFORBIDDEN, "error.forbidden", nil) }

func errNotFound() error { return dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil) }

func errInUse() error { return dxtrack.Errorf(dxtrack.ECONFLICT, "error.in_use", nil) }

// reader returns the signed-in user, or EUNAUTHORIZED: reading needs one.
func reader(ctx context.Context) (*dxtrack.User, error) {
	u := dxtrack.UserFromContext(ctx)
	if u == nil {
		return nil, errUnauthorized()
	}
	return u, nil
}

// parsePath reads a materialized path "/1/7/123/" into its IDs, root first.
func parsePath(s string) []int64 {
	var ids []int64
	for _, part := range strings.Split(strings.Trim(s, "/"), "/") {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// unitPath returns the ancestor IDs of a unit, root first, the unit last;
// ok is false when the unit does not exist.
func unitPath(ctx context.Context, q queryer, id int64) (path []int64, ok bool, err error) {
	if id == 0 {
		return nil, false, nil
	}
	var s string
	err = q.QueryRowContext(ctx, "SELECT path FROM units WHERE id = $1", id).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return parsePath(s), true, nil
}

// allow returns EFORBIDDEN unless ok, or EUNAUTHORIZED when nobody is
// signed in.
func allow(u *dxtrack.User, ok bool) error {
	switch {
	case u == nil:
		return errUnauthorized()
	case !ok:
		return errForbidden()
	}
	return nil
}

// change is one changed field of an audited write.
type change struct {
	field, old, new string
}

// changes collects the fields that differ.
type changes []change

func (c *changes) diff(field, old, new string) {
	if old != new {
		*c = append(*c, change{field, old, new})
	}
}

// writeAudit records the changes to an entity in the caller's transaction.
func (db *DB) writeAudit(ctx context.Context, tx *sql.Tx, u *dxtrack.User, entity string, id int64, cs changes, reason string) error {
	at := instant(db.Now())
	var uid int64
	name := ""
	if u != nil {
		uid, name = u.ID, u.Name
		if name == "" {
			name = u.Username
		}
	}
	for _, c := range cs {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO audit (at, user_id, user_name, entity, entity_id, field, old_value, new_value, reason)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			at, uid, name, entity, id, c.field, c.old, c.new, reason); err != nil {
			return err
		}
	}
	return nil
}

// Formatting of audited values.

func fmtFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func fmtID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func fmtIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}
