package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// TestReportFormAutomaticValue: a figure another system pushed shows in
// the report form prefilled, locked and marked "Tự động"; changing it
// without a reason is refused naming the field; with a reason it is a
// correction, stored as such with the reason in the audit trail, and the
// form then shows "Đã hiệu chỉnh" with who and why.
func TestReportFormAutomaticValue(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	rg, ins := f.seedRegime(t)
	values := store.NewValueService(f.db)
	tong := ins["TONG"]
	if err := values.SetValues(f.sys, []dxtrack.Value{{UnitID: f.communeA.ID, IndicatorID: tong.ID, Period: jan2023,
		Value: 120, Provenance: dxtrack.FromMachine}}, "Cổng dịch vụ công"); err != nil {
		t.Fatal(err)
	}
	rep := f.open(t, rg, f.communeA)
	path := "/reports/" + fmtID(rep.ID)
	a := f.login("reporter-a")
	_, body := a.get(path)
	input := `name="v.` + fmtID(tong.ID) + `" type="text" value="120" readonly`
	if !strings.Contains(body, input) {
		t.Fatalf("TONG is not shown locked with 120:\n%s", excerpt(body))
	}
	wantText(t, body, "Tự động", "từ Cổng dịch vụ công", "Sửa", "Lý do hiệu chỉnh")
	if strings.Contains(body, `name="v.`+fmtID(ins["TT"].ID)+`" type="text" value="" readonly`) {
		t.Error("a manual indicator is locked")
	}
	v := version(t, body)

	// The Excel form carries the figure in a locked cell.
	res, data := a.getBytes(path + "/xlsx")
	wantStatus(t, res, "", http.StatusOK)
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	cells := valueCells(t, x)
	for code, locked := range map[string]bool{"TONG": true, "TT": false} {
		got, _ := x.GetCellValue("Biểu 01", cells[code])
		id, _ := x.GetCellStyle("Biểu 01", cells[code])
		st, err := x.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		isLocked := st.Protection == nil || st.Protection.Locked
		if isLocked != locked || code == "TONG" && got != "120" {
			t.Errorf("Excel cell of %s = %q, locked %v; want locked %v", code, got, isLocked, locked)
		}
	}

	// A new figure without a reason: refused beside the field, nothing stored.
	form := reportValues(ins, v, "120", "80", "", "Ổn định")
	form.Set("vc."+fmtID(tong.ID), "125")
	res, saved := a.post(path+"/save", form)
	wantStatus(t, res, saved, http.StatusUnprocessableEntity)
	if got := msgBox(saved, tong.ID); !strings.Contains(got, "cần nêu lý do") {
		t.Errorf("beside TONG: %q, want the missing reason", got)
	}
	if !strings.Contains(saved, `<details class="correct" open>`) || !strings.Contains(saved, `value="125"`) {
		t.Error("the refused correction is not shown open with the typed figure")
	}
	if got, _ := values.FindValues(f.sys, dxtrack.ValueFilter{IndicatorID: tong.ID, UnitID: f.communeA.ID}); got[0].Value != 120 ||
		got[0].Provenance != dxtrack.FromMachine {
		t.Fatalf("after the refusal the value is %+v", got[0])
	}

	// With a reason: a correction.
	form.Set("vr."+fmtID(tong.ID), "Cổng đếm trùng 5 hồ sơ")
	res, saved = a.post(path+"/save", form)
	wantRedirect(t, res, saved, path)
	got, _ := values.FindValues(f.sys, dxtrack.ValueFilter{IndicatorID: tong.ID, UnitID: f.communeA.ID})
	if got[0].Value != 125 || got[0].Provenance != dxtrack.FromCorrected {
		t.Fatalf("stored = %+v, want 125 corrected", got[0])
	}
	hist, err := values.ValueHistory(f.sys, f.communeA.ID, tong.ID, jan2023)
	if err != nil || len(hist) == 0 || hist[0].Reason != "Cổng đếm trùng 5 hồ sơ" {
		t.Fatalf("value history = %+v, %v", hist, err)
	}
	_, body = a.get(path)
	if !strings.Contains(body, `name="v.`+fmtID(tong.ID)+`" type="text" value="125" readonly`) {
		t.Error("the corrected figure is not shown locked")
	}
	wantText(t, body, "Đã hiệu chỉnh", "Người dùng reporter-a", "Cổng đếm trùng 5 hồ sơ")
	if f.report(t, rep.ID).Value(tong.ID) == nil || *f.report(t, rep.ID).Value(tong.ID) != 125 {
		t.Error("the report does not carry the corrected figure")
	}

	// A reviewer sees the badge but no correction.
	_, body = f.login("reviewer-d").get(path)
	wantText(t, body, "Đã hiệu chỉnh")
	noText(t, body, "Lý do hiệu chỉnh")
}
