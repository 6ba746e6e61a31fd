package pull

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest"
	"github.com/dxtrack/dxtrack/store"
)

// Pusher takes a page of records into the store: the ingestion pipeline.
type Pusher interface {
	Push(ctx context.Context, src *dxtrack.DataSource, key string, records []dxtrack.Record) (*dxtrack.BatchResult, error)
}

// Sources lists the sources, their pull configuration with the client
// secret included.
type Sources interface {
	FindSources(ctx context.Context) ([]*dxtrack.DataSource, error)
}

// Scheduler runs every enabled pull source every Pull.Every, on whichever
// dxtrack instance takes the source's lease first.
type Scheduler struct {
	Sources    Sources
	Pusher     Pusher
	Connectors *store.Connectors
	// Holder names this instance in leases and the run log (default:
	// host name and process ID).
	Holder string
	// Client makes the requests (default: one with a 60 s timeout).
	Client *http.Client
	Logger *slog.Logger
	Now    func() time.Time
	// Tick is how often the scheduler looks for due sources (default
	// 15 s); LeaseTTL how long a lease lasts unrenewed (default 2 min).
	Tick     time.Duration
	LeaseTTL time.Duration
	Backoff  Backoff
	// Busy is how often a push refused as busy (ingest.ErrBusy) is
	// retried before the run fails (default 20), with Backoff's waits.
	Busy int

	once    sync.Once
	mu      sync.Mutex
	running map[int64]bool
	tokens  map[string]*http.Client // OAuth2 clients by source and credentials, so tokens are reused
	wg      sync.WaitGroup
}

// defaults fills the zero fields, once: the scheduler's fields are not
// to change after its first use.
func (s *Scheduler) defaults() { s.once.Do(s.setDefaults) }

func (s *Scheduler) setDefaults() {
	if s.Holder == "" {
		host, _ := os.Hostname()
		s.Holder = host + ":" + strconv.Itoa(os.Getpid())
	}
	if s.Client == nil {
		s.Client = &http.Client{Timeout: 60 * time.Second}
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Tick <= 0 {
		s.Tick = 15 * time.Second
	}
	if s.LeaseTTL <= 0 {
		s.LeaseTTL = 2 * time.Minute
	}
	if s.Busy <= 0 {
		s.Busy = 20
	}
	s.Backoff = s.Backoff.withDefaults()
	if s.running == nil {
		s.running = map[int64]bool{}
		s.tokens = map[string]*http.Client{}
	}
}

// SeenFor is how long the connectors remember a delivered record: a
// record a source returns again after that counts again, so sources
// should not serve records older than a year and a month.
const SeenFor = 400 * 24 * time.Hour

// Start runs the scheduler until ctx ends; the returned stop waits for
// the runs under way to end.
func (s *Scheduler) Start(ctx context.Context) (stop func()) {
	s.defaults()
	ctx, cancel := context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(s.Tick)
		defer t.Stop()
		var pruned time.Time
		for {
			s.Due(ctx)
			if now := s.Now(); now.Sub(pruned) > 24*time.Hour {
				if err := s.Connectors.ForgetSeen(ctx, now.Add(-SeenFor)); err != nil {
					s.Logger.Error("connectors: forget seen records", "err", err)
				}
				pruned = now
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); s.wg.Wait() }
}

// Due starts, in the background, a run of every source whose last run
// (on any instance) started at least Pull.Every ago.
func (s *Scheduler) Due(ctx context.Context) {
	s.defaults()
	sys := dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser)
	srcs, err := s.Sources.FindSources(sys)
	if err != nil {
		s.Logger.Error("connectors: list sources", "err", err)
		return
	}
	last, err := s.Connectors.LastRuns(sys)
	if err != nil {
		s.Logger.Error("connectors: last runs", "err", err)
		return
	}
	now := s.Now()
	for _, src := range srcs {
		if src.Disabled || src.Pull == nil || src.Pull.URL == "" || src.Pull.Every <= 0 {
			continue
		}
		if r := last[src.ID]; r != nil && now.Sub(r.Started) < src.Pull.Every {
			continue
		}
		s.mu.Lock()
		busy := s.running[src.ID]
		if !busy {
			s.running[src.ID] = true
		}
		s.mu.Unlock()
		if busy {
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { s.mu.Lock(); delete(s.running, src.ID); s.mu.Unlock() }()
			if _, err := s.Run(ctx, src); err != nil && !errors.Is(err, ErrLeaseHeld) {
				s.Logger.Warn("connector run failed", "source", src.Code, "err", err)
			}
		}()
	}
}

// ErrLeaseHeld is Run's answer when another instance runs the source.
var ErrLeaseHeld = errors.New("pull: another instance runs this source")

// Run runs the source's connector once, now, if this instance gets the
// source's lease, and logs the run. The error is the run's failure, also
// in the returned run's Error.
func (s *Scheduler) Run(ctx context.Context, src *dxtrack.DataSource) (*dxtrack.PullRun, error) {
	s.defaults()
	ok, err := s.Connectors.TakeLease(ctx, src.ID, s.Holder, s.LeaseTTL)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrLeaseHeld
	}
	defer s.Connectors.ReleaseLease(context.WithoutCancel(ctx), src.ID, s.Holder)

	// Renew the lease while running; losing it stops the run.
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		t := time.NewTicker(s.LeaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-runCtx.Done():
				return
			case <-t.C:
				if ok, err := s.Connectors.TakeLease(runCtx, src.ID, s.Holder, s.LeaseTTL); err == nil && !ok {
					cancel(ErrLeaseHeld)
					return
				}
			}
		}
	}()

	run, err := s.Connectors.StartRun(ctx, src.ID, s.Holder)
	if err != nil {
		return nil, err
	}
	runErr := s.fetchAll(runCtx, src, run)
	if c := context.Cause(runCtx); runErr != nil && c != nil && !errors.Is(c, context.Canceled) {
		runErr = c
	}
	run.Status = dxtrack.PullOK
	if runErr != nil {
		run.Status = dxtrack.PullFailed
		run.Error = runErr.Error()
	}
	if err := s.Connectors.FinishRun(context.WithoutCancel(ctx), run); err != nil {
		return run, errors.Join(runErr, err)
	}
	return run, runErr
}

// client is the HTTP client of a source: with OAuth2 client credentials
// when the source has a token URL, kept across runs so that the library
// caches and refreshes the token.
func (s *Scheduler) client(ctx context.Context, p *dxtrack.Pull) *http.Client {
	if p.TokenURL == "" {
		return s.Client
	}
	key := strings.Join([]string{p.TokenURL, p.ClientID, p.ClientSecret, strings.Join(p.Scopes, " ")}, "\x00")
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.tokens[key]; ok {
		return c
	}
	cc := &clientcredentials.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, TokenURL: p.TokenURL, Scopes: p.Scopes}
	// The token source outlives this run: it must not hold the run's
	// context, only the base client.
	base := context.WithValue(context.WithoutCancel(ctx), oauth2.HTTPClient, s.Client)
	c := cc.Client(base)
	c.Timeout = s.Client.Timeout
	s.tokens[key] = c
	return c
}

// fetchAll fetches the pages and pushes each one's new records.
func (s *Scheduler) fetchAll(ctx context.Context, src *dxtrack.DataSource, run *dxtrack.PullRun) error {
	p := src.Pull
	client := s.client(ctx, p)
	mapping, _ := json.Marshal(src.Mapping)
	mappingHash := sha256.Sum256(mapping)
	occurrences := map[string]int{} // equal records seen so far in this run
	next := ""
	fetched := 0
	for n := 0; n < maxPages; n++ {
		u := next
		if n == 0 || p.Paging == "page" || p.Paging == "offset" {
			var err error
			if u, err = pageURL(p, n, fetched); err != nil {
				return err
			}
		}
		pg, err := get(ctx, client, s.Backoff, src, u)
		if err != nil {
			return fmt.Errorf("page %d: %w", n+1, err)
		}
		run.Pages++
		fetched += len(pg.records)
		if err := s.deliver(ctx, src, run, pg.records, occurrences, mappingHash[:]); err != nil {
			return fmt.Errorf("page %d: %w", n+1, err)
		}
		switch p.Paging {
		case "page", "offset":
			if len(pg.records) == 0 || (p.PageSize > 0 && len(pg.records) < p.PageSize) {
				return nil
			}
		case "next":
			if pg.next == "" {
				return nil
			}
			next = pg.next
		default:
			return nil
		}
	}
	return fmt.Errorf("more than %d pages", maxPages)
}

// deliver pushes the records of a page that no earlier run delivered.
func (s *Scheduler) deliver(ctx context.Context, src *dxtrack.DataSource, run *dxtrack.PullRun, recs []dxtrack.Record, occurrences map[string]int, mappingHash []byte) error {
	if len(recs) == 0 {
		return nil
	}
	hashes := make([]string, len(recs))
	for i, r := range recs {
		b, err := json.Marshal(r) // map keys come sorted: a canonical form
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		content := hex.EncodeToString(h[:16])
		hashes[i] = content + "." + strconv.Itoa(occurrences[content])
		occurrences[content]++
	}
	seen, err := s.Connectors.Seen(ctx, src.ID, hashes)
	if err != nil {
		return err
	}
	var fresh []dxtrack.Record
	var freshHashes []string
	for i, h := range hashes {
		if seen[h] {
			run.Skipped++
			continue
		}
		fresh = append(fresh, recs[i])
		freshHashes = append(freshHashes, h)
	}
	if len(fresh) == 0 {
		return nil
	}
	k := sha256.New()
	k.Write(mappingHash)
	for _, h := range freshHashes {
		k.Write([]byte(h))
	}
	key := "pull-" + hex.EncodeToString(k.Sum(nil)[:20])

	var res *dxtrack.BatchResult
	for try := 1; ; try++ {
		res, err = s.Pusher.Push(ctx, src, key, fresh)
		if err == nil || errors.Is(err, ingest.ErrRefused) && res != nil {
			break // a refused batch is named in the batch log and the run's counts
		}
		if !errors.Is(err, ingest.ErrBusy) || try >= s.Busy {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(s.Backoff.wait(min(try, 6))):
		}
	}
	run.Accepted += res.Accepted
	run.Refused += res.Refused
	if res.Accepted == 0 {
		return nil
	}
	// The accepted records are delivered; the refused ones will be
	// offered again.
	refused := map[int]bool{}
	for _, e := range res.Errors {
		refused[e.Index] = true
	}
	done := make([]string, 0, len(freshHashes))
	for i, h := range freshHashes {
		if !refused[i] {
			done = append(done, h)
		}
	}
	return s.Connectors.MarkSeen(ctx, src.ID, done)
}
