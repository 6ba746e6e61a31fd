package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
)

// An edition computed from the system's own figures reads, for each input
// column, an indicator's yearly roll-up (or its December figure) for the
// current units of the cohort below the owner unit. The figures come from
// a cube built for the occasion over the indicators the edition needs
// (and those their formulas refer to): the same roll-ups the dashboard
// shows, without loading every value of the store.

func (s *indexService) RefreshEdition(ctx context.Context, id int64) error {
	user, err := reader(ctx)
	if err != nil {
		return err
	}
	e, err := s.db.edition(ctx, s.db.r, id)
	if err != nil {
		return err
	}
	if e.Source != dxtrack.FromIndicators {
		return dxtrack.Invalid("source", "error.indices_not_indicators", nil)
	}
	if err := canRun(ctx, s.db.r, user, e.OwnerUnitID); err != nil {
		return err
	}
	t, err := s.db.indicatorTable(ctx, e)
	if err != nil {
		return err
	}
	return wrap("refresh edition", s.db.write(ctx, func(tx *sql.Tx) error { return s.db.writeTable(ctx, tx, e.ID, t) }))
}

// CreateEdition with FromIndicators and no table reads the figures first.
func (db *DB) indicatorTable(ctx context.Context, e *dxtrack.IndexEdition) (*dxtrack.IndexTable, error) {
	if e.OwnerUnitID == 0 {
		return nil, dxtrack.Invalid("owner_unit", "error.required", nil)
	}
	units, err := allUnits(ctx, db.r)
	if err != nil {
		return nil, wrap("indicator figures", err)
	}
	lineage, err := allLineage(ctx, db.r)
	if err != nil {
		return nil, wrap("indicator figures", err)
	}
	inds, err := db.queryIndicators(ctx, db.r, indicatorSelect+" ORDER BY i.code")
	if err != nil {
		return nil, wrap("indicator figures", err)
	}
	byCode := map[string]*dxtrack.Indicator{}
	for _, in := range inds {
		byCode[in.Code] = in
	}
	var p dxtrack.Problems
	need := map[int64]bool{}
	var visit func(in *dxtrack.Indicator)
	visit = func(in *dxtrack.Indicator) {
		if need[in.ID] {
			return
		}
		need[in.ID] = true
		for _, word := range codeWords.FindAllString(in.Formula, -1) {
			if dep := byCode[word]; dep != nil {
				visit(dep)
			}
		}
	}
	for _, in := range e.Inputs {
		ind := byCode[in.Indicator]
		if ind == nil {
			p.Add("inputs."+in.Column, "error.indices_unknown_indicator", map[string]any{"Code": in.Indicator})
			continue
		}
		visit(ind)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	c, err := cube.New(units, lineage, inds)
	if err != nil {
		return nil, wrap("indicator figures", err)
	}
	ids := make([]any, 0, len(need))
	for id := range need {
		ids = append(ids, id)
	}
	var w where
	w.add("indicator_id IN " + w.in(ids))
	w.add("year BETWEEN " + w.arg(e.Year-1) + " AND " + w.arg(e.Year))
	rows, err := db.r.QueryContext(ctx, `SELECT unit_id, indicator_id, freq, year, n, value, provenance FROM indicator_values`+
		w.String(), w.args...)
	if err != nil {
		return nil, wrap("indicator figures", err)
	}
	var vs []dxtrack.Value
	for rows.Next() {
		var v dxtrack.Value
		var freq, prov string
		if err := rows.Scan(&v.UnitID, &v.IndicatorID, &freq, &v.Period.Year, &v.Period.N, &v.Value, &prov); err != nil {
			rows.Close()
			return nil, wrap("indicator figures", err)
		}
		v.Period.Freq, v.Provenance = internFreq([]byte(freq)), internProvenance([]byte(prov))
		vs = append(vs, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("indicator figures", err)
	}
	if err := c.Load(vs); err != nil {
		return nil, wrap("indicator figures", err)
	}
	level := cube.Level(e.Level)
	if level == "" {
		level = cube.LevelChildren
	}
	t := &dxtrack.IndexTable{Numbers: map[string]map[string]float64{}}
	byID := map[int64]*dxtrack.Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	for k, in := range e.Inputs {
		q := cube.Query{Codes: []string{in.Indicator}, UnitID: e.OwnerUnitID, Level: level,
			From: dxtrack.Period{Freq: dxtrack.Yearly, Year: e.Year, N: 1}}
		if in.Agg == dxtrack.AggDecember {
			q.From = dxtrack.Period{Freq: dxtrack.Monthly, Year: e.Year, N: 12}
		}
		q.To = q.From
		res, err := c.Query(q)
		if err != nil {
			return nil, wrap(fmt.Sprintf("indicator figures %s", in.Indicator), err)
		}
		for row, uid := range res.Units {
			u := byID[uid]
			if u == nil {
				continue
			}
			if k == 0 {
				t.Rows = append(t.Rows, dxtrack.IndexRow{Code: u.Code, Name: u.NameVI, Group: string(u.Type), UnitID: u.ID})
			}
			if v, ok := res.Value(row, 0, 0); ok {
				if t.Numbers[u.Code] == nil {
					t.Numbers[u.Code] = map[string]float64{}
				}
				t.Numbers[u.Code][in.Column] = v
			}
		}
	}
	return t, nil
}

// codeWords finds the indicator codes a formula may refer to.
var codeWords = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_.]*`)

// editionFromIndicators fills the table of a new FromIndicators edition.
func (s *indexService) fillFromIndicators(ctx context.Context, e *dxtrack.IndexEdition, t *dxtrack.IndexTable) (*dxtrack.IndexTable, error) {
	if e.Source != dxtrack.FromIndicators || t != nil && len(t.Rows) > 0 {
		return t, nil
	}
	if strings.TrimSpace(e.Level) == "" {
		e.Level = string(cube.LevelChildren)
	}
	return s.db.indicatorTable(ctx, e)
}
