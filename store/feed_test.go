package store_test

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// collector gathers the batches a subscription delivers.
type collector chan []dxtrack.Value

func subscribe(t *testing.T, db *store.DB) (collector, func()) {
	t.Helper()
	c := make(collector, 1000)
	cancel := db.Subscribe(func(vs []dxtrack.Value) { c <- vs })
	t.Cleanup(cancel)
	return c, cancel
}

// next waits up to within for the next batch.
func (c collector) next(t *testing.T, within time.Duration) []dxtrack.Value {
	t.Helper()
	select {
	case vs := <-c:
		return vs
	case <-time.After(within):
		t.Fatalf("no change delivered within %v", within)
		return nil
	}
}

// none fails if a batch arrives within d.
func (c collector) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case vs := <-c:
		t.Fatalf("unexpected delivery %+v", vs)
	case <-time.After(d):
	}
}

// describeValues names values as "unit/indicator/period=value(provenance)".
func describeValues(vs []dxtrack.Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = fmt.Sprintf("%d/%d/%s=%v(%s)", v.UnitID, v.IndicatorID, v.Period.Key(), v.Value, v.Provenance)
	}
	return out
}

func TestFeed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedValues(t, db)
		jul, aug := month(2025, 7), month(2025, 8)
		c, cancel := subscribe(t, db)
		other, _ := subscribe(t, db)

		first := []dxtrack.Value{val(w.communeA, w.total, jul, 120), val(w.communeA, w.online, jul, 80)}
		must(t, w.values.SetValues(as(w.reporterA), first, ""))
		must(t, w.values.SetValues(as(w.reporterB), []dxtrack.Value{val(w.communeB, w.total, jul, 50)}, ""))
		for _, sub := range []collector{c, other} {
			got := describeValues(sub.next(t, time.Second))
			want := []string{
				fmt.Sprintf("%d/%d/2025-07=120(manual)", w.communeA.ID, w.total.ID),
				fmt.Sprintf("%d/%d/2025-07=80(manual)", w.communeA.ID, w.online.ID),
			}
			if !slices.Equal(got, want) {
				t.Fatalf("first batch = %v, want %v", got, want)
			}
			if got := sub.next(t, time.Second); len(got) != 1 || got[0].UnitID != w.communeB.ID || got[0].By != w.reporterB.ID {
				t.Fatalf("second batch = %+v, want Hoành Bồ's total by its reporter", got)
			}
		}

		// Refused calls and unchanged figures deliver nothing.
		wantCode(t, w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeB, w.total, aug, 1)}, ""), dxtrack.EFORBIDDEN)
		must(t, w.values.SetValues(as(w.reporterA), first, ""))
		c.none(t, 100*time.Millisecond)

		// Many writers at once: each subscriber sees every change once, and
		// a key's last delivered figure is the stored one.
		const writers = 8
		errs := make(chan error, writers)
		for i := range writers {
			go func() {
				errs <- w.values.SetValues(sys, []dxtrack.Value{val(w.communeA, w.share, aug, float64(i)), val(w.communeB, w.share, month(2025, 1+i), 1)}, "")
			}()
		}
		for range writers {
			must(t, <-errs)
		}
		last := map[string]float64{}
		seen := 0
		for seen < 2*writers {
			for _, v := range c.next(t, time.Second) {
				last[fmt.Sprint(v.UnitID, v.Period.Key())] = v.Value
				seen++
			}
		}
		stored := w.one(t, w.communeA, w.share, aug)
		if got := last[fmt.Sprint(w.communeA.ID, "2025-08")]; got != stored.Value {
			t.Fatalf("last delivered share of Vân Đồn = %v, stored %v", got, stored.Value)
		}

		cancel()
		for len(other) > 0 {
			<-other
		}
		must(t, w.values.SetValues(sys, []dxtrack.Value{val(w.communeA, w.total, aug, 1)}, ""))
		other.next(t, time.Second)
		c.none(t, 100*time.Millisecond)
	})
}

// TestApprovalWritesValues walks a report to its final approval: its
// values land in the value store at the report's period, a machine figure
// it overrides becomes a correction with the regime and period as the
// reason, and the feed delivers them.
func TestApprovalWritesValues(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedReporting(t, db)
		values := store.NewValueService(db)
		m := dxtrack.Value{UnitID: w.communeA.ID, IndicatorID: w.online.ID, Period: july, Value: 75, Provenance: dxtrack.FromMachine}
		must(t, values.SetValues(sys, []dxtrack.Value{m}, ""))
		c, _ := subscribe(t, db)

		r := w.open(t, w.reporterA, w.communeA, july)
		r = w.fill(t, w.reporterA, r, 120, 75, 66.7) // the machine figure, as prefilled
		// Changing a machine figure is a correction with a reason: it
		// reaches the value store, and the feed, when the report is saved.
		r.Values[1].Value, r.Values[1].Reason = ptr(80.0), "Cổng DVC thiếu 5 hồ sơ"
		r.Values[2].Value = nil // an empty value is not stored
		r, _, err := w.reports.SaveReport(as(w.reporterA), r)
		must(t, err)
		corrected := fmt.Sprintf("%d/%d/2025-07=80(corrected)", w.communeA.ID, w.online.ID)
		if got := describeValues(c.next(t, time.Second)); !slices.Equal(got, []string{corrected}) {
			t.Fatalf("delivered at the correction = %v, want %v", got, corrected)
		}
		r = w.act(t, w.reporterA, r, dxtrack.ActionSubmit, "")
		r = w.act(t, w.deptReviewer, r, dxtrack.ActionApprove, "")
		c.none(t, 100*time.Millisecond) // not final yet
		if vs, err := values.FindValues(as(w.leader), dxtrack.ValueFilter{UnitID: w.communeA.ID}); err != nil || len(vs) != 1 {
			t.Fatalf("values before the final approval = %+v, %v; want the corrected machine figure only", vs, err)
		}
		w.act(t, w.dtoReviewer, r, dxtrack.ActionApprove, "")

		got := describeValues(c.next(t, time.Second))
		want := []string{fmt.Sprintf("%d/%d/2025-07=120(manual)", w.communeA.ID, w.total.ID)}
		if !slices.Equal(got, want) {
			t.Fatalf("delivered at approval = %v, want %v", got, want)
		}
		vs, err := values.FindValues(as(w.leader), dxtrack.ValueFilter{UnitID: w.communeA.ID})
		must(t, err)
		want = append(want, corrected)
		if got := describeValues(vs); !slices.Equal(got, want) || vs[0].By != w.dtoReviewer.ID || !vs[0].At.Equal(w.db.Now()) ||
			vs[1].By != w.reporterA.ID {
			t.Fatalf("stored after approval = %v (%+v), want %v, the total set by the DT office's reviewer", got, vs, want)
		}
		id, err := store.ValueID(db, w.communeA.ID, w.online.ID, july.Key())
		must(t, err)
		es, err := w.audit.FindAudit(as(w.leader), "value", id)
		must(t, err)
		if es[0].Reason != "Cổng DVC thiếu 5 hồ sơ" || es[1].Old != "75" || es[1].New != "80" {
			t.Fatalf("audit of the corrected value = %+v %+v", es[0], es[1])
		}
	})
}

// TestFeedAcrossInstances runs two stores on one PostgreSQL schema, as two
// dxtrack instances: a write on either reaches the other's subscribers
// within a second, and its own subscribers once.
func TestFeedAcrossInstances(t *testing.T) {
	t.Parallel()
	if os.Getenv("DXTRACK_TEST_POSTGRES") == "" {
		t.Skip("DXTRACK_TEST_POSTGRES is not set")
	}
	db1, dsn := openPostgres(t)
	db2 := mustOpen(t, dsn)
	w := seedValues(t, db1)
	values2 := store.NewValueService(db2)
	c1, _ := subscribe(t, db1)
	c2, _ := subscribe(t, db2)
	jul := month(2025, 7)

	must(t, w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.total, jul, 120)}, ""))
	start := time.Now()
	got := c2.next(t, time.Second)
	if len(got) != 1 || got[0].Value != 120 || got[0].By != w.reporterA.ID || got[0].Period != jul {
		t.Fatalf("the other instance got %+v", got)
	}
	t.Logf("delivered to the other instance in %v", time.Since(start))
	if got := c1.next(t, time.Second); len(got) != 1 || got[0].Value != 120 {
		t.Fatalf("the writing instance got %+v", got)
	}
	// Its own notification has arrived by now too: it must not deliver
	// the change a second time.
	c1.none(t, 300*time.Millisecond)

	must(t, values2.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.total, jul, 121)}, ""))
	if got := c1.next(t, time.Second); len(got) != 1 || got[0].Value != 121 {
		t.Fatalf("the first instance got %+v", got)
	}
	c2.next(t, time.Second)
	c2.none(t, 300*time.Millisecond)

	// A large batch travels in several notifications (2,000 IDs of four
	// digits), all of it, in order.
	var batch []dxtrack.Value
	for i := range 1000 {
		p := month(2000+i/12, 1+i%12)
		batch = append(batch, val(w.communeA, w.online, p, float64(i)), val(w.communeB, w.online, p, float64(i)))
	}
	must(t, w.values.SetValues(sys, batch, ""))
	var recv []dxtrack.Value
	batches := 0
	for len(recv) < len(batch) {
		recv = append(recv, c2.next(t, 2*time.Second)...)
		batches++
	}
	if batches < 2 {
		t.Fatalf("2,000 changed values came in %d notification, want several", batches)
	}
	for i := range batch {
		if recv[i].UnitID != batch[i].UnitID || recv[i].Period != batch[i].Period || recv[i].Value != batch[i].Value {
			t.Fatalf("value %d delivered as %+v, want %+v", i, recv[i], batch[i])
		}
	}
	c2.none(t, 200*time.Millisecond)

	// Close stops the listener: it returns, and nothing is delivered after.
	db3, err := store.Open(t.Context(), dsn)
	must(t, err)
	c3, _ := subscribe(t, db3)
	closed := make(chan error)
	go func() { closed <- db3.Close() }()
	select {
	case err := <-closed:
		must(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Close with a listening feed did not return")
	}
	must(t, w.values.SetValues(sys, []dxtrack.Value{val(w.communeA, w.total, jul, 122)}, ""))
	c2.next(t, time.Second)
	c3.none(t, 200*time.Millisecond)
}
