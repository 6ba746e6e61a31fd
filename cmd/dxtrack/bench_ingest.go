package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/gso"
	"github.com/dxtrack/dxtrack/ingest/mapping"
	"github.com/dxtrack/dxtrack/store"
)

// "dxtrack bench ingest" measures the ingestion API of issue 6 as a
// source system would use it: dxtrack's server runs in this process on
// loopback over a fresh store, and a load generator in another process
// (this binary again, "bench ingest-load") sends NDJSON batches of
// dossier events over N connections. Durable means acknowledged with a
// 2xx: the pipeline answers only after its transaction committed.

type ingestBenchOptions struct {
	duration time.Duration
	conns    int
	batch    int
	limit    int // communes; 0: all
	postgres string
	dir      string
	cpus     int
	probe    time.Duration
	profile  string
}

// benchIndicators are the dossier indicators of the bench's source; the
// probe indicator counts only the bench's own freshness probes.
var benchIndicators = []struct {
	code, name string
	typ        dxtrack.ValueType
	rule       dxtrack.MapRule
}{
	{"DVC_HS", "Hồ sơ tiếp nhận", dxtrack.ValueCount, dxtrack.MapRule{Agg: dxtrack.MapCount}},
	{"DVC_TT", "Tỷ lệ hồ sơ trực tuyến", dxtrack.ValuePercent, dxtrack.MapRule{Agg: dxtrack.MapShare, Where: "online == true"}},
	{"DVC_DH", "Tỷ lệ hồ sơ giải quyết đúng hạn", dxtrack.ValuePercent, dxtrack.MapRule{Agg: dxtrack.MapShare, Where: "on_time == true"}},
	{"DVC_LP", "Lệ phí thu được", dxtrack.ValueCount, dxtrack.MapRule{Agg: dxtrack.MapSum, Expr: "fee"}},
	{"DVC_PROBE", "Mẫu đo độ tươi (bench)", dxtrack.ValueCount, dxtrack.MapRule{Agg: dxtrack.MapCount, Where: "probe == true"}},
}

func runBenchIngest(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench ingest", flag.ContinueOnError)
	var o ingestBenchOptions
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "how long the load generator sends")
	fs.IntVar(&o.conns, "conns", 8, "concurrent connections of the load generator")
	fs.IntVar(&o.batch, "batch", 1000, "events per batch")
	fs.IntVar(&o.limit, "communes", 0, "communes to import and send for (0: all 3,321)")
	fs.StringVar(&o.postgres, "postgres", "", "PostgreSQL URL: run on PostgreSQL (a fresh schema, dropped afterwards) and compare with COPY; default SQLite")
	fs.StringVar(&o.dir, "dir", "", "directory for the SQLite file (default: the system's temporary directory)")
	fs.IntVar(&o.cpus, "cpus", 0, "GOMAXPROCS of the server (0: all cores)")
	fs.DurationVar(&o.probe, "probe", 250*time.Millisecond, "how often to probe the roll-up's freshness")
	fs.StringVar(&o.profile, "cpuprofile", "", "write the server's CPU profile while the load runs to this file")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if o.cpus > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(o.cpus))
	}
	b := &ingestBench{ingestBenchOptions: o, out: stdout}
	return b.run(ctx)
}

type ingestBench struct {
	ingestBenchOptions
	out io.Writer

	engine   string
	communes []string
	load     loadReport
	fresh    []time.Duration // from a probe's 2xx until the roll-up shows it
	stale    int             // probes not seen within freshTimeout
	probes   int             // probes acknowledged
	counted  float64         // DVC_HS of the country in the cube at the end
	copyRate float64         // COPY rows/s, PostgreSQL only
	copyRows int
	setup    time.Duration
}

const freshTimeout = 30 * time.Second

func (b *ingestBench) printf(format string, args ...any) { fmt.Fprintf(b.out, format, args...) }

func (b *ingestBench) run(ctx context.Context) error {
	t0 := time.Now()
	dsn, drop, err := b.store(ctx)
	if err != nil {
		return err
	}
	defer drop()
	a, err := openApp(ctx, &config{db: dsn})
	if err != nil {
		return err
	}
	defer a.db.Close()
	b.engine = map[string]string{store.EngineSQLite: "SQLite", store.EnginePostgres: "PostgreSQL"}[a.db.Engine()]
	sys := dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser)

	src, token, err := b.dataset(sys, a)
	if err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := a.server(false)
	srv.Logger = logger
	stopAnalytics, err := wireAnalytics(ctx, a, srv, dsn, addAnalyticsFlags(flag.NewFlagSet("", flag.ContinueOnError)), logger)
	if err != nil {
		return err
	}
	defer stopAnalytics()
	live := srv.Analytics.(*liveCube)
	stopIngest := wireIngest(ctx, a, srv, logger, false)
	defer stopIngest()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	pushURL := base + "/api/v1/ingest/" + url.PathEscape(src.Code)
	b.setup = time.Since(t0)
	b.printf("Store %s ready with %s communes in %s; sending for %s over %d connections, %d events a batch…\n",
		b.engine, thousands(len(b.communes)), dur(b.setup), b.duration, b.conns, b.batch)

	// The load generator runs in its own process, as a source system would.
	unitsFile := filepath.Join(b.tmpDir(), fmt.Sprintf("dxtrack-bench-communes-%d.txt", os.Getpid()))
	if err := os.WriteFile(unitsFile, []byte(strings.Join(b.communes, "\n")), 0o600); err != nil {
		return err
	}
	defer os.Remove(unitsFile)
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, exe, "bench", "ingest-load", "--url", pushURL, "--units", unitsFile,
		"--conns", strconv.Itoa(b.conns), "--batch", strconv.Itoa(b.batch), "--duration", b.duration.String())
	cmd.Env = append(os.Environ(), "DXTRACK_BENCH_TOKEN="+token) // not on the command line, where ps shows it
	var loadOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &loadOut, os.Stderr
	if b.profile != "" {
		f, err := os.Create(b.profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	probeCtx, stopProbe := context.WithCancel(ctx)
	probed := make(chan struct{})
	go func() {
		defer close(probed)
		b.probeLoop(probeCtx, pushURL, token, live)
	}()
	waitErr := cmd.Wait()
	stopProbe()
	<-probed
	if waitErr != nil {
		return fmt.Errorf("load generator: %w: %s", waitErr, loadOut.String())
	}
	if err := json.Unmarshal(loadOut.Bytes(), &b.load); err != nil {
		return fmt.Errorf("load generator report: %w: %q", err, loadOut.String())
	}

	// Every acknowledged event is in the roll-up once the feed drained.
	want := float64(b.load.Accepted + b.probes)
	deadline := time.Now().Add(freshTimeout)
	for {
		b.counted = b.countryTotal(live, "DVC_HS")
		if b.counted >= want || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	if a.db.Engine() == store.EnginePostgres {
		if err := b.copyBaseline(ctx, dsn); err != nil {
			return fmt.Errorf("COPY baseline: %w", err)
		}
	}
	b.report()
	return nil
}

func (b *ingestBench) tmpDir() string {
	if b.dir != "" {
		return b.dir
	}
	return os.TempDir()
}

// store makes a fresh store: an SQLite file, or a schema of the
// PostgreSQL database; drop removes it.
func (b *ingestBench) store(ctx context.Context) (dsn string, drop func(), err error) {
	if b.postgres == "" {
		dir, err := os.MkdirTemp(b.dir, "dxtrack-bench-ingest-")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
	}
	conn, err := pgx.Connect(ctx, b.postgres)
	if err != nil {
		return "", nil, err
	}
	schema := fmt.Sprintf("dxtrack_bench_ingest_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, err := url.Parse(b.postgres)
	if err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			b.printf("- could not drop schema %s: %v\n", schema, err)
		}
		conn.Close(ctx)
	}, nil
}

// dataset imports the units (GSO's list of July 2025, or its provinces
// and the first --communes communes), creates the dossier indicators and
// the source, and returns the source and its token.
func (b *ingestBench) dataset(sys context.Context, a *app) (*dxtrack.DataSource, string, error) {
	recs, err := gso.Units2025()
	if err != nil {
		return nil, "", err
	}
	if b.limit > 0 {
		kept := 0
		recs = slices.DeleteFunc(recs, func(r dxtrack.UnitRecord) bool {
			if !r.Type.IsLocal() {
				return false
			}
			kept++
			return kept > b.limit
		})
	}
	if _, err := a.services.Units.ImportUnits(sys, recs, dxtrack.MustDate("2025-07-01"), "bench"); err != nil {
		return nil, "", describe(err)
	}
	var province *dxtrack.Unit
	for _, r := range recs {
		if r.Type.IsLocal() {
			b.communes = append(b.communes, r.Code)
		}
	}
	for _, r := range recs {
		if r.Type == dxtrack.UnitProvince {
			if province, err = a.services.Units.FindUnitByCode(sys, r.Code); err != nil {
				return nil, "", err
			}
			break
		}
	}
	src := &dxtrack.DataSource{Code: "dvc-bench", Name: "Cổng dịch vụ công (bench)", OwnerUnitID: province.ID, Policy: dxtrack.AcceptValid,
		Mapping: dxtrack.Mapping{UnitField: "unit", TimeField: "received_at", Freq: dxtrack.Monthly}}
	for _, in := range benchIndicators {
		ind := &dxtrack.Indicator{Code: in.code, NameVI: in.name, Type: in.typ, Source: dxtrack.SourceMachine, Direction: dxtrack.DirectionUp}
		if in.typ == dxtrack.ValuePercent {
			ind.Measure = "%"
		}
		if err := a.services.Indicators.CreateIndicator(sys, ind); err != nil {
			return nil, "", describe(err)
		}
		rule := in.rule
		rule.Indicator = in.code
		src.Mapping.Rules = append(src.Mapping.Rules, rule)
	}
	token, err := store.NewDataSourceService(a.db).CreateSource(sys, src)
	if err != nil {
		return nil, "", describe(err)
	}
	return src, token, nil
}

// countryTotal is the roll-up of an indicator over the whole country for
// the current month, as the dashboard reads it.
func (b *ingestBench) countryTotal(live *liveCube, code string) float64 {
	month := mapping.PeriodOf(dxtrack.Monthly, time.Now())
	res, err := live.Query(cube.Query{Codes: []string{code}, From: month, To: month})
	if err != nil {
		return -1
	}
	v, ok := res.Value(0, 0, 0)
	if !ok {
		return 0
	}
	return v
}

// probeLoop sends, every --probe, one event that only the probe
// indicator counts, and measures the time from its 2xx until the
// country's roll-up of that indicator includes it.
func (b *ingestBench) probeLoop(ctx context.Context, pushURL, token string, live *liveCube) {
	client := &http.Client{Timeout: 30 * time.Second}
	acked := 0
	t := time.NewTicker(b.probe)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		line := fmt.Sprintf(`{"unit":%q,"received_at":%q,"online":false,"on_time":false,"fee":0,"probe":true}`+"\n",
			b.communes[i%len(b.communes)], time.Now().In(benchZone).Format(time.RFC3339))
		// Not the loop's context: a probe under way when the load ends
		// finishes, so that its answer is not a cancelled request.
		req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodPost, pushURL, strings.NewReader(line))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("probe-%d-%d", os.Getpid(), i))
		res, err := client.Do(req)
		if err != nil {
			continue
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode/100 != 2 {
			continue
		}
		acked++
		b.probes = acked
		ok := time.Now()
		for {
			if b.countryTotal(live, "DVC_PROBE") >= float64(acked) {
				b.fresh = append(b.fresh, time.Since(ok))
				break
			}
			if time.Since(ok) > freshTimeout {
				b.stale++
				break
			}
			time.Sleep(500 * time.Microsecond)
		}
	}
}

// copyBaseline loads as many dossier rows as the API took into a plain
// table with COPY, the fastest way into PostgreSQL, for the ratio.
func (b *ingestBench) copyBaseline(ctx context.Context, dsn string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `CREATE TABLE bench_dossiers (unit TEXT NOT NULL, received_at TIMESTAMPTZ NOT NULL,
		online BOOLEAN NOT NULL, on_time BOOLEAN NOT NULL, fee BIGINT NOT NULL)`); err != nil {
		return err
	}
	n := max(b.load.Accepted, 100_000)
	gen := newEventGen(b.communes, 1)
	i := 0
	t0 := time.Now()
	rows, err := conn.CopyFrom(ctx, pgx.Identifier{"bench_dossiers"}, []string{"unit", "received_at", "online", "on_time", "fee"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i >= n {
				return nil, nil
			}
			i++
			e := gen.next()
			return []any{e.unit, e.at, e.online, e.onTime, e.fee}, nil
		}))
	if err != nil {
		return err
	}
	b.copyRows = int(rows)
	b.copyRate = float64(rows) / time.Since(t0).Seconds()
	return nil
}

func (b *ingestBench) report() {
	l := b.load
	rate := float64(l.Accepted) / l.Elapsed.Seconds()
	b.printf("\n## Ingestion: %s, %s communes, %d connections, %d events a batch, %s\n\n", b.engine, thousands(len(b.communes)), b.conns, b.batch, l.Elapsed.Round(time.Millisecond))
	b.printf("| measure | value |\n|---|---|\n")
	b.printf("| batches acknowledged (2xx) | %s |\n", thousands(l.Batches))
	b.printf("| events durable (2xx) | %s |\n", thousands(l.Accepted))
	b.printf("| **events/s durable** | **%s** |\n", thousands(int(rate)))
	b.printf("| batch latency p50 / p99 / max | %s / %s / %s |\n", ms(l.P50), ms(l.P99), ms(l.Max))
	b.printf("| records refused | %s |\n", thousands(l.Refused))
	b.printf("| 429 busy answers | %s |\n", thousands(l.Busy))
	b.printf("| other failures | %s |\n", thousands(l.Failed))
	slices.Sort(b.fresh)
	if len(b.fresh) > 0 {
		b.printf("| roll-up freshness after 2xx, p50 / p99 / max (%d probes) | %s / %s / %s |\n", len(b.fresh),
			ms(pct(b.fresh, 0.50)), ms(pct(b.fresh, 0.99)), ms(b.fresh[len(b.fresh)-1]))
	}
	if b.stale > 0 {
		b.printf("| probes not in the roll-up after %s | %d |\n", freshTimeout, b.stale)
	}
	b.printf("| country total of %s in the roll-up = events + probes durable | %s = %s + %d %s |\n", benchIndicators[0].code,
		thousands(int(b.counted)), thousands(l.Accepted), b.probes, verdict(int(b.counted) == l.Accepted+b.probes))
	if b.copyRate > 0 {
		b.printf("| PostgreSQL COPY into a plain table (%s rows) | %s rows/s |\n", thousands(b.copyRows), thousands(int(b.copyRate)))
		b.printf("| ratio events/s ÷ COPY rows/s | %.2f |\n", rate/b.copyRate)
	}
	goalRate := rate >= 100_000
	goalFresh := len(b.fresh) > 0 && b.stale == 0 && pct(b.fresh, 0.99) <= time.Second
	b.printf("\nGoal ≥ 100,000 events/s durable: %s; roll-ups fresh within 1 s (p99): %s. Cores: %d (server GOMAXPROCS %d).\n",
		verdict(goalRate), verdict(goalFresh), runtime.NumCPU(), runtime.GOMAXPROCS(0))
}

func pct(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64) + " ms"
}

// benchZone is the province's time zone, in which the pipeline puts
// events in months: events happen in the current month there.
var benchZone = mapping.Local

// loadReport is what the load generator prints, as JSON.
type loadReport struct {
	Batches  int           `json:"batches"`
	Accepted int           `json:"accepted"`
	Refused  int           `json:"refused"`
	Busy     int           `json:"busy"`
	Failed   int           `json:"failed"`
	P50      time.Duration `json:"p50"`
	P99      time.Duration `json:"p99"`
	Max      time.Duration `json:"max"`
	Elapsed  time.Duration `json:"elapsed"`
}

// event is one dossier of the load.
type event struct {
	unit           string
	at             time.Time
	online, onTime bool
	fee            int64
}

// eventGen makes dossier events: random communes, times in the current
// month up to now, two in three online, nine in ten on time, a fee for
// one in four.
type eventGen struct {
	units []string
	r     *rand.Rand
	from  time.Time
	span  int64
}

func newEventGen(units []string, seed uint64) *eventGen {
	now := time.Now().In(benchZone)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, benchZone)
	return &eventGen{units: units, r: rand.New(rand.NewPCG(seed, seed*7919)), from: from, span: max(int64(now.Sub(from)/time.Second), 1)}
}

func (g *eventGen) next() event {
	e := event{
		unit:   g.units[g.r.IntN(len(g.units))],
		at:     g.from.Add(time.Duration(g.r.Int64N(g.span)) * time.Second),
		online: g.r.IntN(3) < 2,
		onTime: g.r.IntN(10) < 9,
	}
	if g.r.IntN(4) == 0 {
		e.fee = int64(g.r.IntN(20)+1) * 10_000
	}
	return e
}

// appendNDJSON writes an event as one NDJSON line.
func (e event) appendNDJSON(buf []byte) []byte {
	buf = append(buf, `{"unit":"`...)
	buf = append(buf, e.unit...)
	buf = append(buf, `","received_at":"`...)
	buf = e.at.AppendFormat(buf, time.RFC3339)
	buf = append(buf, `","online":`...)
	buf = strconv.AppendBool(buf, e.online)
	buf = append(buf, `,"on_time":`...)
	buf = strconv.AppendBool(buf, e.onTime)
	buf = append(buf, `,"fee":`...)
	buf = strconv.AppendInt(buf, e.fee, 10)
	return append(buf, "}\n"...)
}

// runBenchIngestLoad is the load generator ("bench ingest-load", run by
// "bench ingest"): it sends NDJSON batches with fresh idempotency keys
// over --conns connections for --duration and prints a loadReport.
func runBenchIngestLoad(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench ingest-load", flag.ContinueOnError)
	pushURL := fs.String("url", "", "the source's push URL")
	unitsFile := fs.String("units", "", "file of commune codes, one a line")
	conns := fs.Int("conns", 8, "concurrent connections")
	batch := fs.Int("batch", 1000, "events per batch")
	duration := fs.Duration("duration", time.Minute, "how long to send")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	token := os.Getenv("DXTRACK_BENCH_TOKEN")
	if *pushURL == "" || *unitsFile == "" || token == "" {
		return errors.New("usage: DXTRACK_BENCH_TOKEN=… dxtrack bench ingest-load --url URL --units FILE [--conns 8] [--batch 1000] [--duration 1m]")
	}
	raw, err := os.ReadFile(*unitsFile)
	if err != nil {
		return err
	}
	var units []string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			units = append(units, s)
		}
	}
	if len(units) == 0 {
		return errors.New("no units")
	}

	// A pool of bodies made beforehand, so that the generator spends its
	// share of the cores on sending; each send has its own key, so every
	// batch counts.
	const pool = 32
	bodies := make([][]byte, pool)
	gen := newEventGen(units, uint64(os.Getpid()))
	for i := range bodies {
		buf := make([]byte, 0, *batch*110)
		for range *batch {
			buf = gen.next().appendNDJSON(buf)
		}
		bodies[i] = buf
	}

	transport := &http.Transport{MaxIdleConns: *conns, MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, DisableCompression: true}
	client := &http.Client{Transport: transport, Timeout: 2 * time.Minute}
	var (
		mu    sync.Mutex
		rep   loadReport
		lats  []time.Duration
		seq   atomic.Int64
		start = time.Now()
		end   = start.Add(*duration)
	)
	var wg sync.WaitGroup
	for c := range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			var r loadReport
			for time.Now().Before(end) && ctx.Err() == nil {
				n := seq.Add(1)
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, *pushURL, bytes.NewReader(bodies[int(n)%pool]))
				if err != nil {
					r.Failed++
					continue
				}
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/x-ndjson")
				req.Header.Set("Idempotency-Key", fmt.Sprintf("load-%d-%d-%d", os.Getpid(), c, n))
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					r.Failed++
					continue
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				lat := time.Since(t0)
				switch {
				case res.StatusCode/100 == 2:
					var br dxtrack.BatchResult
					if err := json.Unmarshal(body, &br); err != nil {
						r.Failed++
						continue
					}
					r.Batches++
					r.Accepted += br.Accepted
					r.Refused += br.Refused
					mine = append(mine, lat)
				case res.StatusCode == http.StatusTooManyRequests:
					r.Busy++
					wait := 50 * time.Millisecond
					if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s > 0 {
						wait = time.Duration(s) * time.Second
					}
					time.Sleep(min(wait, time.Until(end)))
				default:
					r.Failed++
					if r.Failed == 1 {
						fmt.Fprintf(os.Stderr, "bench ingest-load: HTTP %d: %s\n", res.StatusCode, bytes.TrimSpace(body[:min(len(body), 300)]))
					}
				}
			}
			mu.Lock()
			rep.Batches += r.Batches
			rep.Accepted += r.Accepted
			rep.Refused += r.Refused
			rep.Busy += r.Busy
			rep.Failed += r.Failed
			lats = append(lats, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	slices.Sort(lats)
	if len(lats) > 0 {
		rep.P50, rep.P99, rep.Max = pct(lats, 0.50), pct(lats, 0.99), lats[len(lats)-1]
	}
	return json.NewEncoder(stdout).Encode(rep)
}
