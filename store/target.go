package store

import (
	"context"
	"database/sql"
	"math"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
)

type targetService struct{ db *DB }

// NewTargetService returns the target service over db.
func NewTargetService(db *DB) dxtrack.TargetService { return &targetService{db} }

const targetSelect = `SELECT t.id, t.document_id, t.code, t.name_vi, t.name_en, t.kind, t.measure, t.baseline,
	t.target_value, t.current_value, t.direction, t.done, t.start_on, t.deadline, COALESCE(t.pillar_id, 0),
	COALESCE(t.sector_id, 0), t.lead_unit_id, t.illustrative, t.note, t.override_status, t.override_reason,
	t.override_by, t.override_by_name, t.override_at, t.updated_at
	FROM targets t`

func scanTarget(s interface{ Scan(...any) error }) (*dxtrack.Target, error) {
	var t dxtrack.Target
	var kind, direction, deadline, updated string
	var baseline, value, current sql.NullFloat64
	var start sql.NullString
	var o overrideRow
	dest := []any{&t.ID, &t.DocumentID, &t.Code, &t.NameVI, &t.NameEN, &kind, &t.Measure, &baseline,
		&value, &current, &direction, &t.Done, &start, &deadline, &t.PillarID,
		&t.SectorID, &t.LeadUnitID, &t.Illustrative, &t.Note}
	dest = append(dest, o.targets()...)
	dest = append(dest, &updated)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	t.Kind, t.Direction = dxtrack.TargetKind(kind), dxtrack.Direction(direction)
	t.Baseline, t.Value, t.Current = floatPtr(baseline), floatPtr(value), floatPtr(current)
	t.StartOn, t.Deadline = parseNullDate(start), parseDate(deadline)
	t.Override = o.override()
	t.UpdatedAt = parseInstant(updated)
	return &t, nil
}

func (db *DB) queryTargets(ctx context.Context, q queryer, query string, args ...any) ([]*dxtrack.Target, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*dxtrack.Target{}
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// target returns a target by ID, or ENOTFOUND; lock asks PostgreSQL to
// lock the row for a read-modify-write.
func (db *DB) target(ctx context.Context, q queryer, id int64, lock bool) (*dxtrack.Target, error) {
	query := targetSelect + " WHERE t.id = $1"
	if lock {
		query += db.forUpdate()
	}
	ts, err := db.queryTargets(ctx, q, query, id)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, errNotFound()
	}
	return ts[0], nil
}

func targetSearch(t *dxtrack.Target) string {
	return dxtrack.Fold(strings.Join([]string{t.Code, t.NameVI, t.NameEN}, " "))
}

func (s *targetService) FindTargetByID(ctx context.Context, id int64) (*dxtrack.Target, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	t, err := s.db.target(ctx, s.db.r, id, false)
	return t, wrap("find target", err)
}

func targetWhere(f dxtrack.TargetFilter) *where {
	w := &where{}
	if f.DocumentID != 0 {
		w.add("t.document_id = " + w.arg(f.DocumentID))
	}
	if f.PillarID != 0 {
		w.add("t.pillar_id = " + w.arg(f.PillarID))
	}
	if f.SectorID != 0 {
		w.add("t.sector_id = " + w.arg(f.SectorID))
	}
	if f.LeadUnitID != 0 {
		w.add("t.lead_unit_id = " + w.arg(f.LeadUnitID))
	}
	w.words("t.search", f.Query)
	return w
}

const targetOrder = " ORDER BY t.document_id, t.sort_key, t.id"

func (s *targetService) FindTargets(ctx context.Context, f dxtrack.TargetFilter) ([]*dxtrack.Target, int, error) {
	if _, err := reader(ctx); err != nil {
		return nil, 0, err
	}
	return findItems(ctx, s.db, "targets", targetSelect, targetOrder, targetWhere(f), f.Status, f.Page, s.db.queryTargets)
}

// checkTarget validates a target with its references and returns the path
// of its lead unit (nil if unknown) and the problems found.
func (db *DB) checkTarget(ctx context.Context, tx *sql.Tx, t *dxtrack.Target) ([]int64, dxtrack.Problems, error) {
	r := &refs{ctx: ctx, tx: tx}
	doc, err := r.document(db, t.DocumentID)
	if err != nil {
		return nil, nil, err
	}
	r.add(t.Validate(doc))
	path, err := r.unit("lead_unit", t.LeadUnitID)
	if err != nil {
		return nil, nil, err
	}
	if err := r.category("pillar", t.PillarID, dxtrack.CategoryPillar, dxtrack.CategoryFoundation); err != nil {
		return nil, nil, err
	}
	if err := r.category("sector", t.SectorID, dxtrack.CategorySector); err != nil {
		return nil, nil, err
	}
	if err := r.duplicate("targets", t.DocumentID, t.ID, t.Code); err != nil {
		return nil, nil, err
	}
	return path, r.p, nil
}

func (s *targetService) CreateTarget(ctx context.Context, t *dxtrack.Target) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	t.ID = 0
	t.Code = strings.TrimSpace(t.Code)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		if err := s.db.targetAccess().checkAdmin(ctx, tx, user, t); err != nil {
			return err
		}
		now := instant(s.db.Now())
		args := []any{t.DocumentID, t.Code, sortKey(t.Code), t.NameVI, t.NameEN, string(t.Kind), t.Measure,
			nullFloat(t.Baseline), nullFloat(t.Value), nullFloat(t.Current), string(t.Direction), t.Done,
			dateArg(t.StartOn), dateArg(t.Deadline), nullID(t.PillarID), nullID(t.SectorID), t.LeadUnitID,
			t.Illustrative, t.Note}
		args = append(args, overrideArgs(nil)...)
		args = append(args, targetSearch(t), now)
		err := tx.QueryRowContext(ctx, `INSERT INTO targets (document_id, code, sort_key, name_vi, name_en, kind,
			measure, baseline, target_value, current_value, direction, done, start_on, deadline, pillar_id,
			sector_id, lead_unit_id, illustrative, note, override_status, override_reason, override_by,
			override_by_name, override_at, search, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
			$21, $22, $23, $24, $25, $26) RETURNING id`, args...).Scan(&t.ID)
		if err != nil {
			return err
		}
		t.Override, t.UpdatedAt = nil, parseInstant(now)
		return s.db.writeAudit(ctx, tx, user, "target", t.ID, changes{{"created", "", t.Code}}, "")
	})
	return s.db.targetAccess().writeErr("create", t.Code, err)
}

// targetChanges lists the changed fields of a target.
func targetChanges(old, t *dxtrack.Target) changes {
	var cs changes
	cs.diff("code", old.Code, t.Code)
	cs.diff("name_vi", old.NameVI, t.NameVI)
	cs.diff("name_en", old.NameEN, t.NameEN)
	cs.diff("kind", string(old.Kind), string(t.Kind))
	cs.diff("measure", old.Measure, t.Measure)
	cs.diff("baseline", fmtFloat(old.Baseline), fmtFloat(t.Baseline))
	cs.diff("value", fmtFloat(old.Value), fmtFloat(t.Value))
	cs.diff("current", fmtFloat(old.Current), fmtFloat(t.Current))
	cs.diff("direction", string(old.Direction), string(t.Direction))
	cs.diff("done", strconv.FormatBool(old.Done), strconv.FormatBool(t.Done))
	cs.diff("start_on", fmtDay(old.StartOn), fmtDay(t.StartOn))
	cs.diff("deadline", fmtDay(old.Deadline), fmtDay(t.Deadline))
	cs.diff("pillar_id", fmtID(old.PillarID), fmtID(t.PillarID))
	cs.diff("sector_id", fmtID(old.SectorID), fmtID(t.SectorID))
	cs.diff("lead_unit_id", fmtID(old.LeadUnitID), fmtID(t.LeadUnitID))
	cs.diff("illustrative", strconv.FormatBool(old.Illustrative), strconv.FormatBool(t.Illustrative))
	cs.diff("note", old.Note, t.Note)
	return cs
}

// saveTarget writes all of a target's columns but its document.
func (db *DB) saveTarget(ctx context.Context, tx *sql.Tx, t *dxtrack.Target) error {
	now := instant(db.Now())
	args := []any{t.Code, sortKey(t.Code), t.NameVI, t.NameEN, string(t.Kind), t.Measure,
		nullFloat(t.Baseline), nullFloat(t.Value), nullFloat(t.Current), string(t.Direction), t.Done,
		dateArg(t.StartOn), dateArg(t.Deadline), nullID(t.PillarID), nullID(t.SectorID), t.LeadUnitID,
		t.Illustrative, t.Note}
	args = append(args, overrideArgs(t.Override)...)
	args = append(args, targetSearch(t), now, t.ID)
	_, err := tx.ExecContext(ctx, `UPDATE targets SET code = $1, sort_key = $2, name_vi = $3, name_en = $4,
		kind = $5, measure = $6, baseline = $7, target_value = $8, current_value = $9, direction = $10,
		done = $11, start_on = $12, deadline = $13, pillar_id = $14, sector_id = $15, lead_unit_id = $16,
		illustrative = $17, note = $18, override_status = $19, override_reason = $20, override_by = $21,
		override_by_name = $22, override_at = $23, search = $24, updated_at = $25 WHERE id = $26`, args...)
	t.UpdatedAt = parseInstant(now)
	return err
}

func (s *targetService) UpdateTarget(ctx context.Context, t *dxtrack.Target) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	t.Code = strings.TrimSpace(t.Code)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.targetAccess().loadFor(ctx, tx, t.ID, user.CanAdmin)
		if err != nil {
			return err
		}
		// A target stays in its document; its override has its own method.
		t.DocumentID, t.Override = old.DocumentID, old.Override
		if err := s.db.targetAccess().checkAdmin(ctx, tx, user, t); err != nil {
			return err
		}
		cs := targetChanges(old, t)
		if len(cs) == 0 {
			t.UpdatedAt = old.UpdatedAt
			return nil
		}
		if err := s.db.saveTarget(ctx, tx, t); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "target", t.ID, cs, "")
	})
	return s.db.targetAccess().writeErr("update", t.Code, err)
}

func (s *targetService) ReportTarget(ctx context.Context, id int64, upd dxtrack.TargetUpdate) (*dxtrack.Target, error) {
	user := dxtrack.UserFromContext(ctx)
	if user == nil {
		return nil, errUnauthorized()
	}
	var out *dxtrack.Target
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.targetAccess().loadFor(ctx, tx, id, user.CanReport)
		if err != nil {
			return err
		}
		if upd.Current != nil && (math.IsNaN(*upd.Current) || math.IsInf(*upd.Current, 0)) {
			return dxtrack.Invalid("current", "error.number", nil)
		}
		t := *old
		if upd.Current != nil {
			v := *upd.Current
			t.Current = &v
		}
		if upd.Done != nil {
			t.Done = *upd.Done
		}
		if upd.Note != nil {
			t.Note = *upd.Note
		}
		out = &t
		cs := targetChanges(old, &t)
		if len(cs) == 0 {
			return nil
		}
		if err := s.db.saveTarget(ctx, tx, &t); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "target", id, cs, "")
	})
	if err != nil {
		return nil, wrap("report target", err)
	}
	return out, nil
}

func (s *targetService) SetTargetOverride(ctx context.Context, id int64, o *dxtrack.Override) (*dxtrack.Target, error) {
	return s.db.targetAccess().setOverride(ctx, s.db, id, o)
}

func (s *targetService) DeleteTarget(ctx context.Context, id int64) error {
	return s.db.targetAccess().delete(ctx, s.db, id)
}

func (db *DB) targetAccess() itemAccess[*dxtrack.Target] {
	return itemAccess[*dxtrack.Target]{
		kind:  "target",
		table: "targets",
		load: func(ctx context.Context, tx *sql.Tx, id int64) (*dxtrack.Target, error) {
			return db.target(ctx, tx, id, true)
		},
		save:     db.saveTarget,
		check:    db.checkTarget,
		leadUnit: func(t *dxtrack.Target) int64 { return t.LeadUnitID },
		code:     func(t *dxtrack.Target) string { return t.Code },
		override: func(t *dxtrack.Target) **dxtrack.Override { return &t.Override },
	}
}
