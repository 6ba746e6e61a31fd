package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
)

// indexService keeps composite indices: definitions (JSON documents the
// engine parses), editions with their input tables, and component scores
// (composite_score.go). The store parses definitions with the engine to
// validate them and to check tables against their inputs.
type indexService struct{ db *DB }

// NewIndexService returns the composite-index service over db.
func NewIndexService(db *DB) dxtrack.IndexService { return &indexService{db} }

const definitionSelect = `SELECT id, code, version, name_vi, name_en, builtin, definition, created_at FROM index_definitions`

func scanDefinition(s interface{ Scan(...any) error }) (*dxtrack.IndexDefinition, error) {
	var d dxtrack.IndexDefinition
	var def, at string
	if err := s.Scan(&d.ID, &d.Code, &d.Version, &d.NameVI, &d.NameEN, &d.Builtin, &def, &at); err != nil {
		return nil, err
	}
	d.Definition, d.CreatedAt = json.RawMessage(def), parseInstant(at)
	return &d, nil
}

// versionLess orders versions numerically when both are numbers ("2022"
// before "2025"), else as text.
func versionLess(a, b string) int {
	if len(a) != len(b) && strings.Trim(a, "0123456789") == "" && strings.Trim(b, "0123456789") == "" {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func (s *indexService) FindIndexDefinitions(ctx context.Context) ([]*dxtrack.IndexDefinition, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	if err := s.InstallBuiltins(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, definitionSelect+" ORDER BY code, id")
	if err != nil {
		return nil, wrap("find index definitions", err)
	}
	defer rows.Close()
	out := []*dxtrack.IndexDefinition{}
	for rows.Next() {
		d, err := scanDefinition(rows)
		if err != nil {
			return nil, wrap("find index definitions", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("find index definitions", err)
	}
	slices.SortStableFunc(out, func(a, b *dxtrack.IndexDefinition) int {
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return versionLess(a.Version, b.Version)
	})
	return out, nil
}

func (s *indexService) FindIndexDefinition(ctx context.Context, code, version string) (*dxtrack.IndexDefinition, error) {
	all, err := s.FindIndexDefinitions(ctx)
	if err != nil {
		return nil, err
	}
	var found *dxtrack.IndexDefinition
	for _, d := range all {
		if strings.EqualFold(d.Code, code) && (version == "" || d.Version == version) {
			found = d // the list is in version order: the last is the latest
		}
	}
	if found == nil {
		return nil, errNotFound()
	}
	return found, nil
}

func (db *DB) definitionByID(ctx context.Context, q queryer, id int64) (*dxtrack.IndexDefinition, error) {
	d, err := scanDefinition(q.QueryRowContext(ctx, definitionSelect+" WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	return d, err
}

// parseDefinition reads a stored definition with the engine.
func parseDefinition(d *dxtrack.IndexDefinition) (*composite.Index, error) {
	ix, err := composite.Parse(d.Definition)
	if err != nil {
		return nil, fmt.Errorf("store: stored index %s %s: %w", d.Code, d.Version, err)
	}
	return ix, nil
}

func (s *indexService) ImportIndexDefinition(ctx context.Context, doc []byte) (*dxtrack.IndexDefinition, error) {
	user, err := reader(ctx)
	if err != nil {
		return nil, err
	}
	if !user.IsSystem() && (user.Role != dxtrack.RoleAdmin || user.Disabled) {
		return nil, errForbidden()
	}
	if len(bytes.TrimSpace(doc)) == 0 {
		return nil, dxtrack.Invalid("file", "error.required", nil)
	}
	ix, err := composite.Parse(doc)
	if err != nil {
		return nil, err
	}
	js, err := ix.JSON()
	if err != nil {
		return nil, wrap("import index definition", err)
	}
	d := &dxtrack.IndexDefinition{Code: ix.Code, Version: ix.Version, NameVI: ix.NameVI, NameEN: ix.NameEN, Definition: js}
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		var id int64
		var builtin bool
		err := tx.QueryRowContext(ctx, "SELECT id, builtin FROM index_definitions WHERE code = $1 AND version = $2",
			d.Code, d.Version).Scan(&id, &builtin)
		now := instant(s.db.Now())
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return tx.QueryRowContext(ctx, `INSERT INTO index_definitions (code, version, name_vi, name_en, builtin, definition,
				created_at) VALUES ($1, $2, $3, $4, FALSE, $5, $6) RETURNING id`,
				d.Code, d.Version, d.NameVI, d.NameEN, string(js), now).Scan(&d.ID)
		case err != nil:
			return err
		case builtin:
			return dxtrack.Errorf(dxtrack.ECONFLICT, "error.indices_builtin", map[string]any{"Code": d.Code})
		}
		if used, err := exists(ctx, tx, "SELECT 1 FROM index_editions WHERE index_id = $1", id); err != nil {
			return err
		} else if used {
			return dxtrack.Errorf(dxtrack.ECONFLICT, "error.indices_in_use", map[string]any{"Code": d.Code})
		}
		d.ID = id
		_, err = tx.ExecContext(ctx, `UPDATE index_definitions SET name_vi = $1, name_en = $2, definition = $3 WHERE id = $4`,
			d.NameVI, d.NameEN, string(js), id)
		return err
	})
	if err != nil {
		return nil, wrap("import index definition", err)
	}
	return s.db.definitionByID(ctx, s.db.r, d.ID)
}

func (s *indexService) InstallBuiltins(ctx context.Context) error {
	var n int
	if err := s.db.r.QueryRowContext(ctx, "SELECT count(*) FROM index_definitions WHERE builtin").Scan(&n); err != nil {
		return wrap("install builtin indices", err)
	}
	builtins := composite.Builtins()
	if n >= len(builtins) {
		return nil
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		for _, ix := range builtins {
			js, err := ix.JSON()
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO index_definitions (code, version, name_vi, name_en, builtin, definition,
				created_at) VALUES ($1, $2, $3, $4, TRUE, $5, $6) ON CONFLICT (code, version) DO NOTHING`,
				ix.Code, ix.Version, ix.NameVI, ix.NameEN, string(js), instant(s.db.Now())); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("install builtin indices", err)
}

// Editions.

const editionSelect = `SELECT e.id, e.index_id, d.code, d.version, e.year, e.name_vi, e.name_en, e.cohort,
	COALESCE(e.owner_unit_id, 0), e.source, e.inputs, e.level, COALESCE(e.derived_from, 0), e.created_at
	FROM index_editions e JOIN index_definitions d ON d.id = e.index_id`

func scanEdition(s interface{ Scan(...any) error }) (*dxtrack.IndexEdition, error) {
	var e dxtrack.IndexEdition
	var src, inputs, at string
	if err := s.Scan(&e.ID, &e.IndexID, &e.IndexCode, &e.IndexVersion, &e.Year, &e.NameVI, &e.NameEN, &e.Cohort,
		&e.OwnerUnitID, &src, &inputs, &e.Level, &e.DerivedFrom, &at); err != nil {
		return nil, err
	}
	e.Source, e.CreatedAt = dxtrack.EditionSource(src), parseInstant(at)
	if inputs != "" {
		if err := json.Unmarshal([]byte(inputs), &e.Inputs); err != nil {
			return nil, err
		}
	}
	return &e, nil
}

func (s *indexService) FindEditions(ctx context.Context, f dxtrack.EditionFilter) ([]*dxtrack.IndexEdition, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	var w where
	if f.IndexCode != "" {
		w.add("d.code = " + w.arg(f.IndexCode))
	}
	if f.IndexID != 0 {
		w.add("e.index_id = " + w.arg(f.IndexID))
	}
	rows, err := s.db.r.QueryContext(ctx, editionSelect+w.String()+" ORDER BY d.code, e.year DESC, e.id", w.args...)
	if err != nil {
		return nil, wrap("find editions", err)
	}
	defer rows.Close()
	out := []*dxtrack.IndexEdition{}
	for rows.Next() {
		e, err := scanEdition(rows)
		if err != nil {
			return nil, wrap("find editions", err)
		}
		out = append(out, e)
	}
	return out, wrap("find editions", rows.Err())
}

func (s *indexService) FindEdition(ctx context.Context, id int64) (*dxtrack.IndexEdition, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	return s.db.edition(ctx, s.db.r, id)
}

func (db *DB) edition(ctx context.Context, q queryer, id int64) (*dxtrack.IndexEdition, error) {
	e, err := scanEdition(q.QueryRowContext(ctx, editionSelect+" WHERE e.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	} else if err != nil {
		return nil, wrap("find edition", err)
	}
	return e, nil
}

// canRun checks that the user may create an edition run by the owner unit:
// an admin over it (any admin when the edition has no owner unit).
func canRun(ctx context.Context, q queryer, user *dxtrack.User, owner int64) error {
	if user.IsSystem() {
		return nil
	}
	if owner == 0 {
		return allow(user, user.Role == dxtrack.RoleAdmin && !user.Disabled)
	}
	path, ok, err := unitPath(ctx, q, owner)
	if err != nil {
		return err
	}
	if !ok {
		return dxtrack.Invalid("owner_unit", "error.not_found", nil)
	}
	return allow(user, user.CanAdmin(path))
}

// checkTable checks a table against the definition's inputs: a column
// that is no input, a row without a code or repeated, a text in a number
// column. Field names say the row and the column.
func checkTable(ix *composite.Index, t *dxtrack.IndexTable) error {
	var p dxtrack.Problems
	inputs := map[string]composite.Input{}
	for _, in := range ix.Inputs() {
		inputs[in.Column] = in
	}
	if len(t.Rows) == 0 {
		p.Add("file", "error.indices_empty_table", nil)
	}
	// Row numbers count the header line, as a spreadsheet shows them.
	line := map[string]int{}
	for i, r := range t.Rows {
		n := i + 2
		if strings.TrimSpace(r.Code) == "" {
			p.Add(fmt.Sprintf("row %d: code", n), "error.required", nil)
			continue
		}
		if line[r.Code] != 0 {
			p.Add(fmt.Sprintf("row %d: code", n), "error.indices_duplicate_row", map[string]any{"Code": r.Code})
			continue
		}
		line[r.Code] = n
	}
	cell := func(row, col, msg string) {
		if line[row] == 0 {
			p.Add("file", "error.indices_unknown_row", map[string]any{"Code": row})
			return
		}
		p.Add(fmt.Sprintf("row %d: %s", line[row], col), msg, map[string]any{"Code": col})
	}
	for row, m := range t.Numbers {
		for col := range m {
			if in, ok := inputs[col]; !ok {
				cell(row, col, "error.indices_unknown_column")
			} else if in.Text {
				cell(row, col, "error.indices_text_column")
			}
		}
	}
	for row, m := range t.Texts {
		for col := range m {
			if _, ok := inputs[col]; !ok {
				cell(row, col, "error.indices_unknown_column")
			}
		}
	}
	slices.SortFunc(p, func(a, b dxtrack.FieldError) int { return strings.Compare(a.Field, b.Field) })
	p = slices.CompactFunc(p, func(a, b dxtrack.FieldError) bool { return a.Field == b.Field && a.MsgID == b.MsgID })
	if len(p) > 20 {
		p = p[:20] // a wrong file names its first faults, not thousands
	}
	return p.Err()
}

func (s *indexService) CreateEdition(ctx context.Context, e *dxtrack.IndexEdition, t *dxtrack.IndexTable) error {
	user, err := reader(ctx)
	if err != nil {
		return err
	}
	if e.Source == "" {
		e.Source = dxtrack.FromTable
	}
	if err := e.Validate(); err != nil {
		return err
	}
	d, ix, err := s.editionIndex(ctx, e)
	if err != nil {
		return err
	}
	if t, err = s.fillFromIndicators(ctx, e, t); err != nil {
		return err
	}
	if t == nil {
		t = &dxtrack.IndexTable{}
	}
	if e.Source != dxtrack.FromLineage {
		if err := checkTable(ix, t); err != nil {
			return err
		}
	}
	if e.Source == dxtrack.FromIndicators {
		cols := map[string]bool{}
		for _, in := range ix.Inputs() {
			cols[in.Column] = true
		}
		var p dxtrack.Problems
		for _, in := range e.Inputs {
			if !cols[in.Column] {
				p.Add("inputs."+in.Column, "error.indices_unknown_column", map[string]any{"Code": in.Column})
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
	}
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		if err := canRun(ctx, tx, user, e.OwnerUnitID); err != nil {
			return err
		}
		e.IndexID, e.IndexCode, e.IndexVersion = d.ID, d.Code, d.Version
		if e.OwnerUnitID != 0 {
			if err := linkRows(ctx, tx, t); err != nil {
				return err
			}
		}
		return s.db.insertEdition(ctx, tx, e, t)
	})
	return wrap("create edition", err)
}

// editionIndex finds and parses the definition an edition names, by ID or
// by code and version.
func (s *indexService) editionIndex(ctx context.Context, e *dxtrack.IndexEdition) (*dxtrack.IndexDefinition, *composite.Index, error) {
	var d *dxtrack.IndexDefinition
	var err error
	if e.IndexID != 0 {
		d, err = s.db.definitionByID(ctx, s.db.r, e.IndexID)
	} else {
		d, err = s.FindIndexDefinition(ctx, e.IndexCode, e.IndexVersion)
	}
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		return nil, nil, dxtrack.Invalid("index", "error.not_found", nil)
	} else if err != nil {
		return nil, nil, err
	}
	ix, err := parseDefinition(d)
	if err != nil {
		return nil, nil, err
	}
	return d, ix, nil
}

func (db *DB) insertEdition(ctx context.Context, tx *sql.Tx, e *dxtrack.IndexEdition, t *dxtrack.IndexTable) error {
	inputs := ""
	if len(e.Inputs) > 0 {
		b, err := json.Marshal(e.Inputs)
		if err != nil {
			return err
		}
		inputs = string(b)
	}
	now := db.Now()
	if err := tx.QueryRowContext(ctx, `INSERT INTO index_editions (index_id, year, name_vi, name_en, cohort, owner_unit_id,
		source, inputs, level, derived_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		e.IndexID, e.Year, e.NameVI, e.NameEN, e.Cohort, nullID(e.OwnerUnitID), string(e.Source), inputs, e.Level,
		nullID(e.DerivedFrom), instant(now)).Scan(&e.ID); err != nil {
		return err
	}
	e.CreatedAt = parseInstant(instant(now))
	return db.writeTable(ctx, tx, e.ID, t)
}

// writeTable replaces an edition's rows and cells.
func (db *DB) writeTable(ctx context.Context, tx *sql.Tx, id int64, t *dxtrack.IndexTable) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM index_cells WHERE edition_id = $1", id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM index_rows WHERE edition_id = $1", id); err != nil {
		return err
	}
	for i, r := range t.Rows {
		if _, err := tx.ExecContext(ctx, `INSERT INTO index_rows (edition_id, pos, code, name, grp, unit_id)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, i, r.Code, r.Name, r.Group, nullID(r.UnitID)); err != nil {
			return err
		}
		for col, v := range t.Numbers[r.Code] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO index_cells (edition_id, row_code, col, num) VALUES ($1, $2, $3, $4)`,
				id, r.Code, col, v); err != nil {
				return err
			}
		}
		for col, v := range t.Texts[r.Code] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO index_cells (edition_id, row_code, col, txt) VALUES ($1, $2, $3, $4)
				ON CONFLICT (edition_id, row_code, col) DO UPDATE SET txt = excluded.txt`, id, r.Code, col, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *indexService) ImportEdition(ctx context.Context, e *dxtrack.IndexEdition, fileName string, data []byte) error {
	if _, err := reader(ctx); err != nil {
		return err
	}
	if len(data) == 0 {
		return dxtrack.Invalid("file", "error.required", nil)
	}
	d, err := composite.ReadTable(bytes.NewReader(data), fileName)
	if err != nil {
		return err
	}
	e.Source = dxtrack.FromTable
	return s.CreateEdition(ctx, e, TableOf(d))
}

// TableOf turns the engine's input table into the domain's.
func TableOf(d *composite.Data) *dxtrack.IndexTable {
	t := &dxtrack.IndexTable{Numbers: d.Numbers, Texts: d.Texts}
	for _, u := range d.Units {
		t.Rows = append(t.Rows, dxtrack.IndexRow{Code: u.Code, Name: u.Name, Group: u.Group})
	}
	return t
}

func (s *indexService) EditionTable(ctx context.Context, id int64) (*dxtrack.IndexTable, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	t, err := s.db.table(ctx, s.db.r, id)
	return t, wrap("edition table", err)
}

func (db *DB) table(ctx context.Context, q queryer, id int64) (*dxtrack.IndexTable, error) {
	t := &dxtrack.IndexTable{Numbers: map[string]map[string]float64{}, Texts: map[string]map[string]string{}}
	rows, err := q.QueryContext(ctx, `SELECT code, name, grp, COALESCE(unit_id, 0) FROM index_rows WHERE edition_id = $1
		ORDER BY pos`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r dxtrack.IndexRow
		if err := rows.Scan(&r.Code, &r.Name, &r.Group, &r.UnitID); err != nil {
			rows.Close()
			return nil, err
		}
		t.Rows = append(t.Rows, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, "SELECT row_code, col, num, txt FROM index_cells WHERE edition_id = $1", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var row, col string
		var num sql.NullFloat64
		var txt sql.NullString
		if err := rows.Scan(&row, &col, &num, &txt); err != nil {
			return nil, err
		}
		if num.Valid {
			if t.Numbers[row] == nil {
				t.Numbers[row] = map[string]float64{}
			}
			t.Numbers[row][col] = num.Float64
		}
		if txt.Valid {
			if t.Texts[row] == nil {
				t.Texts[row] = map[string]string{}
			}
			t.Texts[row][col] = txt.String
		}
	}
	return t, rows.Err()
}

// Lineage.

func (s *indexService) DeriveEdition(ctx context.Context, sourceID int64, e *dxtrack.IndexEdition) error {
	user, err := reader(ctx)
	if err != nil {
		return err
	}
	src, err := s.db.edition(ctx, s.db.r, sourceID)
	if err != nil {
		return err
	}
	if src.Source == dxtrack.FromLineage {
		return dxtrack.Invalid("source", "error.indices_derived", nil)
	}
	e.Source, e.DerivedFrom, e.IndexID = dxtrack.FromLineage, src.ID, src.IndexID
	if e.Year == 0 {
		e.Year = src.Year
	}
	if e.OwnerUnitID == 0 {
		e.OwnerUnitID = src.OwnerUnitID
	}
	if err := e.Validate(); err != nil {
		return err
	}
	err = s.db.write(ctx, func(tx *sql.Tx) error {
		if err := canRun(ctx, tx, user, e.OwnerUnitID); err != nil {
			return err
		}
		_, rows, err := s.db.successors(ctx, tx, src.ID)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return dxtrack.Invalid("source", "error.indices_no_lineage", nil)
		}
		d, err := s.db.definitionByID(ctx, tx, src.IndexID)
		if err != nil {
			return err
		}
		e.IndexCode, e.IndexVersion = d.Code, d.Version
		return s.db.insertEdition(ctx, tx, e, &dxtrack.IndexTable{Rows: rows})
	})
	return wrap("derive edition", err)
}

func (s *indexService) Successors(ctx context.Context, id int64) (map[string][]string, []dxtrack.IndexRow, error) {
	if _, err := reader(ctx); err != nil {
		return nil, nil, err
	}
	e, err := s.db.edition(ctx, s.db.r, id)
	if err != nil {
		return nil, nil, err
	}
	if e.Source != dxtrack.FromLineage {
		return nil, nil, dxtrack.Invalid("edition", "error.indices_not_derived", nil)
	}
	succ, rows, err := s.db.successors(ctx, s.db.r, e.DerivedFrom)
	return succ, rows, wrap("successors", err)
}

// successors follows the unit lineage (merges, then later merges of the
// successors) from the source edition's units linked to the system's
// units, to the units current today: successor code → former row codes.
func (db *DB) successors(ctx context.Context, q queryer, sourceID int64) (map[string][]string, []dxtrack.IndexRow, error) {
	src, err := db.table(ctx, q, sourceID)
	if err != nil {
		return nil, nil, err
	}
	lineage, err := allLineage(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	next := map[int64]int64{}
	for _, l := range lineage {
		if l.Kind == dxtrack.LineageMerge {
			next[l.FromID] = l.ToID
		}
	}
	units, err := allUnits(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]*dxtrack.Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	succ := map[string][]string{}
	var rows []dxtrack.IndexRow
	for _, r := range src.Rows {
		id := r.UnitID
		if id == 0 {
			continue
		}
		for hops := 0; hops < 16; hops++ { // lineage has no cycles; the bound guards bad data
			to, ok := next[id]
			if !ok {
				break
			}
			id = to
		}
		u := byID[id]
		if u == nil {
			continue
		}
		if _, ok := succ[u.Code]; !ok {
			rows = append(rows, dxtrack.IndexRow{Code: u.Code, Name: u.NameVI, UnitID: u.ID})
		}
		succ[u.Code] = append(succ[u.Code], r.Code)
	}
	return succ, rows, nil
}

// linkRows links the rows of an edition run by a unit of the system to the
// units of the same code, so that their reporters may self-assess.
func linkRows(ctx context.Context, q queryer, t *dxtrack.IndexTable) error {
	for i, r := range t.Rows {
		if r.UnitID != 0 {
			continue
		}
		var id int64
		err := q.QueryRowContext(ctx, "SELECT id FROM units WHERE code = $1 AND valid_to IS NULL", r.Code).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return err
		}
		t.Rows[i].UnitID = id
	}
	return nil
}
