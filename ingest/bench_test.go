package ingest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest"
	"github.com/dxtrack/dxtrack/store"
)

// benchCommunes is the province's communes after the 2025 reform.
const benchCommunes = 3321

// BenchmarkPush pushes batches of 1,000 dossier events over 3,321
// communes from 8 senders (DXTRACK_BENCH_SENDERS) and reports events
// per second, durable and applied to the values:
//
//	go test ./ingest -run - -bench Push -benchtime 200x
//	DXTRACK_TEST_POSTGRES=postgres://… go test ./ingest -run - -bench Push/postgres
func BenchmarkPush(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			db := openDB(b, engine)
			src, codes := benchWorld(b, db)
			opts := ingest.Options{}
			if d, err := time.ParseDuration(os.Getenv("DXTRACK_BENCH_APPLY_EVERY")); err == nil {
				opts.ApplyEvery = d
			}
			p := ingest.New(db, opts)
			p.Start(context.Background())
			defer p.Close()
			senders, size := benchSenders(), 1000
			batches := make([][]dxtrack.Record, 16)
			for i := range batches {
				batches[i] = benchBatch(codes, size, uint64(i))
			}
			var next atomic.Int64
			var busy atomic.Int64
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for range senders {
				wg.Go(func() {
					for {
						i := next.Add(1) - 1
						if i >= int64(b.N) {
							return
						}
						for {
							_, err := p.Push(context.Background(), src, "k"+strconv.FormatInt(i, 10), batches[i%int64(len(batches))])
							if err == ingest.ErrBusy {
								busy.Add(1)
								time.Sleep(time.Millisecond)
								continue
							}
							if err != nil {
								b.Error(err)
								return
							}
							break
						}
					}
				})
			}
			wg.Wait()
			// The values too: the applier must keep up.
			must(b, p.Sync(context.Background()))
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N*size)/elapsed.Seconds(), "events/s")
			b.ReportMetric(float64(busy.Load()), "busy")
		})
	}
}

// benchWorld creates a province with benchCommunes communes, the dossier
// indicators and a source; it returns the source and the commune codes.
func benchWorld(b testing.TB, db *store.DB) (*dxtrack.DataSource, []string) {
	units := store.NewUnitService(db)
	province := &dxtrack.Unit{Code: "25", NameVI: "Phú Thọ", Type: dxtrack.UnitProvince, ValidFrom: dxtrack.MustDate("2025-07-01")}
	must(b, units.CreateUnit(sys, province))
	codes := make([]string, benchCommunes)
	for i := range codes {
		codes[i] = fmt.Sprintf("%05d", 10000+i)
		must(b, units.CreateUnit(sys, &dxtrack.Unit{Code: codes[i], NameVI: "Xã " + codes[i], Type: dxtrack.UnitCommune,
			ParentID: province.ID, ValidFrom: dxtrack.MustDate("2025-07-01")}))
	}
	for _, in := range []*dxtrack.Indicator{
		{Code: "HS_TONG", NameVI: "Tổng số hồ sơ", Type: dxtrack.ValueCount},
		{Code: "HS_TT", NameVI: "Hồ sơ trực tuyến", Type: dxtrack.ValueCount},
		{Code: "TL_DH", NameVI: "Tỷ lệ đúng hạn", Type: dxtrack.ValuePercent},
		{Code: "TG_TB", NameVI: "Thời gian xử lý bình quân", Type: dxtrack.ValueNumber},
	} {
		in.Direction, in.Source = dxtrack.DirectionUp, dxtrack.SourceMachine
		must(b, store.NewIndicatorService(db).CreateIndicator(sys, in))
	}
	src := &dxtrack.DataSource{Code: "dvc", Name: "Cổng DVC", OwnerUnitID: province.ID, Mapping: dxtrack.Mapping{
		UnitField: "ma_xa", TimeField: "ngay_nhan", Rules: []dxtrack.MapRule{
			{Indicator: "HS_TONG", Agg: dxtrack.MapCount},
			{Indicator: "HS_TT", Agg: dxtrack.MapCount, Where: "kenh == 'truc_tuyen'"},
			{Indicator: "TL_DH", Agg: dxtrack.MapShare, Where: "dung_han"},
			{Indicator: "TG_TB", Agg: dxtrack.MapAvg, Expr: "so_ngay", Where: "trang_thai == 'da_xu_ly'"},
		}}}
	_, err := store.NewDataSourceService(db).CreateSource(sys, src)
	must(b, err)
	return src, codes
}

// benchBatch is n dossier events of July 2025 over the communes.
func benchBatch(codes []string, n int, seed uint64) []dxtrack.Record {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]dxtrack.Record, n)
	channels := []string{"truc_tuyen", "truc_tiep", "buu_chinh"}
	for i := range out {
		day := 1 + r.IntN(31)
		out[i] = dxtrack.Record{
			"ma_xa":      codes[r.IntN(len(codes))],
			"ngay_nhan":  fmt.Sprintf("2025-07-%02dT%02d:%02d:00+07:00", day, r.IntN(24), r.IntN(60)),
			"kenh":       channels[r.IntN(len(channels))],
			"dung_han":   r.IntN(10) < 9,
			"trang_thai": []string{"da_xu_ly", "dang_xu_ly"}[r.IntN(2)],
			"so_ngay":    float64(1 + r.IntN(15)),
		}
	}
	return out
}

// benchSenders is how many batches are sent at once: DXTRACK_BENCH_SENDERS
// or 8.
func benchSenders() int {
	if n, err := strconv.Atoi(os.Getenv("DXTRACK_BENCH_SENDERS")); err == nil && n > 0 {
		return n
	}
	return 8
}
