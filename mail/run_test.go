package mail_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/mail"
)

// countingRegimes counts the job's runs by their first call, failing the
// runs it is told to.
type countingRegimes struct {
	dxtrack.RegimeService // other methods are not called with no regimes
	mu                    sync.Mutex
	calls                 int
	fail                  map[int]bool
}

func (c *countingRegimes) FindRegimes(ctx context.Context, f dxtrack.RegimeFilter) ([]*dxtrack.Regime, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if dxtrack.UserFromContext(ctx) != dxtrack.SystemUser || f.Active == nil || !*f.Active {
		return nil, errors.New("not asked as the system user for active regimes")
	}
	if c.fail[c.calls] {
		return nil, errors.New("database is locked")
	}
	return nil, nil
}

func (c *countingRegimes) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

// syncBuffer is a log sink safe for the job's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRun: a run at start, then one every interval; a failed run is
// logged and the next one comes all the same; the job stops with its
// context.
func TestRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		regimes := &countingRegimes{fail: map[int]bool{2: true}}
		var log syncBuffer
		// The bubble's clock starts at midnight UTC, 1 January 2000: 10:00
		// in this zone, within the hours messages go out.
		job := &mail.Job{Regimes: regimes, Logger: slog.New(slog.NewTextHandler(&log, nil)), Location: time.FixedZone("UTC+10", 10*3600)}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			job.Run(ctx, 15*time.Minute)
			close(done)
		}()
		synctest.Wait()
		if n := regimes.count(); n != 1 {
			t.Fatalf("runs at start = %d, want 1", n)
		}
		time.Sleep(15*time.Minute - time.Second)
		synctest.Wait()
		if n := regimes.count(); n != 1 {
			t.Fatalf("runs before the interval = %d, want 1", n)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if n := regimes.count(); n != 2 || !strings.Contains(log.String(), "database is locked") {
			t.Fatalf("runs after the interval = %d, log %q; want 2 and the failure logged", n, log.String())
		}
		time.Sleep(45 * time.Minute)
		synctest.Wait()
		if n := regimes.count(); n != 5 {
			t.Fatalf("runs after an hour = %d, want 5", n)
		}
		cancel()
		<-done
		time.Sleep(time.Hour)
		synctest.Wait()
		if n := regimes.count(); n != 5 {
			t.Errorf("runs after stop = %d, want 5", n)
		}
	})
}
