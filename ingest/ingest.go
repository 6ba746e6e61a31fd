// Package ingest turns records of other systems into indicator values:
// the pipeline checks a batch against its source's mapping, resolves unit
// codes through unit lineage, aggregates the records per rule, unit and
// period, and has one writer goroutine store batches durably with the
// cells they add, several to a transaction (group commit), before their
// senders get an answer. The writer hands the committed batches to an
// applier goroutine in memory; it adds the cells of all batches committed
// meanwhile to the accumulators and derives the values in one
// transaction: its cost grows with the cells touched, not with the
// batches, so the writer's path stays short. Meanwhile the values the
// committed batches make are sent to the change feed right away (see
// live), so that the in-memory cube does not wait for the applier.
package ingest

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest/mapping"
	"github.com/dxtrack/dxtrack/locale"
	"github.com/dxtrack/dxtrack/store"
)

// Errors of Push besides application errors (dxtrack.Error).
var (
	// ErrBusy: the queue of batches waiting for the writer is full; send
	// the batch again later (the API answers 429 with Retry-After).
	ErrBusy = errors.New("ingest: busy, retry later")
	// ErrTooLarge: the batch has more records than Options.MaxRecords.
	ErrTooLarge = errors.New("ingest: batch too large")
	// ErrRefused: the source's policy is all or nothing and a record does
	// not fit the mapping; Push returns the result naming every bad record
	// with it, and nothing was counted.
	ErrRefused = errors.New("ingest: batch refused")
	// ErrClosed: the pipeline is closing.
	ErrClosed = errors.New("ingest: pipeline closed")
)

// Options tune a pipeline; zero fields take the defaults.
type Options struct {
	// QueueSize is how many batches may wait for the writer (default
	// 256); a push beyond it is ErrBusy.
	QueueSize int
	// MaxGroup is how many batches one transaction takes at most
	// (default 128).
	MaxGroup int
	// Linger is how long the writer waits for more batches after the
	// first of a group (default 2 ms): a group's cost grows with the cells
	// it touches, not with its batches, so a few batches more per
	// transaction cost little and senders that were answered together do
	// not make a string of small transactions.
	Linger time.Duration
	// Checkers is how many batches are checked at once (default twice
	// the CPUs): checking is CPU work, and each check may hold a database
	// connection for a moment.
	Checkers int
	// MaxRecords is the largest batch (default 10,000 records).
	MaxRecords int
	// ApplyEvery is how long the applier lets committed batches gather
	// before it adds them to the accumulators and stored values (default
	// 1 s): one round costs about the cells it touches, however many
	// batches they came from. The change feed does not wait for it (see
	// PreviewEvery); stored values are fresh within about that plus a
	// round.
	ApplyEvery time.Duration
	// PreviewEvery is how often at most the values of committed batches
	// not yet applied are sent to the change feed (default 100 ms): each
	// sending costs about the cells touched since the last.
	PreviewEvery time.Duration
	// Logger logs failed apply rounds (default slog.Default()).
	Logger *slog.Logger
	// Lang is the language of the reasons in record errors (default vi,
	// the province's); each error also carries its message ID.
	Lang string
	// UnitsMaxAge is how long a unit resolver is trusted without asking
	// the store whether units changed (default 1 s), and UnitsRebuild how
	// old it may grow at most (default 10 min: a unit may end on a later
	// day without any write).
	UnitsMaxAge, UnitsRebuild time.Duration
}

func (o *Options) defaults() {
	if o.QueueSize <= 0 {
		o.QueueSize = 256
	}
	if o.MaxGroup <= 0 {
		o.MaxGroup = 128
	}
	if o.Checkers <= 0 {
		o.Checkers = 2 * runtime.GOMAXPROCS(0)
	}
	if o.Linger <= 0 {
		o.Linger = 2 * time.Millisecond
	}
	if o.MaxRecords <= 0 {
		o.MaxRecords = 10_000
	}
	if o.ApplyEvery <= 0 {
		o.ApplyEvery = time.Second
	}
	if o.PreviewEvery <= 0 {
		o.PreviewEvery = 100 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Lang == "" {
		o.Lang = "vi"
	}
	if o.UnitsMaxAge <= 0 {
		o.UnitsMaxAge = time.Second
	}
	if o.UnitsRebuild <= 0 {
		o.UnitsRebuild = 10 * time.Minute
	}
}

// Pipeline checks, aggregates and stores batches. Create it with New,
// run its writer and applier with Start, stop them with Close.
type Pipeline struct {
	db   *store.DB
	opts Options

	queue  chan *job
	checks chan struct{} // a semaphore of Checkers

	mu       sync.Mutex // guards closed, started and the sender count
	closed   bool
	started  bool
	senders  sync.WaitGroup // pushes that may still send on queue
	done     chan struct{}  // closed when the writer returns
	wake     chan struct{}  // the writer committed counted batches
	syncs    chan chan error
	quit     chan struct{} // closed when the writer is done: the applier drains and returns
	applied  chan struct{} // closed when the applier returns
	compiled sync.Map      // source ID → *compiledSource

	live      *live
	roundMu   sync.Mutex    // held by a round: loading stored cells waits for it
	preview   chan struct{} // the writer handed over batches
	previewed chan struct{} // closed when the previewer returns
	// scanAll: the pending batches left at the start are not all applied,
	// so rounds that look for pending batches look at every one.
	scanAll bool

	unitsMu   sync.Mutex
	units     *store.UnitResolver
	unitsSeen time.Time // when the store last said units are unchanged
}

type job struct {
	batch *store.IngestBatch
	done  chan error
}

// compiledSource is a source's mapping compiled, with its indicators' IDs.
type compiledSource struct {
	mapping    dxtrack.Mapping // as compiled, to tell when it changed
	m          *mapping.Mapping
	indicators []int64 // per rule
}

// New returns a pipeline over db; its writer runs once Start is called,
// so that batches may queue but none is stored before.
func New(db *store.DB, opts Options) *Pipeline {
	opts.defaults()
	return &Pipeline{db: db, opts: opts, queue: make(chan *job, opts.QueueSize),
		checks: make(chan struct{}, opts.Checkers), done: make(chan struct{}), wake: make(chan struct{}, 1),
		syncs: make(chan chan error), quit: make(chan struct{}), applied: make(chan struct{}),
		live: newLive(), preview: make(chan struct{}, 1), previewed: make(chan struct{})}
}

// Start first applies the batches a killed process left pending, then
// runs the writer and the applier until Close (ctx only carries values:
// they stop when Close drained them, not when ctx ends, so that no queued
// batch is dropped).
func (p *Pipeline) Start(ctx context.Context) {
	p.mu.Lock()
	if p.started || p.closed {
		p.mu.Unlock()
		return
	}
	p.started = true
	p.mu.Unlock()
	ctx = context.WithoutCancel(ctx)
	// Before the writer runs, so that the batches a round finds pending
	// in the log later are other instances' or this writer's latest.
	if err := p.applyAll(ctx); err != nil {
		p.opts.Logger.Error("ingest: apply batches left pending", "err", err)
		p.scanAll = true
	}
	go p.write(ctx)
	go p.apply(ctx)
	go p.previewer(ctx)
}

// Close refuses new batches, lets the writer store those queued and the
// applier apply every committed batch, and waits for both.
func (p *Pipeline) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	started := p.started
	p.mu.Unlock()
	p.senders.Wait()
	close(p.queue)
	if started {
		<-p.done
		close(p.quit)
		<-p.applied
		<-p.previewed
	} else {
		for j := range p.queue {
			j.done <- ErrClosed
		}
	}
	return nil
}

// Sync waits until the batches acknowledged so far are applied: their
// values stored and sent to the change feed.
func (p *Pipeline) Sync(ctx context.Context) error {
	p.mu.Lock()
	started := p.started
	p.mu.Unlock()
	if !started {
		return p.applyAll(ctx)
	}
	req := make(chan error, 1)
	select {
	case p.syncs <- req:
	case <-p.applied:
		return p.applyAll(ctx)
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// apply is the applier: after the writer commits, it lets batches gather
// for ApplyEvery, then applies those the writer handed over; a Sync
// applies at once. Now and then, and for a Sync, it also looks for
// batches pending in the log (those of another instance that stopped).
func (p *Pipeline) apply(ctx context.Context) {
	defer close(p.applied)
	tick := time.NewTicker(10 * p.opts.ApplyEvery)
	defer tick.Stop()
	var last time.Duration // the last round's time
	for {
		var waiters []chan error
		quitting, scan := false, false
		select {
		case <-p.wake:
			// Rest at least twice as long as the last round took, so that on
			// SQLite, where a round holds the only write connection, the
			// writer keeps at least two thirds of it.
			t := time.NewTimer(max(p.opts.ApplyEvery, 2*last))
			select {
			case <-t.C:
			case w := <-p.syncs:
				waiters = append(waiters, w)
			case <-p.quit:
				quitting = true
			}
			t.Stop()
		case w := <-p.syncs:
			waiters = append(waiters, w)
		case <-tick.C:
			scan = true
		case <-p.quit:
			quitting = true
		}
		scan = scan || quitting || len(waiters) > 0
		began := time.Now()
		err := p.round(ctx, scan)
		last = min(time.Since(began), 2*p.opts.ApplyEvery)
		if err != nil {
			p.opts.Logger.Error("ingest: apply batches", "err", err)
		}
		for _, w := range waiters {
			w <- err
		}
		if quitting {
			return
		}
	}
}

// round applies the batches the writer handed over and, if scan, those
// pending in the log up to the writer's latest (all of them if the start
// could not apply those left pending), then sends the figures of the
// batches committed meanwhile to the change feed again.
func (p *Pipeline) round(ctx context.Context, scan bool) error {
	for {
		p.roundMu.Lock()
		bs, upTo := p.live.snapshot()
		limit := 0
		if scan && (upTo > 0 || p.scanAll) {
			limit = applyBatches
			if p.scanAll {
				upTo = 0
			}
		}
		if len(bs) == 0 && limit == 0 {
			p.roundMu.Unlock()
			return nil
		}
		res, err := p.db.ApplyBatches(ctx, bs, upTo, limit)
		if err != nil {
			p.roundMu.Unlock()
			return err
		}
		p.live.applied(len(bs), res)
		p.roundMu.Unlock()
		p.live.flush(p.db)
		if limit == 0 || res.Scanned < limit {
			if limit > 0 {
				p.scanAll = false
			}
			return nil
		}
	}
}

// previewer sends the figures of committed batches to the change feed
// when the writer hands some over, at most every PreviewEvery, until the
// applier returned (its last round sends what is left).
func (p *Pipeline) previewer(ctx context.Context) {
	defer close(p.previewed)
	t := time.NewTimer(0)
	<-t.C
	for {
		select {
		case <-p.preview:
		case <-p.applied:
			return
		}
		p.loadCells(ctx)
		p.live.flush(p.db)
		t.Reset(p.opts.PreviewEvery)
		select {
		case <-t.C:
		case <-p.applied:
			t.Stop()
			return
		}
	}
}

// loadCells loads the stored cells of the sources' periods that batches
// touch for the first time since the start, between two rounds.
func (p *Pipeline) loadCells(ctx context.Context) {
	sps := p.live.missing()
	if len(sps) == 0 {
		return
	}
	p.roundMu.Lock()
	defer p.roundMu.Unlock()
	for _, sp := range sps {
		cells, err := p.db.IngestCells(ctx, sp.source, sp.period.period())
		if err != nil {
			p.opts.Logger.Error("ingest: load cells", "err", err)
			return
		}
		p.live.load(sp, cells)
	}
}

// applyAll applies the batches pending when it starts: it stops after a
// round that found fewer than it could take, rather than chase the
// writer's new batches with small rounds (the next round takes them).
func (p *Pipeline) applyAll(ctx context.Context) error {
	for {
		n, err := p.db.ApplyPending(ctx, applyBatches)
		if err != nil || n < applyBatches {
			return err
		}
	}
}

// applyBatches is how many batches one apply transaction takes at most.
const applyBatches = 512

// Pending is how many batches wait for the writer.
func (p *Pipeline) Pending() int { return len(p.queue) }

// Push checks a batch of a source's records against its mapping and
// stores it durably: when Push returns a result without error, the batch
// and the cells it adds are committed; their values reach the change
// feed within about Options.PreviewEvery, and the applier stores them
// within about Options.ApplyEvery (Sync waits for it). The idempotency
// key is required; a key the source used
// for a counted batch returns that batch's result with Duplicate set and
// counts nothing. A batch with records that do not fit the mapping is
// refused whole (ErrRefused, with the result naming each bad record, and
// nothing counted) unless the source's policy is accept_valid, which
// counts the others. Errors: EINVALID for a missing key, ErrTooLarge,
// ErrBusy when the queue is full, ErrClosed.
func (p *Pipeline) Push(ctx context.Context, src *dxtrack.DataSource, key string, records []dxtrack.Record) (*dxtrack.BatchResult, error) {
	if key == "" {
		return nil, dxtrack.Invalid("Idempotency-Key", "error.required", nil)
	}
	if len(key) > 200 {
		return nil, dxtrack.Invalid("Idempotency-Key", "error.ingest_key_long", map[string]any{"Max": 200})
	}
	if len(records) > p.opts.MaxRecords {
		return nil, ErrTooLarge
	}
	if src.Disabled {
		return nil, dxtrack.Errorf(dxtrack.EFORBIDDEN, "error.ingest_source_disabled", map[string]any{"Name": src.Name})
	}
	// Refuse early what the queue would refuse after the work.
	if len(p.queue) == cap(p.queue) {
		return nil, ErrBusy
	}
	select {
	case p.checks <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	b, stored, err := p.checkBatch(ctx, src, key, records)
	<-p.checks
	if err != nil {
		return nil, err
	} else if stored != nil {
		return stored, nil
	}
	if err := p.enqueue(b); err != nil {
		return nil, err
	}
	if !b.Counted && !b.Result.Duplicate {
		return b.Result, ErrRefused
	}
	return b.Result, nil
}

// checkBatch answers a retry from the log without queueing (concurrent
// retries that both miss here are told apart by the writer: the key is
// unique), or checks the batch.
func (p *Pipeline) checkBatch(ctx context.Context, src *dxtrack.DataSource, key string, records []dxtrack.Record) (*store.IngestBatch, *dxtrack.BatchResult, error) {
	if stored, err := p.db.FindBatch(ctx, src.ID, key); err != nil {
		return nil, nil, err
	} else if stored != nil {
		stored.Duplicate = true
		return nil, stored, nil
	}
	b, err := p.check(ctx, src, key, records)
	return b, nil, err
}

// enqueue hands the batch to the writer, unless the queue is full, and
// waits for its commit.
func (p *Pipeline) enqueue(b *store.IngestBatch) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	p.senders.Add(1)
	p.mu.Unlock()
	j := &job{batch: b, done: make(chan error, 1)}
	select {
	case p.queue <- j:
		p.senders.Done()
	default:
		p.senders.Done()
		return ErrBusy
	}
	// Wait for the commit even if the sender gives up: the answer says
	// whether the batch is durable, and the writer never drops a job.
	return <-j.done
}

// check evaluates the records and aggregates the good ones into cells.
func (p *Pipeline) check(ctx context.Context, src *dxtrack.DataSource, key string, records []dxtrack.Record) (*store.IngestBatch, error) {
	cs, err := p.compile(ctx, src)
	if err != nil {
		return nil, err
	}
	units, err := p.resolver(ctx)
	if err != nil {
		return nil, err
	}
	printer := locale.For(p.opts.Lang)
	b := &store.IngestBatch{SourceID: src.ID, Key: key, Counted: true, Received: len(records)}
	// The cells of a unit and period, one per rule, follow each other in
	// b.Cells from index groups[key] on, in the order of first records.
	type ukey struct {
		unit int64
		per  dxtrack.Period
	}
	groups := map[ukey]int{}
	nr := len(cs.m.Rules)
	var m vm.VM
	type hit struct {
		ok bool
		x  float64
	}
	hits := make([]hit, len(cs.m.Rules))
	for i, rec := range records {
		var probs []*mapping.Problem
		var unitID int64
		code, prob := cs.m.Unit(rec)
		if prob == nil {
			id, err := units.Resolve(code)
			if err != nil {
				fe := dxtrack.ErrorFields(err)[0]
				prob = &mapping.Problem{Field: cs.m.UnitField, MsgID: fe.MsgID, Args: fe.Args}
			}
			unitID = id
		}
		if prob != nil {
			probs = append(probs, prob)
		}
		per, prob := cs.m.Period(rec)
		if prob != nil {
			probs = append(probs, prob)
		}
		for r := range cs.m.Rules {
			ok, x, prob := cs.m.Rules[r].EvalVM(&m, rec, r)
			if prob != nil {
				probs = append(probs, prob)
			}
			hits[r] = hit{ok, x}
		}
		if len(probs) > 0 {
			for _, pr := range probs {
				b.Errors = append(b.Errors, dxtrack.RecordError{Index: i, Field: pr.Field,
					Reason: printer.FieldError(dxtrack.FieldError{Field: pr.Field, MsgID: pr.MsgID, Args: pr.Args}),
					MsgID:  pr.MsgID, Args: pr.Args})
			}
			b.Refused++
			continue
		}
		b.Accepted++
		g, ok := groups[ukey{unitID, per}]
		if !ok {
			g = len(b.Cells)
			groups[ukey{unitID, per}] = g
			for r := range nr {
				b.Cells = append(b.Cells, store.IngestCell{IndicatorID: cs.indicators[r], UnitID: unitID, Period: per,
					Agg: cs.m.Rules[r].Agg})
			}
		}
		for r, h := range hits {
			c := &b.Cells[g+r]
			c.Records++
			if h.ok {
				c.Hits++
				c.Sum += h.x
			}
		}
	}
	if b.Refused > 0 && src.Policy != dxtrack.AcceptValid {
		b.Counted, b.Accepted, b.Refused, b.Cells = false, 0, len(records), nil
		return b, nil
	}
	b.Encode() // here, in parallel, rather than in the writer
	return b, nil
}

// compile returns the source's compiled mapping, compiling it again when
// the source's mapping changed.
func (p *Pipeline) compile(ctx context.Context, src *dxtrack.DataSource) (*compiledSource, error) {
	if v, ok := p.compiled.Load(src.ID); ok {
		cs := v.(*compiledSource)
		if sameMapping(cs.mapping, src.Mapping) {
			return cs, nil
		}
	}
	m, err := mapping.Compile(src.Mapping)
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, r := range m.Rules {
		codes = append(codes, r.Indicator)
	}
	ids, err := p.db.IndicatorIDs(ctx, codes)
	if err != nil {
		return nil, err
	}
	cs := &compiledSource{mapping: cloneMapping(src.Mapping), m: m}
	var probs dxtrack.Problems
	for i, code := range codes {
		id, ok := ids[code]
		if !ok {
			probs.Add("mapping.rules["+strconv.Itoa(i)+"].indicator", "error.ingest_indicator_unknown", map[string]any{"Code": code})
		}
		cs.indicators = append(cs.indicators, id)
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	p.compiled.Store(src.ID, cs)
	return cs, nil
}

func sameMapping(a, b dxtrack.Mapping) bool {
	if a.UnitField != b.UnitField || a.TimeField != b.TimeField || a.Freq != b.Freq || len(a.Rules) != len(b.Rules) {
		return false
	}
	for i := range a.Rules {
		if a.Rules[i] != b.Rules[i] {
			return false
		}
	}
	return true
}

func cloneMapping(m dxtrack.Mapping) dxtrack.Mapping {
	m.Rules = append([]dxtrack.MapRule(nil), m.Rules...)
	return m
}

// resolver returns a unit resolver, asking the store at most once per
// UnitsMaxAge whether units changed and building a new one if they did.
func (p *Pipeline) resolver(ctx context.Context) (*store.UnitResolver, error) {
	p.unitsMu.Lock()
	defer p.unitsMu.Unlock()
	now := time.Now()
	if p.units != nil && now.Sub(p.unitsSeen) < p.opts.UnitsMaxAge {
		return p.units, nil
	}
	stale, err := p.db.Stale(ctx, p.units, p.opts.UnitsRebuild)
	if err != nil {
		return nil, err
	}
	if stale {
		r, err := p.db.UnitResolver(ctx)
		if err != nil {
			return nil, err
		}
		p.units = r
	}
	p.unitsSeen = now
	return p.units, nil
}

// write is the writer: it takes a batch, adds those already waiting (up
// to MaxGroup), stores them in one transaction and answers each.
func (p *Pipeline) write(ctx context.Context) {
	defer close(p.done)
	group := make([]*job, 0, p.opts.MaxGroup)
	timer := time.NewTimer(0)
	<-timer.C
	for j := range p.queue {
		group = append(group[:0], j)
		timer.Reset(p.opts.Linger)
	fill:
		for len(group) < p.opts.MaxGroup {
			select {
			case j, ok := <-p.queue:
				if !ok {
					break fill
				}
				group = append(group, j)
			case <-timer.C:
				break fill
			}
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		p.commit(ctx, group)
	}
}

// commit stores a group; if the group's transaction fails, each batch is
// tried alone so that one batch cannot fail the others.
func (p *Pipeline) commit(ctx context.Context, group []*job) {
	batches := make([]*store.IngestBatch, len(group))
	for i, j := range group {
		batches[i] = j.batch
	}
	// Each committed batch is handed to the applier before its sender
	// hears of it, so that a Sync after the answer applies it.
	err := p.db.WriteBatches(ctx, batches)
	if err != nil && len(group) > 1 {
		for _, j := range group {
			err := p.db.WriteBatches(ctx, []*store.IngestBatch{j.batch})
			if err == nil {
				p.live.add([]*store.IngestBatch{j.batch})
			}
			j.done <- err
		}
	} else {
		if err == nil {
			p.live.add(batches)
		}
		for _, j := range group {
			j.done <- err
		}
	}
	for _, c := range []chan struct{}{p.wake, p.preview} {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// Pusher returns a Push that runs each batch through a pipeline of its
// own, started and closed around it: for loaders (the demo) that run
// before the server's pipeline exists, a batch at a time.
func Pusher(db *store.DB) func(ctx context.Context, src *dxtrack.DataSource, key string, records []dxtrack.Record) (*dxtrack.BatchResult, error) {
	return func(ctx context.Context, src *dxtrack.DataSource, key string, records []dxtrack.Record) (*dxtrack.BatchResult, error) {
		p := New(db, Options{})
		p.Start(ctx)
		defer p.Close()
		return p.Push(ctx, src, key, records)
	}
}
