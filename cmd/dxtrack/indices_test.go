package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexCommands imports a definition, exports it and feeds a table in
// as an edition; a bad cell is refused naming its row and column.
func TestIndexCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dx.db")
	def := filepath.Join(dir, "xa.yaml")
	if err := os.WriteFile(def, []byte(`code: QN-XA
version: "2025"
name_vi: Chỉ số xã
decimals: 4
root:
  code: QN-XA
  name_vi: Chỉ số xã
  aggregator: weighted_mean
  children:
    - {code: ONLINE, name_vi: Hồ sơ trực tuyến, weight: 0.5, rule: {kind: target, target: 100}}
    - {code: CASHLESS, name_vi: Không dùng tiền mặt, weight: 0.5, rule: {kind: target, target: 100}}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "", "index", "import", def, "--db", db)
	if err != nil || !strings.Contains(out, "Imported QN-XA version 2025") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "index", "export", "QN-XA", "--yaml", "--db", db)
	if err != nil || !strings.Contains(out, "code: CASHLESS") {
		t.Fatalf("export: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "index", "export", "EGDI", "--version", "2022", "--db", db)
	if err != nil || !strings.HasPrefix(out, "{") || !strings.Contains(out, `"OSI"`) {
		t.Fatalf("export builtin: %v\n%s", err, out)
	}

	table := filepath.Join(dir, "xa.csv")
	os.WriteFile(table, []byte("unit_code,unit_name,ONLINE,CASHLESS\nX1,Xã 1,80,40\nX2,Xã 2,70,x\n"), 0o644)
	_, err = runCLI(t, "", "index", "table", "QN-XA", "2025", "2025", table, "--db", db)
	if err == nil || !strings.Contains(err.Error(), "row 3: CASHLESS") {
		t.Fatalf("bad table: %v", err)
	}
	os.WriteFile(table, []byte("unit_code,unit_name,ONLINE,CASHLESS\nX1,Xã 1,80,40\nX2,Xã 2,70,50\n"), 0o644)
	out, err = runCLI(t, "", "index", "table", "QN-XA", "2025", "2025", table, "--name", "Chỉ số xã 2025", "--db", db)
	if err != nil || !strings.Contains(out, "Edition 1: Chỉ số xã 2025, 2 units") {
		t.Fatalf("table: %v\n%s", err, out)
	}
}
