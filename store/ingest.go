package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest/mapping"
)

// IngestBatch is a checked batch of a source for WriteBatches: its counts
// and record errors, and the cells its accepted records add to.
type IngestBatch struct {
	SourceID int64
	Key      string
	// Counted is false for a batch refused whole: it is logged, and its
	// key stays free for the corrected batch.
	Counted                     bool
	Received, Accepted, Refused int
	Errors                      []dxtrack.RecordError
	Cells                       []IngestCell

	// Result is set by WriteBatches: the batch as stored or, for a key
	// counted before, the earlier batch with Duplicate set.
	Result *dxtrack.BatchResult

	pending string // the cells encoded
	encoded bool
}

// IngestCell is what a batch adds to one rule's indicator, unit and
// period: records, those meeting the rule's condition (hits), and the sum
// of its expression over the hits.
type IngestCell struct {
	IndicatorID, UnitID int64
	Period              dxtrack.Period
	Agg                 dxtrack.MapAgg
	Records, Hits       int64
	Sum                 float64
}

// cellKey identifies an accumulator cell.
type cellKey struct {
	source, indicator, unit int64
	period                  dxtrack.Period
}

type cellAcc struct {
	IngestCell
	source int64
}

// ingestChunk is the rows of one multi-row statement: well under
// SQLite's and PostgreSQL's limits on bound parameters.
const ingestChunk = 500

const batchSelect = `SELECT id, key_label, received, accepted, refused, errors, received_at FROM ingest_batches`

func scanBatch(s interface{ Scan(...any) error }) (*dxtrack.BatchResult, error) {
	var b dxtrack.BatchResult
	var errs, at string
	if err := s.Scan(&b.BatchID, &b.Key, &b.Received, &b.Accepted, &b.Refused, &errs, &at); err != nil {
		return nil, err
	}
	b.At = parseInstant(at)
	if errs != "" {
		if err := json.Unmarshal([]byte(errs), &b.Errors); err != nil {
			return nil, err
		}
	}
	return &b, nil
}

// FindBatch returns the counted batch of a source with an idempotency
// key, or nil if there is none.
func (db *DB) FindBatch(ctx context.Context, sourceID int64, key string) (*dxtrack.BatchResult, error) {
	b, err := scanBatch(db.r.QueryRowContext(ctx, batchSelect+" WHERE source_id = $1 AND idem_key = $2", sourceID, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return b, wrap("find batch", err)
}

// WriteBatches stores batches in one transaction: each batch's log row
// and, for a counted batch whose key is new to its source, its cells as
// pending deltas in the same row, so that the batch and its effect are
// durable together. ApplyPending later adds the deltas to the
// accumulators and derives the values, for many batches at once. The
// unique key of the log decides duplicates, also between concurrent
// writers on PostgreSQL. It sets each batch's Result.
func (db *DB) WriteBatches(ctx context.Context, batches []*IngestBatch) error {
	now := db.Now()
	at, day := instant(now), now.In(mapping.Local).Format(dxtrack.DateLayout)
	err := db.write(ctx, func(tx *sql.Tx) error {
		insert, err := tx.PrepareContext(ctx, `INSERT INTO ingest_batches (source_id, idem_key, key_label, received,
			accepted, refused, errors, received_at, day, pending) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (source_id, idem_key) DO NOTHING RETURNING id`)
		if err != nil {
			return err
		}
		defer insert.Close()
		for _, b := range batches {
			errs := ""
			if len(b.Errors) > 0 {
				j, err := json.Marshal(b.Errors)
				if err != nil {
					return err
				}
				errs = string(j)
			}
			var key, pending any
			if b.Counted {
				key = b.Key
				b.Encode()
				pending = b.pending
			}
			var id int64
			err := insert.QueryRowContext(ctx, b.SourceID, key, b.Key, b.Received, b.Accepted, b.Refused, errs, at, day,
				pending).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				stored, err := scanBatch(tx.QueryRowContext(ctx, batchSelect+" WHERE source_id = $1 AND idem_key = $2",
					b.SourceID, b.Key))
				if err != nil {
					return err
				}
				stored.Duplicate = true
				b.Result = stored
				continue
			} else if err != nil {
				return err
			}
			b.Result = &dxtrack.BatchResult{BatchID: id, Key: b.Key, Received: b.Received, Accepted: b.Accepted,
				Refused: b.Refused, Errors: b.Errors, At: parseInstant(at)}
		}
		return nil
	})
	if err == nil {
		// Committed: the encoded cells are not needed again (a caller may
		// keep the batch until it is applied).
		for _, b := range batches {
			b.pending = ""
		}
	}
	return wrap("write batches", err)
}

// Encode prepares the batch's cells for WriteBatches; callers may call it
// beforehand, off the writer's path.
func (b *IngestBatch) Encode() {
	if b.encoded {
		return
	}
	buf := make([]byte, 0, 48*len(b.Cells))
	for _, c := range b.Cells {
		buf = strconv.AppendInt(buf, c.IndicatorID, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, c.UnitID, 10)
		buf = append(buf, ' ')
		buf = append(buf, c.Period.Freq...)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(c.Period.Year), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(c.Period.N), 10)
		buf = append(buf, ' ')
		buf = append(buf, c.Agg...)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, c.Records, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, c.Hits, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendFloat(buf, c.Sum, 'g', -1, 64)
		buf = append(buf, '\n')
	}
	b.pending, b.encoded = string(buf), true
}

// decodeCells reads the cells Encode wrote.
func decodeCells(s string, fn func(IngestCell)) error {
	for line := range strings.Lines(s) {
		f := strings.Fields(line)
		if len(f) != 9 {
			return fmt.Errorf("pending cell %q", line)
		}
		var c IngestCell
		var err error
		ints := make([]int64, 0, 6)
		for _, i := range []int{0, 1, 3, 4, 6, 7} {
			v, e := strconv.ParseInt(f[i], 10, 64)
			err = errors.Join(err, e)
			ints = append(ints, v)
		}
		c.Sum, _ = strconv.ParseFloat(f[8], 64)
		if err != nil {
			return fmt.Errorf("pending cell %q: %w", line, err)
		}
		c.IndicatorID, c.UnitID, c.Records, c.Hits = ints[0], ints[1], ints[4], ints[5]
		c.Period = dxtrack.Period{Freq: dxtrack.Frequency(f[2]), Year: int(ints[2]), N: int(ints[3])}
		c.Agg = dxtrack.MapAgg(f[5])
		fn(c)
	}
	return nil
}

// ApplyPending adds the pending cells of up to limit batches, oldest
// first, to the accumulators and writes the machine values of the touched
// cells, each once, as set by SystemUser, in one transaction that also
// marks the batches applied; it returns how many batches it applied.
// Several appliers may run at once (dxtrack instances on one PostgreSQL):
// each takes batches the others do not hold. A value corrected by hand
// (provenance corrected) keeps the correction: the cell still holds the
// machine figure. Machine values write no audit row: the batch log is
// their trail. They reach the change feed.
func (db *DB) ApplyPending(ctx context.Context, limit int) (int, error) {
	res, err := db.ApplyBatches(ctx, nil, 0, limit)
	return res.Applied, err
}

// CellTotal is an accumulator cell after an application: its totals as
// stored, and whether the value it derives is a correction (which keeps
// its stored figure).
type CellTotal struct {
	SourceID, IndicatorID, UnitID int64
	Period                        dxtrack.Period
	Agg                           dxtrack.MapAgg
	Records, Hits                 int64
	Sum                           float64
	Corrected                     bool
}

// Applied is what ApplyBatches did: how many batches it applied, how
// many of them it found pending in the log (Scanned), the totals of every
// cell it touched, and the stored values of those whose value is a
// correction.
type Applied struct {
	Applied, Scanned int
	Totals           []CellTotal
	Corrected        []dxtrack.Value
}

// ApplyBatches is ApplyPending for batches the caller wrote and still
// holds (with their Result and Cells, as WriteBatches left them): their
// cells are taken from memory rather than read back, for each batch still
// pending (another applier may have taken it). With limit > 0 it then
// also applies up to limit other pending batches of the log whose ID is
// at most upTo (0: any), oldest first. It returns the touched cells'
// totals; values corrected by hand are sent to the change feed as stored.
func (db *DB) ApplyBatches(ctx context.Context, batches []*IngestBatch, upTo int64, limit int) (Applied, error) {
	var res Applied
	err := db.writeFeed(ctx, func(tx *sql.Tx, pub *published) error {
		res = Applied{}
		cells := map[cellKey]*cellAcc{}
		var order []cellKey
		add := func(source int64, c IngestCell) {
			k := cellKey{source, c.IndicatorID, c.UnitID, c.Period}
			if acc, ok := cells[k]; ok {
				acc.Records, acc.Hits, acc.Sum = acc.Records+c.Records, acc.Hits+c.Hits, acc.Sum+c.Sum
				acc.Agg = c.Agg
			} else {
				cells[k] = &cellAcc{IngestCell: c, source: source}
				order = append(order, k)
			}
		}
		byID := make(map[int64]*IngestBatch, len(batches))
		ids := make([]int64, 0, len(batches))
		for _, b := range batches {
			if b.Result != nil && b.Counted && !b.Result.Duplicate {
				byID[b.Result.BatchID] = b
				ids = append(ids, b.Result.BatchID)
			}
		}
		slices.Sort(ids)
		for chunk := range slices.Chunk(ids, ingestChunk) {
			w := &where{}
			rows, err := tx.QueryContext(ctx, "UPDATE ingest_batches SET pending = NULL WHERE pending IS NOT NULL AND id IN "+
				w.in(idArgs(chunk))+" RETURNING id", w.args...)
			if err != nil {
				return err
			}
			var taken []int64
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				taken = append(taken, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			// In ID order, as a scan would add them: the sums come out the same.
			slices.Sort(taken)
			for _, id := range taken {
				b := byID[id]
				for _, c := range b.Cells {
					add(b.SourceID, c)
				}
			}
			res.Applied += len(taken)
		}
		if limit > 0 {
			q := `SELECT id, source_id, pending FROM ingest_batches WHERE pending IS NOT NULL`
			args := []any{limit}
			if upTo > 0 {
				q += ` AND id <= $2`
				args = append(args, upTo)
			}
			rows, err := tx.QueryContext(ctx, q+` ORDER BY id LIMIT $1`+db.skipLocked(), args...)
			if err != nil {
				return err
			}
			var scanned []int64
			for rows.Next() {
				var id, source int64
				var pending string
				if err := rows.Scan(&id, &source, &pending); err != nil {
					rows.Close()
					return err
				}
				scanned = append(scanned, id)
				if err := decodeCells(pending, func(c IngestCell) { add(source, c) }); err != nil {
					rows.Close()
					return err
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for chunk := range slices.Chunk(scanned, ingestChunk) {
				w := &where{}
				if _, err := tx.ExecContext(ctx, "UPDATE ingest_batches SET pending = NULL WHERE id IN "+w.in(idArgs(chunk)),
					w.args...); err != nil {
					return err
				}
			}
			res.Applied += len(scanned)
			res.Scanned = len(scanned)
		}
		if len(order) == 0 {
			return nil
		}
		// A stable order of rows keeps concurrent appliers from locking
		// cells in opposite orders.
		slices.SortFunc(order, func(a, b cellKey) int {
			return cmp.Or(cmp.Compare(a.source, b.source), cmp.Compare(a.indicator, b.indicator),
				cmp.Compare(a.unit, b.unit), cmp.Compare(a.period.Freq, b.period.Freq),
				cmp.Compare(a.period.Year, b.period.Year), cmp.Compare(a.period.N, b.period.N))
		})
		totals, err := db.addCells(ctx, tx, cells, order)
		if err != nil {
			return err
		}
		corrected, stored, err := db.setMachineValues(ctx, tx, cells, order, totals, instant(db.Now()), pub)
		if err != nil {
			return err
		}
		res.Corrected = stored
		res.Totals = make([]CellTotal, 0, len(order))
		for _, k := range order {
			t := totals[k]
			res.Totals = append(res.Totals, CellTotal{SourceID: k.source, IndicatorID: k.indicator, UnitID: k.unit,
				Period: k.period, Agg: cells[k].Agg, Records: t.Records, Hits: t.Hits, Sum: t.Sum,
				Corrected: corrected[cellKey{0, k.indicator, k.unit, k.period}]})
		}
		return nil
	})
	if err != nil {
		return Applied{}, wrap("apply batches", err)
	}
	return res, nil
}

// skipLocked lets concurrent PostgreSQL transactions take different rows;
// SQLite has one writer.
func (db *DB) skipLocked() string {
	if db.engine == EnginePostgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// addCells adds the cells to the accumulators and returns their totals.
func (db *DB) addCells(ctx context.Context, tx *sql.Tx, cells map[cellKey]*cellAcc, order []cellKey) (map[cellKey]IngestCell, error) {
	totals := make(map[cellKey]IngestCell, len(order))
	pk := newPeriodKeys()
	for chunk := range slices.Chunk(order, ingestChunk) {
		var q strings.Builder
		q.WriteString(`INSERT INTO ingest_cells (source_id, indicator_id, unit_id, period_key, records, hits, total) VALUES `)
		args := make([]any, 0, 7*len(chunk))
		for i, k := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(db.row(len(args), 7))
			c := cells[k]
			args = append(args, k.source, k.indicator, k.unit, pk.key(k.period), c.Records, c.Hits, c.Sum)
		}
		q.WriteString(` ON CONFLICT (source_id, indicator_id, unit_id, period_key) DO UPDATE SET
			records = ingest_cells.records + excluded.records, hits = ingest_cells.hits + excluded.hits,
			total = ingest_cells.total + excluded.total
			RETURNING source_id, indicator_id, unit_id, period_key, records, hits, total`)
		rows, err := tx.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k cellKey
			var key string
			var c IngestCell
			if err := rows.Scan(&k.source, &k.indicator, &k.unit, &key, &c.Records, &c.Hits, &c.Sum); err != nil {
				rows.Close()
				return nil, err
			}
			k.period = pk.period[key]
			totals[k] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return totals, nil
}

// setMachineValues writes the values of the touched cells, each once,
// unless the stored value is a correction or already that machine figure.
// A correction is left as it is but sent to the change feed again, as
// stored, since a caller may have shown the machine figure ahead of the
// store (the pipeline's preview); it returns the corrected values' keys
// (source 0).
func (db *DB) setMachineValues(ctx context.Context, tx *sql.Tx, cells map[cellKey]*cellAcc, order []cellKey,
	totals map[cellKey]IngestCell, at string, pub *published) (map[cellKey]bool, []dxtrack.Value, error) {
	type row struct {
		k cellKey
		v dxtrack.Value
	}
	var vals []row
	corrected := map[cellKey]bool{}
	var correctedIDs []int64
	pk := newPeriodKeys()
	for _, k := range order {
		c, t := cells[k], totals[k]
		x, ok := mapping.Value(c.Agg, t.Records, t.Hits, t.Sum)
		if !ok {
			continue
		}
		vals = append(vals, row{k, dxtrack.Value{UnitID: k.unit, IndicatorID: k.indicator, Period: c.Period, Value: x,
			Provenance: dxtrack.FromMachine, By: dxtrack.SystemUser.ID, At: parseInstant(at)}})
	}
	for chunk := range slices.Chunk(vals, ingestChunk) {
		var q strings.Builder
		q.WriteString(`INSERT INTO indicator_values (unit_id, indicator_id, period_key, freq, year, n, value, provenance,
			set_by, set_at) VALUES `)
		args := make([]any, 0, 10*len(chunk))
		byKey := make(map[cellKey]dxtrack.Value, len(chunk))
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(db.row(len(args), 10))
			v := r.v
			args = append(args, v.UnitID, v.IndicatorID, pk.key(v.Period), string(v.Period.Freq), v.Period.Year, v.Period.N,
				v.Value, string(v.Provenance), v.By, at)
			byKey[cellKey{0, v.IndicatorID, v.UnitID, v.Period}] = v
		}
		// A correction is "updated" to itself, so that RETURNING names it.
		q.WriteString(` ON CONFLICT (unit_id, indicator_id, period_key) DO UPDATE SET
			value = CASE WHEN indicator_values.provenance = 'corrected' THEN indicator_values.value ELSE excluded.value END,
			provenance = CASE WHEN indicator_values.provenance = 'corrected' THEN indicator_values.provenance ELSE excluded.provenance END,
			set_by = CASE WHEN indicator_values.provenance = 'corrected' THEN indicator_values.set_by ELSE excluded.set_by END,
			set_at = CASE WHEN indicator_values.provenance = 'corrected' THEN indicator_values.set_at ELSE excluded.set_at END
			WHERE indicator_values.provenance = 'corrected'
			OR indicator_values.value <> excluded.value OR indicator_values.provenance <> excluded.provenance
			RETURNING id, unit_id, indicator_id, period_key, provenance`)
		rows, err := tx.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var id int64
			var k cellKey
			var key, prov string
			if err := rows.Scan(&id, &k.unit, &k.indicator, &key, &prov); err != nil {
				rows.Close()
				return nil, nil, err
			}
			k.period = pk.period[key]
			if prov == string(dxtrack.FromCorrected) {
				corrected[k] = true
				correctedIDs = append(correctedIDs, id)
				continue
			}
			pub.add(id, byKey[k])
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	var stored []dxtrack.Value
	if len(correctedIDs) > 0 {
		var err error
		if stored, err = db.valuesByID(ctx, tx, correctedIDs); err != nil {
			return nil, nil, err
		}
		for i, v := range stored {
			pub.add(correctedIDs[i], v)
		}
	}
	return corrected, stored, nil
}

// MachineFigure is the figure the sources' records give for a unit,
// indicator and period, derived from the accumulator cell of the source
// that feeds the indicator: what the value is unless someone corrected it
// (a form shows both). ok is false when no record reached the cell.
func (db *DB) MachineFigure(ctx context.Context, unitID, indicatorID int64, p dxtrack.Period) (v float64, ok bool, err error) {
	var c SourceCell
	var mappingJSON string
	err = db.r.QueryRowContext(ctx, `SELECT c.records, c.hits, c.total, s.mapping FROM ingest_cells c
		JOIN data_sources s ON s.id = c.source_id
		WHERE c.indicator_id = $1 AND c.unit_id = $2 AND c.period_key = $3 ORDER BY c.source_id LIMIT 1`,
		indicatorID, unitID, p.Key()).Scan(&c.Records, &c.Hits, &c.Sum, &mappingJSON)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, wrap("machine figure", err)
	}
	var m dxtrack.Mapping
	if err := json.Unmarshal([]byte(mappingJSON), &m); err != nil {
		return 0, false, wrap("machine figure", err)
	}
	var code string
	if err := db.r.QueryRowContext(ctx, "SELECT code FROM indicators WHERE id = $1", indicatorID).Scan(&code); err != nil {
		return 0, false, wrap("machine figure", err)
	}
	for _, r := range m.Rules {
		if r.Indicator == code {
			v, ok = mapping.Value(r.Agg, c.Records, c.Hits, c.Sum)
			return v, ok, nil
		}
	}
	return 0, false, nil
}

// SourceCell is a source's accumulator cell for an indicator, unit and
// period, with the figure derived from it (the machine figure, also when
// the stored value is a correction).
type SourceCell struct {
	Records, Hits int64
	Sum           float64
}

// SourceCell returns the accumulator cell of a source for an indicator,
// unit and period; ok is false if no record reached it.
func (db *DB) SourceCell(ctx context.Context, sourceID, indicatorID, unitID int64, p dxtrack.Period) (c SourceCell, ok bool, err error) {
	err = db.r.QueryRowContext(ctx, `SELECT records, hits, total FROM ingest_cells WHERE source_id = $1
		AND indicator_id = $2 AND unit_id = $3 AND period_key = $4`, sourceID, indicatorID, unitID, p.Key()).
		Scan(&c.Records, &c.Hits, &c.Sum)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	return c, err == nil, wrap("source cell", err)
}

// row returns the placeholders of one row of a multi-row VALUES list
// whose first argument follows n others. SQLite gets anonymous "?"
// placeholders: it looks numbered ones up by name in a list, which makes
// preparing and binding a statement of thousands of them quadratic.
func (db *DB) row(n, cols int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		if db.engine == EngineSQLite {
			b.WriteByte('?')
		} else {
			fmt.Fprintf(&b, "$%d", n+i+1)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// periodKeys caches the keys of the few periods a group touches, both
// ways, sparing a Sprintf per cell.
type periodKeys struct {
	keys   map[dxtrack.Period]string
	period map[string]dxtrack.Period
}

func newPeriodKeys() *periodKeys {
	return &periodKeys{keys: map[dxtrack.Period]string{}, period: map[string]dxtrack.Period{}}
}

func (pk *periodKeys) key(p dxtrack.Period) string {
	k, ok := pk.keys[p]
	if !ok {
		k = p.Key()
		pk.keys[p], pk.period[k] = k, p
	}
	return k
}

// IngestCells returns a source's accumulator cells of a period as stored
// (Agg is not stored: it is left empty), Corrected set for those whose
// value is a correction, and the keys of the period's other corrected
// values (as cells with no records).
func (db *DB) IngestCells(ctx context.Context, sourceID int64, p dxtrack.Period) ([]CellTotal, error) {
	key := p.Key()
	var out []CellTotal
	rows, err := db.r.QueryContext(ctx, `SELECT indicator_id, unit_id, records, hits, total FROM ingest_cells
		WHERE source_id = $1 AND period_key = $2`, sourceID, key)
	if err != nil {
		return nil, wrap("ingest cells", err)
	}
	at := map[cellKey]int{}
	for rows.Next() {
		c := CellTotal{SourceID: sourceID, Period: p}
		if err := rows.Scan(&c.IndicatorID, &c.UnitID, &c.Records, &c.Hits, &c.Sum); err != nil {
			rows.Close()
			return nil, wrap("ingest cells", err)
		}
		at[cellKey{0, c.IndicatorID, c.UnitID, p}] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("ingest cells", err)
	}
	rows, err = db.r.QueryContext(ctx, `SELECT indicator_id, unit_id FROM indicator_values
		WHERE period_key = $1 AND provenance = $2`, key, string(dxtrack.FromCorrected))
	if err != nil {
		return nil, wrap("ingest cells", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ind, unit int64
		if err := rows.Scan(&ind, &unit); err != nil {
			return nil, wrap("ingest cells", err)
		}
		if i, ok := at[cellKey{0, ind, unit, p}]; ok {
			out[i].Corrected = true
		} else {
			out = append(out, CellTotal{SourceID: sourceID, IndicatorID: ind, UnitID: unit, Period: p, Corrected: true})
		}
	}
	return out, wrap("ingest cells", rows.Err())
}
