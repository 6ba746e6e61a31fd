package cube

import (
	"math"

	"github.com/dxtrack/dxtrack"
)

// Level says which units a query returns a row for, below or at its unit.
// Besides these, any dxtrack.UnitType is a level: every current unit of
// that type in the subtree, the queried unit included.
type Level string

// Levels.
const (
	LevelSelf     Level = "self"     // the queried unit alone (the default)
	LevelChildren Level = "children" // its current children
	LevelLocal    Level = "local"    // its current communes, wards and special zones
)

// Query asks for the figures of indicators for units and periods.
type Query struct {
	Indicators []int64  // by ID
	Codes      []string // and by code, after those by ID
	// UnitID is the unit the rows are at or below; 0 is the whole
	// country, every root unit together.
	UnitID int64
	Level  Level
	// From and To bound the periods, both included, of one frequency:
	// month, quarter, six or nine months, or year.
	From, To dxtrack.Period
	// ByPeriod asks for a figure per period from From to To; otherwise
	// one figure over the whole range.
	ByPeriod bool
}

// Span is the periods a figure covers: one period when From equals To.
type Span struct {
	From dxtrack.Period `json:"from"`
	To   dxtrack.Period `json:"to"`
}

// Result holds a query's figures: one per row unit, indicator and span.
type Result struct {
	Units      []int64 // row units, in tree order (children by code); 0 is the country
	Indicators []int64
	Spans      []Span
	// Values is indexed [unit][indicator][span], NaN where missing; use
	// Value.
	Values []float64
}

// Value returns the figure of the row'th unit, the ind'th indicator and the
// span'th span, and whether there is one.
func (r *Result) Value(row, ind, span int) (float64, bool) {
	v := r.Values[(row*len(r.Indicators)+ind)*len(r.Spans)+span]
	return v, !math.IsNaN(v)
}

// Limits that keep one query from taking the server's memory.
const (
	maxPeriods = 1200
	maxCells   = 5_000_000
)

// window is a range of months with the periods it was asked as, so that
// prev() can step back by as many periods.
type window struct {
	from, to dxtrack.Period
	n        int   // periods from..to
	lo, hi   int32 // month keys, both included
}

func newWindow(from, to dxtrack.Period, n int) window {
	f, _ := months(from)
	_, l := months(to)
	return window{from: from, to: to, n: n, lo: monthKey(from.Year, f), hi: monthKey(to.Year, l)}
}

// prev is the window as long, just before.
func (w window) prev() window {
	from, to := w.from, w.to
	for range w.n {
		from, to = from.Prev(), to.Prev()
	}
	return newWindow(from, to, w.n)
}

func before(a, b dxtrack.Period) bool { return a.Year < b.Year || (a.Year == b.Year && a.N < b.N) }

// Query computes figures. It sees every value set before it was called.
// Unknown units and indicators are ENOTFOUND errors, a bad level or period
// range EINVALID ones.
func (c *Cube) Query(q Query) (*Result, error) {
	inds := make([]int, 0, len(q.Indicators)+len(q.Codes))
	res := &Result{}
	for _, id := range q.Indicators {
		i, ok := c.indByID[id]
		if !ok {
			return nil, notFound("indicator %d", id)
		}
		inds = append(inds, i)
	}
	for _, code := range q.Codes {
		i, ok := c.indCode[code]
		if !ok {
			return nil, notFound("indicator %s", code)
		}
		inds = append(inds, i)
	}
	for _, i := range inds {
		res.Indicators = append(res.Indicators, c.inds[i].id)
	}
	u, ok := c.byID[q.UnitID]
	if !ok {
		return nil, notFound("unit %d", q.UnitID)
	}
	rows, err := c.rows(u, q.Level)
	if err != nil {
		return nil, err
	}
	windows, err := spans(q)
	if err != nil {
		return nil, err
	}
	for _, w := range windows {
		res.Spans = append(res.Spans, Span{w.from, w.to})
	}
	cells := len(rows) * len(inds) * len(windows)
	if cells > maxCells {
		return nil, invalid("to", q.To.Key(), "query of %d figures, more than %d", cells, maxCells)
	}
	res.Units = make([]int64, len(rows))
	for k, r := range rows {
		res.Units[k] = c.units[r].id
	}
	res.Values = make([]float64, cells)

	c.mu.RLock()
	defer c.mu.RUnlock()
	e := &evaluator{c: c}
	k := 0
	for _, r := range rows {
		for _, i := range inds {
			for _, w := range windows {
				v, ok := e.value(i, r, w)
				if !ok {
					v = math.NaN()
				}
				res.Values[k] = v
				k++
			}
		}
	}
	return res, nil
}

// spans turns the query's period range into windows.
func spans(q Query) ([]window, error) {
	from, to := q.From, q.To
	if !from.Valid() {
		return nil, invalid("from", from.Key(), "invalid period %+v", from)
	}
	if !to.Valid() {
		return nil, invalid("to", to.Key(), "invalid period %+v", to)
	}
	if from.Freq != to.Freq {
		return nil, invalid("to", to.Key(), "periods %s and %s of different frequencies", from, to)
	}
	if before(to, from) {
		return nil, invalid("to", to.Key(), "period %s before %s", to, from)
	}
	var periods []dxtrack.Period
	for p := from; !before(to, p); p = p.Next() {
		if len(periods) == maxPeriods {
			return nil, invalid("to", to.Key(), "more than %d periods", maxPeriods)
		}
		periods = append(periods, p)
	}
	if !q.ByPeriod {
		return []window{newWindow(from, to, len(periods))}, nil
	}
	ws := make([]window, len(periods))
	for k, p := range periods {
		ws[k] = newWindow(p, p, 1)
	}
	return ws, nil
}

// rows lists the unit numbers a query at unit u and level returns.
func (c *Cube) rows(u int32, level Level) ([]int32, error) {
	var match func(x int32) bool
	switch level {
	case "", LevelSelf:
		return []int32{u}, nil
	case LevelChildren:
		var out []int32
		if s := c.slot[u]; s >= 0 {
			for _, k := range c.kids[s] {
				if c.units[k].current {
					out = append(out, k)
				}
			}
		}
		return out, nil
	case LevelLocal:
		match = func(x int32) bool { return c.units[x].typ.IsLocal() }
	default:
		t := dxtrack.UnitType(level)
		if !t.Valid() {
			return nil, invalid("level", string(level), "unknown level %q", level)
		}
		match = func(x int32) bool { return c.units[x].typ == t }
	}
	var out []int32
	for x := u; x < c.end[u]; x++ {
		if c.units[x].current && match(x) {
			out = append(out, x)
		}
	}
	return out, nil
}

// evaluator computes figures for one query, under the read lock.
type evaluator struct {
	c    *Cube
	memo map[memoKey]memoValue // formula figures already computed
	acc  []float64             // scratch for scans, by unit in the subtree
	cnt  []int32
}

type memoKey struct {
	i        int
	u        int32
	from, to dxtrack.Period
}

type memoValue struct {
	v  float64
	ok bool
}

// value is the figure of indicator i at unit u over window w.
func (e *evaluator) value(i int, u int32, w window) (float64, bool) {
	c := e.c
	ind := &c.inds[i]
	if w.hi < c.first {
		// Nothing is known this early; this also ends a formula's
		// recursion through prev().
		return 0, false
	}
	if ind.expr != nil {
		key := memoKey{i, u, w.from, w.to}
		if m, ok := e.memo[key]; ok {
			return m.v, m.ok
		}
		v, ok := ind.expr.Eval(func(code string, prev bool) (float64, bool) {
			ww := w
			if prev {
				ww = w.prev()
			}
			return e.value(c.indCode[code], u, ww)
		})
		if e.memo == nil {
			e.memo = map[memoKey]memoValue{}
		}
		e.memo[key] = memoValue{v, ok}
		return v, ok
	}
	switch ind.unitAgg {
	case dxtrack.AggSum:
		return e.sum(i, u, w)
	case dxtrack.AggAvg:
		if w.lo == w.hi {
			s, n := e.partial(i, u, w.lo)
			return s / float64(n), n > 0
		}
	case dxtrack.AggRatio:
		num, ok := e.sum(i, u, w)
		if !ok {
			return 0, false
		}
		den, ok := e.sum(ind.den, u, w)
		if !ok || den == 0 {
			return 0, false
		}
		return num / den, true
	}
	return e.scan(i, u, w, ind.unitAgg)
}

// sum is the sum over units of indicator i's values over time in the
// subtree of u, from the partials when the time aggregation allows.
func (e *evaluator) sum(i int, u int32, w window) (float64, bool) {
	if w.lo != w.hi && e.c.inds[i].timeAgg != dxtrack.TimeSum {
		return e.scan(i, u, w, dxtrack.AggSum)
	}
	var s float64
	var n int32
	for m := max(w.lo, e.c.first); m <= w.hi; m++ {
		ms, mn := e.partial(i, u, m)
		if mn > 0 {
			s += ms
			n += mn
		}
	}
	return s, n > 0
}

// partial is the sum and count of indicator i's values in u's subtree for
// month m.
func (e *evaluator) partial(i int, u int32, m int32) (float64, int32) {
	cols := e.c.months[m]
	if cols == nil || cols[i] == nil {
		return 0, 0
	}
	col := cols[i]
	if s := e.c.slot[u]; s >= 0 {
		return col.sum[s], col.n[s]
	}
	if v := col.vals[u]; !math.IsNaN(v) {
		return v, 1
	}
	return 0, 0
}

// scan aggregates indicator i over the units of u's subtree: first each
// unit's values over the window by the indicator's time aggregation, then
// those figures by agg.
func (e *evaluator) scan(i int, u int32, w window, agg dxtrack.UnitAgg) (float64, bool) {
	c := e.c
	ind := &c.inds[i]
	k := int(c.end[u] - u)
	if cap(e.acc) < k {
		e.acc, e.cnt = make([]float64, k), make([]int32, k)
	}
	acc, cnt := e.acc[:k], e.cnt[:k]
	clear(acc)
	clear(cnt)
	seen := false
	if ind.timeAgg == dxtrack.TimeLast {
		// Backwards from the end: a unit's first value found is its last,
		// and the scan stops once every unit has one.
		left := k
		for m := w.hi; m >= max(w.lo, c.first) && left > 0; m-- {
			cols := c.months[m]
			if cols == nil || cols[i] == nil {
				continue
			}
			seen = true
			for j, v := range cols[i].vals[u:c.end[u]] {
				if cnt[j] == 0 && !math.IsNaN(v) {
					acc[j], cnt[j] = v, 1
					left--
				}
			}
		}
	} else {
		for m := max(w.lo, c.first); m <= w.hi; m++ {
			cols := c.months[m]
			if cols == nil || cols[i] == nil {
				continue
			}
			seen = true
			for j, v := range cols[i].vals[u:c.end[u]] {
				if !math.IsNaN(v) {
					acc[j] += v
					cnt[j]++
				}
			}
		}
	}
	if !seen {
		return 0, false
	}
	var (
		r    float64
		n    int // units with a figure
		hits int // units meeting the condition
	)
	for j, x := range acc {
		if cnt[j] == 0 {
			continue
		}
		if ind.timeAgg == dxtrack.TimeAvg {
			x /= float64(cnt[j])
		}
		switch {
		case agg == dxtrack.AggSum || agg == dxtrack.AggAvg:
			r += x
		case n == 0:
			r = x
		case agg == dxtrack.AggMin:
			r = math.Min(r, x)
		case agg == dxtrack.AggMax:
			r = math.Max(r, x)
		}
		if (agg == dxtrack.AggCount || agg == dxtrack.AggShare) && ind.cond.Holds(x, ind.thr) {
			hits++
		}
		n++
	}
	if n == 0 {
		return 0, false
	}
	switch agg {
	case dxtrack.AggAvg:
		r /= float64(n)
	case dxtrack.AggCount:
		r = float64(hits)
	case dxtrack.AggShare:
		r = 100 * float64(hits) / float64(n)
	}
	return r, true
}
