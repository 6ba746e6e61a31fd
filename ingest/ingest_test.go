package ingest_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest"
	"github.com/dxtrack/dxtrack/store"
)

var sys = dxtrack.NewContextWithUser(context.Background(), dxtrack.SystemUser)

// openDB opens a fresh store: SQLite, or PostgreSQL in a fresh schema of
// DXTRACK_TEST_POSTGRES.
func openDB(t testing.TB, engine string) *store.DB {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "dxtrack.db")
	if engine == "postgres" {
		base := os.Getenv("DXTRACK_TEST_POSTGRES")
		if base == "" {
			t.Skip("DXTRACK_TEST_POSTGRES is not set")
		}
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Close() })
		schema := "dxtrack_test_" + strings.ToLower(rand.Text()[:12])
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// forEachEngine runs fn on a fresh store of each engine.
func forEachEngine(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Parallel()
	for _, e := range []string{"sqlite", "postgres"} {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			fn(t, openDB(t, e))
		})
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// world: a province with two communes of today and a district of before
// 2025 merged into the first; indicators fed by the portal's dossiers.
type world struct {
	db                *store.DB
	province, a, b    *dxtrack.Unit
	oldDistrict       *dxtrack.Unit
	src               *dxtrack.DataSource
	indicators        map[string]*dxtrack.Indicator
	values            dxtrack.ValueService
	sources           dxtrack.DataSourceService
	token             string
	jul               dxtrack.Period
	communes, counted int
	p                 *ingest.Pipeline // synced before values are read
}

func seed(t testing.TB, db *store.DB, policy dxtrack.BatchPolicy) *world {
	t.Helper()
	units := store.NewUnitService(db)
	w := &world{db: db, indicators: map[string]*dxtrack.Indicator{}, values: store.NewValueService(db),
		sources: store.NewDataSourceService(db), jul: dxtrack.Period{Freq: dxtrack.Monthly, Year: 2025, N: 7}}
	unit := func(code, name string, typ dxtrack.UnitType, parent int64, from string) *dxtrack.Unit {
		u := &dxtrack.Unit{Code: code, NameVI: name, Type: typ, ParentID: parent, ValidFrom: dxtrack.MustDate(from)}
		must(t, units.CreateUnit(sys, u))
		return u
	}
	w.province = unit("22", "Quảng Ninh", dxtrack.UnitProvince, 0, "2000-01-01")
	w.oldDistrict = unit("193", "Huyện Hoành Bồ", dxtrack.UnitDistrict, w.province.ID, "2000-01-01")
	w.a = unit("07030", "Phường Hoành Bồ", dxtrack.UnitWard, w.province.ID, "2025-07-01")
	w.b = unit("06994", "Đặc khu Vân Đồn", dxtrack.UnitSpecialZone, w.province.ID, "2025-07-01")
	must(t, units.MergeUnits(sys, []int64{w.oldDistrict.ID}, w.a.ID, dxtrack.MustDate("2025-07-01")))
	for _, in := range []*dxtrack.Indicator{
		{Code: "HS_TONG", NameVI: "Tổng số hồ sơ", Type: dxtrack.ValueCount},
		{Code: "HS_TT", NameVI: "Hồ sơ trực tuyến", Type: dxtrack.ValueCount},
		{Code: "TL_SO", NameVI: "Tỷ lệ số hoá", Type: dxtrack.ValuePercent},
		{Code: "TG_TB", NameVI: "Thời gian xử lý bình quân", Type: dxtrack.ValueNumber},
		{Code: "PHI", NameVI: "Phí thu", Type: dxtrack.ValueNumber},
	} {
		in.Direction, in.Source = dxtrack.DirectionUp, dxtrack.SourceMachine
		must(t, store.NewIndicatorService(db).CreateIndicator(sys, in))
		w.indicators[in.Code] = in
	}
	w.src = &dxtrack.DataSource{Code: "dvc", Name: "Cổng DVC", OwnerUnitID: w.province.ID, Policy: policy,
		Mapping: dxtrack.Mapping{UnitField: "unit", TimeField: "at", Rules: []dxtrack.MapRule{
			{Indicator: "HS_TONG", Agg: dxtrack.MapCount},
			{Indicator: "HS_TT", Agg: dxtrack.MapCount, Where: "channel == 'online'"},
			{Indicator: "TL_SO", Agg: dxtrack.MapShare, Where: "digitised"},
			{Indicator: "TG_TB", Agg: dxtrack.MapAvg, Expr: "days", Where: "status == 'done'"},
			{Indicator: "PHI", Agg: dxtrack.MapSum, Expr: "fee"},
		}}}
	var err error
	w.token, err = w.sources.CreateSource(sys, w.src)
	must(t, err)
	return w
}

// rec is a dossier event.
func rec(unit, at, channel string, digitised bool, status string, days, fee float64) dxtrack.Record {
	return dxtrack.Record{"unit": unit, "at": at, "channel": channel, "digitised": digitised, "status": status,
		"days": days, "fee": fee}
}

// value returns the stored value of a unit and indicator in July 2025, or
// -1 if there is none.
func (w *world) value(t testing.TB, u *dxtrack.Unit, code string) float64 {
	t.Helper()
	if w.p != nil {
		must(t, w.p.Sync(context.Background()))
	}
	vs, err := w.values.FindValues(sys, dxtrack.ValueFilter{UnitID: u.ID, IndicatorID: w.indicators[code].ID,
		From: &w.jul, To: &w.jul})
	must(t, err)
	if len(vs) == 0 {
		return -1
	}
	return vs[0].Value
}

func (w *world) started(t testing.TB, opts ingest.Options) *ingest.Pipeline {
	p := ingest.New(w.db, opts)
	w.p = p
	p.Start(context.Background())
	t.Cleanup(func() { p.Close() })
	return p
}

// stored returns how many values the store holds and whether the
// source has a cell for HS_TONG of unit a in July.
func (w *world) stored(t testing.TB) (values int, cell bool) {
	t.Helper()
	if w.p != nil {
		must(t, w.p.Sync(context.Background()))
	}
	vs, err := w.values.FindValues(sys, dxtrack.ValueFilter{})
	must(t, err)
	_, ok, err := w.db.SourceCell(context.Background(), w.src.ID, w.indicators["HS_TONG"].ID, w.a.ID, w.jul)
	must(t, err)
	return len(vs), ok
}

// TestPushAggregates: count, sum, share and mean stay exact across
// batches, and events under the pre-2025 district's code land on the
// ward that succeeded it.
func TestPushAggregates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db, "")
		p := w.started(t, ingest.Options{})
		r, err := p.Push(t.Context(), w.src, "b1", []dxtrack.Record{
			rec("07030", "2025-07-03", "online", true, "done", 4, 50000),
			rec("193", "2025-07-04T10:00:00+07:00", "paper", false, "done", 8, 0), // the old district
			rec("07030", "2025-07-05 08:00:00", "online", false, "open", 0, 20000),
			rec("06994", "1751500800", "online", true, "done", 2, 0), // 3 July 2025 as Unix seconds
		})
		must(t, err)
		if r.Received != 4 || r.Accepted != 4 || r.Refused != 0 || r.Duplicate || r.BatchID == 0 {
			t.Fatalf("result = %+v", r)
		}
		_, err = p.Push(t.Context(), w.src, "b2", []dxtrack.Record{
			rec("07030", "2025-07-20", "paper", true, "done", 3, 10000),
			{"unit": "06994", "at": float64(1751500800), "channel": "paper", "digitised": false, "status": "open", "days": 1, "fee": 5},
		})
		must(t, err)
		for _, c := range []struct {
			u    *dxtrack.Unit
			code string
			want float64
		}{
			{w.a, "HS_TONG", 4},
			{w.a, "HS_TT", 2},
			{w.a, "TL_SO", 50},
			{w.a, "TG_TB", 5}, // (4+8+3)/3 done
			{w.a, "PHI", 80000},
			{w.b, "HS_TONG", 2},
			{w.b, "TL_SO", 50},
			{w.b, "TG_TB", 2},
			{w.b, "PHI", 5},
			{w.oldDistrict, "HS_TONG", -1},
		} {
			if got := w.value(t, c.u, c.code); got != c.want {
				t.Errorf("%s of %s = %v, want %v", c.code, c.u.Code, got, c.want)
			}
		}
	})
}

// TestPushTwice: a batch sent again, also by concurrent retries, counts
// once.
func TestPushTwice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db, "")
		p := w.started(t, ingest.Options{})
		batch := []dxtrack.Record{rec("07030", "2025-07-03", "online", true, "done", 4, 1),
			rec("07030", "2025-07-04", "online", true, "done", 4, 1)}
		first, err := p.Push(t.Context(), w.src, "same", batch)
		must(t, err)
		again, err := p.Push(t.Context(), w.src, "same", batch)
		must(t, err)
		if !again.Duplicate || again.BatchID != first.BatchID || again.Accepted != 2 {
			t.Fatalf("retry = %+v, first %+v", again, first)
		}
		if got := w.value(t, w.a, "HS_TONG"); got != 2 {
			t.Fatalf("after a retry HS_TONG = %v, want 2", got)
		}
		// Concurrent retries of a new batch: one counts.
		var wg sync.WaitGroup
		results := make([]*dxtrack.BatchResult, 8)
		for i := range results {
			wg.Go(func() {
				r, err := p.Push(context.Background(), w.src, "race", batch)
				if err != nil {
					t.Error(err)
				}
				results[i] = r
			})
		}
		wg.Wait()
		fresh := 0
		for _, r := range results {
			if r != nil && !r.Duplicate {
				fresh++
			}
		}
		if fresh != 1 {
			t.Fatalf("%d of 8 concurrent sends counted, want 1", fresh)
		}
		if got := w.value(t, w.a, "HS_TONG"); got != 4 {
			t.Fatalf("after concurrent retries HS_TONG = %v, want 4", got)
		}
		if log, err := w.sources.Batches(sys, w.src.ID, 100); err != nil || len(log) != 2 {
			t.Fatalf("%d batches logged (%v), want 2", len(log), err)
		}
	})
}

// TestPushBadRecord: with all or nothing, one bad record refuses the
// batch, naming it, and nothing is written; with accept_valid, the rest
// counts.
func TestPushBadRecord(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db, "")
		p := w.started(t, ingest.Options{})
		batch := []dxtrack.Record{
			rec("07030", "2025-07-03", "online", true, "done", 4, 1),
			rec("07030", "2025-07-03", "online", true, "done", 4, 1),
			rec("99999", "2025-07-03", "online", true, "done", 4, 1),
			rec("06994", "2025-07-03", "online", true, "done", 4, 1),
		}
		r, err := p.Push(t.Context(), w.src, "k", batch)
		if !errors.Is(err, ingest.ErrRefused) {
			t.Fatalf("err = %v, want ErrRefused", err)
		}
		if r.Accepted != 0 || r.Refused != 4 || len(r.Errors) != 1 || r.Errors[0].Index != 2 || r.Errors[0].Field != "unit" ||
			r.Errors[0].MsgID != "error.ingest_unit_unknown" || !strings.Contains(r.Errors[0].Reason, "99999") {
			t.Fatalf("refusal = %+v", r)
		}
		if n, c := w.stored(t); n != 0 || c {
			t.Fatalf("a refused batch wrote %d values (cell %v)", n, c)
		}
		// Bad times and expressions are named by field.
		bad := []dxtrack.Record{
			{"unit": "07030", "at": "yesterday", "channel": "online", "digitised": true, "status": "done", "days": 1, "fee": 1},
			{"unit": "07030", "at": "2025-07-01", "channel": "online", "digitised": true, "status": "done", "days": "x", "fee": 1},
			{"at": "2025-07-01", "digitised": true, "status": "open", "fee": 1},
		}
		r, err = p.Push(t.Context(), w.src, "k2", bad)
		if !errors.Is(err, ingest.ErrRefused) {
			t.Fatalf("err = %v", err)
		}
		var got []string
		for _, e := range r.Errors {
			got = append(got, fmt.Sprintf("%d %s %s", e.Index, e.Field, e.MsgID))
		}
		want := []string{"0 at error.ingest_time", "1 rules[3].expr error.ingest_eval", "2 unit error.required"}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Fatalf("errors = %v, want %v", got, want)
		}

		// The same batch on a source that accepts the valid records.
		w.src.Policy = dxtrack.AcceptValid
		must(t, w.sources.UpdateSource(sys, w.src))
		r, err = p.Push(t.Context(), w.src, "k", batch)
		must(t, err)
		if r.Accepted != 3 || r.Refused != 1 || len(r.Errors) != 1 || r.Errors[0].Index != 2 || r.Duplicate {
			t.Fatalf("accept valid = %+v", r)
		}
		if a, b := w.value(t, w.a, "HS_TONG"), w.value(t, w.b, "HS_TONG"); a != 2 || b != 1 {
			t.Fatalf("HS_TONG = %v, %v; want 2, 1", a, b)
		}
	})
}

// TestPushBusy: with the writer held, a full queue answers ErrBusy at
// once instead of queueing; a batch too large is refused.
func TestPushBusy(t *testing.T) {
	db := openDB(t, "sqlite")
	w := seed(t, db, "")
	p := ingest.New(db, ingest.Options{QueueSize: 1, MaxRecords: 2}) // not started: the writer is held
	batch := []dxtrack.Record{rec("07030", "2025-07-03", "online", true, "done", 4, 1)}
	first := make(chan error, 1)
	go func() {
		_, err := p.Push(context.Background(), w.src, "one", batch)
		first <- err
	}()
	for p.Pending() == 0 {
		runtime.Gosched()
	}
	if _, err := p.Push(t.Context(), w.src, "two", batch); !errors.Is(err, ingest.ErrBusy) {
		t.Fatalf("push on a full queue: %v, want ErrBusy", err)
	}
	if _, err := p.Push(t.Context(), w.src, "three", append(batch, batch[0], batch[0])); !errors.Is(err, ingest.ErrTooLarge) {
		t.Fatalf("push of 3 records: %v, want ErrTooLarge", err)
	}
	p.Start(context.Background())
	must(t, <-first)
	must(t, p.Close())
	if got := w.value(t, w.a, "HS_TONG"); got != 1 {
		t.Fatalf("HS_TONG = %v, want 1", got)
	}
	if _, err := p.Push(t.Context(), w.src, "four", batch); !errors.Is(err, ingest.ErrClosed) {
		t.Fatalf("push after close: %v", err)
	}
	_, err := p.Push(t.Context(), w.src, "", batch)
	if f := dxtrack.ErrorFields(err); len(f) != 1 || f[0].Field != "Idempotency-Key" {
		t.Fatalf("push without key: %v", err)
	}
}

// TestPushFeed: a pushed batch reaches the change feed, so the cube
// sees it without a rebuild.
func TestPushFeed(t *testing.T) {
	db := openDB(t, "sqlite")
	w := seed(t, db, "")
	got := make(chan []dxtrack.Value, 4)
	cancel := db.Subscribe(func(vs []dxtrack.Value) { got <- vs })
	defer cancel()
	p := w.started(t, ingest.Options{})
	_, err := p.Push(t.Context(), w.src, "f", []dxtrack.Record{rec("193", "2025-07-03", "online", true, "done", 4, 1)})
	must(t, err)
	select {
	case vs := <-got:
		if len(vs) != 5 || vs[0].UnitID != w.a.ID || vs[0].Provenance != dxtrack.FromMachine || vs[0].Value != 1 {
			t.Fatalf("feed = %+v", vs)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no change reached the feed")
	}
}

// TestPushAheadOfStore: the values of a committed batch reach the change
// feed before the applier stores them (its rounds wait an hour here, or a
// Sync); a correction keeps the last word, in the store and on the feed.
func TestPushAheadOfStore(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db, "")
		var mu sync.Mutex
		seen := map[[2]int64]dxtrack.Value{} // the last word per unit and indicator
		arrived := make(chan struct{}, 1)
		cancel := db.Subscribe(func(vs []dxtrack.Value) {
			mu.Lock()
			for _, v := range vs {
				seen[[2]int64{v.UnitID, v.IndicatorID}] = v
			}
			mu.Unlock()
			select {
			case arrived <- struct{}{}:
			default:
			}
		})
		defer cancel()
		last := func(u *dxtrack.Unit, code string) dxtrack.Value {
			mu.Lock()
			defer mu.Unlock()
			return seen[[2]int64{u.ID, w.indicators[code].ID}]
		}
		waitFor := func(what string, ok func() bool) {
			t.Helper()
			deadline := time.After(10 * time.Second)
			for !ok() {
				select {
				case <-arrived:
				case <-deadline:
					t.Fatalf("the feed never showed %s", what)
				}
			}
		}
		p := ingest.New(db, ingest.Options{ApplyEvery: time.Hour})
		p.Start(t.Context())
		t.Cleanup(func() { p.Close() })
		_, err := p.Push(t.Context(), w.src, "a1", []dxtrack.Record{
			rec("07030", "2025-07-03", "online", true, "done", 4, 50000),
			rec("07030", "2025-07-04", "paper", false, "done", 8, 0),
		})
		must(t, err)
		waitFor("2 dossiers of a", func() bool { return last(w.a, "HS_TONG").Value == 2 })
		if v := last(w.a, "TG_TB"); v.Value != 6 || v.Provenance != dxtrack.FromMachine {
			t.Fatalf("mean days on the feed = %+v, want 6 from the machine", v)
		}
		if got := w.value(t, w.a, "HS_TONG"); got != -1 {
			t.Fatalf("stored before the applier's round: %v", got)
		}
		must(t, p.Sync(t.Context()))
		if got := w.value(t, w.a, "HS_TONG"); got != 2 {
			t.Fatalf("stored after Sync = %v, want 2", got)
		}
		must(t, w.values.SetValues(sys, []dxtrack.Value{{UnitID: w.a.ID, IndicatorID: w.indicators["HS_TONG"].ID,
			Period: w.jul, Value: 9, Provenance: dxtrack.FromManual}}, "Cổng DVC thiếu hồ sơ giấy"))
		_, err = p.Push(t.Context(), w.src, "a2", []dxtrack.Record{rec("07030", "2025-07-05", "online", true, "done", 3, 0)})
		must(t, err)
		waitFor("the mean days of 3 dossiers of a", func() bool { return last(w.a, "TG_TB").Value == 5 })
		must(t, p.Sync(t.Context()))
		// A value written after everything else marks the end of the feed.
		must(t, w.values.SetValues(sys, []dxtrack.Value{{UnitID: w.b.ID, IndicatorID: w.indicators["PHI"].ID,
			Period: w.jul, Value: 1, Provenance: dxtrack.FromManual}}, ""))
		waitFor("the marker", func() bool { return last(w.b, "PHI").Value == 1 })
		if v := last(w.a, "HS_TONG"); v.Value != 9 || v.Provenance != dxtrack.FromCorrected {
			t.Fatalf("last word on the corrected total = %+v, want 9 corrected", v)
		}
		if got := w.value(t, w.a, "HS_TONG"); got != 9 {
			t.Fatalf("stored corrected total = %v, want 9", got)
		}
		if c, ok, err := db.SourceCell(t.Context(), w.src.ID, w.indicators["HS_TONG"].ID, w.a.ID, w.jul); err != nil || !ok || c.Records != 3 {
			t.Fatalf("cell = %+v %v %v, want 3 records", c, ok, err)
		}
		if v := last(w.a, "TG_TB"); v.Value != 5 || v.Provenance != dxtrack.FromMachine {
			t.Fatalf("mean days = %+v, want 5", v)
		}
	})
}
