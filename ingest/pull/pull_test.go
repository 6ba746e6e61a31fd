package pull_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest"
	"github.com/dxtrack/dxtrack/ingest/pull"
	"github.com/dxtrack/dxtrack/store"
)

var sys = dxtrack.NewContextWithUser(context.Background(), dxtrack.SystemUser)

// env is a store with a province, two communes, two machine indicators
// (dossiers received, share received online) and a running pipeline.
type env struct {
	db       *store.DB
	sources  dxtrack.DataSourceService
	values   dxtrack.ValueService
	pipeline *ingest.Pipeline
	conns    *store.Connectors
	units    map[string]*dxtrack.Unit
	ind      map[string]*dxtrack.Indicator
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{db: db, sources: store.NewDataSourceService(db), values: store.NewValueService(db), conns: store.NewConnectors(db),
		units: map[string]*dxtrack.Unit{}, ind: map[string]*dxtrack.Indicator{}}
	units := store.NewUnitService(db)
	from := dxtrack.MustDate("2020-01-01")
	for _, u := range []*dxtrack.Unit{
		{Code: "22", NameVI: "Quảng Ninh", Type: dxtrack.UnitProvince, ValidFrom: from},
		{Code: "XA", NameVI: "Xã A", Type: dxtrack.UnitCommune, ValidFrom: from},
		{Code: "XB", NameVI: "Xã B", Type: dxtrack.UnitCommune, ValidFrom: from},
	} {
		if u.Code != "22" {
			u.ParentID = e.units["22"].ID
		}
		if err := units.CreateUnit(sys, u); err != nil {
			t.Fatal(err)
		}
		e.units[u.Code] = u
	}
	inds := store.NewIndicatorService(db)
	for _, in := range []*dxtrack.Indicator{
		{Code: "HS", NameVI: "Hồ sơ tiếp nhận", Type: dxtrack.ValueCount, Source: dxtrack.SourceMachine, Direction: dxtrack.DirectionUp},
		{Code: "HS_TT", NameVI: "Tỷ lệ hồ sơ trực tuyến", Type: dxtrack.ValuePercent, Source: dxtrack.SourceMachine, Direction: dxtrack.DirectionUp, Measure: "%"},
	} {
		if err := inds.CreateIndicator(sys, in); err != nil {
			t.Fatal(err)
		}
		e.ind[in.Code] = in
	}
	e.pipeline = ingest.New(db, ingest.Options{})
	e.pipeline.Start(context.Background())
	t.Cleanup(func() { e.pipeline.Close() })
	return e
}

// source creates a pull source of dossiers against the URL.
func (e *env) source(t *testing.T, code string, pl *dxtrack.Pull) *dxtrack.DataSource {
	t.Helper()
	src := &dxtrack.DataSource{Code: code, Name: "Cổng dịch vụ công " + code, OwnerUnitID: e.units["22"].ID, Policy: dxtrack.AcceptValid,
		Mapping: dxtrack.Mapping{UnitField: "unit", TimeField: "received_at", Freq: dxtrack.Monthly, Rules: []dxtrack.MapRule{
			{Indicator: "HS", Agg: dxtrack.MapCount},
			{Indicator: "HS_TT", Agg: dxtrack.MapShare, Where: "online == true"},
		}},
		Pull: pl}
	if _, err := e.sources.CreateSource(sys, src); err != nil {
		t.Fatal(err)
	}
	got, err := e.sources.FindSource(sys, code)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// value is the stored value of an indicator for a unit in March 2026,
// once the pipeline applied the batches acknowledged so far.
func (e *env) value(t *testing.T, ind, unit string) (float64, bool) {
	t.Helper()
	if err := e.pipeline.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	mar := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 3}
	vs, err := e.values.FindValues(sys, dxtrack.ValueFilter{IndicatorID: e.ind[ind].ID, UnitID: e.units[unit].ID, From: &mar, To: &mar})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		return 0, false
	}
	return vs[0].Value, true
}

// gateway is an integration gateway: an OAuth2 client-credentials token
// endpoint and a paged list of dossiers that wants the bearer token.
type gateway struct {
	*httptest.Server
	records  []map[string]any
	tokens   atomic.Int32 // tokens issued
	requests atomic.Int32 // record pages asked for
	fail     atomic.Int32 // answer this many record requests with 503 first
}

const (
	clientID     = "dxtrack"
	clientSecret = "bí mật"
	accessToken  = "tok-123"
)

func newGateway(t *testing.T, records []map[string]any) *gateway {
	g := &gateway{records: records}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if !ok {
			r.ParseForm()
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if id != clientID || secret != clientSecret || r.FormValue("grant_type") != "client_credentials" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client"}`)
			return
		}
		g.tokens.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, accessToken)
	})
	mux.HandleFunc("GET /api/dossiers", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+accessToken {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		g.requests.Add(1)
		if g.fail.Load() > 0 {
			g.fail.Add(-1)
			w.Header().Set("Retry-After", "0")
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("p"))
		size, _ := strconv.Atoi(r.URL.Query().Get("n"))
		from := min((page-1)*size, len(g.records))
		to := min(from+size, len(g.records))
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"items": g.records[from:to]}, "total": len(g.records)})
	})
	g.Server = httptest.NewServer(mux)
	t.Cleanup(g.Close)
	return g
}

func (g *gateway) pull() *dxtrack.Pull {
	return &dxtrack.Pull{URL: g.URL + "/api/dossiers", Format: "json", Every: time.Hour, RecordsPath: "data.items",
		Paging: "page", PageParam: "p", SizeParam: "n", PageSize: 2,
		TokenURL: g.URL + "/oauth/token", ClientID: clientID, ClientSecret: clientSecret, Scopes: []string{"dossiers.read"}}
}

// dossiers: commune A receives 3 in March 2026 (2 online), commune B 2
// (none online).
var dossiers = []map[string]any{
	{"id": 1, "unit": "XA", "received_at": "2026-03-02T08:00:00+07:00", "online": true},
	{"id": 2, "unit": "XA", "received_at": "2026-03-05T09:30:00+07:00", "online": true},
	{"id": 3, "unit": "XB", "received_at": "2026-03-05T10:00:00+07:00", "online": false},
	{"id": 4, "unit": "XA", "received_at": "2026-03-20T14:00:00+07:00", "online": false},
	{"id": 5, "unit": "XB", "received_at": "2026-03-28T16:00:00+07:00", "online": false},
}

func (e *env) scheduler(holder string) *pull.Scheduler {
	return &pull.Scheduler{Sources: e.sources, Pusher: e.pipeline, Connectors: e.conns, Holder: holder,
		Backoff: pull.Backoff{Initial: time.Millisecond, Max: 5 * time.Millisecond, Attempts: 4}}
}

func TestConnectorFillsIndicators(t *testing.T) {
	e := newEnv(t)
	g := newGateway(t, dossiers)
	src := e.source(t, "dvc", g.pull())
	s := e.scheduler("a")

	run, err := s.Run(context.Background(), src)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if got, want := run.Status, dxtrack.PullOK; got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	// Pages of 2: 2, 2, 1 records.
	if run.Pages != 3 || run.Accepted != 5 || run.Refused != 0 {
		t.Errorf("run = %d pages, %d accepted, %d refused; want 3, 5, 0", run.Pages, run.Accepted, run.Refused)
	}
	for _, c := range []struct {
		ind, unit string
		want      float64
	}{
		{"HS", "XA", 3}, {"HS", "XB", 2},
		{"HS_TT", "XA", 200.0 / 3}, {"HS_TT", "XB", 0},
	} {
		got, ok := e.value(t, c.ind, c.unit)
		if !ok || fmt.Sprintf("%.4f", got) != fmt.Sprintf("%.4f", c.want) {
			t.Errorf("%s of %s = %v (%v), want %v", c.ind, c.unit, got, ok, c.want)
		}
	}

	// The next run fetches the same month again plus a new dossier:
	// only the new one counts, and the token is reused.
	g.records = append(g.records, map[string]any{"id": 6, "unit": "XB", "received_at": "2026-03-29T08:00:00+07:00", "online": true})
	run, err = s.Run(context.Background(), src)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if run.Accepted != 1 || run.Skipped != 5 {
		t.Errorf("second run: %d accepted, %d skipped; want 1 and 5", run.Accepted, run.Skipped)
	}
	if got, _ := e.value(t, "HS", "XB"); got != 3 {
		t.Errorf("HS of XB after the second run = %v, want 3", got)
	}
	if got, _ := e.value(t, "HS", "XA"); got != 3 {
		t.Errorf("HS of XA after the second run = %v, want 3 (not counted twice)", got)
	}
	if n := g.tokens.Load(); n != 1 {
		t.Errorf("tokens issued = %d, want 1 (cached across runs)", n)
	}

	runs, err := e.conns.Runs(sys, src.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Accepted != 1 || runs[1].Accepted != 5 || runs[1].Finished.IsZero() {
		t.Errorf("run log = %+v", runs)
	}
}

func TestConnectorRetries503(t *testing.T) {
	e := newEnv(t)
	g := newGateway(t, dossiers)
	g.fail.Store(2)
	src := e.source(t, "dvc", g.pull())
	run, err := e.scheduler("a").Run(context.Background(), src)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if run.Accepted != 5 {
		t.Errorf("accepted = %d, want 5", run.Accepted)
	}
	if got := g.requests.Load(); got != 5 { // 2 refused + 3 pages
		t.Errorf("requests = %d, want 5", got)
	}
}

func TestConnectorGivesUp(t *testing.T) {
	e := newEnv(t)
	g := newGateway(t, dossiers)
	g.fail.Store(100)
	src := e.source(t, "dvc", g.pull())
	run, err := e.scheduler("a").Run(context.Background(), src)
	if err == nil {
		t.Fatal("run succeeded against a gateway that always answers 503")
	}
	if run.Status != dxtrack.PullFailed || run.Error == "" {
		t.Errorf("run = %+v, want failed with its error", run)
	}
	if got := g.requests.Load(); got != 4 {
		t.Errorf("requests = %d, want 4 (the attempts)", got)
	}
	runs, _ := e.conns.Runs(sys, src.ID, 1)
	if len(runs) != 1 || runs[0].Status != dxtrack.PullFailed {
		t.Errorf("logged runs = %+v", runs)
	}
}

func TestWrongSecretFails(t *testing.T) {
	e := newEnv(t)
	g := newGateway(t, dossiers)
	pl := g.pull()
	pl.ClientSecret = "sai"
	src := e.source(t, "dvc", pl)
	if _, err := e.scheduler("a").Run(context.Background(), src); err == nil {
		t.Fatal("run succeeded with a wrong client secret")
	}
	if g.requests.Load() != 0 {
		t.Error("the records were asked for without a token")
	}
}

// Two schedulers on one store (two dxtrack instances): one runs a source,
// the other finds the lease taken.
func TestOneInstanceRunsASource(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	var hits atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-release
		fmt.Fprint(w, `[]`)
	}))
	t.Cleanup(slow.Close)
	src := e.source(t, "slow", &dxtrack.Pull{URL: slow.URL, Format: "json", Every: time.Minute})

	a, b := e.scheduler("a"), e.scheduler("b")
	var wg sync.WaitGroup
	wg.Add(1)
	var runA *dxtrack.PullRun
	var errA error
	go func() { defer wg.Done(); runA, errA = a.Run(context.Background(), src) }()
	for hits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	if _, err := b.Run(context.Background(), src); err != pull.ErrLeaseHeld {
		t.Errorf("second instance: %v, want ErrLeaseHeld", err)
	}
	close(release)
	wg.Wait()
	if errA != nil || runA.Status != dxtrack.PullOK {
		t.Fatalf("first instance: %+v, %v", runA, errA)
	}
	// Released: the other instance may run it now.
	if _, err := b.Run(context.Background(), src); err != nil {
		t.Errorf("second instance after release: %v", err)
	}
	if hits.Load() != 2 {
		t.Errorf("fetches = %d, want 2", hits.Load())
	}
}

// The scheduler runs a due source by itself, once per Every.
func TestSchedulerRunsDueSources(t *testing.T) {
	e := newEnv(t)
	g := newGateway(t, dossiers)
	src := e.source(t, "dvc", g.pull())
	s := e.scheduler("a")
	s.Tick = 10 * time.Millisecond
	stop := s.Start(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for {
		runs, err := e.conns.Runs(sys, src.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) > 0 && runs[0].Status != dxtrack.PullRunning {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scheduler did not run the source")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // several ticks: Every is an hour
	stop()
	runs, _ := e.conns.Runs(sys, src.ID, 5)
	if len(runs) != 1 {
		t.Errorf("runs = %d, want 1 within the hour", len(runs))
	}
	if got, _ := e.value(t, "HS", "XA"); got != 3 {
		t.Errorf("HS of XA = %v, want 3", got)
	}
}

// A source that pages by next links, and one that serves CSV with unit
// codes that must keep their leading zeros.
func TestNextLinksAndCSV(t *testing.T) {
	pages := map[string]string{
		"":  `{"items": [{"unit": "XA", "received_at": "2026-03-02", "online": true}], "links": {"next": "/next?cursor=b"}}`,
		"b": `{"items": [{"unit": "XB", "received_at": "2026-03-03", "online": true}], "links": {"next": "next?cursor=c"}}`,
		"c": `{"items": [{"unit": "XB", "received_at": "2026-03-04", "online": false}], "links": {"next": ""}}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/dossiers.csv" {
			w.Header().Set("Content-Type", "text/csv")
			fmt.Fprint(w, "\ufeffunit,received_at,online,fee\n007,2026-03-05,true,12000\nXA,2026-03-06,false,0\n")
			return
		}
		fmt.Fprint(w, pages[r.URL.Query().Get("cursor")])
	}))
	t.Cleanup(srv.Close)

	t.Run("next", func(t *testing.T) {
		e := newEnv(t)
		src := e.source(t, "next", &dxtrack.Pull{URL: srv.URL + "/next", Format: "json", Every: time.Hour, RecordsPath: "items", Paging: "next", NextPath: "links.next"})
		run, err := e.scheduler("a").Run(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		if run.Pages != 3 || run.Accepted != 3 {
			t.Errorf("run = %d pages, %d accepted; want 3 and 3", run.Pages, run.Accepted)
		}
		if got, _ := e.value(t, "HS_TT", "XB"); got != 50 {
			t.Errorf("HS_TT of XB = %v, want 50", got)
		}
	})
	t.Run("csv", func(t *testing.T) {
		e := newEnv(t)
		if err := store.NewUnitService(e.db).CreateUnit(sys, &dxtrack.Unit{Code: "007", NameVI: "Xã 007", Type: dxtrack.UnitCommune, ParentID: e.units["22"].ID, ValidFrom: dxtrack.MustDate("2020-01-01")}); err != nil {
			t.Fatal(err)
		}
		e.units["007"], _ = store.NewUnitService(e.db).FindUnitByCode(sys, "007")
		src := e.source(t, "csv", &dxtrack.Pull{URL: srv.URL + "/dossiers.csv", Format: "csv", Every: time.Hour})
		run, err := e.scheduler("a").Run(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		if run.Accepted != 2 || run.Refused != 0 {
			t.Errorf("run = %d accepted, %d refused; want 2 and 0", run.Accepted, run.Refused)
		}
		if got, ok := e.value(t, "HS_TT", "007"); !ok || got != 100 {
			t.Errorf("HS_TT of 007 = %v (%v), want 100", got, ok)
		}
	})
}
