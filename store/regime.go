package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
)

type regimeService struct{ db *DB }

// NewRegimeService returns the reporting-regime service over db.
func NewRegimeService(db *DB) dxtrack.RegimeService { return &regimeService{db} }

const regimeSelect = `SELECT g.id, g.code, g.name_vi, g.name_en, g.content, g.freq, COALESCE(g.scope_unit_id, 0),
	g.unit_types, g.owner_unit_id, COALESCE(g.final_unit_id, 0), g.skip_levels, g.deadline_days, g.remind_days,
	g.outlier_share, g.outline, g.rules, g.sections, g.include_targets, g.include_tasks, g.active FROM regimes g`

// queryRegimes loads regimes with their items and listed units.
func (db *DB) queryRegimes(ctx context.Context, q queryer, query string, args ...any) ([]*dxtrack.Regime, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out := []*dxtrack.Regime{}
	for rows.Next() {
		var g dxtrack.Regime
		var freq, types, rules, sections string
		if err := rows.Scan(&g.ID, &g.Code, &g.NameVI, &g.NameEN, &g.Content, &freq, &g.ScopeUnitID, &types,
			&g.OwnerUnitID, &g.FinalUnitID, &g.SkipLevels, &g.DeadlineDays, &g.RemindDays, &g.OutlierShare,
			&g.Outline, &rules, &sections, &g.IncludeTargets, &g.IncludeTasks, &g.Active); err != nil {
			rows.Close()
			return nil, err
		}
		g.Freq = dxtrack.Frequency(freq)
		g.UnitTypes = []dxtrack.UnitType{}
		for _, t := range strings.Split(types, ",") {
			if t != "" {
				g.UnitTypes = append(g.UnitTypes, dxtrack.UnitType(t))
			}
		}
		if err := json.Unmarshal([]byte(rules), &g.Rules); err != nil {
			rows.Close()
			return nil, fmt.Errorf("regime %d rules: %w", g.ID, err)
		}
		if err := json.Unmarshal([]byte(sections), &g.Sections); err != nil {
			rows.Close()
			return nil, fmt.Errorf("regime %d sections: %w", g.ID, err)
		}
		g.Items, g.UnitIDs = []dxtrack.FormItem{}, []int64{}
		if g.Rules == nil {
			g.Rules = []dxtrack.Rule{}
		}
		if g.Sections == nil {
			g.Sections = []dxtrack.Section{}
		}
		out = append(out, &g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.attachRegimeLists(ctx, q, out)
}

// attachRegimeLists fills the items and listed units from their tables.
func (db *DB) attachRegimeLists(ctx context.Context, q queryer, regimes []*dxtrack.Regime) error {
	byID := make(map[int64]*dxtrack.Regime, len(regimes))
	for _, g := range regimes {
		byID[g.ID] = g
	}
	for chunk := range slices.Chunk(regimes, 500) {
		ids := make([]any, len(chunk))
		for i, g := range chunk {
			ids[i] = g.ID
		}
		w := &where{}
		in := w.in(ids)
		rows, err := q.QueryContext(ctx, "SELECT regime_id, indicator_id, grp, required FROM regime_items WHERE regime_id IN "+
			in+" ORDER BY regime_id, position", w.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var it dxtrack.FormItem
			if err := rows.Scan(&id, &it.IndicatorID, &it.Group, &it.Required); err != nil {
				rows.Close()
				return err
			}
			byID[id].Items = append(byID[id].Items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, "SELECT regime_id, unit_id FROM regime_units WHERE regime_id IN "+in+
			" ORDER BY regime_id, unit_id", w.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, unit int64
			if err := rows.Scan(&id, &unit); err != nil {
				rows.Close()
				return err
			}
			byID[id].UnitIDs = append(byID[id].UnitIDs, unit)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// regime returns a regime by ID, or ENOTFOUND.
func (db *DB) regime(ctx context.Context, q queryer, id int64) (*dxtrack.Regime, error) {
	gs, err := db.queryRegimes(ctx, q, regimeSelect+" WHERE g.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, errNotFound()
	}
	return gs[0], nil
}

func regimeSearch(g *dxtrack.Regime) string {
	return dxtrack.Fold(strings.Join([]string{g.Code, g.NameVI, g.NameEN}, " "))
}

func (s *regimeService) FindRegimeByID(ctx context.Context, id int64) (*dxtrack.Regime, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	g, err := s.db.regime(ctx, s.db.r, id)
	return g, wrap("find regime", err)
}

func (s *regimeService) FindRegimes(ctx context.Context, f dxtrack.RegimeFilter) ([]*dxtrack.Regime, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	gs, err := s.db.findRegimes(ctx, s.db.r, f)
	if err != nil {
		return nil, fmt.Errorf("store: find regimes: %w", err)
	}
	return gs, nil
}

func (db *DB) findRegimes(ctx context.Context, q queryer, f dxtrack.RegimeFilter) ([]*dxtrack.Regime, error) {
	w := &where{}
	if f.Freq != "" {
		w.add("g.freq = " + w.arg(string(f.Freq)))
	}
	if f.Active != nil {
		w.add("g.active = " + w.arg(*f.Active))
	}
	w.words("g.search", f.Query)
	gs, err := db.queryRegimes(ctx, q, regimeSelect+w.String()+" ORDER BY g.code", w.args...)
	if err != nil || f.UnitID == 0 {
		return gs, err
	}
	// Whether a unit reports under a regime depends on its type and place
	// in the tree: decided in Go.
	u, err := db.unitBy(ctx, q, "u.id = $2", f.UnitID)
	if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
		return []*dxtrack.Regime{}, nil
	} else if err != nil {
		return nil, err
	}
	out := []*dxtrack.Regime{}
	for _, g := range gs {
		if reportsUnder(g, u, db.today()) {
			out = append(out, g)
		}
	}
	return out, nil
}

// reportsUnder tells whether a unit reports under a regime on day.
func reportsUnder(g *dxtrack.Regime, u *unitRow, day time.Time) bool {
	if !u.Current(day) {
		return false
	}
	if slices.Contains(g.UnitIDs, u.ID) {
		return true
	}
	path := parsePath(u.path)
	return g.ScopeUnitID != 0 && u.ID != g.ScopeUnitID && slices.Contains(path, g.ScopeUnitID) &&
		slices.Contains(g.UnitTypes, u.Type)
}

func (s *regimeService) ReportingUnits(ctx context.Context, id int64) ([]*dxtrack.Unit, error) {
	if _, err := reader(ctx); err != nil {
		return nil, err
	}
	g, err := s.db.regime(ctx, s.db.r, id)
	if err != nil {
		return nil, wrap("reporting units", err)
	}
	units, err := s.db.reportingUnits(ctx, s.db.r, g)
	return units, wrap("reporting units", err)
}

// reportingUnits returns the current units that report under a regime,
// ordered by name.
func (db *DB) reportingUnits(ctx context.Context, q queryer, g *dxtrack.Regime) ([]*dxtrack.Unit, error) {
	w := &where{}
	day := w.arg(dxtrack.FormatDate(db.today()))
	var alts []string
	if len(g.UnitIDs) > 0 {
		alts = append(alts, "u.id IN "+w.in(idArgs(g.UnitIDs)))
	}
	if g.ScopeUnitID != 0 && len(g.UnitTypes) > 0 {
		types := make([]any, len(g.UnitTypes))
		for i, t := range g.UnitTypes {
			types[i] = string(t)
		}
		scope := w.arg(g.ScopeUnitID)
		alts = append(alts, "(u.path LIKE ((SELECT p.path FROM units p WHERE p.id = "+scope+") || '%') AND u.id <> "+
			scope+" AND u.type IN "+w.in(types)+")")
	}
	if len(alts) == 0 {
		return []*dxtrack.Unit{}, nil
	}
	w.add(currentOn("u", day))
	w.add("(" + strings.Join(alts, " OR ") + ")")
	rows, err := db.queryUnits(ctx, q, unitSelectOn(day)+w.String()+" ORDER BY u.sort_name, u.code", w.args...)
	if err != nil {
		return nil, err
	}
	out := make([]*dxtrack.Unit, len(rows))
	for i, r := range rows {
		out[i] = &r.Unit
	}
	return out, nil
}

// normalizeRegime trims codes and sorts the listed units so that stored
// and compared lists agree.
func normalizeRegime(g *dxtrack.Regime) {
	g.Code = strings.TrimSpace(g.Code)
	g.UnitIDs = uniqueIDs(g.UnitIDs)
	if g.Items == nil {
		g.Items = []dxtrack.FormItem{}
	}
	if g.Rules == nil {
		g.Rules = []dxtrack.Rule{}
	}
	if g.Sections == nil {
		g.Sections = []dxtrack.Section{}
	}
	if g.UnitTypes == nil {
		g.UnitTypes = []dxtrack.UnitType{}
	}
}

// checkRegime validates a regime against the indicators and units it
// names; it returns the owner unit's path (nil if unknown).
func (db *DB) checkRegime(ctx context.Context, tx *sql.Tx, g *dxtrack.Regime) ([]int64, dxtrack.Problems, error) {
	all, err := db.queryIndicators(ctx, tx, indicatorSelect)
	if err != nil {
		return nil, nil, err
	}
	byCode := make(map[string]*dxtrack.Indicator, len(all))
	for _, in := range all {
		byCode[in.Code] = in
	}
	r := &refs{ctx: ctx, tx: tx}
	r.add(g.Validate(byCode))
	path, err := r.unit("owner_unit", g.OwnerUnitID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := r.unit("final_unit", g.FinalUnitID); err != nil {
		return nil, nil, err
	}
	if _, err := r.unit("scope_unit", g.ScopeUnitID); err != nil {
		return nil, nil, err
	}
	for _, id := range g.UnitIDs {
		if _, err := r.unit("units", id); err != nil {
			return nil, nil, err
		}
	}
	if g.Code != "" {
		dup, err := exists(ctx, tx, "SELECT 1 FROM regimes WHERE code = $1 AND id <> $2", g.Code, g.ID)
		if err != nil {
			return nil, nil, err
		}
		if dup {
			r.p.Add("code", "error.duplicate_code", map[string]any{"Code": g.Code})
		}
	}
	return path, r.p, nil
}

// regimeArgs are the column values of a regime, in regimeColumns order.
func regimeArgs(g *dxtrack.Regime) ([]any, error) {
	rules, err := json.Marshal(g.Rules)
	if err != nil {
		return nil, err
	}
	sections, err := json.Marshal(g.Sections)
	if err != nil {
		return nil, err
	}
	types := make([]string, len(g.UnitTypes))
	for i, t := range g.UnitTypes {
		types[i] = string(t)
	}
	return []any{g.Code, g.NameVI, g.NameEN, g.Content, string(g.Freq), nullID(g.ScopeUnitID),
		strings.Join(types, ","), g.OwnerUnitID, nullID(g.FinalUnitID), g.SkipLevels, g.DeadlineDays, g.RemindDays,
		g.OutlierShare, g.Outline, string(rules), string(sections), g.IncludeTargets, g.IncludeTasks, g.Active,
		regimeSearch(g)}, nil
}

const regimeColumns = `code, name_vi, name_en, content, freq, scope_unit_id, unit_types, owner_unit_id, final_unit_id,
	skip_levels, deadline_days, remind_days, outlier_share, outline, rules, sections, include_targets, include_tasks,
	active, search, updated_at`

// saveRegimeLists replaces a regime's items and listed units.
func saveRegimeLists(ctx context.Context, tx *sql.Tx, g *dxtrack.Regime) error {
	for _, q := range []string{"DELETE FROM regime_items WHERE regime_id = $1", "DELETE FROM regime_units WHERE regime_id = $1"} {
		if _, err := tx.ExecContext(ctx, q, g.ID); err != nil {
			return err
		}
	}
	for i, it := range g.Items {
		if _, err := tx.ExecContext(ctx, "INSERT INTO regime_items (regime_id, position, indicator_id, grp, required) VALUES ($1, $2, $3, $4, $5)",
			g.ID, i, it.IndicatorID, it.Group, it.Required); err != nil {
			return err
		}
	}
	for _, id := range g.UnitIDs {
		if _, err := tx.ExecContext(ctx, "INSERT INTO regime_units (regime_id, unit_id) VALUES ($1, $2)", g.ID, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *regimeService) CreateRegime(ctx context.Context, g *dxtrack.Regime) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	g.ID = 0
	normalizeRegime(g)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		path, p, err := s.db.checkRegime(ctx, tx, g)
		if err != nil {
			return err
		}
		if path != nil && !user.CanAdmin(path) {
			return errForbidden()
		}
		if err := p.Err(); err != nil {
			return err
		}
		args, err := regimeArgs(g)
		if err != nil {
			return err
		}
		args = append(args, instant(s.db.Now()))
		if err := tx.QueryRowContext(ctx, "INSERT INTO regimes ("+regimeColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7,
			$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`, args...).Scan(&g.ID); err != nil {
			return err
		}
		if err := saveRegimeLists(ctx, tx, g); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "regime", g.ID, changes{{"created", "", g.Code}}, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": g.Code})
	}
	return wrap("create regime", err)
}

// regimeChanges lists the changed fields of a regime; the lists are
// compared in their JSON form.
func regimeChanges(old, g *dxtrack.Regime) changes {
	js := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	var cs changes
	cs.diff("code", old.Code, g.Code)
	cs.diff("name_vi", old.NameVI, g.NameVI)
	cs.diff("name_en", old.NameEN, g.NameEN)
	cs.diff("content", old.Content, g.Content)
	cs.diff("freq", string(old.Freq), string(g.Freq))
	cs.diff("scope_unit_id", fmtID(old.ScopeUnitID), fmtID(g.ScopeUnitID))
	cs.diff("unit_types", js(old.UnitTypes), js(g.UnitTypes))
	cs.diff("unit_ids", fmtIDs(old.UnitIDs), fmtIDs(g.UnitIDs))
	cs.diff("owner_unit_id", fmtID(old.OwnerUnitID), fmtID(g.OwnerUnitID))
	cs.diff("final_unit_id", fmtID(old.FinalUnitID), fmtID(g.FinalUnitID))
	cs.diff("skip_levels", strconv.FormatBool(old.SkipLevels), strconv.FormatBool(g.SkipLevels))
	cs.diff("deadline_days", strconv.Itoa(old.DeadlineDays), strconv.Itoa(g.DeadlineDays))
	cs.diff("remind_days", strconv.Itoa(old.RemindDays), strconv.Itoa(g.RemindDays))
	cs.diff("outlier_share", strconv.FormatFloat(old.OutlierShare, 'f', -1, 64), strconv.FormatFloat(g.OutlierShare, 'f', -1, 64))
	cs.diff("outline", old.Outline, g.Outline)
	cs.diff("items", js(old.Items), js(g.Items))
	cs.diff("rules", js(old.Rules), js(g.Rules))
	cs.diff("sections", js(old.Sections), js(g.Sections))
	cs.diff("include_targets", strconv.FormatBool(old.IncludeTargets), strconv.FormatBool(g.IncludeTargets))
	cs.diff("include_tasks", strconv.FormatBool(old.IncludeTasks), strconv.FormatBool(g.IncludeTasks))
	cs.diff("active", strconv.FormatBool(old.Active), strconv.FormatBool(g.Active))
	return cs
}

func (s *regimeService) UpdateRegime(ctx context.Context, g *dxtrack.Regime) error {
	user := dxtrack.UserFromContext(ctx)
	if err := mayAdmin(user); err != nil {
		return err
	}
	normalizeRegime(g)
	err := s.db.write(ctx, func(tx *sql.Tx) error {
		old, err := s.db.regime(ctx, tx, g.ID)
		if err != nil {
			return err
		}
		oldPath, _, err := unitPath(ctx, tx, old.OwnerUnitID)
		if err != nil {
			return err
		}
		if !user.CanAdmin(oldPath) {
			return errForbidden()
		}
		path, p, err := s.db.checkRegime(ctx, tx, g)
		if err != nil {
			return err
		}
		if path != nil && !user.CanAdmin(path) {
			return errForbidden()
		}
		if err := p.Err(); err != nil {
			return err
		}
		cs := regimeChanges(old, g)
		if len(cs) == 0 {
			return nil
		}
		args, err := regimeArgs(g)
		if err != nil {
			return err
		}
		args = append(args, instant(s.db.Now()), g.ID)
		if _, err := tx.ExecContext(ctx, `UPDATE regimes SET code = $1, name_vi = $2, name_en = $3, content = $4,
			freq = $5, scope_unit_id = $6, unit_types = $7, owner_unit_id = $8, final_unit_id = $9, skip_levels = $10,
			deadline_days = $11, remind_days = $12, outlier_share = $13, outline = $14, rules = $15, sections = $16,
			include_targets = $17, include_tasks = $18, active = $19, search = $20, updated_at = $21 WHERE id = $22`,
			args...); err != nil {
			return err
		}
		if err := saveRegimeLists(ctx, tx, g); err != nil {
			return err
		}
		return s.db.writeAudit(ctx, tx, user, "regime", g.ID, cs, "")
	})
	if isUniqueViolation(err) {
		return dxtrack.Invalid("code", "error.duplicate_code", map[string]any{"Code": g.Code})
	}
	return wrap("update regime", err)
}
