package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
)

// UnitResolver maps unit codes, today's and former ones, to today's unit:
// machine data and DHIS2 exports still carry the codes of pre-2025
// districts and former provinces. It is an immutable snapshot of the
// units and their lineage, safe for concurrent use; callers keep one and
// ask Stale now and then whether to build a new one (a cheap query that
// sees new units, unit changes and lineage).
type UnitResolver struct {
	byCode  map[string]resolved
	version string
	built   time.Time
}

// resolved is what a code resolves to: a unit or an error.
type resolved struct {
	id  int64
	err error
}

// UnitResolver loads every unit and the lineage between them and resolves
// each code once: a unit current today gives itself; an ended unit follows
// its lineage (merges, and a split into one unit) to today's successor,
// transitively; an ended unit with several successors is ambiguous, one
// with none is unknown.
func (db *DB) UnitResolver(ctx context.Context) (*UnitResolver, error) {
	version, err := db.unitsVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: unit resolver: %w", err)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, code, valid_from, valid_to FROM units`)
	if err != nil {
		return nil, fmt.Errorf("store: unit resolver: %w", err)
	}
	type unit struct {
		code    string
		current bool
	}
	today := db.today()
	units := map[int64]unit{}
	for rows.Next() {
		var id int64
		var code, from string
		var to sql.NullString
		if err := rows.Scan(&id, &code, &from, &to); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: unit resolver: %w", err)
		}
		end := parseNullDate(to)
		units[id] = unit{code: code, current: end.IsZero() || end.After(today)}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unit resolver: %w", err)
	}
	next := map[int64][]int64{}
	lrows, err := db.r.QueryContext(ctx, `SELECT from_id, to_id FROM unit_lineage ORDER BY on_date, id`)
	if err != nil {
		return nil, fmt.Errorf("store: unit resolver: %w", err)
	}
	for lrows.Next() {
		var from, to int64
		if err := lrows.Scan(&from, &to); err != nil {
			lrows.Close()
			return nil, fmt.Errorf("store: unit resolver: %w", err)
		}
		if !slices.Contains(next[from], to) {
			next[from] = append(next[from], to)
		}
	}
	lrows.Close()
	if err := lrows.Err(); err != nil {
		return nil, fmt.Errorf("store: unit resolver: %w", err)
	}

	// successors returns today's units an ended unit leads to.
	var successors func(id int64, seen map[int64]bool) []int64
	successors = func(id int64, seen map[int64]bool) []int64 {
		if seen[id] {
			return nil
		}
		seen[id] = true
		if u, ok := units[id]; ok && u.current {
			return []int64{id}
		}
		var out []int64
		for _, to := range next[id] {
			for _, s := range successors(to, seen) {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
		return out
	}
	r := &UnitResolver{byCode: make(map[string]resolved, len(units)), version: version, built: db.Now()}
	for id, u := range units {
		if u.current {
			r.byCode[u.code] = resolved{id: id}
			continue
		}
		switch s := successors(id, map[int64]bool{}); len(s) {
		case 0:
			r.byCode[u.code] = resolved{err: dxtrack.Invalid("unit", "error.ingest_unit_unknown", map[string]any{"Code": u.code})}
		case 1:
			r.byCode[u.code] = resolved{id: s[0]}
		default:
			var codes []string
			for _, id := range s {
				codes = append(codes, units[id].code)
			}
			slices.Sort(codes)
			r.byCode[u.code] = resolved{err: dxtrack.Invalid("unit", "error.ingest_unit_ambiguous",
				map[string]any{"Code": u.code, "Value": strings.Join(codes, ", ")})}
		}
	}
	return r, nil
}

// Resolve returns today's unit for a code, or EINVALID on the field
// "unit" with error.ingest_unit_unknown (no such code, or an ended unit
// without successor) or error.ingest_unit_ambiguous (it was split).
// Codes are compared after trimming spaces.
func (r *UnitResolver) Resolve(code string) (int64, error) {
	code = strings.TrimSpace(code)
	res, ok := r.byCode[code]
	if !ok {
		return 0, dxtrack.Invalid("unit", "error.ingest_unit_unknown", map[string]any{"Code": code})
	}
	return res.id, res.err
}

// Stale reports whether the units or their lineage changed since the
// resolver was built, or maxAge passed (a unit may end on a later day
// without any write); callers then build a new one.
func (db *DB) Stale(ctx context.Context, r *UnitResolver, maxAge time.Duration) (bool, error) {
	if r == nil || db.Now().Sub(r.built) > maxAge {
		return true, nil
	}
	v, err := db.unitsVersion(ctx)
	if err != nil {
		return false, fmt.Errorf("store: unit resolver: %w", err)
	}
	return v != r.version, nil
}

// unitsVersion is a fingerprint of the units and their lineage: every
// change of a unit is a row of unit_changes, and new units and links add
// rows.
func (db *DB) unitsVersion(ctx context.Context) (string, error) {
	var units, changes, links, maxUnit int64
	err := db.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM units), (SELECT COALESCE(max(id), 0) FROM units),
		(SELECT COALESCE(max(id), 0) FROM unit_changes), (SELECT COALESCE(max(id), 0) FROM unit_lineage)`).
		Scan(&units, &maxUnit, &changes, &links)
	return fmt.Sprintf("%d/%d/%d/%d", units, maxUnit, changes, links), err
}
