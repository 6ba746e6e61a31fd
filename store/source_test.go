package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// sworld is the value world with a data source feeding HS_TONG (count),
// HS_TT (count where online) and TL_SO (share digitised).
type sworld struct {
	*vworld
	sources dxtrack.DataSourceService
	src     *dxtrack.DataSource
	token   string
}

func dossierMapping() dxtrack.Mapping {
	return dxtrack.Mapping{UnitField: "unit", TimeField: "at", Rules: []dxtrack.MapRule{
		{Indicator: "HS_TONG", Agg: dxtrack.MapCount},
		{Indicator: "HS_TT", Agg: dxtrack.MapCount, Where: "channel == 'online'"},
		{Indicator: "TL_SO", Agg: dxtrack.MapShare, Where: "digitised"},
	}}
}

func seedSource(t *testing.T, db *store.DB) *sworld {
	t.Helper()
	w := &sworld{vworld: seedValues(t, db), sources: store.NewDataSourceService(db)}
	w.src = &dxtrack.DataSource{Code: "dvc", Name: "Cổng DVC", OwnerUnitID: w.qn.ID, Mapping: dossierMapping()}
	var err error
	w.token, err = w.sources.CreateSource(as(w.admin), w.src)
	must(t, err)
	return w
}

func TestDataSource(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedSource(t, db)
		if w.src.Policy != dxtrack.AllOrNothing || w.src.TokenHint != w.token[:6] || len(w.token) < 40 {
			t.Fatalf("created source %+v with token %q", w.src, w.token)
		}
		// The token is stored hashed only.
		if n, err := store.CountSourceTokenRows(db, w.token); err != nil || n != 0 {
			t.Fatalf("token in the clear in %d rows (%v)", n, err)
		}
		got, err := w.sources.SourceByToken(t.Context(), "dvc", w.token)
		must(t, err)
		if got.ID != w.src.ID || got.Mapping.Rules[2].Where != "digitised" {
			t.Fatalf("source by token = %+v", got)
		}
		_, err = w.sources.SourceByToken(t.Context(), "dvc", w.token+"x")
		wantCode(t, err, dxtrack.EUNAUTHORIZED)
		_, err = w.sources.SourceByToken(t.Context(), "other", w.token)
		wantCode(t, err, dxtrack.EUNAUTHORIZED)

		// Rotating revokes the old token; revoking leaves none.
		token2, err := w.sources.RotateToken(as(w.admin), w.src.ID)
		must(t, err)
		_, err = w.sources.SourceByToken(t.Context(), "dvc", w.token)
		wantCode(t, err, dxtrack.EUNAUTHORIZED)
		_, err = w.sources.SourceByToken(t.Context(), "dvc", token2)
		must(t, err)
		_, err = w.sources.RotateToken(as(w.adminPT), w.src.ID)
		wantCode(t, err, dxtrack.EFORBIDDEN)
		must(t, w.sources.RevokeToken(as(w.admin), w.src.ID))
		_, err = w.sources.SourceByToken(t.Context(), "dvc", token2)
		wantCode(t, err, dxtrack.EUNAUTHORIZED)
		_, err = w.sources.SourceByToken(t.Context(), "dvc", "")
		wantCode(t, err, dxtrack.EUNAUTHORIZED)

		// Every signed-in user sees the sources (a reporter too); a
		// visitor does not.
		seen, err := w.sources.FindSources(as(w.reporterA))
		must(t, err)
		if len(seen) != 1 {
			t.Fatalf("a reporter sees %d sources, want 1", len(seen))
		}
		_, err = w.sources.FindSources(t.Context())
		wantCode(t, err, dxtrack.EUNAUTHORIZED)
		list, err := w.sources.FindSources(as(w.admin))
		must(t, err)
		if len(list) != 1 || list[0].TokenHint != "" || list[0].Name != "Cổng DVC" {
			t.Fatalf("sources = %+v", list)
		}

		// An update keeps the token and the connector's secret.
		upd := *list[0]
		upd.Policy = dxtrack.AcceptValid
		upd.Pull = &dxtrack.Pull{URL: "https://lgsp.example/dvc", Format: "json", Every: time.Hour,
			TokenURL: "https://lgsp.example/token", ClientID: "dx", ClientSecret: "s3cret"}
		must(t, w.sources.UpdateSource(as(w.admin), &upd))
		upd.Pull.ClientSecret = ""
		must(t, w.sources.UpdateSource(as(w.admin), &upd))
		got, err = w.sources.FindSource(as(w.admin), "dvc")
		must(t, err)
		if got.Policy != dxtrack.AcceptValid || got.Pull == nil || got.Pull.ClientSecret != "s3cret" || got.Pull.Every != time.Hour {
			t.Fatalf("updated source = %+v pull %+v", got, got.Pull)
		}
	})
}

// TestDataSourceInvalid names each mistake of a mapping by its field.
func TestDataSourceInvalid(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedSource(t, db)
		before := w.count(t, "data_sources")
		bad := &dxtrack.DataSource{Code: "pay", Name: "Thanh toán", OwnerUnitID: w.qn.ID, Policy: "some",
			Mapping: dxtrack.Mapping{Freq: "6months", Rules: []dxtrack.MapRule{
				{Indicator: "NOPE", Agg: dxtrack.MapCount},
				{Indicator: "HS_TT", Agg: dxtrack.MapCount},          // fed by dvc
				{Indicator: "TL_TT", Agg: dxtrack.MapSum, Expr: "a"}, // a formula
				{Indicator: "X1", Agg: dxtrack.MapSum, Expr: "amount +* 2"},
				{Indicator: "X2", Agg: dxtrack.MapShare},
				{Indicator: "X3", Agg: "median"},
				{Indicator: "X4", Agg: dxtrack.MapAvg, Expr: "a", Where: "paid =="},
			}}}
		_, err := w.sources.CreateSource(as(w.admin), bad)
		for field, msg := range map[string]string{
			"policy":                     "error.unknown_value",
			"mapping.unit_field":         "error.required",
			"mapping.time_field":         "error.required",
			"mapping.freq":               "error.unknown_value",
			"mapping.rules[0].indicator": "error.ingest_indicator_unknown",
			"mapping.rules[1].indicator": "error.ingest_indicator_taken",
			"mapping.rules[2].indicator": "error.ingest_indicator_formula",
			"mapping.rules[3].expr":      "error.ingest_expr",
			"mapping.rules[4].where":     "error.required",
			"mapping.rules[5].agg":       "error.unknown_value",
			"mapping.rules[6].where":     "error.ingest_expr",
		} {
			wantField(t, err, field, msg)
		}
		if n := w.count(t, "data_sources"); n != before {
			t.Fatalf("%d sources after a refused one, want %d", n, before)
		}
		_, err = w.sources.CreateSource(as(w.adminPT), &dxtrack.DataSource{Code: "pay", Name: "Thanh toán",
			OwnerUnitID: w.qn.ID, Mapping: dxtrack.Mapping{UnitField: "u", TimeField: "t",
				Rules: []dxtrack.MapRule{{Indicator: "TL_SO", Agg: dxtrack.MapAvg, Expr: "x"}}}})
		wantCode(t, err, dxtrack.EFORBIDDEN)
		must(t, w.indicators.CreateIndicator(as(w.admin), &dxtrack.Indicator{Code: "GD_TT", NameVI: "Giao dịch",
			Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}))
		_, err = w.sources.CreateSource(as(w.admin), &dxtrack.DataSource{Code: "dvc", Name: "Again", OwnerUnitID: w.qn.ID,
			Mapping: dxtrack.Mapping{UnitField: "u", TimeField: "t", Rules: []dxtrack.MapRule{{Indicator: "GD_TT", Agg: dxtrack.MapCount}}}})
		wantField(t, err, "code", "error.duplicate_code")
	})
}

// cell is what a test batch adds for one rule.
func cell(in *dxtrack.Indicator, u *dxtrack.Unit, p dxtrack.Period, agg dxtrack.MapAgg, n, hits int64, sum float64) store.IngestCell {
	return store.IngestCell{IndicatorID: in.ID, UnitID: u.ID, Period: p, Agg: agg, Records: n, Hits: hits, Sum: sum}
}

// TestWriteBatches: a key counts once, also within one group; cells add
// up across batches; a correction survives later machine figures; a batch
// refused whole leaves its key free and counts nothing.
func TestWriteBatches(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedSource(t, db)
		var fed []dxtrack.Value
		got := make(chan struct{}, 16)
		cancel := db.Subscribe(func(vs []dxtrack.Value) { fed = append(fed, vs...); got <- struct{}{} })
		defer cancel()
		jul := month(2025, 7)
		b1 := &store.IngestBatch{SourceID: w.src.ID, Key: "k1", Counted: true, Received: 3, Accepted: 3,
			Cells: []store.IngestCell{cell(w.total, w.communeB, jul, dxtrack.MapCount, 3, 3, 0),
				cell(w.share, w.communeB, jul, dxtrack.MapShare, 3, 1, 0)}}
		again := &store.IngestBatch{SourceID: w.src.ID, Key: "k1", Counted: true, Received: 3, Accepted: 3,
			Cells: b1.Cells}
		must(t, db.WriteBatches(t.Context(), []*store.IngestBatch{b1, again}))
		if n, err := db.ApplyPending(t.Context(), 100); err != nil || n != 1 {
			t.Fatalf("applied %d batches (%v), want the one counted", n, err)
		}
		if b1.Result.Duplicate || !again.Result.Duplicate || again.Result.BatchID != b1.Result.BatchID {
			t.Fatalf("results %+v %+v", b1.Result, again.Result)
		}
		<-got
		if len(fed) != 2 || fed[0].Value != 3 || fed[0].Provenance != dxtrack.FromMachine {
			t.Fatalf("feed = %+v", fed)
		}
		if v := w.one(t, w.communeB, w.share, jul); v.Value != 100.0/3 || v.Provenance != dxtrack.FromMachine {
			t.Fatalf("share = %+v", v)
		}
		// A refused batch is logged, counts nothing, and its key stays free.
		refused := &store.IngestBatch{SourceID: w.src.ID, Key: "k2", Received: 2, Refused: 2,
			Errors: []dxtrack.RecordError{{Index: 1, Field: "unit", Reason: "x", MsgID: "error.ingest_unit_unknown"}}}
		must(t, db.WriteBatches(t.Context(), []*store.IngestBatch{refused}))
		if b, err := db.FindBatch(t.Context(), w.src.ID, "k2"); err != nil || b != nil {
			t.Fatalf("refused batch found by key: %+v %v", b, err)
		}
		// A correction is kept; the cell goes on counting.
		must(t, w.values.SetValues(as(w.admin), []dxtrack.Value{val(w.communeB, w.total, jul, 4)}, "Cổng DVC đếm trùng 1 hồ sơ"))
		b2 := &store.IngestBatch{SourceID: w.src.ID, Key: "k2", Counted: true, Received: 2, Accepted: 2,
			Cells: []store.IngestCell{cell(w.total, w.communeB, jul, dxtrack.MapCount, 2, 2, 0),
				cell(w.share, w.communeB, jul, dxtrack.MapShare, 2, 2, 0)}}
		must(t, db.WriteBatches(t.Context(), []*store.IngestBatch{b2}))
		if v := w.one(t, w.communeB, w.share, jul); v.Value != 100.0/3 {
			t.Fatalf("share before the batch is applied = %v, want still 33.3", v.Value)
		}
		if n, err := db.ApplyPending(t.Context(), 100); err != nil || n != 1 {
			t.Fatalf("applied %d batches (%v), want 1", n, err)
		}
		if n, err := db.ApplyPending(t.Context(), 100); err != nil || n != 0 {
			t.Fatalf("applied %d batches again (%v)", n, err)
		}
		if b2.Result.Duplicate {
			t.Fatal("k2 counted after its refusal is a duplicate")
		}
		if v := w.one(t, w.communeB, w.total, jul); v.Value != 4 || v.Provenance != dxtrack.FromCorrected {
			t.Fatalf("corrected total = %+v", v)
		}
		if c, ok, err := db.SourceCell(t.Context(), w.src.ID, w.total.ID, w.communeB.ID, jul); err != nil || !ok || c.Records != 5 {
			t.Fatalf("cell = %+v %v %v", c, ok, err)
		}
		if v, ok, err := db.MachineFigure(t.Context(), w.communeB.ID, w.total.ID, jul); err != nil || !ok || v != 5 {
			t.Fatalf("machine figure of the corrected total = %v %v %v, want 5", v, ok, err)
		}
		if v, ok, err := db.MachineFigure(t.Context(), w.communeB.ID, w.share.ID, jul); err != nil || !ok || v != 60 {
			t.Fatalf("machine figure of the share = %v %v %v, want 60", v, ok, err)
		}
		if _, ok, err := db.MachineFigure(t.Context(), w.communeA.ID, w.share.ID, jul); err != nil || ok {
			t.Fatalf("machine figure without records: %v %v", ok, err)
		}
		if v := w.one(t, w.communeB, w.share, jul); v.Value != 60 {
			t.Fatalf("share after two batches = %v, want 3 of 5 = 60", v.Value)
		}
		// The log and the volume.
		batches, err := w.sources.Batches(as(w.admin), w.src.ID, 10)
		must(t, err)
		if len(batches) != 3 || batches[0].Key != "k2" || batches[1].Refused != 2 || batches[1].Errors[0].Index != 1 {
			t.Fatalf("batches = %+v", batches)
		}
		vol, err := w.sources.Volume(as(w.admin), w.src.ID, testNow.AddDate(0, 0, -7))
		must(t, err)
		if len(vol) != 1 || vol[0] != (dxtrack.VolumePoint{Day: "2025-08-01", Accepted: 5, Refused: 2, Batches: 3}) {
			t.Fatalf("volume = %+v", vol)
		}
	})
}

// TestApplyBatches: batches applied from the caller's memory count once,
// also when another applier took one from the log first; a scan takes
// the others up to the ID given; the totals are the stored ones, and a
// correction among them is named and sent to the feed as stored.
func TestApplyBatches(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedSource(t, db)
		jul := month(2025, 7)
		batch := func(key string, n int64) *store.IngestBatch {
			return &store.IngestBatch{SourceID: w.src.ID, Key: key, Counted: true, Received: int(n), Accepted: int(n),
				Cells: []store.IngestCell{cell(w.total, w.communeB, jul, dxtrack.MapCount, n, n, 0)}}
		}
		b1, b2, b3, b4 := batch("m1", 1), batch("m2", 2), batch("m3", 4), batch("m4", 8)
		must(t, db.WriteBatches(t.Context(), []*store.IngestBatch{b1, b2}))
		must(t, db.WriteBatches(t.Context(), []*store.IngestBatch{b3}))
		must(t, db.WriteBatches(t.Context(), []*store.IngestBatch{b4}))
		// Another applier takes b1 from the log first.
		if n, err := db.ApplyPending(t.Context(), 1); err != nil || n != 1 {
			t.Fatalf("applied %d (%v), want b1", n, err)
		}
		res, err := db.ApplyBatches(t.Context(), []*store.IngestBatch{b1, b2}, b3.Result.BatchID, 100)
		must(t, err)
		if res.Applied != 2 || res.Scanned != 1 || len(res.Totals) != 1 || res.Totals[0].Records != 1+2+4 {
			t.Fatalf("applied = %+v, want b2 from memory and b3 from the log: 7 records", res)
		}
		if v := w.one(t, w.communeB, w.total, jul); v.Value != 7 {
			t.Fatalf("total = %v, want 7", v.Value)
		}
		c, _ := subscribe(t, db)
		must(t, w.values.SetValues(as(w.admin), []dxtrack.Value{val(w.communeB, w.total, jul, 6)}, "Cổng DVC đếm trùng 1 hồ sơ"))
		c.next(t, time.Second)
		res, err = db.ApplyBatches(t.Context(), []*store.IngestBatch{b4}, 0, 0)
		must(t, err)
		if res.Applied != 1 || len(res.Totals) != 1 || res.Totals[0].Records != 15 || !res.Totals[0].Corrected ||
			len(res.Corrected) != 1 || res.Corrected[0].Value != 6 {
			t.Fatalf("applied = %+v, want b4 on a corrected total of 15 records", res)
		}
		want := fmt.Sprintf("%d/%d/2025-07=6(corrected)", w.communeB.ID, w.total.ID)
		if got := describeValues(c.next(t, time.Second)); !slices.Equal(got, []string{want}) {
			t.Fatalf("delivered = %v, want %v", got, want)
		}
		if n, err := db.ApplyPending(t.Context(), 100); err != nil || n != 0 {
			t.Fatalf("applied %d more (%v), want none", n, err)
		}
	})
}
