package ingest

import (
	"sync"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest/mapping"
	"github.com/dxtrack/dxtrack/store"
)

// live holds the batches the writer committed and the applier has not
// applied yet, with what the pipeline knows of the stored accumulators,
// so that the values they make reach the change feed (the in-memory
// cube) right after the batch log's commit rather than after the
// applier's: the batches are durable by then, and a restart applies them
// from the log. The stored values follow with the applier's round, which
// sends them to the feed again, as stored, to every instance.
//
// A cell's figure is shown ahead only once its stored totals (base) are
// known: from the last round that touched it or, for the first cells of a
// source and period, loaded between two rounds. One whose value is a
// correction is never shown ahead. On PostgreSQL, another instance's
// batches reach base with the next round that touches the cell;
// meanwhile that instance's stored values are newer than this one's
// figures ahead, and the round puts them right.
//
// Cells are kept in groups of a source, unit and period, as a batch's
// cells come (one per rule): one map look-up per group, not per cell.
type live struct {
	mu      sync.Mutex
	batches []*store.IngestBatch // committed, not applied, in commit order
	folded  int                  // batches[:folded] are added to the slots' pend
	lastID  int64                // the highest batch ID handed over
	index   map[groupKey]int32   // → groups
	groups  []group
	dirty   []int32               // groups with a dirty slot
	loaded  map[sourcePeriod]bool // every cell of these has its base
	// resend: corrections a round stored, sent again by the next flush: a
	// flush between the round's commit and applied may have shown the
	// machine figure over them.
	resend []dxtrack.Value
}

type groupKey struct {
	source, unit int64
	period       packed
}

type sourcePeriod struct {
	source int64
	period packed
}

type group struct {
	key   groupKey
	dirty bool
	slots []slot // one per indicator
}

// slot is a cell: its stored totals (base, if known), those of the
// batches not applied (pend), and whether its value is a correction and
// its figure changed since it was last shown.
type slot struct {
	indicator               int64
	agg                     dxtrack.MapAgg
	base, pend              cellSum
	known, corrected, dirty bool
}

type cellSum struct {
	records, hits int64
	sum           float64
}

// packed is a period of a mapping's frequencies (mapping.Freqs) as
// year<<8 | n<<2 | the frequency's index: hashing the frequency's string
// per cell would cost more than the rest.
type packed uint32

func pack(p dxtrack.Period) packed {
	f := 0
	for i, x := range mapping.Freqs {
		if x == p.Freq {
			f = i
		}
	}
	return packed(p.Year)<<8 | packed(p.N)<<2 | packed(f)
}

func (p packed) period() dxtrack.Period {
	return dxtrack.Period{Freq: mapping.Freqs[p&3], Year: int(p >> 8), N: int(p>>2) & 63}
}

func newLive() *live {
	return &live{index: map[groupKey]int32{}, loaded: map[sourcePeriod]bool{}}
}

// group returns the index of a group, adding it if new.
func (l *live) group(k groupKey) int32 {
	g, ok := l.index[k]
	if !ok {
		g = int32(len(l.groups))
		l.groups = append(l.groups, group{key: k})
		l.index[k] = g
	}
	return g
}

// slot returns a group's slot of an indicator, adding it if new; hint is
// where it likely is (the rule's position).
func (l *live) slot(g int32, indicator int64, agg dxtrack.MapAgg, hint int) *slot {
	gr := &l.groups[g]
	if hint < len(gr.slots) && gr.slots[hint].indicator == indicator {
		return &gr.slots[hint]
	}
	for i := range gr.slots {
		if gr.slots[i].indicator == indicator {
			return &gr.slots[i]
		}
	}
	gr.slots = append(gr.slots, slot{indicator: indicator, agg: agg,
		known: l.loaded[sourcePeriod{gr.key.source, gr.key.period}]})
	return &gr.slots[len(gr.slots)-1]
}

func (l *live) markDirty(g int32, s *slot) {
	s.dirty = true
	if gr := &l.groups[g]; !gr.dirty {
		gr.dirty = true
		l.dirty = append(l.dirty, g)
	}
}

// add hands over committed batches; the writer calls it before it
// answers their senders, so that a round taken after an answer applies
// the batch.
func (l *live) add(bs []*store.IngestBatch) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range bs {
		if b.Result == nil || !b.Counted || b.Result.Duplicate {
			continue
		}
		l.batches = append(l.batches, b)
		l.lastID = max(l.lastID, b.Result.BatchID)
	}
}

// snapshot returns the batches to apply and the highest batch ID handed
// over: every batch of this pipeline up to it is among them or applied.
func (l *live) snapshot() ([]*store.IngestBatch, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*store.IngestBatch(nil), l.batches...), l.lastID
}

// applied takes the result of a round that applied the first n batches:
// the stored totals become the cells' base, and the batches committed
// since make pend again.
func (l *live) applied(n int, res store.Applied) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, t := range res.Totals {
		g := l.group(groupKey{t.SourceID, t.UnitID, pack(t.Period)})
		s := l.slot(g, t.IndicatorID, t.Agg, 0)
		s.agg, s.base, s.known, s.corrected = t.Agg, cellSum{t.Records, t.Hits, t.Sum}, true, t.Corrected
	}
	l.resend = append(l.resend, res.Corrected...)
	l.batches = append([]*store.IngestBatch(nil), l.batches[n:]...)
	for g := range l.groups {
		for i := range l.groups[g].slots {
			l.groups[g].slots[i].pend = cellSum{}
		}
	}
	l.folded = 0
	// The round sent the values it stored, without these batches: show
	// them again with them.
	l.fold()
}

// fold adds the batches not yet in pend and marks their cells dirty.
func (l *live) fold() {
	for _, b := range l.batches[l.folded:] {
		var last struct {
			unit int64
			per  dxtrack.Period
		}
		g, r := int32(-1), 0
		for _, c := range b.Cells {
			if g < 0 || c.UnitID != last.unit || c.Period != last.per {
				last.unit, last.per = c.UnitID, c.Period
				g, r = l.group(groupKey{b.SourceID, c.UnitID, pack(c.Period)}), 0
			}
			s := l.slot(g, c.IndicatorID, c.Agg, r)
			r++
			s.agg = c.Agg
			s.pend.records += c.Records
			s.pend.hits += c.Hits
			s.pend.sum += c.Sum
			l.markDirty(g, s)
		}
	}
	l.folded = len(l.batches)
}

// missing returns the sources' periods of dirty cells whose base is not
// known.
func (l *live) missing() []sourcePeriod {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fold()
	var out []sourcePeriod
	seen := map[sourcePeriod]bool{}
	for _, g := range l.dirty {
		gr := &l.groups[g]
		sp := sourcePeriod{gr.key.source, gr.key.period}
		if seen[sp] {
			continue
		}
		for i := range gr.slots {
			if !gr.slots[i].known {
				seen[sp] = true
				out = append(out, sp)
				break
			}
		}
	}
	return out
}

// load takes the stored cells of a source's period, read while no round
// ran: they are the stored totals of every cell of it (none stored:
// zero).
func (l *live) load(sp sourcePeriod, cells []store.CellTotal) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for g := range l.groups {
		gr := &l.groups[g]
		if gr.key.source != sp.source || gr.key.period != sp.period {
			continue
		}
		for i := range gr.slots {
			s := &gr.slots[i]
			s.base, s.known, s.corrected = cellSum{}, true, false
		}
	}
	for _, c := range cells {
		g := l.group(groupKey{sp.source, c.UnitID, sp.period})
		s := l.slot(g, c.IndicatorID, "", 0)
		s.base, s.known, s.corrected = cellSum{c.Records, c.Hits, c.Sum}, true, c.Corrected
	}
	l.loaded[sp] = true
}

// flush sends the figures of the dirty cells whose base is known and
// whose value is not a correction to the change feed, under mu so that
// what it sends follows the state in order.
func (l *live) flush(db *store.DB) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fold()
	if len(l.dirty) == 0 && len(l.resend) == 0 {
		return
	}
	at := db.Now()
	var vs []dxtrack.Value
	for _, g := range l.dirty {
		gr := &l.groups[g]
		gr.dirty = false
		per := gr.key.period.period()
		for i := range gr.slots {
			s := &gr.slots[i]
			if !s.dirty {
				continue
			}
			s.dirty = false
			if !s.known || s.corrected {
				continue
			}
			x, ok := mapping.Value(s.agg, s.base.records+s.pend.records, s.base.hits+s.pend.hits, s.base.sum+s.pend.sum)
			if !ok {
				continue
			}
			vs = append(vs, dxtrack.Value{UnitID: gr.key.unit, IndicatorID: s.indicator, Period: per, Value: x,
				Provenance: dxtrack.FromMachine, By: dxtrack.SystemUser.ID, At: at})
		}
	}
	l.dirty = l.dirty[:0]
	vs = append(vs, l.resend...)
	l.resend = nil
	db.Publish(vs)
}
