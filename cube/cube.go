// Package cube is the in-memory analytics engine: it keeps every value of
// every indicator by unit and month and answers roll-ups at any level of
// the unit tree, over any range of periods, honouring each indicator's
// aggregation over units and over time, formulas and the lineage of
// reorganised units. A value set is part of the next query's answer: there
// is no batch rebuild.
//
// # Layout
//
// Units are numbered in depth-first order of the tree, so the subtree of a
// unit is a contiguous range of numbers. For each indicator and month a
// column holds one float64 per unit (NaN where there is no value) and, for
// every unit with children, the sum and count of the values in its subtree.
// Setting a value recomputes those partial aggregates along the unit's path
// to the root, each from its direct children (O(children) per level, and
// always the same additions in the same order, so a roll-up does not drift
// with the history of writes). Sums, averages and ratios of one month, and
// sums over ranges, are read from the partials; other aggregations scan the
// subtree's range.
//
// # Semantics
//
// The figure of an indicator for a unit over a range of months is computed
// time first, then units: each unit of the subtree (the unit itself
// included) with a value in the range contributes its own aggregate over
// time (TimeAgg: sum of its values, its last value, or their mean); these
// contributions combine by UnitAgg: sum, mean, minimum, maximum, the count
// of contributions meeting Condition/Threshold, or that count as a
// percentage of all contributions. A ratio divides the sum of the
// indicator by the sum of its denominator indicator, each aggregated the
// same way with its own TimeAgg (no scaling: write a formula
// "100 * A / B" for a percentage). A figure with no contributing value is
// missing, never zero.
//
// A formula indicator is computed at the unit from its inputs' figures for
// the unit and the range, so a province's rate is the province's sum of A
// over the province's sum of B, not an average of communes' rates;
// prev(CODE) is the input's figure for the range as long, just before.
// Formula indicators store no values.
//
// A value is kept at the month its period ends: a quarter's value in the
// quarter's last month, a year's in December, a six- or nine-month value
// in June or September. Sums and averages over a range that holds both a
// monthly value and a longer period's value for the same unit count both.
//
// # Lineage
//
// A unit that has ended (ValidTo set) and has a merge lineage to a
// successor is a former unit: it is placed in the tree under its current
// successor (following chains A → B → C; if it has several merge links,
// the latest counts), so values reported under it roll into the
// successor's figures at every level above. An ended unit's children, such
// as the districts of a province merged away in 2025, follow their parent
// to its successor. A split cannot be undone without knowing how to share
// the figures, so a unit ended by a split keeps its values in its own place
// under its parent: they count in every ancestor above the split but in
// none of the units split off it. Ended units are never rows of a result;
// a query can still name one and get its own figures.
//
// Units (whether ended is judged when the cube is built), lineage and
// indicators are fixed by New: after a reorganisation or a change of an
// indicator's rules, build a new cube and load the values again (about two
// seconds for the national dataset of ten million values).
package cube

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/formula"
)

// Cube holds values in memory for queries. It is safe for concurrent use.
type Cube struct {
	// Fixed by New.
	units    []unitInfo      // by unit number, depth-first; 0 is the virtual root
	byID     map[int64]int32 // unit ID → number
	end      []int32         // the subtree of u is [u, end[u])
	parent   []int32         // -1 for the root
	slot     []int32         // unit number → its partials' slot, -1 for a leaf
	kids     [][]int32       // slot → the unit numbers of its children
	slotUnit []int32         // slot → unit number
	inds     []indicator
	indByID  map[int64]int
	indCode  map[string]int

	mu     sync.RWMutex
	months map[int32][]*column // month key → column by indicator number
	first  int32               // the earliest month key holding a column
	count  int                 // values held
}

type unitInfo struct {
	id      int64
	typ     dxtrack.UnitType
	current bool // not ended: may be a row of a result
}

type indicator struct {
	id      int64
	code    string
	unitAgg dxtrack.UnitAgg
	timeAgg dxtrack.TimeAgg
	den     int // indicator number of the denominator, -1 if none
	cond    dxtrack.RuleOp
	thr     float64
	expr    *formula.Expr
}

// column is one indicator's values for one month.
type column struct {
	vals []float64 // by unit number; NaN when missing
	sum  []float64 // by slot: sum of the values in the subtree
	n    []int32   // by slot: count of the values in the subtree
}

// monthKey numbers months: year*12 + month - 1.
func monthKey(year, month int) int32 { return int32(year*12 + month - 1) }

// New builds an empty cube for the units (current and former), their
// lineage and the indicators. It checks that parents and lineage name
// known units without cycles, that ratio indicators name a stored
// denominator, that count and share indicators have a condition, and that
// formulas refer to known indicators without cycles.
func New(units []*dxtrack.Unit, lineage []dxtrack.Lineage, indicators []*dxtrack.Indicator) (*Cube, error) {
	c := &Cube{months: map[int32][]*column{}, first: math.MaxInt32}
	if err := c.buildTree(units, lineage); err != nil {
		return nil, err
	}
	if err := c.buildIndicators(indicators); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cube) buildTree(units []*dxtrack.Unit, lineage []dxtrack.Lineage) error {
	byID := make(map[int64]*dxtrack.Unit, len(units))
	for _, u := range units {
		if u.ID == 0 {
			return errors.New("cube: a unit has ID 0")
		}
		if byID[u.ID] != nil {
			return fmt.Errorf("cube: unit %d given twice", u.ID)
		}
		byID[u.ID] = u
	}
	now := time.Now()
	ended := func(u *dxtrack.Unit) bool { return !u.ValidTo.IsZero() && !u.ValidTo.After(now) }

	// The latest merge link out of each ended unit.
	succ := map[int64]dxtrack.Lineage{}
	for _, l := range lineage {
		if l.Kind != dxtrack.LineageMerge {
			continue
		}
		from, to := byID[l.FromID], byID[l.ToID]
		if from == nil || to == nil {
			return fmt.Errorf("cube: lineage %d → %d names an unknown unit", l.FromID, l.ToID)
		}
		if !ended(from) {
			continue // a merge recorded ahead of its day
		}
		if old, ok := succ[l.FromID]; !ok || l.On.After(old.On) {
			succ[l.FromID] = l
		}
	}
	// resolve follows merges to the unit that now holds u's figures.
	resolve := func(id int64) (int64, error) {
		for steps := 0; ; steps++ {
			l, ok := succ[id]
			if !ok {
				return id, nil
			}
			if steps > len(succ) {
				return 0, fmt.Errorf("cube: merge lineage of unit %d forms a cycle", id)
			}
			id = l.ToID
		}
	}

	children := map[int64][]*dxtrack.Unit{} // effective parent ID (0: root) → children
	for _, u := range units {
		var p int64
		var err error
		if l, ok := succ[u.ID]; ok {
			p, err = resolve(l.ToID)
		} else if u.ParentID != 0 {
			if byID[u.ParentID] == nil {
				return fmt.Errorf("cube: unit %d has unknown parent %d", u.ID, u.ParentID)
			}
			p, err = resolve(u.ParentID)
		}
		if err != nil {
			return err
		}
		children[p] = append(children[p], u)
	}
	for _, ks := range children {
		// Current units first, then by code: the order of result rows.
		slices.SortFunc(ks, func(a, b *dxtrack.Unit) int {
			if ea, eb := ended(a), ended(b); ea != eb {
				if ea {
					return 1
				}
				return -1
			}
			return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.ID, b.ID))
		})
	}

	n := len(units) + 1
	c.units = make([]unitInfo, 0, n)
	c.byID = make(map[int64]int32, n)
	c.end = make([]int32, n)
	c.parent = make([]int32, n)
	c.slot = make([]int32, n)
	var visit func(u *dxtrack.Unit, parent int32)
	visit = func(u *dxtrack.Unit, parent int32) {
		i := int32(len(c.units))
		info := unitInfo{current: true}
		if u != nil {
			info = unitInfo{id: u.ID, typ: u.Type, current: !ended(u)}
		}
		c.units = append(c.units, info)
		c.byID[info.id] = i
		c.parent[i] = parent
		c.slot[i] = -1
		ks := children[info.id]
		if len(ks) > 0 || u == nil {
			c.slot[i] = int32(len(c.slotUnit))
			c.slotUnit = append(c.slotUnit, i)
			c.kids = append(c.kids, nil)
		}
		for _, k := range ks {
			s := c.slot[i]
			c.kids[s] = append(c.kids[s], int32(len(c.units)))
			visit(k, i)
		}
		c.end[i] = int32(len(c.units))
	}
	visit(nil, -1)
	if len(c.units) != n {
		// Units that the walk from the roots never reached hang on each
		// other in a loop.
		for _, u := range units {
			if _, ok := c.byID[u.ID]; !ok {
				return fmt.Errorf("cube: unit %d is in a cycle of parents", u.ID)
			}
		}
	}
	return nil
}

func (c *Cube) buildIndicators(indicators []*dxtrack.Indicator) error {
	c.inds = make([]indicator, len(indicators))
	c.indByID = make(map[int64]int, len(indicators))
	c.indCode = make(map[string]int, len(indicators))
	defs := map[string]string{}
	for i, ind := range indicators {
		if _, dup := c.indByID[ind.ID]; dup {
			return fmt.Errorf("cube: indicator %d given twice", ind.ID)
		}
		if _, dup := c.indCode[ind.Code]; dup {
			return fmt.Errorf("cube: indicator code %s given twice", ind.Code)
		}
		c.indByID[ind.ID] = i
		c.indCode[ind.Code] = i
		c.inds[i] = indicator{
			id: ind.ID, code: ind.Code, den: -1,
			unitAgg: ind.EffectiveUnitAgg(), timeAgg: ind.EffectiveTimeAgg(),
			cond: ind.Condition, thr: ind.Threshold,
		}
		if ind.Source == dxtrack.SourceFormula || ind.Formula != "" {
			defs[ind.Code] = ind.Formula
		}
	}
	if err := formula.Check(defs, func(code string) bool { _, ok := c.indCode[code]; return ok }); err != nil {
		return fmt.Errorf("cube: %w", err)
	}
	for i, ind := range indicators {
		x := &c.inds[i]
		if src, ok := defs[ind.Code]; ok {
			x.expr, _ = formula.Parse(src) // checked above
			continue
		}
		switch x.unitAgg {
		case dxtrack.AggSum, dxtrack.AggAvg, dxtrack.AggMin, dxtrack.AggMax:
		case dxtrack.AggRatio:
			d, ok := c.indByID[ind.DenominatorID]
			if !ok {
				return fmt.Errorf("cube: ratio indicator %s has unknown denominator %d", ind.Code, ind.DenominatorID)
			}
			if _, isFormula := defs[indicators[d].Code]; isFormula {
				return fmt.Errorf("cube: ratio indicator %s: denominator %s is a formula", ind.Code, indicators[d].Code)
			}
			x.den = d
		case dxtrack.AggCount, dxtrack.AggShare:
			switch x.cond {
			case dxtrack.OpLE, dxtrack.OpLT, dxtrack.OpGE, dxtrack.OpGT, dxtrack.OpEQ:
			default:
				return fmt.Errorf("cube: %s indicator %s has no valid condition (%q)", x.unitAgg, ind.Code, x.cond)
			}
		default:
			return fmt.Errorf("cube: indicator %s: unknown unit aggregation %q", ind.Code, x.unitAgg)
		}
		switch x.timeAgg {
		case dxtrack.TimeSum, dxtrack.TimeLast, dxtrack.TimeAvg:
		default:
			return fmt.Errorf("cube: indicator %s: unknown time aggregation %q", ind.Code, x.timeAgg)
		}
	}
	return nil
}

// notFound and invalid are application errors the API maps to 404 and 400;
// the wrapping text says what for the log.
func notFound(format string, args ...any) error {
	return fmt.Errorf("cube: "+format+": %w", append(args, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))...)
}

func invalid(field, value, format string, args ...any) error {
	e := &dxtrack.Error{Code: dxtrack.EINVALID, MsgID: "error.invalid", Fields: []dxtrack.FieldError{
		{Field: field, MsgID: "error.unknown_value", Args: map[string]any{"Value": value}},
	}}
	return fmt.Errorf("cube: "+format+": %w", append(args, e)...)
}

// periodMonth is the month a value of period p is kept at.
func periodMonth(p dxtrack.Period) (int32, error) {
	if !p.Valid() {
		return 0, invalid("period", p.Key(), "invalid period %+v", p)
	}
	_, last := months(p)
	return monthKey(p.Year, last), nil
}

// months returns the first and last month of the year that period p
// covers. Six and nine months count from January, as the decree's
// cumulative reports do.
func months(p dxtrack.Period) (first, last int) {
	switch p.Freq {
	case dxtrack.Monthly:
		return p.N, p.N
	case dxtrack.Quarterly:
		return 3*p.N - 2, 3 * p.N
	case dxtrack.SixMonths:
		return 1, 6
	case dxtrack.NineMonths:
		return 1, 9
	}
	return 1, 12
}

// Set stores a value, replacing the unit's value of the indicator for the
// period. The next query sees it. Only the figure is kept: provenance,
// author and time stay in the store.
func (c *Cube) Set(v dxtrack.Value) error {
	u, i, m, err := c.locate(v.UnitID, v.IndicatorID, v.Period)
	if err != nil {
		return err
	}
	if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
		return invalid("value", fmt.Sprint(v.Value), "value %v is not a number", v.Value)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	col := c.column(m, i, true)
	if math.IsNaN(col.vals[u]) {
		c.count++
	}
	col.vals[u] = v.Value
	c.update(col, u)
	return nil
}

// Delete removes the unit's value of the indicator for the period, if any.
func (c *Cube) Delete(unitID, indicatorID int64, p dxtrack.Period) error {
	u, i, m, err := c.locate(unitID, indicatorID, p)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	col := c.column(m, i, false)
	if col == nil || math.IsNaN(col.vals[u]) {
		return nil
	}
	c.count--
	col.vals[u] = math.NaN()
	c.update(col, u)
	return nil
}

// Load stores many values at once, as Set does one by one, but under one
// lock and with the partial aggregates of heavily touched columns
// recomputed once instead of once per value. On error nothing is stored.
func (c *Cube) Load(vs []dxtrack.Value) error {
	type cell struct {
		u int32
		i int
		m int32
	}
	cells := make([]cell, len(vs))
	for k, v := range vs {
		u, i, m, err := c.locate(v.UnitID, v.IndicatorID, v.Period)
		if err != nil {
			return err
		}
		if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
			return invalid("value", fmt.Sprint(v.Value), "value %v is not a number", v.Value)
		}
		cells[k] = cell{u, i, m}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	touched := map[*column]int{}
	for k, x := range cells {
		col := c.column(x.m, x.i, true)
		if math.IsNaN(col.vals[x.u]) {
			c.count++
		}
		col.vals[x.u] = vs[k].Value
		touched[col]++
	}
	// A full recomputation costs about one step per unit, a path update
	// about a hundred (the children of each ancestor): the cheaper wins.
	for _, x := range cells {
		if col := c.column(x.m, x.i, false); touched[col]*100 < len(c.units) {
			c.update(col, x.u)
		}
	}
	for col, n := range touched {
		if n*100 >= len(c.units) {
			for s := len(c.slotUnit) - 1; s >= 0; s-- {
				c.recompute(col, int32(s))
			}
		}
	}
	return nil
}

// Len returns the number of values held.
func (c *Cube) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.count
}

// locate finds the unit number, indicator number and month key of a value.
func (c *Cube) locate(unitID, indicatorID int64, p dxtrack.Period) (int32, int, int32, error) {
	u, ok := c.byID[unitID]
	if !ok || unitID == 0 {
		return 0, 0, 0, notFound("unit %d", unitID)
	}
	i, ok := c.indByID[indicatorID]
	if !ok {
		return 0, 0, 0, notFound("indicator %d", indicatorID)
	}
	if c.inds[i].expr != nil {
		return 0, 0, 0, invalid("indicator_id", c.inds[i].code, "indicator %s is a formula: its values are computed", c.inds[i].code)
	}
	m, err := periodMonth(p)
	return u, i, m, err
}

// column returns the column of indicator i for month m, creating it if
// asked. Call with c.mu held (for writing if create).
func (c *Cube) column(m int32, i int, create bool) *column {
	cols := c.months[m]
	if cols == nil {
		if !create {
			return nil
		}
		cols = make([]*column, len(c.inds))
		c.months[m] = cols
		c.first = min(c.first, m)
	}
	col := cols[i]
	if col == nil && create {
		col = &column{
			vals: make([]float64, len(c.units)),
			sum:  make([]float64, len(c.slotUnit)),
			n:    make([]int32, len(c.slotUnit)),
		}
		for k := range col.vals {
			col.vals[k] = math.NaN()
		}
		cols[i] = col
	}
	return col
}

// update recomputes the partials on the path from unit u to the root.
func (c *Cube) update(col *column, u int32) {
	if c.slot[u] < 0 {
		u = c.parent[u]
	}
	for ; u >= 0; u = c.parent[u] {
		c.recompute(col, c.slot[u])
	}
}

// recompute sets a slot's partials from its unit's own value and its
// children's.
func (c *Cube) recompute(col *column, s int32) {
	var sum float64
	var n int32
	if v := col.vals[c.slotUnit[s]]; !math.IsNaN(v) {
		sum, n = v, 1
	}
	for _, k := range c.kids[s] {
		if ks := c.slot[k]; ks >= 0 {
			sum += col.sum[ks]
			n += col.n[ks]
		} else if v := col.vals[k]; !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	col.sum[s], col.n[s] = sum, n
}
