package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/cube/synth"
)

// runBench runs "dxtrack bench analytics": the analytics benchmark of
// issue #4, the cube against plain SQL on SQLite and PostgreSQL over the
// same synthetic national dataset, reported in Markdown.
func runBench(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "analytics" {
		return errors.New("usage: dxtrack bench analytics [--scale 1] [--postgres URL] [--no-sqlite]")
	}
	fs := flag.NewFlagSet("bench analytics", flag.ContinueOnError)
	var o benchOptions
	fs.Float64Var(&o.scale, "scale", 1, "share of communes and departments to keep (0.1 for a quick run)")
	fs.StringVar(&o.postgres, "postgres", env("DXTRACK_TEST_POSTGRES", ""), "PostgreSQL URL for the SQL baseline (DXTRACK_TEST_POSTGRES); a fresh schema is made and dropped")
	fs.BoolVar(&o.noSQLite, "no-sqlite", false, "skip the SQLite baseline")
	fs.StringVar(&o.dir, "dir", "", "directory for the SQLite file (default: the system's temporary directory)")
	fs.IntVar(&o.n, "n", 500, "queries per shape on the cube")
	fs.IntVar(&o.sqlN, "sql-n", 30, "queries per shape on SQL, at most (each shape stops after 20 s)")
	if _, err := parseArgs(fs, args[1:]); err != nil {
		return err
	}
	b := &bench{benchOptions: o, out: stdout}
	return b.run(ctx)
}

type benchOptions struct {
	scale    float64
	postgres string
	noSQLite bool
	dir      string
	n, sqlN  int
}

type bench struct {
	benchOptions
	out io.Writer
	d   *synth.Dataset
	c   *cube.Cube
	// timings by engine ("cube", "SQLite", "PostgreSQL"), one per shape
	times map[string][]timing
}

// timing is the latency distribution of one shape on one engine.
type timing struct {
	n             int
	p50, p95, max time.Duration
}

func (b *bench) printf(format string, args ...any) { fmt.Fprintf(b.out, format, args...) }

func (b *bench) run(ctx context.Context) error {
	b.times = map[string][]timing{}
	start := time.Now()
	d, err := synth.National(b.scale)
	if err != nil {
		return err
	}
	b.d = d
	types := map[dxtrack.UnitType]int{}
	for _, u := range d.Units {
		if u.ValidTo.IsZero() {
			types[u.Type]++
		}
	}
	local := types[dxtrack.UnitCommune] + types[dxtrack.UnitWard] + types[dxtrack.UnitSpecialZone]
	b.printf("# dxtrack bench analytics --scale %g\n\n", b.scale)
	b.printf("- machine: %s/%s, %d CPUs (GOMAXPROCS %d), %s, memory %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), memTotal())
	b.printf("- dataset: %s units (%d provinces, %s communes, %d departments, %d former provinces), %d indicators (%d formulas), 12 months of %d: %s values\n",
		thousands(len(d.Units)), types[dxtrack.UnitProvince], thousands(local), types[dxtrack.UnitDepartment], len(d.Former), len(d.Indicators), len(d.Formulas), synth.Year, thousands(d.Len()))

	// The cube.
	t0 := time.Now()
	c, err := cube.New(d.Units, d.Lineage, d.Indicators)
	if err != nil {
		return err
	}
	if err := d.Load(c); err != nil {
		return err
	}
	b.c = c
	load := time.Since(t0)
	runtime.GC()
	rss, hwm := procMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.printf("- cube: loaded %s values in %s (%s values/s); RSS %s after loading (peak %s), Go heap %s\n",
		thousands(c.Len()), round(load), thousands(int(float64(c.Len())/load.Seconds())), mib(rss), mib(hwm), mib(int64(ms.HeapAlloc)))
	if err := b.cubeQueries(); err != nil {
		return err
	}
	if err := b.visibility(); err != nil {
		return err
	}
	engines := []string{"cube"}

	// The SQL baselines.
	if !b.noSQLite {
		if err := b.sqlite(ctx); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		engines = append(engines, "SQLite")
	}
	if b.postgres != "" {
		if err := b.pg(ctx); err != nil {
			return fmt.Errorf("postgres %s: %w", redact(b.postgres), err)
		}
		engines = append(engines, "PostgreSQL")
	}
	b.table(engines)
	_, hwm = procMemory()
	b.printf("\nPeak RSS of the whole run (cube, dataset and SQL clients): %s. Total time %s.\n", mib(hwm), round(time.Since(start)))
	return nil
}

// cubeQueries times each shape on the cube after a warm-up.
func (b *bench) cubeQueries() error {
	for _, s := range b.d.Shapes() {
		for i := range 20 {
			if _, err := b.c.Query(s.Query(i)); err != nil {
				return fmt.Errorf("%s: %w", s.Name, err)
			}
		}
		t, err := measure(b.n, time.Minute, func(i int) error {
			_, err := b.c.Query(s.Query(i))
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		b.times["cube"] = append(b.times["cube"], t)
	}
	return nil
}

// visibility measures the time from a Set to its visibility in a province
// roll-up while two readers query the cube without pause, and checks the
// roll-up moved by exactly the change. Each value is put back after.
func (b *bench) visibility() error {
	var communes []int64
	for _, u := range b.d.Units {
		if u.Type.IsLocal() {
			communes = append(communes, u.ID)
		}
	}
	shapes := b.d.Shapes()
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for r := range 2 {
		readers.Go(func() {
			for i := r; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_, _ = b.c.Query(shapes[[]int{2, 4}[r]].Query(i))
			}
		})
	}
	defer func() { close(stop); readers.Wait() }()
	figure := func(unit, ind int64, p dxtrack.Period) (float64, error) {
		r, err := b.c.Query(cube.Query{Indicators: []int64{ind}, UnitID: unit, From: p, To: p})
		if err != nil {
			return 0, err
		}
		v, _ := r.Value(0, 0, 0)
		return v, nil
	}
	const n = 1000
	ds := make([]time.Duration, 0, n)
	for i := range n {
		unit := communes[(i*37)%len(communes)]
		province := b.d.ProvinceOf[unit]
		ind := b.d.Counts[i%len(b.d.Counts)]
		p := synth.Month(1 + i%12)
		before, err := figure(province, ind, p)
		if err != nil {
			return err
		}
		old, err := figure(unit, ind, p)
		if err != nil {
			return err
		}
		v := float64(5000 + i)
		t0 := time.Now()
		if err := b.c.Set(dxtrack.Value{UnitID: unit, IndicatorID: ind, Period: p, Value: v}); err != nil {
			return err
		}
		after, err := figure(province, ind, p)
		ds = append(ds, time.Since(t0))
		if err != nil {
			return err
		}
		if after != before-old+v {
			return fmt.Errorf("province %d: %v after setting %v in place of %v, want %v", province, after, v, old, before-old+v)
		}
		// Put the dataset's value back for the SQL comparison.
		if err := b.c.Set(dxtrack.Value{UnitID: unit, IndicatorID: ind, Period: p, Value: old}); err != nil {
			return err
		}
	}
	t := summarise(ds)
	b.printf("- write → visible in its province's roll-up (Set, then the province query; 2 readers querying meanwhile; %d writes): p50 %s, p95 %s, max %s\n",
		t.n, dur(t.p50), dur(t.p95), dur(t.max))
	return nil
}

// The SQL baseline: the values in one table keyed by unit, indicator and
// month (yyyymm), the units with the current province each counts in
// (former provinces mapped to their successor, so SQL gets lineage for
// free), and the five shapes as GROUP BY queries with the same parameters.
const (
	sqlUnits = `CREATE TABLE units (id BIGINT PRIMARY KEY, province_id BIGINT NOT NULL, type TEXT NOT NULL)`
	sqlIndex = `CREATE INDEX vals_indicator ON vals (indicator_id, month, unit_id, value)`
	sqlLocal = `u.type IN ('commune', 'ward', 'special_zone')`
)

// sqlShapes returns the SQL of each shape (in the order of Shapes) and its
// arguments for the i'th query.
func (b *bench) sqlShapes() []func(i int) (string, []any) {
	from, to := synth.Year*100+1, synth.Year*100+12
	pillars := make([]string, len(b.d.Pillars))
	for k, id := range b.d.Pillars {
		pillars[k] = strconv.FormatInt(id, 10)
	}
	i000, i001 := b.d.Indicators[0].ID, b.d.Indicators[1].ID
	return []func(i int) (string, []any){
		func(i int) (string, []any) {
			return `SELECT v.unit_id, v.month, SUM(v.value) FROM vals v JOIN units u ON u.id = v.unit_id
				WHERE v.indicator_id = $1 AND u.province_id = $2 AND ` + sqlLocal + ` AND v.month BETWEEN $3 AND $4
				GROUP BY v.unit_id, v.month`, []any{b.d.Count(i), b.d.Province(i), from, to}
		},
		func(i int) (string, []any) {
			return `SELECT v.indicator_id, SUM(v.value), COUNT(*), MIN(v.value), MAX(v.value) FROM vals v JOIN units u ON u.id = v.unit_id
				WHERE u.province_id = $1 AND v.month BETWEEN $2 AND $3
				GROUP BY v.indicator_id`, []any{b.d.Province(i), from, to}
		},
		func(i int) (string, []any) {
			return `SELECT u.province_id, SUM(v.value) FROM vals v JOIN units u ON u.id = v.unit_id
				WHERE v.indicator_id = $1 AND v.month BETWEEN $2 AND $3
				GROUP BY u.province_id`, []any{b.d.Count(i), from, to}
		},
		func(i int) (string, []any) {
			return `SELECT u.province_id, 100 * SUM(CASE WHEN v.indicator_id = $2 THEN v.value END) / SUM(CASE WHEN v.indicator_id = $1 THEN v.value END)
				FROM vals v JOIN units u ON u.id = v.unit_id
				WHERE v.indicator_id IN ($1, $2) AND v.month BETWEEN $3 AND $4
				GROUP BY u.province_id`, []any{i000, i001, from, to}
		},
		func(i int) (string, []any) {
			return `SELECT u.province_id, v.indicator_id, AVG(v.value) FROM vals v JOIN units u ON u.id = v.unit_id
				WHERE v.indicator_id IN (` + strings.Join(pillars, ", ") + `) AND v.month BETWEEN $1 AND $2
				GROUP BY u.province_id, v.indicator_id`, []any{from, to}
		},
	}
}

// querier runs one SQL query and returns its rows as numbers.
type querier func(ctx context.Context, q string, args []any) ([][]float64, error)

// sqlQueries times the shapes on one engine and checks the shapes whose
// SQL computes the cube's figures exactly (sums of whole numbers) against
// the cube.
func (b *bench) sqlQueries(ctx context.Context, engine string, run querier) error {
	shapes := b.d.Shapes()
	for k, sh := range b.sqlShapes() {
		q, args := sh(0)
		rows, err := run(ctx, q, args)
		if err != nil {
			return fmt.Errorf("%s: %w", shapes[k].Name, err)
		}
		if err := b.compare(k, rows); err != nil {
			return fmt.Errorf("%s on %s: %w", shapes[k].Name, engine, err)
		}
		t, err := measure(b.sqlN, 20*time.Second, func(i int) error {
			q, args := sh(i)
			_, err := run(ctx, q, args)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", shapes[k].Name, err)
		}
		b.times[engine] = append(b.times[engine], t)
	}
	return nil
}

// compare checks SQL rows against the cube for shapes 0, 2 and 3.
func (b *bench) compare(shape int, rows [][]float64) error {
	if shape == 1 || shape == 4 {
		return nil // SQL computes ingredients there, not the same figures
	}
	r, err := b.c.Query(b.d.Shapes()[shape].Query(0))
	if err != nil {
		return err
	}
	want := map[[2]float64]float64{}
	for row, u := range r.Units {
		for s := range r.Spans {
			v, _ := r.Value(row, 0, s)
			key := [2]float64{float64(u)}
			if shape == 0 {
				key[1] = float64(synth.Year*100 + r.Spans[s].From.N)
			}
			want[key] = v
		}
	}
	if len(rows) != len(want) {
		return fmt.Errorf("%d rows from SQL, %d figures from the cube", len(rows), len(want))
	}
	for _, row := range rows {
		key, v := [2]float64{row[0]}, row[len(row)-1]
		if shape == 0 {
			key[1] = row[1]
		}
		if w, ok := want[key]; !ok || w != v {
			return fmt.Errorf("SQL row %v, cube %v", row, w)
		}
	}
	return nil
}

func (b *bench) sqlite(ctx context.Context) error {
	dir, err := os.MkdirTemp(b.dir, "dxtrack-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "bench.db")
	// Loading without a journal is only for speed: the queries read the
	// same B-trees whatever the journal mode.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	t0 := time.Now()
	for _, s := range []string{sqlUnits,
		`CREATE TABLE vals (unit_id BIGINT NOT NULL, indicator_id BIGINT NOT NULL, month INTEGER NOT NULL, value DOUBLE PRECISION NOT NULL,
			PRIMARY KEY (unit_id, indicator_id, month)) WITHOUT ROWID`} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, u := range b.d.Units {
		if _, err := tx.ExecContext(ctx, `INSERT INTO units VALUES ($1, $2, $3)`, u.ID, b.d.ProvinceOf[u.ID], string(u.Type)); err != nil {
			return err
		}
	}
	// One prepared statement of many rows: the rows come in key order, so
	// each lands at the end of the table's B-tree.
	const batch = 200
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO vals VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", batch), ", "))
	if err != nil {
		return err
	}
	one, err := tx.PrepareContext(ctx, `INSERT INTO vals VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	args := make([]any, 0, 4*batch)
	for v := range b.d.Rows() {
		args = append(args, v.UnitID, v.IndicatorID, v.Period.Year*100+v.Period.N, v.Value)
		if len(args) == cap(args) {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
			args = args[:0]
		}
	}
	for k := 0; k < len(args); k += 4 {
		if _, err := one.ExecContext(ctx, args[k:k+4]...); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	loaded := time.Since(t0)
	t1 := time.Now()
	for _, s := range []string{sqlIndex, `ANALYZE`} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	indexed := time.Since(t1)
	size := int64(0)
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	b.printf("- SQLite (modernc.org/sqlite, a temporary file): loaded %s rows in %s (one transaction, a prepared %d-row INSERT), index and ANALYZE %s, file %s\n",
		thousands(b.d.Len()), round(loaded), batch, round(indexed), mib(size))
	return b.sqlQueries(ctx, "SQLite", func(ctx context.Context, q string, args []any) ([][]float64, error) {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		return scanRows(rows)
	})
}

func scanRows(rows *sql.Rows) ([][]float64, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]float64
	for rows.Next() {
		row := make([]float64, len(cols))
		ptrs := make([]any, len(cols))
		for k := range row {
			ptrs[k] = &row[k]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

func (b *bench) pg(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, b.postgres)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	schema := fmt.Sprintf("dxtrack_bench_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		return err
	}
	defer func() {
		// Dropped even when interrupted.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			b.printf("- could not drop schema %s: %v\n", schema, err)
		}
	}()
	t0 := time.Now()
	for _, s := range []string{`SET search_path TO ` + schema, sqlUnits,
		`CREATE TABLE vals (unit_id BIGINT NOT NULL, indicator_id BIGINT NOT NULL, month INTEGER NOT NULL, value DOUBLE PRECISION NOT NULL)`} {
		if _, err := conn.Exec(ctx, s); err != nil {
			return err
		}
	}
	units := make([][]any, len(b.d.Units))
	for k, u := range b.d.Units {
		units[k] = []any{u.ID, b.d.ProvinceOf[u.ID], string(u.Type)}
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"units"}, []string{"id", "province_id", "type"}, pgx.CopyFromRows(units)); err != nil {
		return err
	}
	next, stop := iter.Pull(b.d.Rows())
	defer stop()
	var cur dxtrack.Value
	n, err := conn.CopyFrom(ctx, pgx.Identifier{"vals"}, []string{"unit_id", "indicator_id", "month", "value"}, pgx.CopyFromFunc(func() ([]any, error) {
		var ok bool
		if cur, ok = next(); !ok {
			return nil, nil
		}
		return []any{cur.UnitID, cur.IndicatorID, int32(cur.Period.Year*100 + cur.Period.N), cur.Value}, nil
	}))
	if err != nil {
		return err
	}
	loaded := time.Since(t0)
	t1 := time.Now()
	for _, s := range []string{`ALTER TABLE vals ADD PRIMARY KEY (unit_id, indicator_id, month)`, sqlIndex, `ANALYZE`} {
		if _, err := conn.Exec(ctx, s); err != nil {
			return err
		}
	}
	indexed := time.Since(t1)
	var version string
	_ = conn.QueryRow(ctx, `SHOW server_version`).Scan(&version)
	b.printf("- PostgreSQL %s (%s, schema %s, dropped at the end): loaded %s rows in %s (COPY), keys, index and ANALYZE %s\n",
		version, redact(b.postgres), schema, thousands(int(n)), round(loaded), round(indexed))
	return b.sqlQueries(ctx, "PostgreSQL", func(ctx context.Context, q string, args []any) ([][]float64, error) {
		rows, err := conn.Query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out [][]float64
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				return nil, err
			}
			row := make([]float64, len(vals))
			for k, v := range vals {
				row[k] = toFloat(v)
			}
			out = append(out, row)
		}
		return out, rows.Err()
	})
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case int32:
		return float64(v)
	case float64:
		return v
	}
	if f, err := strconv.ParseFloat(fmt.Sprint(v), 64); err == nil {
		return f
	}
	return math.NaN()
}

// table prints the results and the goals of issue #4.
func (b *bench) table(engines []string) {
	b.printf("\n| shape | cube p50 | cube p95 |")
	for _, e := range engines[1:] {
		b.printf(" %s p50 | %s p95 | %s ÷ cube (p50) |", e, e, e)
	}
	b.printf("\n|---|--:|--:|")
	for range engines[1:] {
		b.printf("--:|--:|--:|")
	}
	b.printf("\n")
	worstP95, worstRatio := time.Duration(0), math.Inf(1)
	for k, s := range b.d.Shapes() {
		c := b.times["cube"][k]
		worstP95 = max(worstP95, c.p95)
		b.printf("| %s | %s | %s |", s.Name, dur(c.p50), dur(c.p95))
		for _, e := range engines[1:] {
			t := b.times[e][k]
			ratio := float64(t.p50) / float64(c.p50)
			worstRatio = min(worstRatio, ratio)
			b.printf(" %s | %s | %s× |", dur(t.p50), dur(t.p95), strconv.FormatFloat(ratio, 'f', 0, 64))
		}
		b.printf("\n")
	}
	b.printf("\nShapes: ")
	for k, s := range b.d.Shapes() {
		if k > 0 {
			b.printf("; ")
		}
		b.printf("%s = %s", s.Name, s.Description)
	}
	b.printf(". Cube: %d queries per shape, one at a time; SQL: up to %d per shape (20 s at most), after one checked run.\n", b.times["cube"][0].n, b.sqlN)
	rss, _ := procMemory()
	b.printf("\nGoals (2 cores): p95 ≤ 20 ms for every shape: %s (worst %s); RSS ≤ 1 GiB: %s (%s now)",
		verdict(worstP95 <= 20*time.Millisecond), dur(worstP95), verdict(rss <= 1<<30), mib(rss))
	if len(engines) > 1 {
		b.printf("; ≥ 20× faster than SQL: %s (smallest ratio %.0f×)", verdict(worstRatio >= 20), worstRatio)
	}
	b.printf(".\n")
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// measure runs f n times (fewer if the budget runs out, at least 3) and
// returns the distribution of its durations.
func measure(n int, budget time.Duration, f func(i int) error) (timing, error) {
	ds := make([]time.Duration, 0, n)
	start := time.Now()
	for i := range n {
		t0 := time.Now()
		if err := f(i); err != nil {
			return timing{}, err
		}
		ds = append(ds, time.Since(t0))
		if i >= 2 && time.Since(start) > budget {
			break
		}
	}
	return summarise(ds), nil
}

func summarise(ds []time.Duration) timing {
	slices.Sort(ds)
	at := func(q float64) time.Duration { return ds[max(0, int(math.Ceil(q*float64(len(ds))))-1)] }
	return timing{n: len(ds), p50: at(0.5), p95: at(0.95), max: ds[len(ds)-1]}
}

// procMemory returns the resident set size and its peak, from
// /proc/self/status (0 where unavailable).
func procMemory() (rss, hwm int64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			hwm = kb << 10
		}
	}
	return rss, hwm
}

func memTotal() string {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "unknown"
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	return "unknown"
}

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

func round(d time.Duration) time.Duration { return d.Round(10 * time.Millisecond) }

func dur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
