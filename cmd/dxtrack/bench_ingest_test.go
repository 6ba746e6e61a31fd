package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// TestMain lets the test binary stand in for dxtrack when "bench ingest"
// starts its load generator as os.Executable().
func TestMain(m *testing.M) {
	if os.Getenv("DXTRACK_TEST_AS_DXTRACK") == "1" {
		if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout); err != nil {
			os.Stderr.WriteString("dxtrack: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A short run of the ingestion bench: the report counts events that the
// API acknowledged and finds every one of them in the roll-up. Not a
// timed assertion: the figures depend on the machine.
func TestBenchIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and a load generator")
	}
	t.Setenv("DXTRACK_TEST_AS_DXTRACK", "1")
	var out bytes.Buffer
	err := run(t.Context(), []string{"bench", "ingest", "--duration", "2s", "--communes", "20", "--conns", "2", "--batch", "200", "--dir", t.TempDir()}, strings.NewReader(""), &out)
	if err != nil {
		t.Fatalf("bench ingest: %v\n%s", err, out.String())
	}
	report := out.String()
	m := regexp.MustCompile(`\| events durable \(2xx\) \| ([\d,]+) \|`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no event count in the report:\n%s", report)
	}
	if n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", "")); n == 0 || n%200 != 0 {
		t.Errorf("events durable = %s, want a positive multiple of the batch size\n%s", m[1], report)
	}
	if !regexp.MustCompile(`\| country total of DVC_HS in the roll-up = events \+ probes durable \| [\d,]+ = [\d,]+ \+ \d+ met \|`).MatchString(report) {
		t.Errorf("the roll-up does not hold every acknowledged event:\n%s", report)
	}
	for _, want := range []string{"events/s durable", "batch latency p50 / p99", "roll-up freshness after 2xx"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}

func TestSourceCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dx.db")
	ctx := dxtrack.NewContextWithUser(context.Background(), dxtrack.SystemUser)
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.NewUnitService(s).CreateUnit(ctx, &dxtrack.Unit{Code: "22", NameVI: "Quảng Ninh", Type: dxtrack.UnitProvince, ValidFrom: dxtrack.MustDate("2020-01-01")}); err != nil {
		t.Fatal(err)
	}
	if err := store.NewIndicatorService(s).CreateIndicator(ctx, &dxtrack.Indicator{Code: "HS", NameVI: "Hồ sơ", Type: dxtrack.ValueCount, Source: dxtrack.SourceMachine, Direction: dxtrack.DirectionUp}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	file := filepath.Join(t.TempDir(), "dvc.json")
	os.WriteFile(file, []byte(`{"code": "dvc", "name": "Cổng dịch vụ công", "owner_unit": "22",
		"mapping": {"unit_field": "unit", "time_field": "at", "rules": [{"indicator": "HS", "agg": "count"}]}}`), 0o600)

	out, err := runCLI(t, "", "source", "add", "--db", db, file)
	if err != nil {
		t.Fatalf("source add: %v\n%s", err, out)
	}
	first := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	if !strings.Contains(out, "source dvc created") || len(first) < 20 {
		t.Fatalf("source add output:\n%s", out)
	}
	out, err = runCLI(t, "", "source", "list", "--db", db)
	if err != nil || !strings.Contains(out, "dvc") || !strings.Contains(out, first[:6]+"…") {
		t.Errorf("source list: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "source", "token", "--db", db, "dvc")
	if err != nil || !strings.Contains(out, "new token of dvc") || strings.Contains(out, first) {
		t.Errorf("source token: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "source", "add", "--db", db, file)
	if err == nil || !strings.Contains(err.Error(), "refused, nothing was saved") {
		t.Errorf("adding the same code again: %v\n%s", err, out)
	}
}
