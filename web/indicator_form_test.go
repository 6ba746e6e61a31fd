package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

var (
	indicatorFormPattern = regexp.MustCompile(`(?s)<form method="post" action="/indicators[^"]*"[^>]*>(.*?)</form>`)
	inputTagPattern      = regexp.MustCompile(`<input\b[^>]*>`)
	selectPattern        = regexp.MustCompile(`(?s)<select\b[^>]*\bname="([^"]*)"[^>]*>(.*?)</select>`)
	optionPattern        = regexp.MustCompile(`<option value="([^"]*)"([^>]*)>`)
	textareaPattern      = regexp.MustCompile(`(?s)<textarea\b[^>]*\bname="([^"]*)"[^>]*>(.*?)</textarea>`)
	attrPattern          = regexp.MustCompile(`\b(name|value|type)="([^"]*)"`)
)

// formValues returns what a browser would submit from the indicator form
// of a page: text inputs, the selected (or first) option of each select,
// and textareas.
func formValues(t *testing.T, body string) url.Values {
	t.Helper()
	m := indicatorFormPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no indicator form in\n%s", excerpt(body))
	}
	v := url.Values{}
	for _, tag := range inputTagPattern.FindAllString(m[1], -1) {
		attrs := map[string]string{}
		for _, a := range attrPattern.FindAllStringSubmatch(tag, -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		if attrs["name"] == "" || attrs["type"] == "checkbox" || attrs["type"] == "submit" {
			continue
		}
		v.Set(attrs["name"], attrs["value"])
	}
	for _, s := range selectPattern.FindAllStringSubmatch(m[1], -1) {
		opts := optionPattern.FindAllStringSubmatch(s[2], -1)
		if len(opts) == 0 {
			continue
		}
		chosen := opts[0][1]
		for _, o := range opts {
			if strings.Contains(o[2], "selected") {
				chosen = o[1]
			}
		}
		v.Set(s[1], html.UnescapeString(chosen))
	}
	for _, ta := range textareaPattern.FindAllStringSubmatch(m[1], -1) {
		v.Set(ta[1], html.UnescapeString(ta[2]))
	}
	return v
}

// newIndicatorForm is the form of a new indicator as the page offers it,
// with the given inputs changed.
func newIndicatorForm(t *testing.T, c *client, set map[string]string) url.Values {
	t.Helper()
	res, body := c.get("/indicators/new")
	wantStatus(t, res, body, http.StatusOK)
	v := formValues(t, body)
	for k, x := range set {
		v.Set(k, x)
	}
	return v
}

func (f *rfixture) indicator(t *testing.T, code string) *dxtrack.Indicator {
	t.Helper()
	in, err := f.indicators.FindIndicatorByCode(f.sys, code)
	if err != nil {
		t.Fatalf("indicator %s: %v", code, err)
	}
	return in
}

func TestIndicatorFormRoundTripsAggregation(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	admin := f.login("admin")
	res, body := admin.get("/indicators/new")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Nguồn số liệu và cách tổng hợp", "Tổng hợp theo đơn vị", "Tỷ số của tổng", "Cộng dồn các kỳ",
		"Thu thập tự động", "prev(MÃ)", "round(x, số chữ số)", "Trụ cột", f.pillar.NameVI)

	for _, set := range []map[string]string{
		{"code": "TONG", "name_vi": "Tổng số hồ sơ", "source": "machine", "unit_agg": "sum", "time_agg": "sum"},
		{"code": "TT", "name_vi": "Hồ sơ trực tuyến"},
		{"code": "TL", "name_vi": "Tỷ lệ trực tuyến", "type": "percent", "decimals": "1", "unit_agg": "ratio", "denominator": "TONG",
			"time_agg": "last", "pillar": fmtID(f.pillar.ID)},
		{"code": "DAT", "name_vi": "Xã đạt 50,5%", "type": "percent", "unit_agg": "share", "condition": ">=", "threshold": "50,5", "time_agg": "avg"},
		{"code": "TL-CT", "name_vi": "Tỷ lệ tính", "type": "percent", "source": "formula", "formula": "round(100 * TT / TONG, 1)", "unit_agg": "avg"},
	} {
		res, body := admin.post("/indicators", newIndicatorForm(t, admin, set))
		wantRedirect(t, res, body, "/indicators")
	}
	tong, tl, dat, ct := f.indicator(t, "TONG"), f.indicator(t, "TL"), f.indicator(t, "DAT"), f.indicator(t, "TL-CT")
	if tong.Source != dxtrack.SourceMachine || tong.UnitAgg != dxtrack.AggSum || tong.TimeAgg != dxtrack.TimeSum {
		t.Errorf("TONG %+v", tong)
	}
	if tl.UnitAgg != dxtrack.AggRatio || tl.DenominatorID != tong.ID || tl.TimeAgg != dxtrack.TimeLast || tl.PillarID != f.pillar.ID ||
		tl.Source != dxtrack.SourceManual {
		t.Errorf("TL %+v", tl)
	}
	if dat.UnitAgg != dxtrack.AggShare || dat.Condition != dxtrack.OpGE || dat.Threshold != 50.5 || dat.TimeAgg != dxtrack.TimeAvg {
		t.Errorf("DAT %+v", dat)
	}
	if ct.Source != dxtrack.SourceFormula || ct.Formula != "round(100 * TT / TONG, 1)" || ct.UnitAgg != dxtrack.AggAvg || ct.TimeAgg != "" {
		t.Errorf("TL-CT %+v", ct)
	}

	// The edit forms show every field back, and saving one unchanged
	// stores the same indicator.
	for _, in := range []*dxtrack.Indicator{tong, tl, dat, ct} {
		res, body := admin.get("/indicators/" + fmtID(in.ID) + "/edit")
		wantStatus(t, res, body, http.StatusOK)
		v := formValues(t, body)
		res, body = admin.post("/indicators/"+fmtID(in.ID), v)
		wantRedirect(t, res, body, "/indicators")
		if again := f.indicator(t, in.Code); !sameIndicator(again, in) {
			t.Errorf("%s after an unchanged save: %+v, was %+v", in.Code, again, in)
		}
	}
	_, body = admin.get("/indicators/" + fmtID(tl.ID) + "/edit")
	if v := formValues(t, body); v.Get("denominator") != "TONG" || v.Get("unit_agg") != "ratio" || v.Get("time_agg") != "last" ||
		v.Get("pillar") != fmtID(f.pillar.ID) || v.Get("source") != "manual" {
		t.Errorf("TL's edit form %v", v)
	}
	_, body = admin.get("/indicators/" + fmtID(dat.ID) + "/edit")
	if v := formValues(t, body); v.Get("condition") != ">=" || v.Get("threshold") != "50,5" || v.Get("unit_agg") != "share" {
		t.Errorf("DAT's edit form %v", v)
	}
	if !strings.Contains(body, `<option value="TONG">Tổng số hồ sơ</option>`) {
		t.Error("the denominator's datalist does not offer TONG")
	}

	// The list says briefly where values come from and how they roll up.
	_, body = admin.get("/indicators")
	wantText(t, body, "Nguồn số liệu", "Cách tổng hợp", "Thu thập tự động", "round(100 * TT / TONG, 1)",
		"Tỷ số của tổng (tổng chỉ tiêu ÷ tổng mẫu số) ÷ TONG · Giá trị kỳ gần nhất",
		"Tỷ lệ đơn vị đạt điều kiện (%) (>= 50,5) · Trung bình các kỳ",
		// TT's aggregation was left to its type: a count sums.
		"Tổng các đơn vị · Cộng dồn các kỳ")

	// A denominator nobody has, a ratio without one, a count without a
	// condition and a pillar that is not one are each shown beside their input.
	sector, err := f.categories.FindCategories(f.sys, dxtrack.CategorySector)
	if err != nil || len(sector) == 0 {
		t.Fatalf("sectors %v, %v", sector, err)
	}
	res, body = admin.post("/indicators", newIndicatorForm(t, admin, map[string]string{"code": "X1", "name_vi": "X",
		"unit_agg": "ratio", "denominator": "KHONG-CO"}))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "denominator", "Chỉ tiêu mẫu số (mã): không có chỉ tiêu nào mang mã “KHONG-CO”")
	res, body = admin.post("/indicators", newIndicatorForm(t, admin, map[string]string{"code": "X1", "name_vi": "X",
		"unit_agg": "ratio", "denominator": "TL-CT"}))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "denominator", "mẫu số phải là chỉ tiêu có số liệu nhập hoặc thu thập")
	res, body = admin.post("/indicators", newIndicatorForm(t, admin, map[string]string{"code": "X1", "name_vi": "X",
		"unit_agg": "count", "threshold": "1", "pillar": fmtID(sector[0].ID)}))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "condition", "Điều kiện là thông tin bắt buộc")
	wantFieldError(t, body, "pillar", "Trụ cột: không có mục này trong danh mục")
	if _, err := f.indicators.FindIndicatorByCode(f.sys, "X1"); dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
		t.Errorf("a refused indicator was saved: %v", err)
	}
}

// sameIndicator compares indicators, their optional bounds by value.
func sameIndicator(a, b *dxtrack.Indicator) bool {
	x, y := *a, *b
	if (x.Min == nil) != (y.Min == nil) || x.Min != nil && *x.Min != *y.Min ||
		(x.Max == nil) != (y.Max == nil) || x.Max != nil && *x.Max != *y.Max {
		return false
	}
	x.Min, x.Max, y.Min, y.Max = nil, nil, nil, nil
	return x == y
}

func TestIndicatorFormulaErrors(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	admin := f.login("admin")
	post := func(path string, set map[string]string) (*http.Response, string) {
		t.Helper()
		return admin.post(path, newIndicatorForm(t, admin, set))
	}
	res, body := post("/indicators", map[string]string{"code": "B", "name_vi": "Chỉ tiêu B"})
	wantRedirect(t, res, body, "/indicators")
	res, body = post("/indicators", map[string]string{"code": "A", "name_vi": "Chỉ tiêu A", "source": "formula", "formula": "B + 1"})
	wantRedirect(t, res, body, "/indicators")
	b := f.indicator(t, "B")

	// B = A * 2 would close the circle A → B → A: refused beside the
	// formula, and B stays as it was.
	res, body = admin.get("/indicators/" + fmtID(b.ID) + "/edit")
	wantStatus(t, res, body, http.StatusOK)
	v := formValues(t, body)
	v.Set("source", "formula")
	v.Set("formula", "A * 2")
	res, body = admin.post("/indicators/"+fmtID(b.ID), v)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "formula", "Công thức: các công thức tạo thành vòng lặp A → B → A; một chỉ tiêu không thể tính từ chính nó")
	if !strings.Contains(body, `<a href="#f-formula">`) {
		t.Error("the summary does not link the formula")
	}
	if v := formValues(t, body); v.Get("formula") != "A * 2" || v.Get("source") != "formula" {
		t.Errorf("the form does not keep what was typed: %v", v)
	}
	if again := f.indicator(t, "B"); !sameIndicator(again, b) {
		t.Errorf("B changed: %+v, was %+v", again, b)
	}

	// An unknown code and a formula that cannot be read are refused on
	// the formula, and nothing is saved.
	res, body = post("/indicators", map[string]string{"code": "C", "name_vi": "C", "source": "formula", "formula": "B + KHONG"})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "formula", "Công thức: công thức của chỉ tiêu “C” dùng mã “KHONG” nhưng không có chỉ tiêu nào mang mã này")
	res, body = post("/indicators", map[string]string{"code": "C", "name_vi": "C", "source": "formula", "formula": "B + * 2"})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "formula", "Công thức: công thức sai cú pháp ở ký tự thứ 5")
	res, body = post("/indicators", map[string]string{"code": "C", "name_vi": "C", "source": "manual", "formula": "B + 1"})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "formula", "chỉ chỉ tiêu có nguồn số liệu “công thức” mới có công thức")
	if _, err := f.indicators.FindIndicatorByCode(f.sys, "C"); dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
		t.Errorf("a refused indicator was saved: %v", err)
	}

	// Renaming B, which A's formula uses, is refused on the code.
	v = formValues(t, mustGet(t, admin, "/indicators/"+fmtID(b.ID)+"/edit"))
	v.Set("code", "B2")
	res, body = admin.post("/indicators/"+fmtID(b.ID), v)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "code", "“B”")

	// The same messages in English.
	admin.get("/lang?to=en&next=/")
	res, body = admin.post("/indicators/"+fmtID(b.ID), func() url.Values {
		v := formValues(t, mustGet(t, admin, "/indicators/"+fmtID(b.ID)+"/edit"))
		v.Set("source", "formula")
		v.Set("formula", "A * 2")
		return v
	}())
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "formula", "Formula: the formulas go round in a circle, A → B → A; an indicator cannot be computed from itself")
	res, body = post("/indicators", map[string]string{"code": "C", "name_vi": "C", "source": "formula", "formula": "B + * 2"})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "formula", "Formula: the formula cannot be read at character 5")
	res, body = post("/indicators", map[string]string{"code": "C", "name_vi": "C", "source": "formula", "formula": "B + KHONG"})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "formula", "Formula: the formula of indicator “C” uses the code “KHONG”, but no indicator has it")
}

func mustGet(t *testing.T, c *client, path string) string {
	t.Helper()
	res, body := c.get(path)
	wantStatus(t, res, body, http.StatusOK)
	return body
}

// Saving an indicator from a form that carries only some of its fields
// (the name changed, say) must not wipe the others.
func TestIndicatorEditKeepsAggregation(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	_, ins := f.seedRegime(t)
	cnt := &dxtrack.Indicator{Code: "DAT", NameVI: "Số xã đạt", Type: dxtrack.ValuePercent, Direction: dxtrack.DirectionUp,
		UnitAgg: dxtrack.AggCount, Condition: dxtrack.OpGE, Threshold: 80, TimeAgg: dxtrack.TimeAvg, PillarID: f.pillar.ID,
		Source: dxtrack.SourceMachine}
	ratio := &dxtrack.Indicator{Code: "TL-TT", NameVI: "Tỷ lệ trực tuyến", Type: dxtrack.ValuePercent, Direction: dxtrack.DirectionUp,
		UnitAgg: dxtrack.AggRatio, DenominatorID: ins["TONG"].ID, TimeAgg: dxtrack.TimeLast}
	formula := &dxtrack.Indicator{Code: "TL-CT", NameVI: "Tỷ lệ tính", Type: dxtrack.ValuePercent, Direction: dxtrack.DirectionUp,
		Source: dxtrack.SourceFormula, Formula: "100 * TT / TONG", UnitAgg: dxtrack.AggAvg}
	for _, in := range []*dxtrack.Indicator{cnt, ratio, formula} {
		if err := f.indicators.CreateIndicator(f.sys, in); err != nil {
			t.Fatal(err)
		}
	}
	admin := f.login("admin")
	for _, in := range []*dxtrack.Indicator{cnt, ratio, formula} {
		// The fields of the form before it carried aggregation.
		res, body := admin.post("/indicators/"+fmtID(in.ID), url.Values{"code": {in.Code}, "name_vi": {"Mới: " + in.NameVI},
			"type": {string(in.Type)}, "direction": {string(in.Direction)}, "decimals": {"0"}})
		wantRedirect(t, res, body, "/indicators")
		got := f.indicator(t, in.Code)
		want := *in
		want.NameVI = "Mới: " + in.NameVI
		if !sameIndicator(got, &want) {
			t.Errorf("after renaming: %+v, want %+v", got, &want)
		}
		// The whole edit form with the name changed again.
		v := formValues(t, mustGet(t, admin, "/indicators/"+fmtID(in.ID)+"/edit"))
		v.Set("name_vi", in.NameVI)
		res, body = admin.post("/indicators/"+fmtID(in.ID), v)
		wantRedirect(t, res, body, "/indicators")
		if got := f.indicator(t, in.Code); !sameIndicator(got, in) {
			t.Errorf("after editing the name: %+v, want %+v", got, in)
		}
	}
}

func TestIndicatorPagesRenderInBothLanguages(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	_, ins := f.seedRegime(t)
	ratio := &dxtrack.Indicator{Code: "TL-TT", NameVI: "Tỷ lệ trực tuyến", NameEN: "Online share", Type: dxtrack.ValuePercent,
		Direction: dxtrack.DirectionUp, UnitAgg: dxtrack.AggRatio, DenominatorID: ins["TONG"].ID, Source: dxtrack.SourceMachine}
	if err := f.indicators.CreateIndicator(f.sys, ratio); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"vi", "en"} {
		admin := f.login("admin")
		if lang == "en" {
			admin.get("/lang?to=en&next=/")
		}
		for _, tt := range []struct {
			path   string
			vi, en []string
		}{
			{"/indicators", []string{"Nguồn số liệu", "Cách tổng hợp", "Thu thập tự động", "÷ TONG", "Nhập liệu"},
				[]string{"Data source", "Aggregation", "Machine collected", "Ratio of sums (sum ÷ sum of the denominator) ÷ TONG · Last value", "Manual entry"}},
			{"/indicators/new", []string{"Tổng hợp theo thời gian", "Theo kiểu số liệu", "Chỉ tiêu mẫu số (mã)", "Ngưỡng", "prev(MÃ)"},
				[]string{"Aggregation over time", "By value type", "Denominator indicator (code)", "Threshold", "prev(CODE)", "round(x, digits)"}},
			{"/indicators/" + fmtID(ratio.ID) + "/edit", []string{"Sửa chỉ tiêu TL-TT", "Tỷ số của tổng"}, []string{"Edit indicator TL-TT", "Ratio of sums"}},
		} {
			res, body := admin.get(tt.path)
			wantStatus(t, res, body, http.StatusOK)
			want := tt.vi
			if lang == "en" {
				want = tt.en
			}
			wantText(t, body, want...)
			if strings.Contains(body, "<script>") || strings.Contains(body, " style=\"") || strings.Contains(body, " onclick=") {
				t.Errorf("%s has inline script or style", tt.path)
			}
		}
	}
}
