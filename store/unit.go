package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
)

type unitService struct{ db *DB }

// NewUnitService returns the org-unit service over db.
func NewUnitService(db *DB) dxtrack.UnitService { return &unitService{db} }

// unitSelectOn reads a unit, its path and the count of its children
// current on the day bound to placeholder ph.
func unitSelectOn(ph string) string {
	return `SELECT u.id, u.code, u.name_vi, u.name_en, u.full_name, u.type, u.type_name_vi,
	u.type_name_en, COALESCE(u.parent_id, 0), u.valid_from, u.valid_to, u.head, u.email, u.path,
	(SELECT count(*) FROM units c WHERE c.parent_id = u.id AND ` + currentOn("c", ph) + `)
	FROM units u`
}

// unitSelect is unitSelectOn with the day as the first argument.
var unitSelect = unitSelectOn("$1")

// currentOn is the condition that a unit (table alias a) exists on the
// day in placeholder ph.
func currentOn(a, ph string) string {
	return fmt.Sprintf("%[1]s.valid_from <= %[2]s AND (%[1]s.valid_to IS NULL OR %[1]s.valid_to > %[2]s)", a, ph)
}

// unitTypeOrder orders units by type in dxtrack.UnitTypes order.
var unitTypeOrder = func() string {
	var b strings.Builder
	b.WriteString("CASE u.type")
	for i, t := range dxtrack.UnitTypes {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", t, i)
	}
	b.WriteString(" ELSE 99 END")
	return b.String()
}()

type unitRow struct {
	dxtrack.Unit
	path string
}

func scanUnit(s interface{ Scan(...any) error }) (*unitRow, error) {
	var r unitRow
	var from string
	var to sql.NullString
	var typ string
	err := s.Scan(&r.ID, &r.Code, &r.NameVI, &r.NameEN, &r.FullName, &typ, &r.TypeNameVI,
		&r.TypeNameEN, &r.ParentID, &from, &to, &r.Head, &r.Email, &r.path, &r.Children)
	if err != nil {
		return nil, err
	}
	r.Type = dxtrack.UnitType(typ)
	r.ValidFrom = parseDate(from)
	r.ValidTo = parseNullDate(to)
	return &r, nil
}

func (db *DB) queryUnits(ctx context.Context, q queryer, query string, args ...any) ([]*unitRow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*unitRow
	for rows.Next() {
		r, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// unitBy returns one unit by a condition on u with its argument at $2, or
// ENOTFOUND.
func (db *DB) unitBy(ctx context.Context, q queryer, cond string, arg any) (*unitRow, error) {
	units, err := db.queryUnits(ctx, q, unitSelect+" WHERE "+cond, dxtrack.FormatDate(db.today()), arg)
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, errNotFound()
	}
	return units[0], nil
}

func unitSearch(u *dxtrack.Unit) string {
	return dxtrack.Fold(strings.Join([]string{u.Code, u.NameVI, u.NameEN, u.FullName}, " "))
}

func (s *unitService) FindUnitByID(ctx context.Context, id int64) (*dxtrack.Unit, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	r, err := s.db.unitBy(ctx, s.db.r, "u.id = $2", id)
	if err != nil {
		return nil, wrap("find unit", err)
	}
	return &r.Unit, nil
}

func (s *unitService) FindUnitByCode(ctx context.Context, code string) (*dxtrack.Unit, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	r, err := s.db.unitBy(ctx, s.db.r, "u.code = $2", strings.TrimSpace(code))
	if err != nil {
		return nil, wrap("find unit by code", err)
	}
	return &r.Unit, nil
}

func (s *unitService) FindUnits(ctx context.Context, f dxtrack.UnitFilter) ([]*dxtrack.Unit, int, error) {
	if _, err := reader(ctx); err != nil {
		return nil, 0, err
	}
	day := f.AsOf
	if day.IsZero() {
		day = s.db.today()
	}
	w := &where{}
	if f.ParentID != nil {
		if *f.ParentID == 0 {
			w.add("u.parent_id IS NULL")
		} else {
			w.add("u.parent_id = " + w.arg(*f.ParentID))
		}
	}
	if f.Under != nil {
		ph := w.arg(*f.Under)
		w.add("u.path LIKE ((SELECT p.path FROM units p WHERE p.id = " + ph + ") || '%') AND u.id <> " + ph)
	}
	if len(f.Types) > 0 {
		vals := make([]any, len(f.Types))
		for i, t := range f.Types {
			vals[i] = string(t)
		}
		w.add("u.type IN " + w.in(vals))
	}
	w.words("u.search", f.Query)
	if !f.All {
		w.add(currentOn("u", w.arg(dxtrack.FormatDate(day))))
	}
	var total int
	if err := s.db.r.QueryRowContext(ctx, "SELECT count(*) FROM units u"+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: find units: %w", err)
	}
	// The child count takes the day as one more argument.
	args := append(slices.Clone(w.args), dxtrack.FormatDate(day))
	dayArg := fmt.Sprintf("$%d", len(args))
	order := unitTypeOrder + ", u.sort_name, u.code"
	if phrase := dxtrack.Fold(f.Query); phrase != "" {
		// Units whose text holds the words in the order typed come first:
		// "hoa binh" finds Hòa Bình before Bình Hòa.
		args = append(args, "%"+escapeLike(phrase)+"%")
		order = fmt.Sprintf(`CASE WHEN u.search LIKE $%d ESCAPE '\' THEN 0 ELSE 1 END, `, len(args)) + order
	}
	limit, offset := limits(f.Page)
	query := unitSelectOn(dayArg) + w.String() + " ORDER BY " + order + fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset)
	rows, err := s.db.queryUnits(ctx, s.db.r, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find units: %w", err)
	}
	out := make([]*dxtrack.Unit, len(rows))
	for i, r := range rows {
		out[i] = &r.Unit
	}
	return out, total, nil
}

func (s *unitService) UnitAncestors(ctx context.Context, id int64) ([]*dxtrack.Unit, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	units, err := s.db.ancestors(ctx, s.db.r, id)
	return units, wrap("unit ancestors", err)
}

func (db *DB) ancestors(ctx context.Context, q queryer, id int64) ([]*dxtrack.Unit, error) {
	r, err := db.unitBy(ctx, q, "u.id = $2", id)
	if err != nil {
		return nil, err
	}
	path := parsePath(r.path)
	w := &where{}
	w.arg(dxtrack.FormatDate(db.today()))
	vals := make([]any, len(path))
	for i, id := range path {
		vals[i] = id
	}
	rows, err := db.queryUnits(ctx, q, unitSelect+" WHERE u.id IN "+w.in(vals), w.args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*dxtrack.Unit, len(rows))
	for _, r := range rows {
		byID[r.ID] = &r.Unit
	}
	out := make([]*dxtrack.Unit, 0, len(path))
	for _, id := range path {
		if u := byID[id]; u != nil {
			out = append(out, u)
		}
	}
	return out, nil
}

func (s *unitService) CreateUnit(ctx context.Context, u *dxtrack.Unit) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	if u.ValidFrom.IsZero() {
		u.ValidFrom = s.db.today()
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		parentPath, ok, err := unitPath(ctx, tx, u.ParentID)
		if err != nil {
			return err
		}
		var p dxtrack.Problems
		if u.ParentID != 0 && !ok {
			p.Add("parent_id", "error.unknown_unit", nil)
		} else if err := allow(user, user.CanAdmin(parentPath)); err != nil {
			return err
		}
		if err := u.Validate(); err != nil {
			p = append(p, dxtrack.ErrorFields(err)...)
		}
		if u.Code != "" {
			if dup, err := exists(ctx, tx, "SELECT 1 FROM units WHERE code = $1", u.Code); err != nil {
				return err
			} else if dup {
				p.Add("code", "error.duplicate_code", map[string]any{"Code": u.Code})
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		id, err := insertUnit(ctx, tx, u, parentPath)
		if err != nil {
			return err
		}
		u.ID = id
		u.Children = 0
		return s.db.writeAudit(ctx, tx, user, "unit", id, changes{{"created", "", u.Code}}, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": u.Code})
	}
	return wrap("create unit", err)
}

// insertUnit adds a unit under the parent whose path is given and returns
// its ID.
func insertUnit(ctx context.Context, tx *sql.Tx, u *dxtrack.Unit, parentPath []int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO units (code, name_vi, name_en, full_name, type, type_name_vi,
		type_name_en, parent_id, valid_from, valid_to, head, email, sort_name, search)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		u.Code, u.NameVI, u.NameEN, u.FullName, string(u.Type), u.TypeNameVI, u.TypeNameEN,
		nullID(u.ParentID), dateArg(u.ValidFrom), dateArg(u.ValidTo), u.Head, u.Email,
		dxtrack.Fold(u.NameVI), unitSearch(u)).Scan(&id)
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, "UPDATE units SET path = $1 WHERE id = $2", formatPath(append(slices.Clone(parentPath), id)), id)
	return id, err
}

func formatPath(ids []int64) string {
	var b strings.Builder
	b.WriteByte('/')
	for _, id := range ids {
		fmt.Fprintf(&b, "%d/", id)
	}
	return b.String()
}

func exists(ctx context.Context, q queryer, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func (s *unitService) UpdateUnit(ctx context.Context, id int64, upd dxtrack.UnitUpdate, on time.Time) (*dxtrack.Unit, error) {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return nil, err
	}
	if on.IsZero() {
		on = s.db.today()
	}
	var out *dxtrack.Unit
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.unitBy(ctx, tx, "u.id = $2", id)
		if err != nil {
			return err
		}
		if err := allow(user, user.CanAdmin(parsePath(old.path))); err != nil {
			return err
		}
		u := old.Unit
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&u.NameVI, upd.NameVI)
		set(&u.NameEN, upd.NameEN)
		set(&u.FullName, upd.FullName)
		set(&u.TypeNameVI, upd.TypeNameVI)
		set(&u.TypeNameEN, upd.TypeNameEN)
		set(&u.Head, upd.Head)
		set(&u.Email, upd.Email)
		if upd.Type != nil {
			u.Type = *upd.Type
		}
		var p dxtrack.Problems
		if err := u.Validate(); err != nil {
			p = dxtrack.ErrorFields(err)
		}
		parentPath := parsePath(old.path)
		parentPath = parentPath[:len(parentPath)-1]
		if upd.ParentID != nil && *upd.ParentID != old.ParentID {
			u.ParentID = *upd.ParentID
			pp, ok, err := unitPath(ctx, tx, u.ParentID)
			switch {
			case err != nil:
				return err
			case u.ParentID != 0 && !ok:
				p.Add("parent_id", "error.unknown_unit", nil)
			case slices.Contains(pp, id):
				p.Add("parent_id", "error.self_parent", nil)
			default:
				parentPath = pp
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		if err := allow(user, user.CanAdmin(parentPath)); err != nil {
			return err
		}
		cs := unitChanges(&old.Unit, &u)
		if u.ParentID != old.ParentID {
			oldCode, newCode, err := parentCodes(ctx, tx, old.ParentID, u.ParentID)
			if err != nil {
				return err
			}
			cs = append(cs, change{"parent", oldCode, newCode})
		}
		if len(cs) == 0 {
			out = &old.Unit
			return nil
		}
		if err := writeUnitChanges(ctx, tx, id, on, "user:"+user.Username, cs); err != nil {
			return err
		}
		if err := updateUnitRow(ctx, tx, &u); err != nil {
			return err
		}
		if u.ParentID != old.ParentID {
			if err := movePath(ctx, tx, old.path, formatPath(append(slices.Clone(parentPath), id))); err != nil {
				return err
			}
		}
		r, err := s.db.unitBy(ctx, tx, "u.id = $2", id)
		if err != nil {
			return err
		}
		out = &r.Unit
		return nil
	})
	return out, wrap("update unit", err)
}

// unitChanges lists the changed fields of a unit (the parent aside, which
// is recorded by code).
func unitChanges(old, u *dxtrack.Unit) changes {
	var cs changes
	cs.diff("name_vi", old.NameVI, u.NameVI)
	cs.diff("name_en", old.NameEN, u.NameEN)
	cs.diff("full_name", old.FullName, u.FullName)
	cs.diff("type", string(old.Type), string(u.Type))
	cs.diff("type_name_vi", old.TypeNameVI, u.TypeNameVI)
	cs.diff("type_name_en", old.TypeNameEN, u.TypeNameEN)
	cs.diff("head", old.Head, u.Head)
	cs.diff("email", old.Email, u.Email)
	return cs
}

func parentCodes(ctx context.Context, q queryer, oldID, newID int64) (string, string, error) {
	code := func(id int64) (string, error) {
		if id == 0 {
			return "", nil
		}
		var c string
		err := q.QueryRowContext(ctx, "SELECT code FROM units WHERE id = $1", id).Scan(&c)
		return c, err
	}
	o, err := code(oldID)
	if err != nil {
		return "", "", err
	}
	n, err := code(newID)
	return o, n, err
}

func writeUnitChanges(ctx context.Context, tx *sql.Tx, id int64, on time.Time, source string, cs changes) error {
	for _, c := range cs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO unit_changes (unit_id, on_date, field, old_value, new_value, source)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, dateArg(on), c.field, c.old, c.new, source); err != nil {
			return err
		}
	}
	return nil
}

func updateUnitRow(ctx context.Context, tx *sql.Tx, u *dxtrack.Unit) error {
	_, err := tx.ExecContext(ctx, `UPDATE units SET name_vi = $1, name_en = $2, full_name = $3, type = $4,
		type_name_vi = $5, type_name_en = $6, parent_id = $7, valid_to = $8, head = $9, email = $10,
		sort_name = $11, search = $12 WHERE id = $13`,
		u.NameVI, u.NameEN, u.FullName, string(u.Type), u.TypeNameVI, u.TypeNameEN, nullID(u.ParentID),
		dateArg(u.ValidTo), u.Head, u.Email, dxtrack.Fold(u.NameVI), unitSearch(u), u.ID)
	return err
}

// movePath rewrites the paths of a moved unit and its whole subtree.
func movePath(ctx context.Context, tx *sql.Tx, oldPath, newPath string) error {
	_, err := tx.ExecContext(ctx,
		"UPDATE units SET path = $1 || substr(path, $2) WHERE path LIKE $3",
		newPath, len(oldPath)+1, oldPath+"%")
	return err
}

// endUnit ends a unit's validity on a day, recording the change.
func endUnit(ctx context.Context, tx *sql.Tx, u *dxtrack.Unit, on time.Time, source string) error {
	if !on.After(u.ValidFrom) {
		return dxtrack.Invalid("on", "error.date_before", map[string]any{"Other": dxtrack.FormatDate(u.ValidFrom)})
	}
	if err := writeUnitChanges(ctx, tx, u.ID, on, source, changes{{"valid_to", dxtrack.FormatDate(u.ValidTo), dxtrack.FormatDate(on)}}); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "UPDATE units SET valid_to = $1 WHERE id = $2", dateArg(on), u.ID)
	return err
}

func (s *unitService) MergeUnits(ctx context.Context, from []int64, into int64, on time.Time) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	if on.IsZero() {
		on = s.db.today()
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		to, err := s.db.unitBy(ctx, tx, "u.id = $2", into)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			return dxtrack.Invalid("into", "error.unknown_unit", nil)
		} else if err != nil {
			return err
		}
		if err := allow(user, user.CanAdmin(parsePath(to.path))); err != nil {
			return err
		}
		if len(from) == 0 {
			return dxtrack.Invalid("from", "error.required", nil)
		}
		for _, id := range from {
			if id == into {
				return dxtrack.Invalid("from", "error.self_parent", nil)
			}
			u, err := s.db.unitBy(ctx, tx, "u.id = $2", id)
			if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
				return dxtrack.Invalid("from", "error.unknown_unit", map[string]any{"Code": fmtID(id)})
			} else if err != nil {
				return err
			}
			if err := allow(user, user.CanAdmin(parsePath(u.path))); err != nil {
				return err
			}
			if u.ValidTo.IsZero() || u.ValidTo.After(on) {
				if err := endUnit(ctx, tx, &u.Unit, on, "merge:"+to.Code); err != nil {
					return err
				}
			}
			if err := insertLineage(ctx, tx, id, into, dxtrack.LineageMerge, on); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("merge units", err)
}

func (s *unitService) SplitUnit(ctx context.Context, from int64, into []int64, on time.Time, end bool) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	if on.IsZero() {
		on = s.db.today()
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.unitBy(ctx, tx, "u.id = $2", from)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			return dxtrack.Invalid("from", "error.unknown_unit", nil)
		} else if err != nil {
			return err
		}
		if err := allow(user, user.CanAdmin(parsePath(old.path))); err != nil {
			return err
		}
		if len(into) == 0 {
			return dxtrack.Invalid("into", "error.required", nil)
		}
		for _, id := range into {
			if id == from {
				return dxtrack.Invalid("into", "error.self_parent", nil)
			}
			u, err := s.db.unitBy(ctx, tx, "u.id = $2", id)
			if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
				return dxtrack.Invalid("into", "error.unknown_unit", map[string]any{"Code": fmtID(id)})
			} else if err != nil {
				return err
			}
			if err := allow(user, user.CanAdmin(parsePath(u.path))); err != nil {
				return err
			}
			if err := insertLineage(ctx, tx, from, id, dxtrack.LineageSplit, on); err != nil {
				return err
			}
		}
		if end && (old.ValidTo.IsZero() || old.ValidTo.After(on)) {
			return endUnit(ctx, tx, &old.Unit, on, "split")
		}
		return nil
	})
	return wrap("split unit", err)
}

func insertLineage(ctx context.Context, tx *sql.Tx, from, to int64, kind dxtrack.LineageKind, on time.Time) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO unit_lineage (from_id, to_id, kind, on_date) VALUES ($1, $2, $3, $4)",
		from, to, string(kind), dateArg(on))
	return err
}

func (s *unitService) UnitHistory(ctx context.Context, id int64) ([]dxtrack.UnitChange, []dxtrack.Lineage, error) {
	if _, err := reader(ctx); err != nil {
		return nil, nil, err
	}
	if ok, err := exists(ctx, s.db.r, "SELECT 1 FROM units WHERE id = $1", id); err != nil {
		return nil, nil, fmt.Errorf("store: unit history: %w", err)
	} else if !ok {
		return nil, nil, errNotFound()
	}
	changes := []dxtrack.UnitChange{}
	rows, err := s.db.r.QueryContext(ctx, `SELECT unit_id, on_date, field, old_value, new_value, source
		FROM unit_changes WHERE unit_id = $1 ORDER BY on_date, id`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("store: unit history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c dxtrack.UnitChange
		var on string
		if err := rows.Scan(&c.UnitID, &on, &c.Field, &c.Old, &c.New, &c.Source); err != nil {
			return nil, nil, fmt.Errorf("store: unit history: %w", err)
		}
		c.On = parseDate(on)
		changes = append(changes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: unit history: %w", err)
	}
	lineage := []dxtrack.Lineage{}
	lrows, err := s.db.r.QueryContext(ctx, `SELECT from_id, to_id, kind, on_date, note FROM unit_lineage
		WHERE from_id = $1 OR to_id = $1 ORDER BY on_date, id`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("store: unit history: %w", err)
	}
	defer lrows.Close()
	for lrows.Next() {
		var l dxtrack.Lineage
		var kind, on string
		if err := lrows.Scan(&l.FromID, &l.ToID, &kind, &on, &l.Note); err != nil {
			return nil, nil, fmt.Errorf("store: unit history: %w", err)
		}
		l.Kind, l.On = dxtrack.LineageKind(kind), parseDate(on)
		lineage = append(lineage, l)
	}
	if err := lrows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: unit history: %w", err)
	}
	return changes, lineage, nil
}
