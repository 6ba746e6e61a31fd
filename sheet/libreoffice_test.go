package sheet_test

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack/sheet"
)

const libreOfficeFixture = "testdata/libreoffice_filled.xlsx"

var regenLibreOffice = flag.Bool("libreoffice", false, "rewrite "+libreOfficeFixture+" through a local LibreOffice (soffice)")

// TestLibreOffice reads a filled form saved by LibreOffice Calc, so the
// file is LibreOffice's writing, not excelize's. The fixture was made once
// with -libreoffice (see testdata/README.md); the test itself needs no
// LibreOffice.
func TestLibreOffice(t *testing.T) {
	if *regenLibreOffice {
		makeLibreOfficeFixture(t)
	}
	data, err := os.ReadFile(libreOfficeFixture)
	if err != nil {
		t.Fatal(err)
	}
	if app := zipPart(t, data, "docProps/app.xml"); !strings.Contains(app, "LibreOffice") {
		t.Fatalf("%s was not written by LibreOffice: app.xml is %q", libreOfficeFixture, app)
	}
	f := testForm()
	got, errs := read(t, data, f, "vi")
	if len(errs) > 0 {
		t.Fatalf("errors: %v", messages(errs, "vi"))
	}
	sameReport(t, got, filledWant(f))

	// The same file read for another period is refused.
	other := testForm()
	other.Period.N = 4
	if _, errs := read(t, data, other, "vi"); len(errs) != 1 || errs[0].Cell != sheet.CellPeriodKey {
		t.Errorf("another period: %v", messages(errs, "vi"))
	}
}

// makeLibreOfficeFixture writes and fills the test form, then has
// LibreOffice open and save it as .xlsx.
func makeLibreOfficeFixture(t *testing.T) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("-libreoffice needs soffice on the PATH (apt-get install libreoffice-calc-nogui)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in", filepath.Base(libreOfficeFixture))
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(filepath.Dir(in), 0o755); err != nil {
		t.Fatal(err)
	}
	x := writeForm(t, testForm(), "vi")
	fill(t, x, "vi")
	if err := os.WriteFile(in, save(t, x), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	data, err := os.ReadFile(filepath.Join(out, filepath.Base(libreOfficeFixture)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(libreOfficeFixture, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == name {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	return ""
}
