package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/dxtrack/dxtrack"
)

type indicatorTargetService struct{ db *DB }

// NewIndicatorTargetService returns the service of targets per indicator,
// unit and year over db.
func NewIndicatorTargetService(db *DB) dxtrack.IndicatorTargetService {
	return &indicatorTargetService{db}
}

const indicatorTargetSelect = `SELECT t.id, t.indicator_id, t.unit_id, t.year, t.baseline_year, t.baseline, t.value
	FROM indicator_targets t`

func (db *DB) queryIndicatorTargets(ctx context.Context, q queryer, query string, args ...any) ([]*dxtrack.IndicatorTarget, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.IndicatorTarget{}
	for rows.Next() {
		var t dxtrack.IndicatorTarget
		if err := rows.Scan(&t.ID, &t.IndicatorID, &t.UnitID, &t.Year, &t.BaselineYear, &t.Baseline, &t.Value); err != nil {
			return nil, err
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}

func (db *DB) indicatorTarget(ctx context.Context, q queryer, id int64, lock bool) (*dxtrack.IndicatorTarget, error) {
	query := indicatorTargetSelect + " WHERE t.id = $1"
	if lock {
		query += db.forUpdate()
	}
	ts, err := db.queryIndicatorTargets(ctx, q, query, id)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, errNotFound()
	}
	return ts[0], nil
}

// FindIndicatorTargets is for any signed-in user; zero IDs do not filter.
// Targets come ordered by indicator, unit and year.
func (s *indicatorTargetService) FindIndicatorTargets(ctx context.Context, indicatorID, unitID int64) ([]*dxtrack.IndicatorTarget, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	w := &where{}
	if indicatorID != 0 {
		w.add("t.indicator_id = " + w.arg(indicatorID))
	}
	if unitID != 0 {
		w.add("t.unit_id = " + w.arg(unitID))
	}
	ts, err := s.db.queryIndicatorTargets(ctx, s.db.r, indicatorTargetSelect+w.String()+
		" ORDER BY t.indicator_id, t.unit_id, t.year", w.args...)
	return ts, wrap("find indicator targets", err)
}

// SetIndicatorTarget creates or updates a target, for admins over its
// unit (and, when an update moves it, over the old unit too). A target
// without an ID takes the place of the one with the same indicator, unit
// and year, if any; an update onto another target's key is refused.
func (s *indicatorTargetService) SetIndicatorTarget(ctx context.Context, t *dxtrack.IndicatorTarget) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		var old *dxtrack.IndicatorTarget
		if t.ID != 0 {
			o, err := s.db.indicatorTarget(ctx, tx, t.ID, true)
			if err != nil {
				return err
			}
			old = o
		}
		r := &refs{ctx: ctx, tx: tx}
		r.add(t.Validate())
		path, err := r.unit("unit", t.UnitID)
		if err != nil {
			return err
		}
		if t.IndicatorID != 0 {
			if ok, err := exists(ctx, tx, "SELECT 1 FROM indicators WHERE id = $1", t.IndicatorID); err != nil {
				return err
			} else if !ok {
				r.p.Add("indicator", "error.indicator_missing", nil)
			}
		}
		if old != nil {
			if oldPath, _, err := unitPath(ctx, tx, old.UnitID); err != nil {
				return err
			} else if !user.CanAdmin(oldPath) {
				return errForbidden()
			}
		}
		if path != nil && !user.CanAdmin(path) {
			return errForbidden()
		}
		if err := r.p.Err(); err != nil {
			return err
		}
		// The target already set for the key, if any.
		var same int64
		err = tx.QueryRowContext(ctx, "SELECT id FROM indicator_targets WHERE indicator_id = $1 AND unit_id = $2 AND year = $3"+
			s.db.forUpdate(), t.IndicatorID, t.UnitID, t.Year).Scan(&same)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		switch {
		case old == nil && same != 0:
			if old, err = s.db.indicatorTarget(ctx, tx, same, false); err != nil {
				return err
			}
			t.ID = same
		case old != nil && same != 0 && same != old.ID:
			return dxtrack.Invalid("year", "error.target_exists", map[string]any{"Year": t.Year})
		}
		if old == nil {
			if err := tx.QueryRowContext(ctx, `INSERT INTO indicator_targets (indicator_id, unit_id, year, baseline_year,
				baseline, value) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, t.IndicatorID, t.UnitID, t.Year,
				t.BaselineYear, t.Baseline, t.Value).Scan(&t.ID); err != nil {
				return err
			}
			return s.db.writeAudit(ctx, tx, user, "indicator_target", t.ID, targetYearChanges(&dxtrack.IndicatorTarget{}, t), "")
		}
		cs := targetYearChanges(old, t)
		if len(cs) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE indicator_targets SET indicator_id = $1, unit_id = $2, year = $3,
			baseline_year = $4, baseline = $5, value = $6 WHERE id = $7`, t.IndicatorID, t.UnitID, t.Year,
			t.BaselineYear, t.Baseline, t.Value, t.ID); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "indicator_target", t.ID, cs, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("year", "error.target_exists", map[string]any{"Year": t.Year})
	}
	return wrap("set indicator target", err)
}

// targetYearChanges lists the changed fields of an indicator target; a new
// one is diffed against the zero target.
func targetYearChanges(old, t *dxtrack.IndicatorTarget) changes {
	var cs changes
	year := func(y int) string {
		if y == 0 {
			return ""
		}
		return strconv.Itoa(y)
	}
	num := func(f float64, isNew bool) string {
		if isNew {
			return ""
		}
		return fmtFloat(&f)
	}
	isNew := old.ID == 0
	cs.diff("indicator_id", fmtID(old.IndicatorID), fmtID(t.IndicatorID))
	cs.diff("unit_id", fmtID(old.UnitID), fmtID(t.UnitID))
	cs.diff("year", year(old.Year), year(t.Year))
	cs.diff("baseline_year", year(old.BaselineYear), year(t.BaselineYear))
	cs.diff("baseline", num(old.Baseline, isNew), fmtFloat(&t.Baseline))
	cs.diff("value", num(old.Value, isNew), fmtFloat(&t.Value))
	return cs
}

// DeleteIndicatorTarget is for admins over the target's unit.
func (s *indicatorTargetService) DeleteIndicatorTarget(ctx context.Context, id int64) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		t, err := s.db.indicatorTarget(ctx, tx, id, true)
		if err != nil {
			return err
		}
		path, _, err := unitPath(ctx, tx, t.UnitID)
		if err != nil {
			return err
		}
		if !user.CanAdmin(path) {
			return errForbidden()
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM indicator_targets WHERE id = $1", id); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "indicator_target", id,
			changes{{"deleted", strconv.Itoa(t.Year) + ": " + fmtFloat(&t.Value), ""}}, "")
	})
	return wrap("delete indicator target", err)
}
