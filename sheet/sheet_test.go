package sheet_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
	"github.com/dxtrack/dxtrack/sheet"
)

func ptr[T any](v T) *T { return &v }

// testForm builds the form every test uses. It must stay deterministic:
// testdata/libreoffice_filled.xlsx was written from it, and its identity
// (report 4242, regime BC-CDS-THANG, unit SKHCN, period 2026-03) and codes
// must keep matching that file.
func testForm() *dxtrack.ReportForm {
	day := func(s string) time.Time { t, _ := dxtrack.ParseDate(s); return t }
	ins := []*dxtrack.Indicator{
		{ID: 101, Code: "DVC.TL", NameVI: "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình", NameEN: "Share of dossiers processed fully online", Measure: "%", Type: dxtrack.ValuePercent, Decimals: 1, Direction: dxtrack.DirectionUp},
		{ID: 102, Code: "DVC.HS", NameVI: "Số hồ sơ trực tuyến tiếp nhận", NameEN: "Online dossiers received", Measure: "hồ sơ", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp},
		{ID: 103, Code: "CDS.KP", NameVI: "Kinh phí chi cho chuyển đổi số", NameEN: "Spending on digital transformation", Measure: "triệu đồng", Type: dxtrack.ValueNumber, Decimals: 2, Min: ptr(0.0), Direction: dxtrack.DirectionUp},
		{ID: 104, Code: "HT.WIFI", NameVI: "Số điểm wifi công cộng", NameEN: "Public wifi spots", Measure: "điểm", Type: dxtrack.ValueCount, Max: ptr(500.0), Direction: dxtrack.DirectionUp},
		{ID: 105, Code: "HT.DIEM", NameVI: "Điểm tự đánh giá hạ tầng", NameEN: "Infrastructure self-assessment", Measure: "điểm", Type: dxtrack.ValueNumber, Decimals: 1, Min: ptr(0.0), Max: ptr(10.0), Direction: dxtrack.DirectionUp},
	}
	rg := &dxtrack.Regime{
		ID: 7, Code: "BC-CDS-THANG", NameVI: "Báo cáo chuyển đổi số hằng tháng", NameEN: "Monthly digital transformation report",
		Freq: dxtrack.Monthly, ScopeUnitID: 1, OwnerUnitID: 2, FinalUnitID: 3, DeadlineDays: 5,
		Items: []dxtrack.FormItem{
			{IndicatorID: 101, Required: true}, {IndicatorID: 102}, {IndicatorID: 103},
			{IndicatorID: 104, Group: "Hạ tầng số"}, {IndicatorID: 105, Group: "Hạ tầng số"},
		},
		IncludeTasks: true, IncludeTargets: true, Active: true,
	}
	p := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 3}
	return &dxtrack.ReportForm{
		Regime:     rg,
		Unit:       &dxtrack.Unit{ID: 31, Code: "SKHCN", NameVI: "Sở Khoa học và Công nghệ", NameEN: "Department of Science and Technology", Type: dxtrack.UnitType("department")},
		Period:     p,
		Deadline:   day("2026-03-20"),
		Indicators: ins,
		Tasks: []*dxtrack.Task{
			{ID: 201, Code: "NV01", NameVI: "Triển khai nền tảng số cấp tỉnh", NameEN: "Roll out the provincial digital platform", Deadline: day("2026-12-31"), LeadUnitID: 31},
			{ID: 202, Code: "NV02", NameVI: "Đào tạo kỹ năng số cho cán bộ", NameEN: "Digital skills training for officers", Deadline: day("2026-06-30"), LeadUnitID: 31},
		},
		Targets: []*dxtrack.Target{
			{ID: 301, Code: "MT01", NameVI: "Tỷ lệ dịch vụ công trực tuyến toàn trình", NameEN: "Share of fully online public services", Kind: dxtrack.TargetQuantitative, Measure: "%", Value: ptr(80.0), Direction: dxtrack.DirectionUp, LeadUnitID: 31},
			{ID: 302, Code: "MT02", NameVI: "Hoàn thành trung tâm dữ liệu tỉnh", NameEN: "Provincial data centre completed", Kind: dxtrack.TargetQualitative, LeadUnitID: 31},
		},
		Report: &dxtrack.Report{
			ID: 4242, RegimeID: 7, UnitID: 31, Period: p, Status: dxtrack.ReportDraft, Version: 3,
			Values: []dxtrack.ReportValue{
				{IndicatorID: 101, Value: ptr(55.5), Prefilled: true},
				{IndicatorID: 102, Value: ptr(1100.0), Prefilled: true},
			},
			Tasks:    []dxtrack.TaskEntry{{TaskID: 201, Progress: ptr(30), EvidenceFileID: 9}},
			Targets:  []dxtrack.TargetEntry{{TargetID: 301, Current: ptr(60.0)}},
			Sections: map[string]string{"TINH_HINH": "Ổn định"},
			Deadline: day("2026-03-20"),
		},
		Previous: map[int64]*float64{101: ptr(55.5), 102: ptr(1100.0)},
	}
}

// writeForm writes the test form and opens it as a user's spreadsheet
// would.
func writeForm(t *testing.T, f *dxtrack.ReportForm, lang string) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := sheet.WriteForm(&buf, f, lang); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// save serialises a workbook the test filled.
func save(t *testing.T, x *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func set(t *testing.T, x *excelize.File, sh, ref string, v any) {
	t.Helper()
	if err := x.SetCellValue(sh, ref, v); err != nil {
		t.Fatal(err)
	}
}

// fill types the answers of the round trip: numbers as numbers and as
// text, notes, task progress, a cleared prefill and both target kinds.
func fill(t *testing.T, x *excelize.File, lang string) {
	t.Helper()
	done := "Đã hoàn thành"
	if lang == "en" {
		done = "Done"
	}
	set(t, x, sheet.SheetValues, "D7", "72,5") // DVC.TL as text, either language
	set(t, x, sheet.SheetValues, "E7", "Tăng nhờ Cổng DVC")
	set(t, x, sheet.SheetValues, "D8", 1100)    // DVC.HS: the prefill typed again
	set(t, x, sheet.SheetValues, "D9", "12.5")  // CDS.KP
	set(t, x, sheet.SheetValues, "D11", 320)    // HT.WIFI below the group heading on row 10
	set(t, x, sheet.SheetValues, "D12", "7,25") // HT.DIEM
	set(t, x, sheet.SheetTasks, "D7", 45)
	set(t, x, sheet.SheetTasks, "E7", "Đã vận hành thử")
	set(t, x, sheet.SheetTasks, "F7", "123/QĐ-UBND")
	set(t, x, sheet.SheetTasks, "G7", "https://skhcn.quangninh.gov.vn/tin/1")
	set(t, x, sheet.SheetTasks, "D8", "100")
	set(t, x, sheet.SheetTargets, "E7", 65.5)
	set(t, x, sheet.SheetTargets, "F7", "Theo báo cáo quý")
	set(t, x, sheet.SheetTargets, "E8", done)
}

// filledWant is the report fill() gives.
func filledWant(f *dxtrack.ReportForm) *dxtrack.Report {
	want := *f.Report
	want.Values = []dxtrack.ReportValue{
		{IndicatorID: 101, Value: ptr(72.5), Note: "Tăng nhờ Cổng DVC"},
		{IndicatorID: 102, Value: ptr(1100.0), Prefilled: true},
		{IndicatorID: 103, Value: ptr(12.5)},
		{IndicatorID: 104, Value: ptr(320.0)},
		{IndicatorID: 105, Value: ptr(7.25)},
	}
	want.Tasks = []dxtrack.TaskEntry{
		{TaskID: 201, Progress: ptr(45), Narrative: "Đã vận hành thử", EvidenceNumber: "123/QĐ-UBND", EvidenceURL: "https://skhcn.quangninh.gov.vn/tin/1", EvidenceFileID: 9},
		{TaskID: 202, Progress: ptr(100)},
	}
	want.Targets = []dxtrack.TargetEntry{
		{TargetID: 301, Current: ptr(65.5), Note: "Theo báo cáo quý"},
		{TargetID: 302, Done: ptr(true)},
	}
	return &want
}

func read(t *testing.T, data []byte, f *dxtrack.ReportForm, lang string) (*dxtrack.Report, []sheet.CellError) {
	t.Helper()
	r, errs, err := sheet.ReadForm(bytes.NewReader(data), int64(len(data)), f, lang)
	if err != nil {
		t.Fatal(err)
	}
	if (r == nil) == (len(errs) == 0) {
		t.Fatalf("ReadForm gave report %v with %d errors: want exactly one of them", r != nil, len(errs))
	}
	return r, errs
}

func sameReport(t *testing.T, got, want *dxtrack.Report) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("report\n got %s\nwant %s", g, w)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			f := testForm()
			x := writeForm(t, f, lang)
			fill(t, x, lang)
			got, errs := read(t, save(t, x), f, lang)
			if len(errs) > 0 {
				t.Fatalf("errors: %v", messages(errs, "en"))
			}
			sameReport(t, got, filledWant(f))
			// The form's own report is left alone: the caller writes.
			if v := f.Report.Value(101); v == nil || *v != 55.5 {
				t.Errorf("ReadForm changed the form's report: %v", v)
			}
		})
	}
}

// TestUntouched reads back a form as downloaded: the prefill and the
// report's entries come back unchanged, empty cells as nil.
func TestUntouched(t *testing.T) {
	f := testForm()
	got, errs := read(t, save(t, writeForm(t, f, "vi")), f, "vi")
	if len(errs) > 0 {
		t.Fatalf("errors: %v", messages(errs, "vi"))
	}
	want := *f.Report
	want.Values = []dxtrack.ReportValue{
		{IndicatorID: 101, Value: ptr(55.5), Prefilled: true},
		{IndicatorID: 102, Value: ptr(1100.0), Prefilled: true},
		{IndicatorID: 103}, {IndicatorID: 104}, {IndicatorID: 105},
	}
	want.Tasks = []dxtrack.TaskEntry{{TaskID: 201, Progress: ptr(30), EvidenceFileID: 9}, {TaskID: 202}}
	want.Targets = []dxtrack.TargetEntry{{TargetID: 301, Current: ptr(60.0)}, {TargetID: 302}}
	sameReport(t, got, &want)
}

func TestWriteFormLayout(t *testing.T) {
	f := testForm()
	for _, tt := range []struct {
		lang, title, header, done string
	}{
		{"vi", "BIỂU 01. SỐ LIỆU CHỈ TIÊU", "Kỳ này", "Đã hoàn thành"},
		{"en", "FORM 01. INDICATOR VALUES", "This period", "Done"},
	} {
		x := writeForm(t, f, tt.lang)
		if got, want := x.GetSheetList(), []string{"Biểu 01", "Biểu 02", "Biểu 03", "Thông tin"}; !slices.Equal(got, want) {
			t.Errorf("%s: sheets %v, want %v", tt.lang, got, want)
		}
		cells := map[string]string{
			"Biểu 01!A1": tt.title, "Biểu 01!D6": tt.header, "Biểu 01!A7": "DVC.TL", "Biểu 01!B10": "Hạ tầng số",
			"Biểu 01!A11": "HT.WIFI", "Biểu 01!A12": "HT.DIEM", "Biểu 01!F8": "1,100", "Biểu 01!B4": "2026-03 (" + locale.For(tt.lang).Date(time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)) + " – " + locale.For(tt.lang).Date(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)) + ")",
			"Biểu 02!A8": "NV02", "Biểu 03!E8": "", "Biểu 03!A8": "MT02",
			"Thông tin!" + sheet.CellReportID: "4242", "Thông tin!" + sheet.CellRegimeCode: "BC-CDS-THANG",
			"Thông tin!" + sheet.CellUnitCode: "SKHCN", "Thông tin!" + sheet.CellPeriodKey: "2026-03",
		}
		for at, want := range cells {
			sh, ref, _ := strings.Cut(at, "!")
			if got, _ := x.GetCellValue(sh, ref); got != want {
				t.Errorf("%s: %s = %q, want %q", tt.lang, at, got, want)
			}
		}
		// Only input cells are unlocked.
		for _, c := range []struct {
			sheet, ref string
			locked     bool
		}{
			{"Biểu 01", "A7", true}, {"Biểu 01", "B7", true}, {"Biểu 01", "C7", true}, {"Biểu 01", "D7", false},
			{"Biểu 01", "E7", false}, {"Biểu 01", "F7", true}, {"Biểu 01", "D10", true}, {"Biểu 01", "D11", false},
			{"Biểu 02", "C7", true}, {"Biểu 02", "D7", false}, {"Biểu 02", "G8", false},
			{"Biểu 03", "D7", true}, {"Biểu 03", "E8", false}, {"Biểu 03", "F8", false},
			{"Thông tin", "B2", true},
		} {
			id, err := x.GetCellStyle(c.sheet, c.ref)
			if err != nil {
				t.Fatal(err)
			}
			st, err := x.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			locked := st.Protection == nil || st.Protection.Locked
			if locked != c.locked {
				t.Errorf("%s: %s!%s locked = %v, want %v", tt.lang, c.sheet, c.ref, locked, c.locked)
			}
		}
		// Every sheet is protected, and the structure too.
		for _, sh := range x.GetSheetList() {
			if !sheetProtected(t, x, sh) {
				t.Errorf("%s: sheet %s is not protected", tt.lang, sh)
			}
		}
		dvs, err := x.GetDataValidations("Biểu 01")
		if err != nil {
			t.Fatal(err)
		}
		rules := map[string]string{}
		for _, dv := range dvs {
			rules[dv.Sqref] = dv.Type + " " + dv.Operator + " " + dv.Formula1 + " " + dv.Formula2
		}
		for ref, want := range map[string]string{
			"D7":  "decimal between 0 100",
			"D8":  "whole between 0 1000000000000000",
			"D9":  "decimal between 0 1000000000000000",
			"D11": "whole between 0 500",
			"D12": "decimal between 0 10",
		} {
			if rules[ref] != want {
				t.Errorf("%s: validation of %s is %q, want %q", tt.lang, ref, rules[ref], want)
			}
		}
		dvs, _ = x.GetDataValidations("Biểu 03")
		var list string
		for _, dv := range dvs {
			if dv.Sqref == "E8" {
				list = dv.Type + " " + dv.Formula1
			}
		}
		if !strings.Contains(list, "list") || !strings.Contains(list, tt.done) {
			t.Errorf("%s: dropdown of Biểu 03!E8 is %q", tt.lang, list)
		}
		panes, err := x.GetPanes("Biểu 01")
		if err != nil || !panes.Freeze || panes.YSplit != 6 {
			t.Errorf("%s: panes %+v, %v: want the header rows frozen", tt.lang, panes, err)
		}
	}
}

// sheetProtected reads the sheet's XML for its protection element.
func sheetProtected(t *testing.T, x *excelize.File, name string) bool {
	t.Helper()
	// Unprotecting succeeds only on a protected sheet.
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	y, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	return y.UnprotectSheet(name) == nil
}

// TestNoTasksNoTargets leaves out the sheets the regime does not include.
func TestNoTasksNoTargets(t *testing.T) {
	f := testForm()
	f.Regime.IncludeTasks, f.Regime.IncludeTargets = false, false
	x := writeForm(t, f, "vi")
	if got, want := x.GetSheetList(), []string{"Biểu 01", "Thông tin"}; !slices.Equal(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	set(t, x, sheet.SheetValues, "D8", 5)
	got, errs := read(t, save(t, x), f, "vi")
	if len(errs) > 0 {
		t.Fatalf("errors: %v", messages(errs, "vi"))
	}
	if v := got.Value(102); v == nil || *v != 5 {
		t.Errorf("DVC.HS = %v, want 5", v)
	}
	if !reflect.DeepEqual(got.Tasks, f.Report.Tasks) || !reflect.DeepEqual(got.Targets, f.Report.Targets) {
		t.Errorf("tasks and targets changed though the form has none: %+v %+v", got.Tasks, got.Targets)
	}
}

var msgIDPattern = regexp.MustCompile(`"(sheet\.[a-z_]+)"`)

// TestMessages checks that every message ID of the package is in both
// catalogues.
func TestMessages(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgIDPattern.FindAllStringSubmatch(string(src), -1) {
			n++
			for _, lang := range locale.Langs {
				if !locale.For(lang).Has(m[1]) {
					t.Errorf("%s (%s) is missing from %s.toml", m[1], e.Name(), lang)
				}
			}
		}
	}
	if n < 50 {
		t.Fatalf("found only %d message IDs; is the scan broken?", n)
	}
}

func messages(errs []sheet.CellError, lang string) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Message(locale.For(lang))
	}
	return out
}
