package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/dxtrack/dxtrack"
)

// Figures that came from another system in report forms: the form shows
// them locked (ReportForm.Automatic), a save keeps them unless the unit
// corrects them with a reason, and an approval never overwrites them with
// a different figure.

// automaticValues loads the value store's machine and corrected figures
// of a unit for a period, per indicator, each with the author and reason
// of its last audited change.
func (db *DB) automaticValues(ctx context.Context, q queryer, unitID int64, p dxtrack.Period) (map[int64]*dxtrack.AutoValue, error) {
	out := map[int64]*dxtrack.AutoValue{}
	if !p.Valid() {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, "SELECT v.id, "+valueColumns+` FROM indicator_values v
		WHERE v.unit_id = $1 AND v.period_key = $2 AND v.freq = $3 AND v.provenance IN ($4, $5)`,
		unitID, p.Key(), string(p.Freq), string(dxtrack.FromMachine), string(dxtrack.FromCorrected))
	if err != nil {
		return nil, err
	}
	ids := map[int64]int64{}
	for rows.Next() {
		var id int64
		v, err := scanValue(rows, &id)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out[v.IndicatorID] = &dxtrack.AutoValue{Value: v}
		ids[v.IndicatorID] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for indicatorID, id := range ids {
		a := out[indicatorID]
		err := q.QueryRowContext(ctx, `SELECT user_name, reason FROM audit WHERE entity = 'value' AND entity_id = $1
			ORDER BY id DESC LIMIT 1`, id).Scan(&a.ByName, &a.Reason)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	return out, nil
}

// correction is a unit's change of a figure that came from another
// system, with its reason.
type correction struct {
	value  dxtrack.Value
	field  string // "value.CODE"
	reason string
}

// keepAutomatic holds the figures of next that came from another system:
// a value left empty or equal to the stored figure takes the stored
// figure; a different one is a correction, which needs a reason (EINVALID
// naming "value.CODE" otherwise). It returns the corrections to write.
func keepAutomatic(next *dxtrack.Report, indicators map[int64]*dxtrack.Indicator, auto map[int64]*dxtrack.AutoValue) ([]correction, error) {
	var p dxtrack.Problems
	var out []correction
	for i := range next.Values {
		v := &next.Values[i]
		a, in := auto[v.IndicatorID], indicators[v.IndicatorID]
		reason := strings.TrimSpace(v.Reason)
		v.Reason = ""
		if a == nil || in == nil {
			continue
		}
		if v.Value == nil || *v.Value == a.Value.Value {
			x := a.Value.Value
			v.Value, v.Prefilled = &x, false
			continue
		}
		field := "value." + in.Code
		if reason == "" {
			p.Add(field, "error.correction_reason", nil)
			continue
		}
		v.Prefilled = false
		out = append(out, correction{field: field, reason: reason, value: dxtrack.Value{UnitID: next.UnitID,
			IndicatorID: v.IndicatorID, Period: next.Period, Value: *v.Value, Provenance: dxtrack.FromManual}})
	}
	return out, p.Err()
}

// writeCorrections writes corrections into the value store as the user
// (provenance corrected, the reason in the value's audit trail).
func (db *DB) writeCorrections(ctx context.Context, tx *sql.Tx, user *dxtrack.User, cs []correction, pub *published) error {
	for _, c := range cs {
		if err := db.setValue(ctx, tx, user, c.value, c.reason, pub); err != nil {
			return err
		}
	}
	return nil
}

// checkAutomatic refuses to approve a report whose figure differs from
// one another system supplied since the unit saved it, naming the field:
// the unit has to take the new figure or correct it with a reason.
func (db *DB) checkAutomatic(ctx context.Context, tx *sql.Tx, r *dxtrack.Report, indicators map[int64]*dxtrack.Indicator) error {
	auto, err := db.automaticValues(ctx, tx, r.UnitID, r.Period)
	if err != nil {
		return err
	}
	var p dxtrack.Problems
	for _, rv := range r.Values {
		a, in := auto[rv.IndicatorID], indicators[rv.IndicatorID]
		if a == nil || in == nil || rv.Value == nil || *rv.Value == a.Value.Value {
			continue
		}
		p.Add("value."+in.Code, "error.dhis2_automatic_changed", map[string]any{"Value": a.Value.Value})
	}
	return p.Err()
}
