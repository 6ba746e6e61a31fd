package store_test

import (
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestConnectorLease(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		c := store.NewConnectors(db)
		now := testNow
		db.Now = func() time.Time { return now }
		take := func(holder string) bool {
			t.Helper()
			ok, err := c.TakeLease(sys, 7, holder, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !take("a") {
			t.Fatal("a could not take a free lease")
		}
		if take("b") {
			t.Fatal("b took the lease a holds")
		}
		now = now.Add(50 * time.Second)
		if !take("a") {
			t.Fatal("a could not renew its lease")
		}
		now = now.Add(50 * time.Second) // 100 s after the first take, 50 s after the renewal
		if take("b") {
			t.Fatal("b took a renewed lease before it expired")
		}
		now = now.Add(11 * time.Second)
		if !take("b") {
			t.Fatal("b could not take an expired lease")
		}
		if err := c.ReleaseLease(sys, 7, "a"); err != nil {
			t.Fatal(err)
		}
		if take("a") {
			t.Fatal("a's release freed b's lease")
		}
		if err := c.ReleaseLease(sys, 7, "b"); err != nil {
			t.Fatal(err)
		}
		if !take("a") {
			t.Fatal("a could not take a released lease")
		}
	})
}

func TestConnectorRunsAndSeen(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		c := store.NewConnectors(db)
		r, err := c.StartRun(sys, 3, "a")
		if err != nil {
			t.Fatal(err)
		}
		r.Status, r.Pages, r.Accepted, r.Refused, r.Skipped, r.Error = dxtrack.PullFailed, 2, 10, 1, 4, "page 3: HTTP 503"
		if err := c.FinishRun(sys, r); err != nil {
			t.Fatal(err)
		}
		r2, err := c.StartRun(sys, 3, "a")
		if err != nil {
			t.Fatal(err)
		}
		runs, err := c.Runs(sys, 3, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 2 || runs[0].ID != r2.ID || runs[0].Status != dxtrack.PullRunning {
			t.Fatalf("runs = %+v", runs)
		}
		if got := runs[1]; got.Accepted != 10 || got.Refused != 1 || got.Skipped != 4 || got.Pages != 2 || got.Error != "page 3: HTTP 503" || !got.Finished.Equal(testNow) {
			t.Errorf("finished run = %+v", got)
		}
		last, err := c.LastRuns(sys)
		if err != nil {
			t.Fatal(err)
		}
		if last[3] == nil || last[3].ID != r2.ID {
			t.Errorf("last runs = %+v", last)
		}
		if _, err := c.Runs(t.Context(), 3, 10); dxtrack.ErrorCode(err) != dxtrack.EUNAUTHORIZED {
			t.Errorf("runs without a user: %v", err)
		}

		hashes := make([]string, 1200) // more than one chunk
		for i := range hashes {
			hashes[i] = string(rune('a'+i%26)) + time.Duration(i).String()
		}
		if err := c.MarkSeen(sys, 3, hashes[:700]); err != nil {
			t.Fatal(err)
		}
		if err := c.MarkSeen(sys, 3, hashes[600:800]); err != nil { // overlaps
			t.Fatal(err)
		}
		seen, err := c.Seen(sys, 3, hashes)
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 800 || !seen[hashes[799]] || seen[hashes[800]] {
			t.Errorf("seen %d of 1200, want the first 800", len(seen))
		}
		if other, _ := c.Seen(sys, 4, hashes); len(other) != 0 {
			t.Errorf("another source saw %d", len(other))
		}
	})
}
