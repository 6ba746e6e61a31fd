package web_test

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest"
	"github.com/dxtrack/dxtrack/store"
)

// ingestFixture is the API fixture with a source "dvc" counting dossiers
// (HS_TONG) and online ones (HS_TT) per commune and month, and a former
// district (22900) merged into commune A.
type ingestFixture struct {
	*apiFixture
	src            *dxtrack.DataSource
	token          string
	total, online  *dxtrack.Indicator
	pipeline       *ingest.Pipeline
	formerDistrict *dxtrack.Unit
}

func newIngestFixture(t *testing.T, opts ingest.Options, start bool) *ingestFixture {
	t.Helper()
	f := &ingestFixture{apiFixture: newAPIFixture(t)}
	f.formerDistrict = f.unit(&dxtrack.Unit{Code: "22900", NameVI: "Huyện cũ", Type: dxtrack.UnitDistrict, ParentID: f.province.ID})
	if err := f.srv.Units.MergeUnits(f.sys, []int64{f.formerDistrict.ID}, f.communeA.ID, f.srv.Now()); err != nil {
		t.Fatal(err)
	}
	f.total = &dxtrack.Indicator{Code: "HS_TONG", NameVI: "Tổng số hồ sơ", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
	f.online = &dxtrack.Indicator{Code: "HS_TT", NameVI: "Hồ sơ trực tuyến", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
	for _, in := range []*dxtrack.Indicator{f.total, f.online} {
		if err := f.srv.Indicators.CreateIndicator(f.sys, in); err != nil {
			t.Fatal(err)
		}
	}
	sources := store.NewDataSourceService(f.db)
	f.src = &dxtrack.DataSource{Code: "dvc", Name: "Cổng DVC", OwnerUnitID: f.province.ID, Mapping: dxtrack.Mapping{
		UnitField: "ma_dv", TimeField: "ngay", Rules: []dxtrack.MapRule{
			{Indicator: "HS_TONG", Agg: dxtrack.MapCount},
			{Indicator: "HS_TT", Agg: dxtrack.MapCount, Where: "kenh == 'truc_tuyen'"},
		}}}
	var err error
	if f.token, err = sources.CreateSource(f.sys, f.src); err != nil {
		t.Fatal(err)
	}
	f.pipeline = ingest.New(f.db, opts)
	if start {
		f.pipeline.Start(context.Background())
	}
	t.Cleanup(func() { f.pipeline.Close() })
	f.srv.Sources, f.srv.Ingest = sources, f.pipeline
	return f
}

// push sends a batch with a key ("" for none) and a content type.
func (f *ingestFixture) push(token, key, contentType, body string) *apiResponse {
	f.t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.ts.URL+"/api/v1/ingest/dvc", strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	return apiSend(f.t, req)
}

// value is the stored value of a unit and indicator in June 2024, or -1.
func (f *ingestFixture) value(u *dxtrack.Unit, in *dxtrack.Indicator) float64 {
	f.t.Helper()
	if err := f.pipeline.Sync(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	jun := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2024, N: 6}
	vs, err := f.srv.Values.FindValues(f.sys, dxtrack.ValueFilter{UnitID: u.ID, IndicatorID: in.ID, From: &jun, To: &jun})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(vs) == 0 {
		return -1
	}
	return vs[0].Value
}

type batchView struct {
	BatchID   int64 `json:"batch_id"`
	Received  int   `json:"received"`
	Accepted  int   `json:"accepted"`
	Refused   int   `json:"refused"`
	Duplicate bool  `json:"duplicate"`
}

const threeDossiers = `[
	{"ma_dv": "22001", "ngay": "2024-06-03T09:00:00+07:00", "kenh": "truc_tuyen"},
	{"ma_dv": "22900", "ngay": "2024-06-04", "kenh": "truc_tiep"},
	{"ma_dv": "22002", "ngay": "2024-06-05 10:00:00", "kenh": "truc_tuyen"}
]`

func TestAPIIngestPush(t *testing.T) {
	f := newIngestFixture(t, ingest.Options{}, true)
	f.srv.Values = store.NewValueService(f.db)

	var first, again batchView
	f.push(f.token, "b-1", "application/json", threeDossiers).ok(http.StatusOK).decode(&first)
	if first.Received != 3 || first.Accepted != 3 || first.Duplicate || first.BatchID == 0 {
		t.Fatalf("first = %+v", first)
	}
	// The former district's dossier lands on commune A.
	if a, b, on := f.value(f.communeA, f.total), f.value(f.communeB, f.total), f.value(f.communeA, f.online); a != 2 || b != 1 || on != 1 {
		t.Fatalf("HS_TONG A=%v B=%v, HS_TT A=%v; want 2, 1, 1", a, b, on)
	}
	// A retry counts nothing.
	f.push(f.token, "b-1", "application/json", threeDossiers).ok(http.StatusOK).decode(&again)
	if !again.Duplicate || again.BatchID != first.BatchID || f.value(f.communeA, f.total) != 2 {
		t.Fatalf("retry = %+v, HS_TONG A = %v", again, f.value(f.communeA, f.total))
	}
	// NDJSON.
	nd := "{\"ma_dv\": \"22002\", \"ngay\": \"2024-06-06\", \"kenh\": \"truc_tuyen\"}\n" +
		"{\"ma_dv\": \"22002\", \"ngay\": \"2024-06-07\", \"kenh\": \"truc_tuyen\"}\n"
	var b2 batchView
	f.push(f.token, "b-2", "application/x-ndjson", nd).ok(http.StatusOK).decode(&b2)
	if b2.Accepted != 2 || f.value(f.communeB, f.online) != 3 {
		t.Fatalf("ndjson = %+v, HS_TT B = %v", b2, f.value(f.communeB, f.online))
	}

	// One bad record refuses the batch, naming it; nothing is counted.
	bad := `[{"ma_dv": "22001", "ngay": "2024-06-08"}, {"ma_dv": "99999", "ngay": "2024-06-08"}]`
	p := f.push(f.token, "b-3", "application/json", bad).invalid("records[1].ma_dv", "error.ingest_unit_unknown")
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "99999") {
		t.Fatalf("refusal = %+v", p)
	}
	if f.value(f.communeA, f.total) != 2 {
		t.Fatalf("a refused batch counted: HS_TONG A = %v", f.value(f.communeA, f.total))
	}

	// The key is required; the body must be records.
	p = f.push(f.token, "", "application/json", threeDossiers).problem(http.StatusBadRequest, "invalid")
	if len(p.Errors) != 1 || p.Errors[0].Field != "Idempotency-Key" {
		t.Fatalf("missing key = %+v", p)
	}
	f.push(f.token, "b-4", "application/json", `{"ma_dv": `).invalid("body", "error.ingest_body")

	// Too large a body is 413, with a message.
	huge := "[" + strings.Repeat(`{"ma_dv": "22001", "ngay": "2024-06-08", "pad": "`+strings.Repeat("x", 9000)+`"},`, 2000) + "{}]"
	p = f.push(f.token, "b-5", "application/json", huge).problem(http.StatusRequestEntityTooLarge, "too_large")
	if !strings.Contains(p.Message, "16 MiB") {
		t.Fatalf("413 message %q does not say the limit", p.Message)
	}

	// Bad and revoked tokens are 401.
	f.push(f.token+"x", "b-6", "application/json", threeDossiers).problem(http.StatusUnauthorized, "unauthorized")
	if err := f.srv.Sources.RevokeToken(f.sys, f.src.ID); err != nil {
		t.Fatal(err)
	}
	f.push(f.token, "b-7", "application/json", threeDossiers).problem(http.StatusUnauthorized, "unauthorized")
	if f.value(f.communeA, f.total) != 2 {
		t.Fatalf("HS_TONG A = %v after refused pushes, want 2", f.value(f.communeA, f.total))
	}
}

// TestAPIIngestBusy: a full queue answers 429 with Retry-After instead of
// queueing.
func TestAPIIngestBusy(t *testing.T) {
	f := newIngestFixture(t, ingest.Options{QueueSize: 1}, false) // the writer is held
	f.srv.Values = store.NewValueService(f.db)
	done := make(chan *apiResponse, 1)
	go func() { done <- f.push(f.token, "held", "application/json", threeDossiers) }()
	for f.pipeline.Pending() == 0 {
		runtime.Gosched()
	}
	res := f.push(f.token, "next", "application/json", threeDossiers)
	res.problem(http.StatusTooManyRequests, "busy")
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	f.pipeline.Start(context.Background())
	(<-done).ok(http.StatusOK)
	if got := f.value(f.communeA, f.total); got != 2 {
		t.Fatalf("HS_TONG A = %v, want 2", got)
	}
}
