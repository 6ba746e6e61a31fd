package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
)

type valueService struct{ db *DB }

// NewValueService returns the value store over db. Its writes reach the
// change feed (Subscribe).
func NewValueService(db *DB) dxtrack.ValueService { return &valueService{db} }

const valueColumns = `v.unit_id, v.indicator_id, v.freq, v.year, v.n, v.value, v.provenance, v.set_by, v.set_at`

const valueSelect = `SELECT ` + valueColumns + ` FROM indicator_values v`

// scanValue reads the valueColumns of a row, after the lead columns if
// any.
func scanValue(s interface{ Scan(...any) error }, lead ...any) (dxtrack.Value, error) {
	var v dxtrack.Value
	var freq, provenance, at string
	dest := append(lead, &v.UnitID, &v.IndicatorID, &freq, &v.Period.Year, &v.Period.N, &v.Value, &provenance,
		&v.By, &at)
	if err := s.Scan(dest...); err != nil {
		return v, err
	}
	v.Period.Freq, v.Provenance, v.At = dxtrack.Frequency(freq), dxtrack.Provenance(provenance), parseInstant(at)
	return v, nil
}

func (db *DB) queryValues(ctx context.Context, q queryer, query string, args ...any) ([]dxtrack.Value, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []dxtrack.Value{}
	for rows.Next() {
		v, err := scanValue(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// valuesByID loads value rows by ID, in the order of ids; rows that no
// longer exist are left out.
func (db *DB) valuesByID(ctx context.Context, q queryer, ids []int64) ([]dxtrack.Value, error) {
	byID := make(map[int64]dxtrack.Value, len(ids))
	for chunk := range slices.Chunk(uniqueIDs(ids), 500) {
		w := &where{}
		rows, err := q.QueryContext(ctx, "SELECT v.id, "+valueColumns+" FROM indicator_values v WHERE v.id IN "+
			w.in(idArgs(chunk)), w.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			v, err := scanValue(rows, &id)
			if err != nil {
				rows.Close()
				return nil, err
			}
			byID[id] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]dxtrack.Value, 0, len(byID))
	for _, id := range ids {
		if v, ok := byID[id]; ok {
			out = append(out, v)
			delete(byID, id)
		}
	}
	return out, nil
}

// FindValues is for any signed-in user, like the other figures of the
// province. Values come ordered by indicator, unit, frequency and period.
func (s *valueService) FindValues(ctx context.Context, f dxtrack.ValueFilter) ([]dxtrack.Value, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	w := &where{}
	if f.IndicatorID != 0 {
		w.add("v.indicator_id = " + w.arg(f.IndicatorID))
	}
	if f.UnitID != 0 {
		w.add("v.unit_id = " + w.arg(f.UnitID))
	}
	// Keys of one frequency order as their periods do.
	for _, b := range []struct {
		p  *dxtrack.Period
		op string
	}{{f.From, ">="}, {f.To, "<="}} {
		if b.p == nil {
			continue
		}
		if !b.p.Valid() {
			return nil, errPeriod(*b.p)
		}
		w.add("v.freq = " + w.arg(string(b.p.Freq)))
		w.add("v.period_key " + b.op + " " + w.arg(b.p.Key()))
	}
	vs, err := s.db.queryValues(ctx, s.db.r, valueSelect+w.String()+
		" ORDER BY v.indicator_id, v.unit_id, v.freq, v.year, v.n", w.args...)
	return vs, wrap("find values", err)
}

// ValueHistory is for any signed-in user, like the values themselves.
// The trail is the audit of the value's row (entity "value").
func (s *valueService) ValueHistory(ctx context.Context, unitID, indicatorID int64, p dxtrack.Period) ([]*dxtrack.AuditEntry, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	if !p.Valid() {
		return nil, errPeriod(p)
	}
	var id int64
	err := s.db.r.QueryRowContext(ctx, `SELECT id FROM indicator_values WHERE unit_id = $1 AND indicator_id = $2
		AND period_key = $3`, unitID, indicatorID, p.Key()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return []*dxtrack.AuditEntry{}, nil
	}
	if err != nil {
		return nil, wrap("value history", err)
	}
	return (&auditService{s.db}).FindAudit(ctx, "value", id)
}

// SetValues writes values as the user in the context: a reporter of the
// value's unit or an admin over it (SystemUser anywhere). Provenance ""
// means manual; machine values are for SystemUser (the connectors). A
// value equal to the stored one changes nothing. The whole call is
// refused if one value is: EINVALID naming "values[i]", or EFORBIDDEN.
func (s *valueService) SetValues(ctx context.Context, vs []dxtrack.Value, reason string) error {
	user := dxtrack.UserFromContext(ctx)
	if user == nil {
		return errUnauthorized()
	}
	reason = strings.TrimSpace(reason)
	set := func() error {
		return s.db.writeFeed(ctx, func(tx *sql.Tx, pub *published) error {
			if err := s.db.checkValues(ctx, tx, user, vs); err != nil {
				return err
			}
			for _, v := range vs {
				if v.Provenance == "" {
					v.Provenance = dxtrack.FromManual
				}
				if err := s.db.setValue(ctx, tx, user, v, reason, pub); err != nil {
					return err
				}
			}
			return nil
		})
	}
	err := set()
	if isUniqueViolation(err) {
		// A concurrent call created one of the values first: now it
		// exists, and the second try updates it.
		err = set()
	}
	return wrap("set values", err)
}

// checkValues checks values and the user's right to set them.
func (db *DB) checkValues(ctx context.Context, tx *sql.Tx, user *dxtrack.User, vs []dxtrack.Value) error {
	var indicatorIDs, unitIDs []int64
	for _, v := range vs {
		indicatorIDs, unitIDs = append(indicatorIDs, v.IndicatorID), append(unitIDs, v.UnitID)
	}
	indicators, err := db.indicatorsByID(ctx, tx, indicatorIDs)
	if err != nil {
		return err
	}
	paths, err := unitPaths(ctx, tx, unitIDs)
	if err != nil {
		return err
	}
	var p dxtrack.Problems
	forbidden := false
	for i, v := range vs {
		field := "values[" + strconv.Itoa(i) + "]"
		in, path := indicators[v.IndicatorID], paths[v.UnitID]
		if path != nil && !user.CanReport(path) {
			forbidden = true
		}
		switch v.Provenance {
		case "", dxtrack.FromManual:
		case dxtrack.FromMachine:
			if !user.IsSystem() {
				forbidden = true
			}
		default:
			// Formula values are computed, never stored; a correction is
			// the store's to record.
			p.Add(field, "error.unknown_value", map[string]any{"Value": string(v.Provenance)})
			continue
		}
		switch {
		case in == nil:
			p.Add(field, "error.indicator_missing", nil)
		case path == nil:
			p.Add(field, "error.unknown_unit", nil)
		case !v.Period.Valid():
			p.Add(field, "error.unknown_value", map[string]any{"Value": v.Period.Key()})
		case in.Source == dxtrack.SourceFormula:
			p.Add(field, "error.formula_indicator", nil)
		default:
			if msg, args := in.CheckValue(v.Value); msg != "" {
				p.Add(field, msg, args)
			}
		}
	}
	if forbidden {
		return errForbidden()
	}
	return p.Err()
}

// storedValue is the row of a value as the store holds it.
type storedValue struct {
	id         int64
	value      float64
	provenance dxtrack.Provenance
}

// setValue writes one checked value in tx unless the store holds that
// figure already, with its audit row (entity "value", the row's ID), and
// records it for the change feed. A manual figure over a machine one (or
// over an earlier correction of one) is a correction: it needs a reason.
func (db *DB) setValue(ctx context.Context, tx *sql.Tx, user *dxtrack.User, v dxtrack.Value, reason string, pub *published) error {
	key := v.Period.Key()
	var old storedValue
	var provenance string
	err := tx.QueryRowContext(ctx, `SELECT id, value, provenance FROM indicator_values
		WHERE unit_id = $1 AND indicator_id = $2 AND period_key = $3`+db.forUpdate(),
		v.UnitID, v.IndicatorID, key).Scan(&old.id, &old.value, &provenance)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	old.provenance = dxtrack.Provenance(provenance)
	if found && old.value == v.Value {
		return nil
	}
	if found && v.Provenance == dxtrack.FromManual &&
		(old.provenance == dxtrack.FromMachine || old.provenance == dxtrack.FromCorrected) {
		if reason == "" {
			return dxtrack.Invalid("reason", "error.correction_reason", nil)
		}
		v.Provenance = dxtrack.FromCorrected
	}
	v.By, v.At = user.ID, parseInstant(instant(db.Now()))
	id := old.id
	if found {
		_, err = tx.ExecContext(ctx, `UPDATE indicator_values SET value = $1, provenance = $2, set_by = $3, set_at = $4
			WHERE id = $5`, v.Value, string(v.Provenance), v.By, instant(v.At), id)
	} else {
		err = tx.QueryRowContext(ctx, `INSERT INTO indicator_values (unit_id, indicator_id, period_key, freq, year, n,
			value, provenance, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			v.UnitID, v.IndicatorID, key, string(v.Period.Freq), v.Period.Year, v.Period.N, v.Value,
			string(v.Provenance), v.By, instant(v.At)).Scan(&id)
	}
	if err != nil {
		return err
	}
	var cs changes
	oldValue := ""
	if found {
		oldValue = strconv.FormatFloat(old.value, 'f', -1, 64)
	}
	cs.diff("value", oldValue, strconv.FormatFloat(v.Value, 'f', -1, 64))
	cs.diff("provenance", string(old.provenance), string(v.Provenance))
	if err := db.writeAudit(ctx, tx, user, "value", id, cs, reason); err != nil {
		return err
	}
	pub.add(id, v)
	return nil
}

// reportValues writes the values of a finally approved report into the
// value store, at the report's period, as manual figures set by the
// approving user; the regime and period are the reason in the audit.
// Values of formula indicators (computed, never stored) and empty ones
// are left out.
func (db *DB) reportValues(ctx context.Context, tx *sql.Tx, user *dxtrack.User, rg *dxtrack.Regime, r *dxtrack.Report, pub *published) error {
	var ids []int64
	for _, rv := range r.Values {
		ids = append(ids, rv.IndicatorID)
	}
	indicators, err := db.indicatorsByID(ctx, tx, ids)
	if err != nil {
		return err
	}
	if err := db.checkAutomatic(ctx, tx, r, indicators); err != nil {
		return err
	}
	reason := rg.Code + " " + r.Period.Key()
	for _, rv := range r.Values {
		in := indicators[rv.IndicatorID]
		if rv.Value == nil || in == nil || in.Source == dxtrack.SourceFormula {
			continue
		}
		v := dxtrack.Value{UnitID: r.UnitID, IndicatorID: rv.IndicatorID, Period: r.Period, Value: *rv.Value,
			Provenance: dxtrack.FromManual}
		if err := db.setValue(ctx, tx, user, v, reason, pub); err != nil {
			return err
		}
	}
	return nil
}
