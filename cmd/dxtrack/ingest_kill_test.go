package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// TestIngestSurvivesKill pushes batches to a dxtrack process and kills it
// with SIGKILL right after a 2xx, round after round, with other batches
// in flight. After a last restart, every batch is sent once more: each
// acknowledged one must come back as a duplicate, and the values must
// count every batch exactly once.
func TestIngestSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "dxtrack")
	if out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbPath := filepath.Join(dir, "dx.db")
	token := killSetup(t, dbPath)

	const rounds, inFlight, size = 4, 6, 50
	// Batch k holds size records of commune 00001 in August 2025.
	body := killBatch(size)
	acked := map[string]bool{}
	sent := 0
	for round := range rounds {
		base, cmd := killServe(t, exe, dbPath)
		var wg sync.WaitGroup
		var mu sync.Mutex
		first := make(chan struct{})
		var once sync.Once
		for i := range inFlight {
			key := fmt.Sprintf("r%d-b%d", round, i)
			sent++
			wg.Go(func() {
				status, res := killPush(base, token, key, body)
				if status == http.StatusOK {
					mu.Lock()
					acked[key] = true
					mu.Unlock()
					if res == nil || res.Accepted != size {
						t.Errorf("batch %s: result %+v, want %d accepted", key, res, size)
					}
					once.Do(func() { close(first) })
				}
			})
		}
		select {
		case <-first:
		case <-time.After(60 * time.Second):
			t.Fatal("no batch was acknowledged")
		}
		// SIGKILL right after the first 2xx, others still in flight.
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		wg.Wait()
	}
	if len(acked) == 0 {
		t.Fatal("nothing acknowledged")
	}
	// Restart and send every batch again.
	base, cmd := killServe(t, exe, dbPath)
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	for round := range rounds {
		for i := range inFlight {
			key := fmt.Sprintf("r%d-b%d", round, i)
			status, res := killPush(base, token, key, body)
			if status != http.StatusOK {
				t.Fatalf("resend %s: status %d", key, status)
			}
			if acked[key] && !res.Duplicate {
				t.Errorf("acknowledged batch %s was lost: counted again on resend", key)
			}
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()

	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The last dxtrack stopped gracefully and applied every batch; a
	// batch committed but not yet applied when a process was killed is
	// applied by the next start.
	if n, err := db.ApplyPending(context.Background(), 1000); err != nil || n != 0 {
		t.Fatalf("%d batches left pending (%v)", n, err)
	}
	sys := dxtrack.NewContextWithUser(context.Background(), dxtrack.SystemUser)
	vs, err := store.NewValueService(db).FindValues(sys, dxtrack.ValueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Value != float64(sent*size) {
		t.Fatalf("values = %+v, want one of %d (%d batches of %d, each once)", vs, sent*size, sent, size)
	}
	log, err := store.NewDataSourceService(db).Batches(sys, 1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != sent {
		t.Fatalf("%d batches logged, want %d", len(log), sent)
	}
}

// killSetup makes the store: a province and a commune, an indicator and
// a source counting its records; it returns the source's token.
func killSetup(t *testing.T, path string) string {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sys := dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser)
	units := store.NewUnitService(db)
	p := &dxtrack.Unit{Code: "25", NameVI: "Phú Thọ", Type: dxtrack.UnitProvince, ValidFrom: dxtrack.MustDate("2025-07-01")}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(units.CreateUnit(sys, p))
	must(units.CreateUnit(sys, &dxtrack.Unit{Code: "00001", NameVI: "Xã Một", Type: dxtrack.UnitCommune, ParentID: p.ID,
		ValidFrom: dxtrack.MustDate("2025-07-01")}))
	must(store.NewIndicatorService(db).CreateIndicator(sys, &dxtrack.Indicator{Code: "HS_TONG", NameVI: "Tổng số hồ sơ",
		Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp, Source: dxtrack.SourceMachine}))
	token, err := store.NewDataSourceService(db).CreateSource(sys, &dxtrack.DataSource{Code: "dvc", Name: "Cổng DVC",
		OwnerUnitID: p.ID, Mapping: dxtrack.Mapping{UnitField: "unit", TimeField: "at",
			Rules: []dxtrack.MapRule{{Indicator: "HS_TONG", Agg: dxtrack.MapCount}}}})
	must(err)
	return token
}

func killBatch(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "{\"unit\": \"00001\", \"at\": \"2025-08-%02d\"}\n", 1+i%28)
	}
	return b.String()
}

var servingURL = regexp.MustCompile(`serving (http://\S+)`)

// killServe starts dxtrack serve on the store and returns its URL.
func killServe(t *testing.T, exe, db string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(exe, "serve", "--db", db, "--addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := servingURL.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, out)
			return m[1], cmd
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("dxtrack serve did not say where it serves")
	return "", nil
}

// killPush sends a batch; a failed request (the process was killed) is
// status 0.
func killPush(base, token, key, body string) (int, *dxtrack.BatchResult) {
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/ingest/dvc", strings.NewReader(body))
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("Content-Type", "application/x-ndjson")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	var r dxtrack.BatchResult
	if json.NewDecoder(res.Body).Decode(&r) != nil {
		return res.StatusCode, nil
	}
	return res.StatusCode, &r
}
