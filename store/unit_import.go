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

// ImportUnits applies an administrative list in one transaction. The list
// is checked whole before anything is written; a field error names the
// record as "row N: field", N being the line of a CSV file with a header
// (the record's index + 2).
func (s *unitService) ImportUnits(ctx context.Context, recs []dxtrack.UnitRecord, effective time.Time, source string) (*dxtrack.UnitImport, error) {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return nil, err
	}
	if effective.IsZero() {
		effective = s.db.today()
	}
	effective = dxtrack.Day(effective)
	var imp *dxtrack.UnitImport
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		all, err := s.db.queryUnits(ctx, tx, unitSelect, dxtrack.FormatDate(effective))
		if err != nil {
			return err
		}
		byCode := make(map[string]*unitRow, len(all))
		for _, u := range all {
			byCode[u.Code] = u
		}
		recs = cleanRecords(recs)
		if err := checkRecords(recs, byCode); err != nil {
			return err
		}
		imp, err = s.db.applyImport(ctx, tx, user, recs, byCode, all, effective, source)
		return err
	})
	if err != nil {
		return nil, wrap("import units", err)
	}
	return imp, nil
}

func cleanRecords(recs []dxtrack.UnitRecord) []dxtrack.UnitRecord {
	out := make([]dxtrack.UnitRecord, len(recs))
	for i, r := range recs {
		out[i] = dxtrack.UnitRecord{
			Code:       strings.TrimSpace(r.Code),
			NameVI:     strings.TrimSpace(r.NameVI),
			NameEN:     strings.TrimSpace(r.NameEN),
			FullName:   strings.TrimSpace(r.FullName),
			Type:       dxtrack.UnitType(strings.TrimSpace(string(r.Type))),
			TypeNameVI: strings.TrimSpace(r.TypeNameVI),
			TypeNameEN: strings.TrimSpace(r.TypeNameEN),
			ParentCode: strings.TrimSpace(r.ParentCode),
		}
	}
	return out
}

// checkRecords validates every record: its own fields, duplicates within
// the list, and that its parent exists already or comes earlier in it.
func checkRecords(recs []dxtrack.UnitRecord, existing map[string]*unitRow) error {
	var p dxtrack.Problems
	seen := make(map[string]bool, len(recs))
	for i, r := range recs {
		row := fmt.Sprintf("row %d: ", i+2)
		switch {
		case r.Code == "":
			p.Add(row+"code", "error.required", nil)
		case !dxtrack.ValidCode(r.Code):
			p.Add(row+"code", "error.code_format", nil)
		case seen[r.Code]:
			p.Add(row+"code", "error.duplicate_code", map[string]any{"Code": r.Code})
		}
		if r.NameVI == "" {
			p.Add(row+"name_vi", "error.required", nil)
		}
		if !r.Type.Valid() {
			p.Add(row+"type", "error.unknown_value", map[string]any{"Value": string(r.Type)})
		}
		if r.ParentCode != "" {
			switch {
			case r.ParentCode == r.Code:
				p.Add(row+"parent_code", "error.self_parent", nil)
			case !seen[r.ParentCode] && existing[r.ParentCode] == nil:
				p.Add(row+"parent_code", "error.unknown_unit", map[string]any{"Code": r.ParentCode})
			}
		}
		seen[r.Code] = true
	}
	return p.Err()
}

func (db *DB) applyImport(ctx context.Context, tx *sql.Tx, user *dxtrack.User, recs []dxtrack.UnitRecord,
	byCode map[string]*unitRow, all []*unitRow, effective time.Time, source string) (*dxtrack.UnitImport, error) {
	imp := &dxtrack.UnitImport{Changes: []dxtrack.UnitChange{}}
	record := func(id int64, cs changes) error {
		for _, c := range cs {
			imp.Changes = append(imp.Changes, dxtrack.UnitChange{UnitID: id, On: effective, Field: c.field, Old: c.old, New: c.new, Source: source})
		}
		return writeUnitChanges(ctx, tx, id, effective, source, cs)
	}
	listed := make(map[string]bool, len(recs))
	types := map[dxtrack.UnitType]bool{}
	moved := false
	for _, r := range recs {
		listed[r.Code] = true
		types[r.Type] = true
		var parentID int64
		var parentPath []int64
		if r.ParentCode != "" {
			parent := byCode[r.ParentCode]
			parentID, parentPath = parent.ID, parsePath(parent.path)
		}
		old := byCode[r.Code]
		if old == nil {
			if err := allow(user, user.CanAdmin(parentPath)); err != nil {
				return nil, err
			}
			u := dxtrack.Unit{Code: r.Code, NameVI: r.NameVI, NameEN: r.NameEN, FullName: r.FullName, Type: r.Type,
				TypeNameVI: r.TypeNameVI, TypeNameEN: r.TypeNameEN, ParentID: parentID, ValidFrom: effective}
			id, err := insertUnit(ctx, tx, &u, parentPath)
			if err != nil {
				return nil, err
			}
			u.ID = id
			byCode[r.Code] = &unitRow{Unit: u, path: formatPath(append(slices.Clone(parentPath), id))}
			imp.Created++
			continue
		}
		if err := allow(user, user.CanAdmin(parsePath(old.path))); err != nil {
			return nil, err
		}
		u := old.Unit
		u.NameVI, u.NameEN, u.FullName, u.Type = r.NameVI, r.NameEN, r.FullName, r.Type
		u.TypeNameVI, u.TypeNameEN, u.ParentID = r.TypeNameVI, r.TypeNameEN, parentID
		cs := unitChanges(&old.Unit, &u)
		if u.ParentID != old.ParentID {
			if err := allow(user, user.CanAdmin(parentPath)); err != nil {
				return nil, err
			}
			oldParent, err := codeOf(ctx, tx, old.ParentID)
			if err != nil {
				return nil, err
			}
			cs = append(cs, change{"parent", oldParent, r.ParentCode})
			moved = true
		}
		if !u.ValidTo.IsZero() {
			// An ended unit listed again is revived.
			cs = append(cs, change{"valid_to", dxtrack.FormatDate(u.ValidTo), ""})
			u.ValidTo = time.Time{}
		}
		if len(cs) == 0 {
			imp.Unchanged++
			continue
		}
		if err := record(u.ID, cs); err != nil {
			return nil, err
		}
		if err := updateUnitRow(ctx, tx, &u); err != nil {
			return nil, err
		}
		old.Unit = u
		imp.Updated++
	}
	// Units of the list's kinds that it no longer names are ended, never
	// deleted; an admin's import ends only units in the admin's scope.
	for _, u := range all {
		if listed[u.Code] || !types[u.Type] || !u.ValidTo.IsZero() || !effective.After(u.ValidFrom) {
			continue
		}
		if !user.CanAdmin(parsePath(u.path)) {
			continue
		}
		if err := record(u.ID, changes{{"valid_to", "", dxtrack.FormatDate(effective)}}); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE units SET valid_to = $1 WHERE id = $2", dateArg(effective), u.ID); err != nil {
			return nil, err
		}
		imp.Ended++
	}
	if moved {
		if err := rebuildPaths(ctx, tx); err != nil {
			return nil, err
		}
	}
	return imp, nil
}

func codeOf(ctx context.Context, q queryer, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	var code string
	err := q.QueryRowContext(ctx, "SELECT code FROM units WHERE id = $1", id).Scan(&code)
	return code, err
}

// rebuildPaths recomputes every unit's path from the parent links, after
// an import moved units (perhaps under units it moved too).
func rebuildPaths(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, COALESCE(parent_id, 0), path, code FROM units")
	if err != nil {
		return err
	}
	type node struct {
		parent     int64
		path, code string
	}
	nodes := map[int64]*node{}
	for rows.Next() {
		var id int64
		var n node
		if err := rows.Scan(&id, &n.parent, &n.path, &n.code); err != nil {
			rows.Close()
			return err
		}
		nodes[id] = &n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	paths := map[int64]string{}
	var resolve func(id int64, depth int) (string, error)
	resolve = func(id int64, depth int) (string, error) {
		if p, ok := paths[id]; ok {
			return p, nil
		}
		n := nodes[id]
		if depth > len(nodes) {
			return "", dxtrack.Invalid("parent_code", "error.self_parent", map[string]any{"Code": n.code})
		}
		prefix := "/"
		if n.parent != 0 {
			pp, err := resolve(n.parent, depth+1)
			if err != nil {
				return "", err
			}
			prefix = pp
		}
		p := fmt.Sprintf("%s%d/", prefix, id)
		paths[id] = p
		return p, nil
	}
	for id, n := range nodes {
		p, err := resolve(id, 0)
		if err != nil {
			return err
		}
		if p != n.path {
			if _, err := tx.ExecContext(ctx, "UPDATE units SET path = $1 WHERE id = $2", p, id); err != nil {
				return err
			}
		}
	}
	return nil
}
