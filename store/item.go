package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/dxtrack/dxtrack"
)

// Helpers shared by targets and tasks: references, the natural sort key,
// overrides, search, access checks, deletion.

// sortKey orders codes naturally ("MT2" before "MT10") by padding every
// run of digits to a fixed width; both engines then sort it as bytes.
func sortKey(code string) string {
	var b strings.Builder
	runes := []rune(code)
	for i := 0; i < len(runes); {
		if !unicode.IsDigit(runes[i]) {
			b.WriteRune(unicode.ToLower(runes[i]))
			i++
			continue
		}
		j := i
		for j < len(runes) && unicode.IsDigit(runes[j]) {
			j++
		}
		digits := strings.TrimLeft(string(runes[i:j]), "0")
		if len(digits) < 12 {
			b.WriteString(strings.Repeat("0", 12-len(digits)))
		}
		b.WriteString(digits)
		i = j
	}
	return b.String()
}

// refs checks what an item points to and collects the problems.
type refs struct {
	ctx context.Context
	tx  *sql.Tx
	p   dxtrack.Problems
}

// document returns the item's document, or nil with a problem.
func (r *refs) document(db *DB, id int64) (*dxtrack.Document, error) {
	d, err := db.document(r.ctx, r.tx, id)
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		r.p.Add("document", "error.unknown_document", nil)
		return nil, nil
	}
	return d, err
}

// unit returns the path of a unit, or nil with a problem if it does not
// exist; 0 is left to the domain's validation.
func (r *refs) unit(field string, id int64) ([]int64, error) {
	path, ok, err := unitPath(r.ctx, r.tx, id)
	if err != nil || id == 0 {
		return nil, err
	}
	if !ok {
		r.p.Add(field, "error.unknown_unit", map[string]any{"Code": fmtID(id)})
	}
	return path, nil
}

// category checks that id is 0 or a category of one of the kinds.
func (r *refs) category(field string, id int64, kinds ...dxtrack.CategoryKind) error {
	if id == 0 {
		return nil
	}
	var kind string
	err := r.tx.QueryRowContext(r.ctx, "SELECT kind FROM categories WHERE id = $1", id).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !slices.Contains(kinds, dxtrack.CategoryKind(kind))) {
		r.p.Add(field, "error.unknown_category", nil)
		return nil
	}
	return err
}

// duplicate adds a problem if another item of the document has the code.
func (r *refs) duplicate(table string, docID, id int64, code string) error {
	if code == "" || docID == 0 {
		return nil
	}
	dup, err := exists(r.ctx, r.tx, "SELECT 1 FROM "+table+" WHERE document_id = $1 AND code = $2 AND id <> $3", docID, code, id)
	if err == nil && dup {
		r.p.Add("code", "error.duplicate_code", map[string]any{"Code": code})
	}
	return err
}

// add merges the problems of a domain validation.
func (r *refs) add(err error) { r.p = append(r.p, dxtrack.ErrorFields(err)...) }

// overrideCols are read into an overrideRow.
type overrideRow struct {
	status sql.NullString
	reason string
	by     int64
	byName string
	at     sql.NullString
}

func (o *overrideRow) targets() []any { return []any{&o.status, &o.reason, &o.by, &o.byName, &o.at} }

func (o *overrideRow) override() *dxtrack.Override {
	if !o.status.Valid || o.status.String == "" {
		return nil
	}
	return &dxtrack.Override{Status: dxtrack.Status(o.status.String), Reason: o.reason, By: o.by, ByName: o.byName,
		At: parseInstant(o.at.String)}
}

// overrideArgs are the column values of an override (nil clears it).
func overrideArgs(o *dxtrack.Override) []any {
	if o == nil {
		return []any{nil, "", int64(0), "", nil}
	}
	return []any{string(o.Status), o.Reason, o.By, o.ByName, instant(o.At)}
}

// newOverride validates an override and stamps it with the user and time.
func (db *DB) newOverride(u *dxtrack.User, o *dxtrack.Override) (*dxtrack.Override, error) {
	if o == nil {
		return nil, nil
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	name := u.Name
	if name == "" {
		name = u.Username
	}
	return &dxtrack.Override{Status: o.Status, Reason: strings.TrimSpace(o.Reason), By: u.ID, ByName: name,
		At: parseInstant(instant(db.Now()))}, nil
}

func overrideStatus(o *dxtrack.Override) string {
	if o == nil {
		return ""
	}
	return string(o.Status)
}

// idArgs turns IDs into query arguments.
func idArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// uniqueIDs sorts ids and drops zeros and repeats.
func uniqueIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > 0 && out[0] == 0 {
		out = out[1:]
	}
	if out == nil {
		out = []int64{}
	}
	return out
}

func fmtDay(t time.Time) string { return dxtrack.FormatDate(t) }

// statusItem is a target or a task: its status depends on the day.
type statusItem interface {
	Status(now time.Time) dxtrack.Status
}

// findItems runs a target or task search. A status filter is applied in
// Go (status depends on the day) and the matches paged; otherwise the
// database counts and pages. table names the list in errors and the count.
func findItems[T statusItem](ctx context.Context, db *DB, table, selectSQL, order string, w *where,
	status dxtrack.Status, page dxtrack.Page,
	query func(ctx context.Context, q queryer, query string, args ...any) ([]T, error)) ([]T, int, error) {
	if status != "" {
		all, err := query(ctx, db.r, selectSQL+w.String()+order, w.args...)
		if err != nil {
			return nil, 0, fmt.Errorf("store: find %s: %w", table, err)
		}
		now := db.Now()
		match := []T{}
		for _, t := range all {
			if t.Status(now) == status {
				match = append(match, t)
			}
		}
		return pageSlice(match, page), len(match), nil
	}
	var total int
	if err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" t"+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: find %s: %w", table, err)
	}
	limit, offset := limits(page)
	items, err := query(ctx, db.r, selectSQL+w.String()+order+fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find %s: %w", table, err)
	}
	return items, total, nil
}

// itemAccess loads and saves one target or task inside a transaction.
type itemAccess[T any] struct {
	kind     string // audit entity and error noun: "target" or "task"
	table    string
	load     func(ctx context.Context, tx *sql.Tx, id int64) (T, error) // locks the row
	save     func(ctx context.Context, tx *sql.Tx, t T) error
	check    func(ctx context.Context, tx *sql.Tx, t T) ([]int64, dxtrack.Problems, error)
	leadUnit func(T) int64
	code     func(T) string
	override func(T) **dxtrack.Override
}

// loadFor loads and locks an item if the user may act on its lead unit.
func (a itemAccess[T]) loadFor(ctx context.Context, tx *sql.Tx, id int64, may func(path []int64) bool) (T, error) {
	var zero T
	t, err := a.load(ctx, tx, id)
	if err != nil {
		return zero, err
	}
	path, _, err := unitPath(ctx, tx, a.leadUnit(t))
	if err != nil {
		return zero, err
	}
	if !may(path) {
		return zero, errForbidden()
	}
	return t, nil
}

// checkAdmin validates an item about to be written and refuses it unless
// the user may admin its (new) lead unit.
func (a itemAccess[T]) checkAdmin(ctx context.Context, tx *sql.Tx, user *dxtrack.User, t T) error {
	path, p, err := a.check(ctx, tx, t)
	if err != nil {
		return err
	}
	if path != nil && !user.CanAdmin(path) {
		return errForbidden()
	}
	return p.Err()
}

// writeErr reports a clash of codes as the user's mistake and wraps the
// rest for the operation op ("create", "update").
func (a itemAccess[T]) writeErr(op, code string, err error) error {
	if isUniqueViolation(err) {
		return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": code})
	}
	return wrap(op+" "+a.kind, err)
}

// setOverride sets (o != nil) or clears the override of an item, audited
// with the override's reason.
func (a itemAccess[T]) setOverride(ctx context.Context, db *DB, id int64, o *dxtrack.Override) (T, error) {
	var out, zero T
	user := dxtrack.UserFromContext(ctx)
	if user == nil {
		return zero, errUnauthorized()
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		t, err := a.loadFor(ctx, tx, id, user.CanOverride)
		if err != nil {
			return err
		}
		next, err := db.newOverride(user, o)
		if err != nil {
			return err
		}
		out = t
		cur := a.override(t)
		if next == nil && *cur == nil {
			return nil
		}
		old := overrideStatus(*cur)
		*cur = next
		if err := a.save(ctx, tx, t); err != nil {
			return err
		}
		reason := ""
		if next != nil {
			reason = next.Reason
		}
		return db.writeAudit(ctx, tx, user, a.kind, id, changes{{"override", old, overrideStatus(next)}}, reason)
	})
	if err != nil {
		return zero, wrap("set "+a.kind+" override", err)
	}
	return out, nil
}

// delete removes an item, for an admin of its lead unit.
func (a itemAccess[T]) delete(ctx context.Context, db *DB, id int64) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		t, err := a.loadFor(ctx, tx, id, user.CanAdmin)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+a.table+" WHERE id = $1", id); err != nil {
			return err
		}
		return db.writeAudit(ctx, tx, user, a.kind, id, changes{{"deleted", a.code(t), ""}}, "")
	})
	return wrap("delete "+a.kind, err)
}
