package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
)

// valueCells finds, in the downloaded form, the value cell (column D) of
// each indicator by the code in column A.
func valueCells(t *testing.T, x *excelize.File) map[string]string {
	t.Helper()
	rows, err := x.GetRows("Biểu 01")
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]string{}
	for i, row := range rows {
		if len(row) > 0 {
			cells[strings.TrimSpace(row[0])] = "D" + fmtID(int64(i+1))
		}
	}
	return cells
}

func TestReportExcelRoundTrip(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	rg, ins := f.seedRegime(t)
	rep := f.open(t, rg, f.communeA)
	path := "/reports/" + fmtID(rep.ID)
	a := f.login("reporter-a")

	res, data := a.getBytes(path + "/xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	fill := func(values map[string]any) []byte {
		t.Helper()
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		cells := valueCells(t, x)
		for code, v := range values {
			cell, ok := cells[code]
			if !ok {
				t.Fatalf("no row for %s in Biểu 01", code)
			}
			if err := x.SetCellValue("Biểu 01", cell, v); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := x.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}

	// Filled and uploaded: the values are saved.
	res, body := a.upload(path+"/xlsx", "bao-cao.xlsx", fill(map[string]any{"TONG": 150, "TT": 120, "TL": 80.5}))
	wantRedirect(t, res, body, path)
	_, body = a.get(path)
	wantText(t, body, "Đã nhập số liệu từ tệp Excel.")
	r := f.report(t, rep.ID)
	for code, want := range map[string]float64{"TONG": 150, "TT": 120, "TL": 80.5} {
		if v := r.Value(ins[code].ID); v == nil || *v != want {
			t.Errorf("%s = %v after upload, want %v", code, v, want)
		}
	}

	// With errors: every bad cell is listed by sheet and cell, nothing is
	// written — not even the good cells of the same upload.
	res, body = a.upload(path+"/xlsx", "bao-cao.xlsx", fill(map[string]any{"TONG": 999, "TT": "nhiều", "TL": "12,5%x"}))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantText(t, body, "Tệp Excel chưa được nhập", "Biểu 01, ô D", "'nhiều' không phải số nguyên không âm")
	if got := f.report(t, rep.ID); *got.Value(ins["TONG"].ID) != 150 || got.Version != r.Version {
		t.Errorf("a refused upload changed the report: TONG %v, version %d → %d", *got.Value(ins["TONG"].ID), r.Version, got.Version)
	}

	// Through htmx the errors come as a fragment for the upload box.
	req, _ := http.NewRequest(http.MethodPost, a.base+path+"/xlsx", strings.NewReader("not a multipart body"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("HX-Request", "true")
	res, body = a.do(req)
	wantStatus(t, res, body, http.StatusOK)
	if !strings.HasPrefix(strings.TrimSpace(body), `<div id="upload-result">`) {
		t.Errorf("htmx upload answer: %s", excerpt(body))
	}

	// Not a workbook, and a 50 MB file: refused with a clear message.
	res, body = a.upload(path+"/xlsx", "bao-cao.xlsx", []byte("PK\x03\x04 not really a zip"))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantText(t, body, "Tệp Excel chưa được nhập")
	res, body = a.upload(path+"/xlsx", "lon.xlsx", bytes.Repeat([]byte("x"), 50<<20))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantText(t, body, "Tệp quá lớn: tối đa 10 MB")
	if got := f.report(t, rep.ID); got.Version != r.Version {
		t.Error("a refused upload changed the report")
	}

	// Another commune cannot upload into it; a submitted report takes no
	// upload.
	res, body = f.login("reporter-b").upload(path+"/xlsx", "bao-cao.xlsx", fill(map[string]any{"TONG": 1}))
	wantStatus(t, res, body, http.StatusForbidden)
	if _, err := f.reports.Act(f.sys, rep.ID, dxtrack.ActionSubmit, ""); err == nil {
		t.Fatal("submitted without the required section")
	}
}

func TestConsolidatedXLSX(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	rg, _ := f.seedRegime(t)
	leader := f.login("leader")
	res, data := leader.getBytes("/regimes/" + fmtID(rg.ID) + "/table.xlsx?period=2023-01")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, sh := range x.GetSheetList() {
		rows, _ := x.GetRows(sh)
		for _, r := range rows {
			all = append(all, strings.Join(r, " "))
		}
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{"Xã Hòa Bình", "Sở Khoa học và Công nghệ", "TONG"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the table lacks %q", want)
		}
	}
}
