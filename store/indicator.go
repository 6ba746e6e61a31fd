package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
)

type indicatorService struct{ db *DB }

// NewIndicatorService returns the indicator service over db.
func NewIndicatorService(db *DB) dxtrack.IndicatorService { return &indicatorService{db} }

const indicatorSelect = `SELECT i.id, i.code, i.name_vi, i.name_en, i.measure, i.type, i.decimals, i.min_value,
	i.max_value, i.direction, COALESCE(i.owner_unit_id, 0) FROM indicators i`

func (db *DB) queryIndicators(ctx context.Context, q queryer, query string, args ...any) ([]*dxtrack.Indicator, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.Indicator{}
	for rows.Next() {
		var in dxtrack.Indicator
		var typ, direction string
		var lo, hi sql.NullFloat64
		if err := rows.Scan(&in.ID, &in.Code, &in.NameVI, &in.NameEN, &in.Measure, &typ, &in.Decimals, &lo, &hi,
			&direction, &in.OwnerUnitID); err != nil {
			return nil, err
		}
		in.Type, in.Direction = dxtrack.ValueType(typ), dxtrack.Direction(direction)
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
func checkIndicator(ctx context.Context, tx *sql.Tx, in *dxtrack.Indicator) ([]int64, dxtrack.Problems, error) {
	r := &refs{ctx: ctx, tx: tx}
	r.add(in.Validate())
	path, err := r.unit("owner_unit", in.OwnerUnitID)
	if err != nil {
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
	return path, r.p, nil
}

func (s *indicatorService) CreateIndicator(ctx context.Context, in *dxtrack.Indicator) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	in.ID = 0
	in.Code = strings.TrimSpace(in.Code)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		path, p, err := checkIndicator(ctx, tx, in)
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
			min_value, max_value, direction, owner_unit_id, search) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			RETURNING id`, in.Code, in.NameVI, in.NameEN, in.Measure, string(in.Type), in.Decimals, nullFloat(in.Min),
			nullFloat(in.Max), string(in.Direction), nullID(in.OwnerUnitID), indicatorSearch(in)).Scan(&in.ID); err != nil {
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
		path, p, err := checkIndicator(ctx, tx, in)
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
		if len(cs) == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE indicators SET code = $1, name_vi = $2, name_en = $3, measure = $4,
			type = $5, decimals = $6, min_value = $7, max_value = $8, direction = $9, owner_unit_id = $10, search = $11
			WHERE id = $12`, in.Code, in.NameVI, in.NameEN, in.Measure, string(in.Type), in.Decimals, nullFloat(in.Min),
			nullFloat(in.Max), string(in.Direction), nullID(in.OwnerUnitID), indicatorSearch(in), in.ID); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "indicator", in.ID, cs, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": in.Code})
	}
	return wrap("update indicator", err)
}
