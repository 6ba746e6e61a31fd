package locale_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// catalogueIDs reads the message IDs of a catalogue file.
func catalogueIDs(t *testing.T, lang string) []string {
	t.Helper()
	m := map[string]any{}
	for _, name := range locale.CatalogueFiles(lang) {
		var part map[string]any
		if _, err := toml.DecodeFile(name, &part); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for id, v := range part {
			if _, dup := m[id]; dup {
				t.Errorf("%s: %s is also in another %s catalogue", name, id, lang)
			}
			m[id] = v
		}
	}
	ids := make([]string, 0, len(m))
	for id, v := range m {
		if plural, ok := v.(map[string]any); ok {
			// Vietnamese has a single plural form, but go-i18n and
			// translators want both written out.
			for _, form := range []string{"one", "other"} {
				if _, ok := plural[form]; !ok {
					t.Errorf("%s.toml: %s has no %q form", lang, id, form)
				}
			}
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// sampleArgs fills every argument any message uses.
var sampleArgs = map[string]any{
	"Field": "Hạn", "Value": "x", "Other": "2022-02-05", "From": 2021, "To": 2025,
	"Date": "2022-02-05", "Min": 8, "Code": "SKHCN", "Count": 2, "Query": "hoa binh",
	"Row": 12, "Number": "09-NQ/TU", "Name": "Quảng Ninh", "Year": 2030, "Status": "Quá hạn",
	"By": "Admin", "At": "05/02/2022 08:00", "Unit": "Xã A", "Old": "a", "New": "b",
	"Progress": "40%", "Deadline": "31/12/2025", "Margin": "15", "Current": "12", "Measure": "%",
	"Targets": 3, "Tasks": 4, "Total": 27, "Children": 1,
	"Max": 100, "Share": 60, "Last": 120.5, "Left": "DONE", "Op": "<=", "Right": "TOTAL",
	"Target": 100, "Actual": 12.5, "Required": 15.2, "Ratio": 82.2, "OnTrack": 95, "AtRisk": 50,
	"Accepted": "1.000", "Refused": "3", "Minutes": "60", "Hint": "dxs_ab12",
}

// TestCataloguesAgree renders every message of each catalogue in both
// languages: an ID missing from either, or a message that fails to render,
// fails the test.
func TestCataloguesAgree(t *testing.T) {
	vi, en := catalogueIDs(t, "vi"), catalogueIDs(t, "en")
	all := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(vi), en...))))
	for _, lang := range locale.Langs {
		p := locale.For(lang)
		for _, id := range all {
			if !p.Has(id) {
				t.Errorf("%s: message %q is missing", lang, id)
				continue
			}
			got := p.T(id, sampleArgs)
			if got == id || got == "" || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
				t.Errorf("%s: %q renders as %q", lang, id, got)
			}
		}
	}
}

var errorIDPattern = regexp.MustCompile(`"(error\.[a-z_]+)"`)

// TestErrorIDsTranslated finds every quoted error.* literal in the Go code
// of the repository (the domain's, the store's, the web's ...) and checks
// both catalogues have it.
func TestErrorIDsTranslated(t *testing.T) {
	root := filepath.Join("..")
	found := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range errorIDPattern.FindAllStringSubmatch(string(src), -1) {
			found[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 10 {
		t.Fatalf("found only %d error IDs in the Go code; is the walk broken?", len(found))
	}
	for id, path := range found {
		for _, lang := range locale.Langs {
			if !locale.For(lang).Has(id) {
				t.Errorf("%s (used in %s) is missing from %s.toml", id, path, lang)
			}
		}
	}
}

func TestTemplatesArgs(t *testing.T) {
	vi, en := locale.For("vi"), locale.For("en")
	tests := []struct {
		p    *locale.Printer
		id   string
		args map[string]any
		want string
	}{
		{vi, "unit.children_count", map[string]any{"Count": 1234}, "1.234 đơn vị trực thuộc"},
		{en, "unit.children_count", map[string]any{"Count": 1}, "1 unit below"},
		{en, "unit.children_count", map[string]any{"Count": 2}, "2 units below"},
		{vi, "error.required", nil, "Giá trị là thông tin bắt buộc"},
		{en, "error.unknown_unit", map[string]any{"Field": "Lead unit"}, "Lead unit: there is no such unit"},
		{en, "error.unknown_unit", map[string]any{"Field": "Lead unit", "Code": "XX"}, "Lead unit: there is no unit with code “XX”"},
		{vi, "no.such.message", nil, "no.such.message"},
	}
	for _, tt := range tests {
		if got := tt.p.T(tt.id, tt.args); got != tt.want {
			t.Errorf("%s T(%q, %v) = %q, want %q", tt.p.Lang(), tt.id, tt.args, got, tt.want)
		}
	}
}

func TestFieldError(t *testing.T) {
	fe := dxtrack.FieldError{Field: "deadline", MsgID: "error.deadline_before_document", Args: map[string]any{"Date": "2022-02-05"}}
	if got, want := locale.For("vi").FieldError(fe), "Hạn hoàn thành không được trước ngày ban hành văn bản (05/02/2022)"; got != want {
		t.Errorf("vi: %q, want %q", got, want)
	}
	if got, want := locale.For("en").FieldError(fe), "Deadline must not be before the document's date of issue (5 Feb 2022)"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	tests := []struct {
		fe   dxtrack.FieldError
		lang string
		want string
	}{
		{dxtrack.FieldError{Field: "budget_vnd", MsgID: "error.negative"}, "vi", "Kinh phí (đồng) không được là số âm"},
		{dxtrack.FieldError{Field: "progress", MsgID: "error.percent_range"}, "en", "Progress (%) must be between 0 and 100%"},
		{dxtrack.FieldError{Field: "value", MsgID: "error.not_a_number"}, "vi", "Giá trị chỉ tiêu phải là một số (ví dụ 12,5)"},
		{dxtrack.FieldError{Field: "lead_unit", MsgID: "error.unknown_unit", Args: map[string]any{"Code": "ZZZ"}}, "vi", "Đơn vị chủ trì: không có đơn vị nào mang mã “ZZZ”"},
		{dxtrack.FieldError{Field: "row 12: code", MsgID: "error.required"}, "vi", "Dòng 12: Mã là thông tin bắt buộc"},
		{dxtrack.FieldError{Field: "something_new", MsgID: "error.required"}, "en", "Something_new is required"},
		{dxtrack.FieldError{Field: "code", MsgID: "error.duplicate_code", Args: map[string]any{"Code": "MT-01"}}, "en", "Code “MT-01” is already used by another record; choose another"},
	}
	for _, tt := range tests {
		if got := locale.For(tt.lang).FieldError(tt.fe); got != tt.want {
			t.Errorf("%s %v: %q, want %q", tt.lang, tt.fe, got, tt.want)
		}
	}
}

func TestError(t *testing.T) {
	vi := locale.For("vi")
	if got, want := vi.Error(dxtrack.Errorf(dxtrack.EFORBIDDEN, "error.forbidden", nil)), "Bạn không có quyền thực hiện thao tác này"; got != want {
		t.Errorf("forbidden: %q", got)
	}
	if got, want := vi.Error(os.ErrNotExist), "Đã có lỗi hệ thống, vui lòng thử lại sau"; got != want {
		t.Errorf("plain error: %q, want %q", got, want)
	}
	if got, want := locale.For("en").Error(&dxtrack.Error{Code: dxtrack.ECONFLICT}), "This conflicts with existing data; reload the page and try again"; got != want {
		t.Errorf("conflict without message: %q", got)
	}
}

func TestFor(t *testing.T) {
	for lang, want := range map[string]string{"vi": "vi", "en": "en", "": "vi", "fr": "vi"} {
		if got := locale.For(lang).Lang(); got != want {
			t.Errorf("For(%q).Lang() = %q, want %q", lang, got, want)
		}
	}
}

func TestPercentAndCompletion(t *testing.T) {
	tests := []struct {
		c                  dxtrack.Completion
		vi, en             string
		viFormula, enFormu string
	}{
		{dxtrack.Completion{Done: 11, Total: 27}, "40,7%", "40.7%", "11/27 = 40,7%", "11/27 = 40.7%"},
		{dxtrack.Completion{Done: 19, Total: 51}, "37,3%", "37.3%", "19/51 = 37,3%", "19/51 = 37.3%"},
		{dxtrack.Completion{Done: 16, Total: 20}, "80%", "80%", "16/20 = 80%", "16/20 = 80%"},
		{dxtrack.Completion{Done: 1, Total: 8}, "12,5%", "12.5%", "1/8 = 12,5%", "1/8 = 12.5%"},
		{dxtrack.Completion{Done: 0, Total: 3}, "0%", "0%", "0/3 = 0%", "0/3 = 0%"},
		{dxtrack.Completion{Done: 1234, Total: 1234}, "100%", "100%", "1.234/1.234 = 100%", "1,234/1,234 = 100%"},
		{dxtrack.Completion{}, "0%", "0%", "—", "—"},
	}
	vi, en := locale.For("vi"), locale.For("en")
	for _, tt := range tests {
		if got := vi.Percent(tt.c); got != tt.vi {
			t.Errorf("vi Percent(%v) = %q, want %q", tt.c, got, tt.vi)
		}
		if got := en.Percent(tt.c); got != tt.en {
			t.Errorf("en Percent(%v) = %q, want %q", tt.c, got, tt.en)
		}
		if got := vi.Completion(tt.c); got != tt.viFormula {
			t.Errorf("vi Completion(%v) = %q, want %q", tt.c, got, tt.viFormula)
		}
		if got := en.Completion(tt.c); got != tt.enFormu {
			t.Errorf("en Completion(%v) = %q, want %q", tt.c, got, tt.enFormu)
		}
	}
}

func TestNumbers(t *testing.T) {
	vi, en := locale.For("vi"), locale.For("en")
	for _, tt := range []struct {
		n      int64
		vi, en string
	}{
		{0, "0", "0"}, {999, "999", "999"}, {1234567, "1.234.567", "1,234,567"}, {-4500, "-4.500", "-4,500"},
	} {
		if got := vi.Number(tt.n); got != tt.vi {
			t.Errorf("vi Number(%d) = %q, want %q", tt.n, got, tt.vi)
		}
		if got := en.Number(tt.n); got != tt.en {
			t.Errorf("en Number(%d) = %q, want %q", tt.n, got, tt.en)
		}
	}
	for _, tt := range []struct {
		f      float64
		max    int
		vi, en string
	}{
		{12.5, 2, "12,5", "12.5"}, {1234.5678, 2, "1.234,57", "1,234.57"}, {80, 1, "80", "80"}, {0.25, 1, "0,3", "0.3"},
	} {
		if got := vi.Decimal(tt.f, tt.max); got != tt.vi {
			t.Errorf("vi Decimal(%v, %d) = %q, want %q", tt.f, tt.max, got, tt.vi)
		}
		if got := en.Decimal(tt.f, tt.max); got != tt.en {
			t.Errorf("en Decimal(%v, %d) = %q, want %q", tt.f, tt.max, got, tt.en)
		}
	}
	if got, want := vi.VND(148_000_000_000), "148.000.000.000 ₫"; got != want {
		t.Errorf("vi VND = %q, want %q", got, want)
	}
	if got, want := en.VND(148_000_000_000), "148,000,000,000 ₫"; got != want {
		t.Errorf("en VND = %q, want %q", got, want)
	}
}

func TestDates(t *testing.T) {
	d := time.Date(2022, 2, 5, 0, 0, 0, 0, time.UTC)
	if got, want := locale.For("vi").Date(d), "05/02/2022"; got != want {
		t.Errorf("vi Date = %q, want %q", got, want)
	}
	if got, want := locale.For("en").Date(d), "5 Feb 2022"; got != want {
		t.Errorf("en Date = %q, want %q", got, want)
	}
	if got := locale.For("vi").Date(time.Time{}); got != "" {
		t.Errorf("zero Date = %q, want empty", got)
	}
	// 01:30 UTC is 08:30 in Vietnam.
	if got, want := locale.For("vi").DateTime(time.Date(2022, 2, 5, 1, 30, 0, 0, time.UTC)), "05/02/2022 08:30"; got != want {
		t.Errorf("vi DateTime = %q, want %q", got, want)
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		lang string
		in   string
		want float64
		ok   bool
	}{
		{"vi", "12,5", 12.5, true},
		{"vi", "12.5", 12.5, true},
		{"en", "12.5", 12.5, true},
		{"en", "12,5", 12.5, true},
		{"vi", "1.234.567", 1234567, true},
		{"en", "1,234,567", 1234567, true},
		{"vi", "1.234,5", 1234.5, true},
		{"en", "1,234.5", 1234.5, true},
		{"vi", "1.500", 1500, true},
		{"en", "1.500", 1.5, true},
		{"en", "1,500", 1500, true},
		{"vi", "0.500", 0.5, true},
		{"vi", " 148 000 000 000 ", 148e9, true},
		{"vi", "-3,25", -3.25, true},
		{"vi", "+7", 7, true},
		{"vi", ",5", 0.5, true},
		{"vi", "100", 100, true},
		{"vi", "abc", 0, false},
		{"vi", "", 0, false},
		{"vi", "12,5,3", 0, false},
		{"vi", "1.23.4", 0, false},
		{"en", "1,2,3.4", 0, false},
		{"vi", "1e5", 0, false},
		{"vi", "NaN", 0, false},
		{"vi", "12%", 0, false},
		{"vi", "--1", 0, false},
		{"vi", "1.", 0, false},
		{"vi", "1.234,", 0, false},
	}
	for _, tt := range tests {
		got, err := locale.For(tt.lang).ParseDecimal(tt.in)
		if tt.ok && (err != nil || got != tt.want) {
			t.Errorf("%s ParseDecimal(%q) = %v, %v; want %v", tt.lang, tt.in, got, err, tt.want)
		}
		if !tt.ok && err == nil {
			t.Errorf("%s ParseDecimal(%q) = %v, want an error", tt.lang, tt.in, got)
		}
	}
}
