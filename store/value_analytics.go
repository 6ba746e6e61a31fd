package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dxtrack/dxtrack"
)

// LoadAnalytics reads everything the analytics engine needs at start, from
// one snapshot: all units (ended ones too, without children counts), all
// lineage, all indicators and all values. It is the store's own read, with
// no user: the caller serves figures to users through its own checks.
// Values carry their figure and provenance but not who set them or when
// (the engine keeps neither, and parsing ten million instants costs
// seconds); FindValues has those. To miss no change, subscribe to the
// feed (Subscribe) before loading.
func (db *DB) LoadAnalytics(ctx context.Context) (units []*dxtrack.Unit, lineage []dxtrack.Lineage,
	indicators []*dxtrack.Indicator, values []dxtrack.Value, err error) {
	tx, err := db.r.BeginTx(ctx, db.snapshot())
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("store: load analytics: %w", err)
	}
	defer tx.Rollback()
	if units, err = allUnits(ctx, tx); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("store: load analytics: units: %w", err)
	}
	if lineage, err = allLineage(ctx, tx); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("store: load analytics: lineage: %w", err)
	}
	if indicators, err = db.queryIndicators(ctx, tx, indicatorSelect+" ORDER BY i.code"); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("store: load analytics: indicators: %w", err)
	}
	// Counting first sizes the slice once: growing it by doubling would
	// briefly hold twice the values.
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM indicator_values").Scan(&n); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("store: load analytics: values: %w", err)
	}
	values = make([]dxtrack.Value, 0, n)
	if err := eachValue(ctx, tx, func(v dxtrack.Value) error {
		values = append(values, v)
		return nil
	}); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("store: load analytics: values: %w", err)
	}
	return units, lineage, indicators, values, nil
}

// EachValue streams every stored value to fn, like LoadAnalytics (figure
// and provenance only), without holding them all in memory; an error
// from fn stops it and is returned.
func (db *DB) EachValue(ctx context.Context, fn func(dxtrack.Value) error) error {
	if err := eachValue(ctx, db.r, fn); err != nil {
		return fmt.Errorf("store: each value: %w", err)
	}
	return nil
}

// eachValue scans the values row by row. Frequencies and provenances are
// read as bytes and mapped to the domain's constants, so that ten million
// rows do not make twenty million small strings.
func eachValue(ctx context.Context, q queryer, fn func(dxtrack.Value) error) error {
	rows, err := q.QueryContext(ctx, `SELECT unit_id, indicator_id, freq, year, n, value, provenance FROM indicator_values`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var freq, provenance sql.RawBytes
	for rows.Next() {
		var v dxtrack.Value
		if err := rows.Scan(&v.UnitID, &v.IndicatorID, &freq, &v.Period.Year, &v.Period.N, &v.Value, &provenance); err != nil {
			return err
		}
		v.Period.Freq = internFreq(freq)
		v.Provenance = internProvenance(provenance)
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

func internFreq(b []byte) dxtrack.Frequency {
	for _, f := range dxtrack.Frequencies {
		if string(b) == string(f) { // compared without allocating
			return f
		}
	}
	return dxtrack.Frequency(b)
}

var provenances = []dxtrack.Provenance{dxtrack.FromManual, dxtrack.FromMachine, dxtrack.FromFormula, dxtrack.FromCorrected}

func internProvenance(b []byte) dxtrack.Provenance {
	for _, p := range provenances {
		if string(b) == string(p) {
			return p
		}
	}
	return dxtrack.Provenance(b)
}

// allUnits reads every unit, current or ended, without the children
// counts of the unit service (a subquery per row the engine does not
// need).
func allUnits(ctx context.Context, q queryer) ([]*dxtrack.Unit, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, code, name_vi, name_en, full_name, type, type_name_vi, type_name_en,
		COALESCE(parent_id, 0), valid_from, valid_to, head, email FROM units ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.Unit{}
	for rows.Next() {
		var u dxtrack.Unit
		var typ, from string
		var to sql.NullString
		if err := rows.Scan(&u.ID, &u.Code, &u.NameVI, &u.NameEN, &u.FullName, &typ, &u.TypeNameVI, &u.TypeNameEN,
			&u.ParentID, &from, &to, &u.Head, &u.Email); err != nil {
			return nil, err
		}
		u.Type, u.ValidFrom, u.ValidTo = dxtrack.UnitType(typ), parseDate(from), parseNullDate(to)
		out = append(out, &u)
	}
	return out, rows.Err()
}

// allLineage reads every lineage link in date order.
func allLineage(ctx context.Context, q queryer) ([]dxtrack.Lineage, error) {
	rows, err := q.QueryContext(ctx, `SELECT from_id, to_id, kind, on_date, note FROM unit_lineage ORDER BY on_date, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []dxtrack.Lineage{}
	for rows.Next() {
		var l dxtrack.Lineage
		var kind, on string
		if err := rows.Scan(&l.FromID, &l.ToID, &kind, &on, &l.Note); err != nil {
			return nil, err
		}
		l.Kind, l.On = dxtrack.LineageKind(kind), parseDate(on)
		out = append(out, l)
	}
	return out, rows.Err()
}
