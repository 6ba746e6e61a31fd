package sheet_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/sheet"
)

func testConsolidated() *dxtrack.Consolidated {
	f := testForm()
	units := []*dxtrack.Unit{
		{ID: 31, Code: "SKHCN", NameVI: "Sở Khoa học và Công nghệ", NameEN: "Department of Science and Technology"},
		{ID: 41, Code: "HALONG", NameVI: "Phường Hạ Long", NameEN: "Ha Long ward"},
		{ID: 42, Code: "TIENYEN", NameVI: "Xã Tiên Yên", NameEN: "Tien Yen commune"},
		{ID: 43, Code: "COTO", NameVI: "Đặc khu Cô Tô", NameEN: "Co To special zone"},
	}
	report := func(id, unit int64, st dxtrack.ReportStatus, tl, hs *float64) *dxtrack.Report {
		return &dxtrack.Report{ID: id, RegimeID: f.Regime.ID, UnitID: unit, Period: f.Period, Status: st,
			Values: []dxtrack.ReportValue{{IndicatorID: 101, Value: tl}, {IndicatorID: 102, Value: hs}}}
	}
	reports := []*dxtrack.Report{
		report(1, 31, dxtrack.ReportApproved, ptr(72.5), ptr(1200.0)),
		report(2, 41, dxtrack.ReportSubmitted, ptr(60.25), ptr(800.0)),
		report(3, 42, dxtrack.ReportDraft, ptr(99.0), ptr(5.0)), // a draft does not count
	}
	return dxtrack.BuildConsolidated(f.Regime, f.Period, f.Indicators, units, reports)
}

func TestWriteConsolidated(t *testing.T) {
	for _, tt := range []struct{ lang, sheetName, total, approved, none string }{
		{"vi", "Tổng hợp", "Tổng cộng", "Đã duyệt", "Chưa mở báo cáo"},
		{"en", "Consolidated", "Total", "Approved", "Not opened"},
	} {
		var buf bytes.Buffer
		if err := sheet.WriteConsolidated(&buf, testConsolidated(), tt.lang); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if got := x.GetSheetList(); len(got) != 1 || got[0] != tt.sheetName {
			t.Fatalf("%s: sheets %v", tt.lang, got)
		}
		sh := tt.sheetName
		cells := map[string]string{
			"D5": "DVC.TL", "E5": "DVC.HS", "H5": "HT.DIEM",
			"C6": tt.approved, "D6": "72.5", "E6": "1200",
			"D7": "60.25", "E7": "800",
			"D8": "", "E8": "", // the draft
			"C9": tt.none, "D9": "",
			"B10": tt.total, "D10": "66.375", "E10": "2000", "F10": "",
			"D11": "2/4",
		}
		for ref, want := range cells {
			if got, _ := x.GetCellValue(sh, ref); got != want {
				t.Errorf("%s: %s = %q, want %q", tt.lang, ref, got, want)
			}
		}
		if got, _ := x.GetCellValue(sh, "A1"); !strings.Contains(got, "BC-CDS-THANG") {
			t.Errorf("%s: title %q", tt.lang, got)
		}
		// Numbers are numbers, shown with the indicator's decimals.
		for ref, format := range map[string]string{"D6": "#,##0.0", "E6": "#,##0", "D10": "#,##0.0", "E10": "#,##0"} {
			if typ, _ := x.GetCellType(sh, ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("%s: %s has type %v, want a number", tt.lang, ref, typ)
			}
			id, _ := x.GetCellStyle(sh, ref)
			st, err := x.GetStyle(id)
			if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != format {
				t.Errorf("%s: %s number format %v, want %q", tt.lang, ref, st.CustomNumFmt, format)
			}
		}
	}
}
