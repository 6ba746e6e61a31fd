package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/store"
	"github.com/dxtrack/dxtrack/web"
)

// liveCube is the analytics engine of a serving process: a cube loaded
// from the store at start and kept fresh from the store's change feed,
// value by value. The cube's units and indicators are fixed when it is
// built, so a change of those (a new indicator, a merge, a new unit, an
// indicator's aggregation) builds a new cube: when a value or a query
// names something the cube does not know, and when a periodic look at the
// indicators and units finds them changed.
type liveCube struct {
	db     *store.DB
	logger *slog.Logger

	cur atomic.Pointer[cube.Cube]

	// mu orders deliveries from the feed with the swap of a rebuilt
	// cube: while building, batches wait in pending and go into the new
	// cube before it serves.
	mu       sync.Mutex
	building bool
	pending  [][]dxtrack.Value

	buildMu sync.Mutex // one build at a time
	built   time.Time  // when the last build started, under buildMu

	cancel func()
}

// minRebuildGap keeps a stream of misses (queries naming a unit created
// a moment ago, say) from rebuilding the cube over and over.
const minRebuildGap = 2 * time.Second

// startAnalytics subscribes to the change feed, then loads the cube, so
// that no change committed in between is lost; watch > 0 also looks for
// changed units and indicators that often. stop ends both.
func startAnalytics(ctx context.Context, db *store.DB, logger *slog.Logger, watch time.Duration) (*liveCube, func(), error) {
	l := &liveCube{db: db, logger: logger}
	l.mu.Lock()
	l.building = true // the first build takes the batches delivered meanwhile
	l.mu.Unlock()
	l.cancel = db.Subscribe(l.deliver)
	start := time.Now()
	if err := l.rebuild(ctx, true); err != nil {
		l.cancel()
		return nil, nil, err
	}
	logger.Info("analytics loaded", "values", l.cur.Load().Len(), "took", time.Since(start).Round(time.Millisecond))
	wctx, stopWatch := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	if watch > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.watch(wctx, watch)
		}()
	}
	return l, func() {
		stopWatch()
		wg.Wait()
		l.cancel()
	}, nil
}

// Query answers from the current cube; when it names a unit or indicator
// the cube does not know, the cube is rebuilt (at most every
// minRebuildGap) and asked again.
func (l *liveCube) Query(q cube.Query) (*cube.Result, error) {
	res, err := l.cur.Load().Query(q)
	if dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
		return res, err
	}
	if rerr := l.rebuild(context.Background(), false); rerr != nil {
		l.logger.Error("analytics: rebuild", "err", rerr)
		return res, err
	}
	return l.cur.Load().Query(q)
}

// deliver puts a batch of changed values into the cube, or keeps it for
// the cube being built.
func (l *liveCube) deliver(vs []dxtrack.Value) {
	l.mu.Lock()
	if l.building {
		l.pending = append(l.pending, vs)
		l.mu.Unlock()
		return
	}
	c := l.cur.Load()
	l.mu.Unlock()
	stale := false
	for _, v := range vs {
		if err := c.Set(v); dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			stale = true
		} else if err != nil {
			l.logger.Warn("analytics: value not taken", "unit", v.UnitID, "indicator", v.IndicatorID, "period", v.Period.Key(), "err", err)
		}
	}
	if stale {
		// A value of a unit or indicator newer than the cube: the rebuild
		// reads it from the store.
		go func() {
			if err := l.rebuild(context.Background(), false); err != nil {
				l.logger.Error("analytics: rebuild", "err", err)
			}
		}()
	}
}

// rebuild loads a new cube from the store and swaps it in, unless one
// was built less than minRebuildGap ago (force skips that check).
func (l *liveCube) rebuild(ctx context.Context, force bool) error {
	l.buildMu.Lock()
	defer l.buildMu.Unlock()
	if !force && time.Since(l.built) < minRebuildGap {
		return nil
	}
	l.built = time.Now()
	l.mu.Lock()
	l.building = true
	l.mu.Unlock()
	c, err := l.load(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err == nil {
		// Batches delivered while loading may predate the snapshot or
		// follow it; setting them again is harmless, and in feed order the
		// last word on a value is the latest.
		for _, vs := range l.pending {
			for _, v := range vs {
				_ = c.Set(v) // a value the new cube cannot place was refused by the store too
			}
		}
		l.cur.Store(c)
	}
	l.pending = nil
	l.building = l.cur.Load() == nil
	return err
}

// load builds a cube from the store's snapshot.
func (l *liveCube) load(ctx context.Context) (*cube.Cube, error) {
	units, lineage, indicators, values, err := l.db.LoadAnalytics(ctx)
	if err != nil {
		return nil, err
	}
	c, err := cube.New(units, lineage, indicators)
	if err != nil {
		return nil, fmt.Errorf("analytics: %w", err)
	}
	if err := c.Load(values); err != nil {
		return nil, fmt.Errorf("analytics: %w", err)
	}
	return c, nil
}

// shapeOf fingerprints what a cube is built from besides values: the
// units' place in the tree and validity, and how indicators aggregate.
func shapeOf(units []*dxtrack.Unit, indicators []*dxtrack.Indicator) uint64 {
	h := fnv.New64a()
	for _, u := range units {
		fmt.Fprintf(h, "u%d|%s|%d|%s|%s\n", u.ID, u.Type, u.ParentID, dxtrack.FormatDate(u.ValidFrom), dxtrack.FormatDate(u.ValidTo))
	}
	for _, in := range indicators {
		fmt.Fprintf(h, "i%d|%s|%s|%s|%d|%s|%v|%s|%s\n", in.ID, in.Code, in.UnitAgg, in.TimeAgg, in.DenominatorID,
			in.Condition, in.Threshold, in.Source, in.Formula)
	}
	return h.Sum64()
}

// watch rebuilds the cube when the units or indicators change, looking
// every interval: merges, new units and edited aggregations reach the
// cube even when no value names them. It compares each look with the one
// before, not with the cube, since the unit service and LoadAnalytics
// need not list exactly the same units.
func (l *liveCube) watch(ctx context.Context, every time.Duration) {
	units, indicators := store.NewUnitService(l.db), store.NewIndicatorService(l.db)
	sys := dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser)
	look := func() (uint64, error) {
		us, _, err := units.FindUnits(sys, dxtrack.UnitFilter{All: true, Page: dxtrack.Page{Limit: math.MaxInt32}})
		if err != nil {
			return 0, err
		}
		ins, err := indicators.FindIndicators(sys, "")
		if err != nil {
			return 0, err
		}
		slices.SortFunc(us, func(a, b *dxtrack.Unit) int { return cmp.Compare(a.ID, b.ID) })
		return shapeOf(us, ins), nil
	}
	last, err := look()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		shape, lerr := look()
		if lerr != nil {
			if ctx.Err() == nil {
				l.logger.Warn("analytics: look at units and indicators", "err", lerr)
			}
			continue
		}
		if err == nil && shape != last {
			if rerr := l.rebuild(ctx, true); rerr != nil {
				l.logger.Error("analytics: rebuild", "err", rerr)
				continue // look again next time
			}
			l.logger.Info("analytics: rebuilt after a change of units or indicators")
		}
		last, err = shape, nil
	}
}

// analyticsFlags are serve's flags for the analytics.
type analyticsFlags struct {
	geojson string
	watch   time.Duration
	onTrack float64
	atRisk  float64
}

func addAnalyticsFlags(fs *flag.FlagSet) *analyticsFlags {
	f := &analyticsFlags{}
	fs.StringVar(&f.geojson, "geojson", env("DXTRACK_GEOJSON", ""),
		"file keeping the units' boundaries (GeoJSON) for the dashboard's map; default dxtrack.geojson beside the SQLite file (DXTRACK_GEOJSON)")
	fs.DurationVar(&f.watch, "analytics-watch", 30*time.Second, "how often to look for changed units and indicators to rebuild the analytics; 0 never")
	fs.Float64Var(&f.onTrack, "on-track", envFloat("DXTRACK_ON_TRACK", dxtrack.DefaultTrajectoryRule.OnTrack),
		"share of the needed pace from which a target is on track (DXTRACK_ON_TRACK)")
	fs.Float64Var(&f.atRisk, "at-risk", envFloat("DXTRACK_AT_RISK", dxtrack.DefaultTrajectoryRule.AtRisk),
		"share of the needed pace from which a target is at risk rather than off track (DXTRACK_AT_RISK)")
	return f
}

// rule returns the trajectory thresholds (the default when none are set),
// refusing an order that would make a status unreachable.
func (f *analyticsFlags) rule() (dxtrack.TrajectoryRule, error) {
	r := dxtrack.TrajectoryRule{OnTrack: f.onTrack, AtRisk: f.atRisk}
	if r == (dxtrack.TrajectoryRule{}) {
		return dxtrack.DefaultTrajectoryRule, nil
	}
	if !(r.AtRisk > 0 && r.AtRisk <= r.OnTrack) {
		return r, fmt.Errorf("--at-risk (%g) must be above 0 and at most --on-track (%g)", r.AtRisk, r.OnTrack)
	}
	return r, nil
}

func envFloat(key string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(key), 64); err == nil {
		return v
	}
	return def
}

// boundariesPath is where the map's boundaries are kept: the flag's
// path, or beside the SQLite file, or in the working directory for
// PostgreSQL.
func (f *analyticsFlags) boundariesPath(dsn string) string {
	if f.geojson != "" {
		return f.geojson
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "dxtrack.geojson"
	}
	return filepath.Join(filepath.Dir(strings.TrimPrefix(dsn, "file:")), "dxtrack.geojson")
}

// wireAnalytics starts the analytics and hands them, with the value and
// target services and the boundaries, to the web server; the returned
// function stops the analytics.
func wireAnalytics(ctx context.Context, a *app, srv *web.Server, dsn string, f *analyticsFlags, logger *slog.Logger) (func(), error) {
	rule, err := f.rule()
	if err != nil {
		return nil, err
	}
	live, stop, err := startAnalytics(ctx, a.db, logger, f.watch)
	if err != nil {
		return nil, err
	}
	srv.Trajectory = rule
	srv.Analytics = live
	srv.Values = a.services.Values
	srv.IndicatorTargets = a.services.IndicatorTargets
	srv.Boundaries = &web.Boundaries{Path: f.boundariesPath(dsn)}
	return stop, nil
}

// withAnalyticsServices adds the value store and the indicator targets to
// an app's services.
func withAnalyticsServices(a *app) *app {
	a.services.Values = store.NewValueService(a.db)
	a.services.IndicatorTargets = store.NewIndicatorTargetService(a.db)
	return a
}
