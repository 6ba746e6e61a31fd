package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/formula"
)

type indicatorService struct{ db *DB }

// NewIndicatorService returns the indicator service over db.
func NewIndicatorService(db *DB) dxtrack.IndicatorService { return &indicatorService{db} }

const indicatorSelect = `SELECT i.id, i.code, i.name_vi, i.name_en, i.measure, i.type, i.decimals, i.min_value,
	i.max_value, i.direction, COALESCE(i.owner_unit_id, 0), i.unit_agg, i.time_agg, COALESCE(i.denominator_id, 0),
	i.condition, i.threshold, i.source, i.formula, COALESCE(i.pillar_id, 0) FROM indicators i`

func (db *DB) queryIndicators(ctx context.Context, q queryer, query string, args ...any) ([]*dxtrack.Indicator, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.Indicator{}
	for rows.Next() {
		var in dxtrack.Indicator
		var typ, direction, unitAgg, timeAgg, cond, source string
		var lo, hi sql.NullFloat64
		if err := rows.Scan(&in.ID, &in.Code, &in.NameVI, &in.NameEN, &in.Measure, &typ, &in.Decimals, &lo, &hi,
			&direction, &in.OwnerUnitID, &unitAgg, &timeAgg, &in.DenominatorID, &cond, &in.Threshold, &source,
			&in.Formula, &in.PillarID); err != nil {
			return nil, err
		}
		in.Type, in.Direction = dxtrack.ValueType(typ), dxtrack.Direction(direction)
		in.UnitAgg, in.TimeAgg, in.Condition = dxtrack.UnitAgg(unitAgg), dxtrack.TimeAgg(timeAgg), dxtrack.RuleOp(cond)
		in.Source = dxtrack.Source(source)
		in.Min, in.Max = floatPtr(lo), floatPtr(hi)
		out = append(out, &in)
	}
	return out, rows.Err()
}

func (db *DB) indicatorBy(ctx context.Context, q queryer, cond string, arg any) (*dxtrack.Indicator, error) {
	ins, err := db.queryIndicators(ctx, q, indicatorSelect+" WHERE "+cond, arg)
	if err != nil {
		return nil, err
	}
	if len(ins) == 0 {
		return nil, errNotFound()
	}
	return ins[0], nil
}

// indicatorsByID loads the indicators with the given IDs.
func (db *DB) indicatorsByID(ctx context.Context, q queryer, ids []int64) (map[int64]*dxtrack.Indicator, error) {
	out := map[int64]*dxtrack.Indicator{}
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return out, nil
	}
	w := &where{}
	ins, err := db.queryIndicators(ctx, q, indicatorSelect+" WHERE i.id IN "+w.in(idArgs(ids)), w.args...)
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		out[in.ID] = in
	}
	return out, nil
}

func indicatorSearch(in *dxtrack.Indicator) string {
	return dxtrack.Fold(strings.Join([]string{in.Code, in.NameVI, in.NameEN}, " "))
}

func (s *indicatorService) FindIndicatorByID(ctx context.Context, id int64) (*dxtrack.Indicator, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	in, err := s.db.indicatorBy(ctx, s.db.r, "i.id = $1", id)
	return in, wrap("find indicator", err)
}

func (s *indicatorService) FindIndicatorByCode(ctx context.Context, code string) (*dxtrack.Indicator, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	in, err := s.db.indicatorBy(ctx, s.db.r, "i.code = $1", strings.TrimSpace(code))
	return in, wrap("find indicator by code", err)
}

func (s *indicatorService) FindIndicators(ctx context.Context, query string) ([]*dxtrack.Indicator, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	w := &where{}
	w.words("i.search", query)
	ins, err := s.db.queryIndicators(ctx, s.db.r, indicatorSelect+w.String()+" ORDER BY i.code", w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: find indicators: %w", err)
	}
	return ins, nil
}

// checkIndicator validates an indicator with its owner unit and code; it
// returns the owner's path (nil when none or unknown).
func (db *DB) checkIndicator(ctx context.Context, tx *sql.Tx, in *dxtrack.Indicator) ([]int64, dxtrack.Problems, error) {
	r := &refs{ctx: ctx, tx: tx}
	r.add(in.Validate())
	path, err := r.unit("owner_unit", in.OwnerUnitID)
	if err != nil {
		return nil, nil, err
	}
	if err := r.category("pillar", in.PillarID, dxtrack.CategoryPillar, dxtrack.CategoryFoundation); err != nil {
		return nil, nil, err
	}
	if in.Code != "" {
		dup, err := exists(ctx, tx, "SELECT 1 FROM indicators WHERE code = $1 AND id <> $2", in.Code, in.ID)
		if err != nil {
			return nil, nil, err
		}
		if dup {
			r.p.Add("code", "error.duplicate_code", map[string]any{"Code": in.Code})
		}
	}
	if err := checkAggregation(ctx, tx, in, &r.p); err != nil {
		return nil, nil, err
	}
	// A formula is checked against the others only once the indicator's
	// own fields hold, so that one save reports one kind of problem.
	if len(r.p) == 0 {
		if err := checkFormulas(ctx, tx, in, db.forUpdate(), &r.p); err != nil {
			return nil, nil, err
		}
	}
	return path, r.p, nil
}

// checkAggregation validates how the indicator aggregates and where its
// values come from, and clears the fields its aggregation does not use,
// so that a stored indicator never carries a stale denominator or
// condition.
func checkAggregation(ctx context.Context, tx *sql.Tx, in *dxtrack.Indicator, p *dxtrack.Problems) error {
	switch in.UnitAgg {
	case "", dxtrack.AggSum, dxtrack.AggAvg, dxtrack.AggRatio, dxtrack.AggMin, dxtrack.AggMax, dxtrack.AggCount, dxtrack.AggShare:
	default:
		p.Add("unit_agg", "error.unknown_value", map[string]any{"Value": string(in.UnitAgg)})
	}
	switch in.TimeAgg {
	case "", dxtrack.TimeSum, dxtrack.TimeLast, dxtrack.TimeAvg:
	default:
		p.Add("time_agg", "error.unknown_value", map[string]any{"Value": string(in.TimeAgg)})
	}
	switch in.Source {
	case "", dxtrack.SourceManual, dxtrack.SourceFormula, dxtrack.SourceMachine:
	default:
		p.Add("source", "error.unknown_value", map[string]any{"Value": string(in.Source)})
	}
	in.Formula = strings.TrimSpace(in.Formula)
	if in.Source == dxtrack.SourceFormula {
		if in.Formula == "" {
			p.Add("formula", "error.required", nil)
		}
	} else if in.Formula != "" {
		// The analytics treat any indicator with a formula as computed.
		p.Add("formula", "error.formula_source", nil)
	}
	if in.UnitAgg == dxtrack.AggRatio {
		switch {
		case in.DenominatorID == 0:
			p.Add("denominator_id", "error.required", nil)
		case in.DenominatorID == in.ID:
			p.Add("denominator_id", "error.self_parent", nil)
		default:
			var source string
			err := tx.QueryRowContext(ctx, "SELECT source FROM indicators WHERE id = $1", in.DenominatorID).Scan(&source)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				p.Add("denominator_id", "error.indicator_missing", nil)
			case err != nil:
				return err
			case dxtrack.Source(source) == dxtrack.SourceFormula:
				p.Add("denominator_id", "error.denominator_formula", nil)
			}
		}
	} else {
		in.DenominatorID = 0
	}
	if in.UnitAgg == dxtrack.AggCount || in.UnitAgg == dxtrack.AggShare {
		switch in.Condition {
		case dxtrack.OpLE, dxtrack.OpLT, dxtrack.OpGE, dxtrack.OpGT, dxtrack.OpEQ:
		case "":
			p.Add("condition", "error.required", nil)
		default:
			p.Add("condition", "error.unknown_value", map[string]any{"Value": string(in.Condition)})
		}
		if !finite(in.Threshold) {
			p.Add("threshold", "error.number", nil)
		}
	} else {
		in.Condition, in.Threshold = "", 0
	}
	// A ratio divides by stored values: its denominator cannot become a
	// formula.
	if in.ID != 0 && in.Source == dxtrack.SourceFormula {
		used, err := exists(ctx, tx, "SELECT 1 FROM indicators WHERE denominator_id = $1", in.ID)
		if err != nil {
			return err
		}
		if used {
			p.Add("source", "error.denominator_in_use", nil)
		}
	}
	return nil
}

// checkFormulas checks the formulas of all indicators as they would be
// after the save: the indicator's own formula must parse, and no formula
// may refer to an unknown code or depend on itself. Renaming an indicator
// that another formula uses is refused on its code. The indicators are
// read with lock (FOR UPDATE on PostgreSQL) so that two concurrent saves
// cannot close a cycle that neither sees alone.
func checkFormulas(ctx context.Context, tx *sql.Tx, in *dxtrack.Indicator, lock string, p *dxtrack.Problems) error {
	if in.Source == dxtrack.SourceFormula {
		if _, err := formula.Parse(in.Formula); err != nil {
			var se *formula.SyntaxError
			if !errors.As(err, &se) {
				return err
			}
			p.Add("formula", "error.formula_syntax", map[string]any{"Value": se.Pos})
			return nil
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT id, code, source, formula FROM indicators"+lock)
	if err != nil {
		return err
	}
	defer rows.Close()
	defs, known := map[string]string{}, map[string]bool{}
	for rows.Next() {
		var id int64
		var code, source, src string
		if err := rows.Scan(&id, &code, &source, &src); err != nil {
			return err
		}
		if id == in.ID {
			continue
		}
		if dxtrack.Source(source) == dxtrack.SourceFormula {
			defs[code] = src
		} else {
			known[code] = true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if in.Source == dxtrack.SourceFormula {
		defs[in.Code] = in.Formula
	} else {
		known[in.Code] = true
	}
	err = formula.Check(defs, func(code string) bool { return known[code] })
	var ce *formula.CheckError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &ce):
		return err
	case len(ce.Cycle) > 0:
		p.Add("formula", "error.formula_cycle", map[string]any{"Value": strings.Join(ce.Cycle, " → ")})
	case ce.Ref != "":
		field := "formula"
		if ce.Code != in.Code {
			field = "code"
		}
		p.Add(field, "error.formula_unknown", map[string]any{"Code": ce.Ref, "Value": ce.Code})
	default:
		// Only a stored formula can fail here: the indicator's own parsed.
		p.Add("formula", "error.formula_syntax", map[string]any{"Value": ce.Pos, "Code": ce.Code})
	}
	return nil
}

func (s *indicatorService) CreateIndicator(ctx context.Context, in *dxtrack.Indicator) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	in.ID = 0
	in.Code = strings.TrimSpace(in.Code)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		path, p, err := s.db.checkIndicator(ctx, tx, in)
		if err != nil {
			return err
		}
		if path != nil && !user.CanAdmin(path) {
			return errForbidden()
		}
		if err := p.Err(); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO indicators (code, name_vi, name_en, measure, type, decimals,
			min_value, max_value, direction, owner_unit_id, search, unit_agg, time_agg, denominator_id, condition,
			threshold, source, formula, pillar_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
			$15, $16, $17, $18, $19) RETURNING id`, in.Code, in.NameVI, in.NameEN, in.Measure, string(in.Type), in.Decimals,
			nullFloat(in.Min), nullFloat(in.Max), string(in.Direction), nullID(in.OwnerUnitID), indicatorSearch(in),
			string(in.UnitAgg), string(in.TimeAgg), nullID(in.DenominatorID), string(in.Condition), in.Threshold,
			string(in.Source), in.Formula, nullID(in.PillarID)).Scan(&in.ID); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "indicator", in.ID, changes{{"created", "", in.Code}}, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": in.Code})
	}
	return wrap("create indicator", err)
}

func (s *indicatorService) UpdateIndicator(ctx context.Context, in *dxtrack.Indicator) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	in.Code = strings.TrimSpace(in.Code)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.indicatorBy(ctx, tx, "i.id = $1"+s.db.forUpdate(), in.ID)
		if err != nil {
			return err
		}
		// An indicator without an owner belongs to the province's admins:
		// any admin, since nothing narrows it.
		if oldPath, _, err := unitPath(ctx, tx, old.OwnerUnitID); err != nil {
			return err
		} else if oldPath != nil && !user.CanAdmin(oldPath) {
			return errForbidden()
		}
		path, p, err := s.db.checkIndicator(ctx, tx, in)
		if err != nil {
			return err
		}
		if path != nil && !user.CanAdmin(path) {
			return errForbidden()
		}
		if err := p.Err(); err != nil {
			return err
		}
		var cs changes
		cs.diff("code", old.Code, in.Code)
		cs.diff("name_vi", old.NameVI, in.NameVI)
		cs.diff("name_en", old.NameEN, in.NameEN)
		cs.diff("measure", old.Measure, in.Measure)
		cs.diff("type", string(old.Type), string(in.Type))
		cs.diff("decimals", strconv.Itoa(old.Decimals), strconv.Itoa(in.Decimals))
		cs.diff("min", fmtFloat(old.Min), fmtFloat(in.Min))
		cs.diff("max", fmtFloat(old.Max), fmtFloat(in.Max))
		cs.diff("direction", string(old.Direction), string(in.Direction))
		cs.diff("owner_unit_id", fmtID(old.OwnerUnitID), fmtID(in.OwnerUnitID))
		cs.diff("unit_agg", string(old.UnitAgg), string(in.UnitAgg))
		cs.diff("time_agg", string(old.TimeAgg), string(in.TimeAgg))
		cs.diff("denominator_id", fmtID(old.DenominatorID), fmtID(in.DenominatorID))
		cs.diff("condition", string(old.Condition), string(in.Condition))
		cs.diff("threshold", fmtFloat(&old.Threshold), fmtFloat(&in.Threshold))
		cs.diff("source", string(old.Source), string(in.Source))
		cs.diff("formula", old.Formula, in.Formula)
		cs.diff("pillar_id", fmtID(old.PillarID), fmtID(in.PillarID))
		if len(cs) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE indicators SET code = $1, name_vi = $2, name_en = $3, measure = $4,
			type = $5, decimals = $6, min_value = $7, max_value = $8, direction = $9, owner_unit_id = $10, search = $11,
			unit_agg = $12, time_agg = $13, denominator_id = $14, condition = $15, threshold = $16, source = $17,
			formula = $18, pillar_id = $19 WHERE id = $20`, in.Code, in.NameVI, in.NameEN, in.Measure, string(in.Type),
			in.Decimals, nullFloat(in.Min), nullFloat(in.Max), string(in.Direction), nullID(in.OwnerUnitID),
			indicatorSearch(in), string(in.UnitAgg), string(in.TimeAgg), nullID(in.DenominatorID), string(in.Condition),
			in.Threshold, string(in.Source), in.Formula, nullID(in.PillarID), in.ID); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "indicator", in.ID, cs, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": in.Code})
	}
	return wrap("update indicator", err)
}
