package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
// and, for a counted batch whose key is new to its source, its cells
// added to the accumulators and the machine values derived from the
// touched cells, as set by SystemUser. The unique key of the log decides
// duplicates, also between concurrent writers on PostgreSQL. A value that
// was corrected by hand (provenance corrected) keeps the correction: the
// cell still holds the machine figure. Machine values write no audit row:
// the batch log is their trail. They reach the change feed.
func (db *DB) WriteBatches(ctx context.Context, batches []*IngestBatch) error {
	now := db.Now()
	at, day := instant(now), now.In(mapping.Local).Format(dxtrack.DateLayout)
	err := db.writeFeed(ctx, func(tx *sql.Tx, pub *published) error {
		insert, err := tx.PrepareContext(ctx, `INSERT INTO ingest_batches (source_id, idem_key, key_label, received,
			accepted, refused, errors, received_at, day) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (source_id, idem_key) DO NOTHING RETURNING id`)
		if err != nil {
			return err
		}
		defer insert.Close()
		cells := map[cellKey]*cellAcc{}
		var order []cellKey
		for _, b := range batches {
			errs := ""
			if len(b.Errors) > 0 {
				j, err := json.Marshal(b.Errors)
				if err != nil {
					return err
				}
				errs = string(j)
			}
			var key any
			if b.Counted {
				key = b.Key
			}
			var id int64
			err := insert.QueryRowContext(ctx, b.SourceID, key, b.Key, b.Received, b.Accepted, b.Refused, errs, at, day).Scan(&id)
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
			if !b.Counted {
				continue
			}
			for _, c := range b.Cells {
				k := cellKey{b.SourceID, c.IndicatorID, c.UnitID, c.Period}
				if acc, ok := cells[k]; ok {
					acc.Records, acc.Hits, acc.Sum = acc.Records+c.Records, acc.Hits+c.Hits, acc.Sum+c.Sum
					acc.Agg = c.Agg
				} else {
					cells[k] = &cellAcc{IngestCell: c, source: b.SourceID}
					order = append(order, k)
				}
			}
		}
		if len(order) == 0 {
			return nil
		}
		totals, err := db.addCells(ctx, tx, cells, order)
		if err != nil {
			return err
		}
		return db.setMachineValues(ctx, tx, cells, order, totals, at, pub)
	})
	return wrap("write batches", err)
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
func (db *DB) setMachineValues(ctx context.Context, tx *sql.Tx, cells map[cellKey]*cellAcc, order []cellKey,
	totals map[cellKey]IngestCell, at string, pub *published) error {
	type row struct {
		k cellKey
		v dxtrack.Value
	}
	var vals []row
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
		q.WriteString(` ON CONFLICT (unit_id, indicator_id, period_key) DO UPDATE SET value = excluded.value,
			provenance = excluded.provenance, set_by = excluded.set_by, set_at = excluded.set_at
			WHERE indicator_values.provenance <> 'corrected'
			AND (indicator_values.value <> excluded.value OR indicator_values.provenance <> excluded.provenance)
			RETURNING id, unit_id, indicator_id, period_key`)
		rows, err := tx.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var k cellKey
			var key string
			if err := rows.Scan(&id, &k.unit, &k.indicator, &key); err != nil {
				rows.Close()
				return err
			}
			k.period = pk.period[key]
			pub.add(id, byKey[k])
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
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
