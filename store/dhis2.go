package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/dhis2"
)

// DHIS2Service imports DHIS2 data value sets into the value store and
// keeps the code tables that map DHIS2's identifiers to indicators and
// units.
type DHIS2Service struct{ db *DB }

// NewDHIS2Service returns the DHIS2 service over db. Its imports reach
// the change feed.
func NewDHIS2Service(db *DB) *DHIS2Service { return &DHIS2Service{db} }

// errDryRun rolls a dry run's transaction back once its summary is made.
var errDryRun = errors.New("store: dhis2 dry run")

// ImportDataValues imports a data value set pushed by the user in the
// context, following DHIS2's semantics: each value is imported (new),
// updated (changed), ignored (unchanged) or refused as a conflict naming
// its index, and the good values go in whatever the bad ones. The values
// are written as machine values by dxtrack.SystemUser, each only if the
// pusher may report for its unit; the audit reason names DHIS2 and the
// pusher. All writes of one call share a transaction: a store failure
// leaves nothing half-written, and a dry run rolls it back.
//
// A unit's correction of a machine value (provenance corrected) is kept:
// the push is refused for it as a conflict, so that a correction made
// with a reason is not undone by the next push of the wrong figure.
func (s *DHIS2Service) ImportDataValues(ctx context.Context, set *dhis2.DataValueSet, o dhis2.Options) (*dhis2.ImportSummary, error) {
	pusher := dxtrack.UserFromContext(ctx)
	if pusher == nil {
		return nil, errUnauthorized()
	}
	set.Normalize()
	var out *dhis2.ImportSummary
	run := func() error {
		return s.db.writeFeed(ctx, func(tx *sql.Tx, pub *published) error {
			sum, err := s.importValues(ctx, tx, pusher, set, o, pub)
			out = sum
			if err == nil && o.DryRun {
				return errDryRun
			}
			return err
		})
	}
	err := run()
	if isUniqueViolation(err) {
		// A concurrent push created one of the values first: the second
		// try counts it as there.
		err = run()
	}
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return nil, wrap("dhis2 import", err)
	}
	out.Finish()
	return out, nil
}

// dhis2Lookup resolves a push's identifiers in one transaction, each once.
type dhis2Lookup struct {
	db         *DB
	tx         *sql.Tx
	resolver   *UnitResolver
	elements   map[[2]string]int64 // (data element, combo) → indicator
	indicators map[int64]*dxtrack.Indicator
	byCode     map[string]*dxtrack.Indicator // indicators looked up by code; nil: none
	orgUnits   map[string]int64
	paths      map[int64][]int64
}

func (db *DB) newDHIS2Lookup(ctx context.Context, tx *sql.Tx) (*dhis2Lookup, error) {
	l := &dhis2Lookup{db: db, tx: tx, elements: map[[2]string]int64{}, indicators: map[int64]*dxtrack.Indicator{},
		byCode: map[string]*dxtrack.Indicator{}, orgUnits: map[string]int64{}, paths: map[int64][]int64{}}
	rows, err := tx.QueryContext(ctx, "SELECT data_element, combo, indicator_id FROM dhis2_elements")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var de, combo string
		var id int64
		if err := rows.Scan(&de, &combo, &id); err != nil {
			rows.Close()
			return nil, err
		}
		l.elements[[2]string{de, combo}] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, "SELECT org_unit, unit_id FROM dhis2_org_units")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var ou string
		var id int64
		if err := rows.Scan(&ou, &id); err != nil {
			rows.Close()
			return nil, err
		}
		l.orgUnits[ou] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if l.resolver, err = db.UnitResolver(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// element resolves a data element and category option combo to an
// indicator: the code table's row for that combo; for the default combo,
// the row without combo, or else an indicator with that code. A
// disaggregated value (another combo) needs its own row. The string is
// the error code when it does not resolve.
func (l *dhis2Lookup) element(ctx context.Context, de, combo string) (*dxtrack.Indicator, string, error) {
	id, ok := int64(0), false
	if dhis2.IsDefaultCombo(combo) {
		id, ok = l.elements[[2]string{de, ""}]
		if !ok {
			for _, c := range []string{dhis2.DefaultCombo, "default"} {
				if id, ok = l.elements[[2]string{de, c}]; ok {
					break
				}
			}
		}
	} else if id, ok = l.elements[[2]string{de, combo}]; !ok {
		if _, mapped := l.elements[[2]string{de, ""}]; mapped {
			return nil, dhis2.ErrCombo, nil
		}
	}
	if ok {
		if in, seen := l.indicators[id]; seen {
			return in, "", nil
		}
		in, err := l.db.indicatorBy(ctx, l.tx, "i.id = $1", id)
		if err != nil {
			return nil, "", err
		}
		l.indicators[id] = in
		return in, "", nil
	}
	if !dhis2.IsDefaultCombo(combo) {
		return nil, dhis2.ErrCombo, nil
	}
	in, seen := l.byCode[de]
	if !seen {
		var err error
		in, err = l.db.indicatorBy(ctx, l.tx, "i.code = $1", de)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			in, err = nil, nil
		}
		if err != nil {
			return nil, "", err
		}
		l.byCode[de] = in
	}
	if in == nil {
		return nil, dhis2.ErrDataElement, nil
	}
	return in, "", nil
}

// orgUnit resolves an organisation unit to today's unit and its path:
// the code table's row, or else a unit code, a former one following
// lineage. The error is the resolver's field error when it does not.
func (l *dhis2Lookup) orgUnit(ctx context.Context, ou string) (int64, []int64, error) {
	id, ok := l.orgUnits[ou]
	if !ok {
		var err error
		if id, err = l.resolver.Resolve(ou); err != nil {
			return 0, nil, err
		}
	}
	if p, ok := l.paths[id]; ok {
		return id, p, nil
	}
	p, found, err := unitPath(ctx, l.tx, id)
	if err != nil {
		return 0, nil, err
	}
	if !found {
		return 0, nil, dxtrack.Invalid("unit", "error.ingest_unit_unknown", map[string]any{"Code": ou})
	}
	l.paths[id] = p
	return id, p, nil
}

// importValues checks and writes a push's values in tx, one by one.
func (s *DHIS2Service) importValues(ctx context.Context, tx *sql.Tx, pusher *dxtrack.User, set *dhis2.DataValueSet,
	o dhis2.Options, pub *published) (*dhis2.ImportSummary, error) {
	db := s.db
	sum := dhis2.NewSummary(o)
	strategy := o.Strategy()
	switch strategy {
	case dhis2.CreateAndUpdate, dhis2.Create, dhis2.Update, dhis2.Delete:
	default:
		for i := range set.DataValues {
			sum.Conflict(i, dhis2.ErrNotAccessible, "importStrategy", strategy, "dhis2.conflict_strategy",
				map[string]any{"Value": strategy})
		}
		return sum, nil
	}
	l, err := db.newDHIS2Lookup(ctx, tx)
	if err != nil {
		return nil, err
	}
	reason := "DHIS2 · " + pusher.Username
	if ds := strings.TrimSpace(set.DataSet); ds != "" {
		reason += " · " + ds
	}
	for i, dv := range set.DataValues {
		conflict := func(code, property, object, msgID string, args map[string]any) {
			sum.Conflict(i, code, property, object, msgID, args)
		}
		if dv.DataElement == "" {
			conflict(dhis2.ErrDataElement, "dataElement", "", "dhis2.conflict_missing", map[string]any{"Field": "dataElement"})
			continue
		}
		in, code, err := l.element(ctx, dv.DataElement, dv.CategoryOptionCombo)
		if err != nil {
			return nil, err
		}
		switch code {
		case dhis2.ErrDataElement:
			conflict(code, "dataElement", dv.DataElement, "dhis2.conflict_element", map[string]any{"Code": dv.DataElement})
			continue
		case dhis2.ErrCombo:
			conflict(code, "categoryOptionCombo", dv.CategoryOptionCombo, "dhis2.conflict_combo",
				map[string]any{"Code": dv.DataElement, "Value": dv.CategoryOptionCombo})
			continue
		}
		if in.Source == dxtrack.SourceFormula {
			conflict(dhis2.ErrDataElement, "dataElement", dv.DataElement, "dhis2.conflict_formula", map[string]any{"Code": in.Code})
			continue
		}
		if !dhis2.IsDefaultCombo(dv.AttributeOptionCombo) {
			conflict(dhis2.ErrAttribute, "attributeOptionCombo", dv.AttributeOptionCombo, "dhis2.conflict_attribute",
				map[string]any{"Value": dv.AttributeOptionCombo})
			continue
		}
		p, err := dhis2.ParsePeriod(dv.Period)
		if err != nil {
			var pe *dhis2.PeriodError
			if errors.As(err, &pe) && pe.Kind != "" {
				conflict(dhis2.ErrPeriod, "period", dv.Period, "dhis2.conflict_period_"+pe.Kind, map[string]any{"Value": dv.Period})
			} else {
				conflict(dhis2.ErrPeriod, "period", dv.Period, "dhis2.conflict_period", map[string]any{"Value": dv.Period})
			}
			continue
		}
		if dv.OrgUnit == "" {
			conflict(dhis2.ErrOrgUnit, "orgUnit", "", "dhis2.conflict_missing", map[string]any{"Field": "orgUnit"})
			continue
		}
		unitID, path, err := l.orgUnit(ctx, dv.OrgUnit)
		if dxtrack.ErrorCode(err) == dxtrack.EINVALID {
			fe := dxtrack.ErrorFields(err)
			msg, args := "error.ingest_unit_unknown", map[string]any{"Code": dv.OrgUnit}
			if len(fe) > 0 {
				msg, args = fe[0].MsgID, fe[0].Args
			}
			conflict(dhis2.ErrOrgUnit, "orgUnit", dv.OrgUnit, msg, args)
			continue
		} else if err != nil {
			return nil, err
		}
		if !pusher.CanReport(path) {
			conflict(dhis2.ErrHierarchy, "orgUnit", dv.OrgUnit, "dhis2.conflict_hierarchy",
				map[string]any{"Code": dv.OrgUnit, "Name": pusher.Username})
			continue
		}
		if dv.Deleted || strategy == dhis2.Delete {
			conflict(dhis2.ErrNotAccessible, "value", dv.DataElement, "dhis2.conflict_delete", nil)
			continue
		}
		raw := strings.TrimSpace(dv.Value)
		if raw == "" {
			conflict(dhis2.ErrNoValue, "value", dv.DataElement, "dhis2.conflict_no_value", map[string]any{"Code": dv.DataElement})
			continue
		}
		x, err := strconv.ParseFloat(raw, 64)
		if err != nil || !finite(x) {
			switch strings.ToLower(raw) {
			case "true":
				x, err = 1, nil
			case "false":
				x, err = 0, nil
			}
		}
		if err != nil || !finite(x) {
			conflict(dhis2.ErrValueType, "value", dv.DataElement, "dhis2.conflict_number", map[string]any{"Value": raw})
			continue
		}
		if msg, args := in.CheckValue(x); msg != "" {
			conflict(dhis2.ErrValueType, "value", dv.DataElement, msg, args)
			continue
		}
		var old storedValue
		var provenance string
		err = tx.QueryRowContext(ctx, `SELECT id, value, provenance FROM indicator_values
			WHERE unit_id = $1 AND indicator_id = $2 AND period_key = $3`+db.forUpdate(),
			unitID, in.ID, p.Key()).Scan(&old.id, &old.value, &provenance)
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		switch {
		case found && dxtrack.Provenance(provenance) == dxtrack.FromCorrected && old.value != x:
			conflict(dhis2.ErrNotAccessible, "value", dv.DataElement, "dhis2.conflict_corrected",
				map[string]any{"Code": in.Code, "Value": p.Key()})
			continue
		case found && old.value == x, found && strategy == dhis2.Create, !found && strategy == dhis2.Update:
			sum.ImportCount.Ignored++
			continue
		}
		v := dxtrack.Value{UnitID: unitID, IndicatorID: in.ID, Period: p, Value: x, Provenance: dxtrack.FromMachine}
		if err := db.setValue(ctx, tx, dxtrack.SystemUser, v, reason, pub); err != nil {
			return nil, err
		}
		if found {
			sum.ImportCount.Updated++
		} else {
			sum.ImportCount.Imported++
		}
	}
	return sum, nil
}

// ElementMaps lists the data element code table, by data element and
// combo; for any signed-in user.
func (s *DHIS2Service) ElementMaps(ctx context.Context) ([]dhis2.ElementMap, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT m.id, m.data_element, m.combo, m.indicator_id, i.code
		FROM dhis2_elements m JOIN indicators i ON i.id = m.indicator_id ORDER BY m.data_element, m.combo`)
	if err != nil {
		return nil, wrap("dhis2 element maps", err)
	}
	defer rows.Close()
	out := []dhis2.ElementMap{}
	for rows.Next() {
		var m dhis2.ElementMap
		if err := rows.Scan(&m.ID, &m.DataElement, &m.Combo, &m.IndicatorID, &m.Indicator); err != nil {
			return nil, wrap("dhis2 element maps", err)
		}
		out = append(out, m)
	}
	return out, wrap("dhis2 element maps", rows.Err())
}

// OrgUnitMaps lists the organisation unit code table; for any signed-in
// user.
func (s *DHIS2Service) OrgUnitMaps(ctx context.Context) ([]dhis2.OrgUnitMap, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT m.id, m.org_unit, m.unit_id, u.code
		FROM dhis2_org_units m JOIN units u ON u.id = m.unit_id ORDER BY m.org_unit`)
	if err != nil {
		return nil, wrap("dhis2 org unit maps", err)
	}
	defer rows.Close()
	out := []dhis2.OrgUnitMap{}
	for rows.Next() {
		var m dhis2.OrgUnitMap
		if err := rows.Scan(&m.ID, &m.OrgUnit, &m.UnitID, &m.Unit); err != nil {
			return nil, wrap("dhis2 org unit maps", err)
		}
		out = append(out, m)
	}
	return out, wrap("dhis2 org unit maps", rows.Err())
}

// SaveElementMap adds a row to the data element code table, or replaces
// the row of the same data element and combo; for admins. The indicator
// must exist and not be a formula (formulas are computed, never pushed).
func (s *DHIS2Service) SaveElementMap(ctx context.Context, m *dhis2.ElementMap) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		in, err := s.db.indicatorBy(ctx, tx, "i.id = $1", m.IndicatorID)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			return dxtrack.Invalid("indicator", "error.unknown_indicator", map[string]any{"Code": strconv.FormatInt(m.IndicatorID, 10)})
		} else if err != nil {
			return err
		}
		if in.Source == dxtrack.SourceFormula {
			return dxtrack.Invalid("indicator", "error.formula_indicator", nil)
		}
		m.Indicator = in.Code
		var old int64
		err = tx.QueryRowContext(ctx, "SELECT indicator_id FROM dhis2_elements WHERE data_element = $1 AND combo = $2",
			m.DataElement, m.Combo).Scan(&old)
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if found {
			_, err = tx.ExecContext(ctx, "UPDATE dhis2_elements SET indicator_id = $1 WHERE data_element = $2 AND combo = $3",
				m.IndicatorID, m.DataElement, m.Combo)
		} else {
			_, err = tx.ExecContext(ctx, "INSERT INTO dhis2_elements (data_element, combo, indicator_id) VALUES ($1, $2, $3)",
				m.DataElement, m.Combo, m.IndicatorID)
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT id FROM dhis2_elements WHERE data_element = $1 AND combo = $2",
			m.DataElement, m.Combo).Scan(&m.ID); err != nil {
			return err
		}
		var cs changes
		cs.diff("indicator", fmtID(old), fmtID(m.IndicatorID))
		return s.db.writeAudit(ctx, tx, user, "dhis2_element", m.ID, cs, "")
	})
	return wrap("save dhis2 element map", err)
}

// SaveOrgUnitMap adds a row to the organisation unit code table, or
// replaces the row of the same organisation unit; for admins over the
// unit.
func (s *DHIS2Service) SaveOrgUnitMap(ctx context.Context, m *dhis2.OrgUnitMap) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		path, ok, err := unitPath(ctx, tx, m.UnitID)
		if err != nil {
			return err
		}
		if !ok {
			return dxtrack.Invalid("unit", "error.unknown_unit", nil)
		}
		if !user.CanAdmin(path) {
			return errForbidden()
		}
		var old int64
		err = tx.QueryRowContext(ctx, "SELECT unit_id FROM dhis2_org_units WHERE org_unit = $1", m.OrgUnit).Scan(&old)
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if found {
			_, err = tx.ExecContext(ctx, "UPDATE dhis2_org_units SET unit_id = $1 WHERE org_unit = $2", m.UnitID, m.OrgUnit)
		} else {
			_, err = tx.ExecContext(ctx, "INSERT INTO dhis2_org_units (org_unit, unit_id) VALUES ($1, $2)", m.OrgUnit, m.UnitID)
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT m.id, u.code FROM dhis2_org_units m JOIN units u ON u.id = m.unit_id WHERE m.org_unit = $1",
			m.OrgUnit).Scan(&m.ID, &m.Unit); err != nil {
			return err
		}
		var cs changes
		cs.diff("unit", fmtID(old), fmtID(m.UnitID))
		return s.db.writeAudit(ctx, tx, user, "dhis2_org_unit", m.ID, cs, "")
	})
	return wrap("save dhis2 org unit map", err)
}

// DeleteElementMap removes a row of the data element code table; for
// admins. ENOTFOUND if there is none.
func (s *DHIS2Service) DeleteElementMap(ctx context.Context, id int64) error {
	return wrap("delete dhis2 element map", s.deleteMap(ctx, "dhis2_elements", "dhis2_element", "indicator_id", id))
}

// DeleteOrgUnitMap removes a row of the organisation unit code table; for
// admins over its unit. ENOTFOUND if there is none.
func (s *DHIS2Service) DeleteOrgUnitMap(ctx context.Context, id int64) error {
	return wrap("delete dhis2 org unit map", s.deleteMap(ctx, "dhis2_org_units", "dhis2_org_unit", "unit_id", id))
}

func (s *DHIS2Service) deleteMap(ctx context.Context, table, entity, target string, id int64) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	return s.db.write(ctx, func(tx *sql.Tx) error {
		var old int64
		err := tx.QueryRowContext(ctx, "SELECT "+target+" FROM "+table+" WHERE id = $1", id).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		} else if err != nil {
			return err
		}
		if table == "dhis2_org_units" {
			path, ok, err := unitPath(ctx, tx, old)
			if err != nil {
				return err
			}
			if ok && !user.CanAdmin(path) {
				return errForbidden()
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE id = $1", id); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, entity, id, changes{{strings.TrimSuffix(target, "_id"), fmtID(old), ""}}, "")
	})
}
