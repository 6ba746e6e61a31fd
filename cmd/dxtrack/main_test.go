package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func runCLI(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out)
	return out.String(), err
}

func TestUnitsImportAndUpdate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dx.db")
	out, err := runCLI(t, "", "units", "import", "../../gso/data/vn_admin_units_2025-07.csv", "--db", db)
	if err != nil {
		t.Fatalf("import 2025: %v\n%s", err, out)
	}
	for _, want := range []string{"34 provinces, 3321 communes, effective 2025-07-01", "created 3355, updated 0, ended 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("import 2025 output lacks %q:\n%s", want, out)
		}
	}
	out, err = runCLI(t, "", "units", "import", "--db", db, "../../gso/data/vn_admin_units_2026-04.csv")
	if err != nil {
		t.Fatalf("import 2026: %v\n%s", err, out)
	}
	if !strings.Contains(out, "effective 2026-04-30") || !strings.Contains(out, "created 0,") {
		t.Errorf("import 2026 output:\n%s", out)
	}

	ctx := dxtrack.NewContextWithUser(context.Background(), dxtrack.SystemUser)
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	units := store.NewUnitService(s)
	_, n, err := units.FindUnits(ctx, dxtrack.UnitFilter{Types: []dxtrack.UnitType{dxtrack.UnitProvince}})
	if err != nil || n != 34 {
		t.Fatalf("provinces = %d, %v; want 34", n, err)
	}
	_, n, err = units.FindUnits(ctx, dxtrack.UnitFilter{Types: []dxtrack.UnitType{dxtrack.UnitCommune, dxtrack.UnitWard, dxtrack.UnitSpecialZone}})
	if err != nil || n != 3321 {
		t.Fatalf("communes = %d, %v; want 3321", n, err)
	}
	dongNai, err := units.FindUnitByCode(ctx, "75")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dongNai.TypeNameVI, "Thành phố trực thuộc trung ương"; got != want {
		t.Errorf("Đồng Nai type = %q, want %q", got, want)
	}
	changes, _, err := units.UnitHistory(ctx, dongNai.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range changes {
		if c.Field == "type_name_vi" && c.Old == "Tỉnh" && dxtrack.FormatDate(c.On) == "2026-04-30" {
			found = true
		}
	}
	if !found {
		t.Errorf("Đồng Nai's change of type is not in its history: %+v", changes)
	}
}

func TestUnitsMergers(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dx.db")
	if out, err := runCLI(t, "", "units", "mergers", "--db", db); err == nil {
		t.Fatalf("mergers before the 2025 list must fail (no successors): %s", out)
	}
	if out, err := runCLI(t, "", "units", "import", "../../gso/data/vn_admin_units_2025-07.csv", "--db", db); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := runCLI(t, "", "units", "mergers", "--db", db)
	if err != nil || !strings.Contains(out, "29 former provinces created, 29 mergers recorded on 2025-07-01, 34 unchanged") {
		t.Fatalf("mergers: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "", "units", "mergers", "--db", db); err != nil || !strings.Contains(out, "0 former provinces created, 0 mergers recorded") {
		t.Fatalf("mergers again: %v\n%s", err, out)
	}

	ctx := dxtrack.NewContextWithUser(context.Background(), dxtrack.SystemUser)
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	units := store.NewUnitService(s)
	provinces := dxtrack.UnitFilter{Types: []dxtrack.UnitType{dxtrack.UnitProvince}}
	if _, n, err := units.FindUnits(ctx, provinces); err != nil || n != 34 {
		t.Fatalf("current provinces = %d, %v; want 34", n, err)
	}
	// The 2025 list starts its units on 1 July 2025, so the day before
	// holds just the former provinces merged away.
	provinces.AsOf = dxtrack.MustDate("2025-06-30")
	if _, n, err := units.FindUnits(ctx, provinces); err != nil || n != 29 {
		t.Fatalf("former provinces on 30 June 2025 = %d, %v; want 29", n, err)
	}
	haGiang, err := units.FindUnitByCode(ctx, "02")
	if err != nil {
		t.Fatal(err)
	}
	_, lineage, err := units.UnitHistory(ctx, haGiang.ID)
	if err != nil || len(lineage) != 1 || lineage[0].Kind != dxtrack.LineageMerge {
		t.Fatalf("Hà Giang lineage = %+v, %v", lineage, err)
	}
	if tq, err := units.FindUnitByCode(ctx, "08"); err != nil || lineage[0].ToID != tq.ID {
		t.Fatalf("Hà Giang merged into %d, want Tuyên Quang", lineage[0].ToID)
	}
}

func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dx.db")
	if out, err := runCLI(t, "", "units", "import", "../../gso/data/vn_admin_units_2025-07.csv", "--db", db); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := runCLI(t, "s3cret-pass\n", "user", "add", "--db", db, "--username", "admin", "--unit", "22")
	if err != nil || !strings.Contains(out, "user admin (admin, Quảng Ninh) created") {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "", "user", "add", "--db", db, "--username", "x", "--unit", "nope", "--password", "s3cret-pass"); err == nil || !strings.Contains(err.Error(), "--unit") {
		t.Errorf("unknown unit: err = %v, want one naming --unit", err)
	}
	_, err = runCLI(t, "", "user", "add", "--db", db, "--username", "y", "--unit", "22", "--password", "short")
	if err == nil || !strings.Contains(err.Error(), "password") || !strings.Contains(err.Error(), "nothing was saved") {
		t.Errorf("short password: err = %v", err)
	}
}

func TestCommandLine(t *testing.T) {
	if out, err := runCLI(t, "", "version"); err != nil || !strings.HasPrefix(out, "dxtrack ") {
		t.Errorf("version: %q, %v", out, err)
	}
	if _, err := runCLI(t, "", "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %v", err)
	}
	if _, err := runCLI(t, "", "units", "import", "--db", filepath.Join(t.TempDir(), "x.db"), "--effective", "2025-13-01", "../../gso/data/vn_admin_units_2025-07.csv"); err == nil || !strings.Contains(err.Error(), "--effective") {
		t.Errorf("bad --effective: %v", err)
	}
}

func TestTrajectoryFlags(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		want    dxtrack.TrajectoryRule
		wantErr bool
	}{
		{nil, dxtrack.DefaultTrajectoryRule, false},
		{[]string{"--on-track", "1", "--at-risk", "0.7"}, dxtrack.TrajectoryRule{OnTrack: 1, AtRisk: 0.7}, false},
		{[]string{"--on-track", "0.5", "--at-risk", "0.7"}, dxtrack.TrajectoryRule{}, true},
		{[]string{"--at-risk", "0"}, dxtrack.TrajectoryRule{}, true},
	} {
		var cfg config
		fs := newFlags("serve", &cfg)
		f := addAnalyticsFlags(fs)
		if _, err := parseArgs(fs, tt.args); err != nil {
			t.Fatal(err)
		}
		got, err := f.rule()
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("%v: rule = %+v, %v", tt.args, got, err)
		}
	}
	t.Setenv("DXTRACK_ON_TRACK", "0.9")
	var cfg config
	fs := newFlags("serve", &cfg)
	if got := addAnalyticsFlags(fs).onTrack; got != 0.9 {
		t.Errorf("DXTRACK_ON_TRACK ignored: %v", got)
	}
}
