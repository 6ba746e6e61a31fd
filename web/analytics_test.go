package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
	"github.com/dxtrack/dxtrack/store"
	"github.com/dxtrack/dxtrack/web"
)

// afixture is the fixture with indicators, values and a former province
// merged into Quảng Ninh, and a cube kept fresh from the change feed as
// cmd/dxtrack keeps it.
type afixture struct {
	*fixture
	former     *dxtrack.Unit // a pre-2025 province merged into Quảng Ninh
	values     dxtrack.ValueService
	targets    dxtrack.IndicatorTargetService
	indicators dxtrack.IndicatorService
	ind        map[string]*dxtrack.Indicator
}

// jan and feb are the months the values are for.
var (
	jan = dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 1}
	feb = dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 2}
)

func newAFixture(t *testing.T) *afixture {
	t.Helper()
	f := &afixture{fixture: newFixture(t), ind: map[string]*dxtrack.Indicator{}}
	f.values, f.targets, f.indicators = store.NewValueService(f.db), store.NewIndicatorTargetService(f.db), store.NewIndicatorService(f.db)
	f.former = f.mustUnit(&dxtrack.Unit{Code: "99", NameVI: "Tỉnh Cũ", Type: dxtrack.UnitProvince, ValidFrom: dxtrack.MustDate("2000-01-01")})
	if err := f.units.MergeUnits(f.sys, []int64{f.former.ID}, f.province.ID, dxtrack.MustDate("2022-12-31")); err != nil {
		t.Fatal(err)
	}
	for _, in := range []*dxtrack.Indicator{
		{Code: "TONG", NameVI: "Tổng số hồ sơ", NameEN: "Dossiers", Measure: "hồ sơ", Type: dxtrack.ValueCount, PillarID: f.pillar.ID},
		{Code: "TT", NameVI: "Hồ sơ trực tuyến", Type: dxtrack.ValueCount, PillarID: f.pillar.ID},
		{Code: "TYLE", NameVI: "Tỷ lệ trực tuyến", NameEN: "Online share", Measure: "%", Type: dxtrack.ValuePercent, Decimals: 1,
			Source: dxtrack.SourceFormula, Formula: "round(100 * TT / TONG, 1)", PillarID: f.pillar.ID},
	} {
		in.Direction = dxtrack.DirectionUp
		if err := f.indicators.CreateIndicator(f.sys, in); err != nil {
			t.Fatalf("indicator %s: %v", in.Code, err)
		}
		f.ind[in.Code] = in
	}
	// Hand-checked below: TONG January at the province is
	// 100 + 300 + 50 + 40 = 490 (the former province's 40 included),
	// TT 45 + 150 + 20 + 10 = 225.
	f.set(t, "TONG", jan, map[*dxtrack.Unit]float64{f.communeA: 100, f.communeB: 300, f.dept: 50, f.former: 40})
	f.set(t, "TT", jan, map[*dxtrack.Unit]float64{f.communeA: 45, f.communeB: 150, f.dept: 20, f.former: 10})
	f.set(t, "TONG", feb, map[*dxtrack.Unit]float64{f.communeA: 120})

	// The engine as cmd/dxtrack runs it: subscribe, then load.
	c := &liveTestCube{}
	cancel := f.db.Subscribe(func(vs []dxtrack.Value) {
		for _, v := range vs {
			if err := c.get().Set(v); err != nil {
				t.Errorf("cube set: %v", err)
			}
		}
	})
	t.Cleanup(cancel)
	units, lineage, inds, vals, err := f.db.LoadAnalytics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cb, err := cube.New(units, lineage, inds)
	if err != nil {
		t.Fatal(err)
	}
	if err := cb.Load(vals); err != nil {
		t.Fatal(err)
	}
	c.set(cb)
	f.srv.Analytics = cb
	f.srv.Values, f.srv.IndicatorTargets = f.values, f.targets
	return f
}

// liveTestCube hands the cube to the feed's goroutine once it is built.
type liveTestCube struct {
	ch chan *cube.Cube
	c  *cube.Cube
}

func (l *liveTestCube) set(c *cube.Cube) {
	if l.ch == nil {
		l.ch = make(chan *cube.Cube, 1)
	}
	l.ch <- c
}

func (l *liveTestCube) get() *cube.Cube {
	if l.c == nil {
		l.c = <-l.ch
	}
	return l.c
}

func (f *afixture) set(t *testing.T, code string, p dxtrack.Period, vs map[*dxtrack.Unit]float64) {
	t.Helper()
	var list []dxtrack.Value
	for u, v := range vs {
		list = append(list, dxtrack.Value{UnitID: u.ID, IndicatorID: f.ind[code].ID, Period: p, Value: v})
	}
	if err := f.values.SetValues(f.sys, list, ""); err != nil {
		t.Fatalf("set %s: %v", code, err)
	}
}

// analytics is the API's answer, decoded.
type analytics struct {
	Units []struct {
		Code, Name string
	} `json:"units"`
	Indicators []struct{ Code string } `json:"indicators"`
	Spans      []struct{ From, To, Label string }
	Values     [][][]*float64 `json:"values"`
	Formatted  [][][]string   `json:"formatted"`
}

func getAnalytics(t *testing.T, c *client, query string) analytics {
	t.Helper()
	res, body := c.get("/api/v1/analytics?" + query)
	wantStatus(t, res, body, http.StatusOK)
	var a analytics
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	return a
}

func (a analytics) value(t *testing.T, row, ind, span int) float64 {
	t.Helper()
	v := a.Values[row][ind][span]
	if v == nil {
		t.Fatalf("value [%d][%d][%d] is missing", row, ind, span)
	}
	return *v
}

func TestAnalyticsAPIRollups(t *testing.T) {
	f := newAFixture(t)
	c := f.login("leader")

	// The province alone: sums by hand, the formula on the sums (not an
	// average of the units' rates), the former province counted.
	a := getAnalytics(t, c, "indicator=TONG,TT,TYLE&unit=22&from=2026-01&formatted=true")
	if len(a.Units) != 1 || a.Units[0].Code != "22" || a.Units[0].Name != "Quảng Ninh" {
		t.Fatalf("units = %+v", a.Units)
	}
	for i, want := range []float64{490, 225, 45.9} { // round(100 * 225 / 490, 1) = round(45.918…, 1)
		if got := a.value(t, 0, i, 0); got != want {
			t.Errorf("%s = %v, want %v", a.Indicators[i].Code, got, want)
		}
	}
	if got := a.Formatted[0][2][0]; got != "45,9" {
		t.Errorf("formatted TYLE = %q, want 45,9", got)
	}

	// One level down, January to February: counts summed over the months,
	// the rate of the whole range; the former province is no row.
	a = getAnalytics(t, c, "indicator=TONG,TYLE&unit=22&level=children&from=2026-01&to=2026-02")
	got := map[string][2]*float64{}
	for i, u := range a.Units {
		got[u.Code] = [2]*float64{a.Values[i][0][0], a.Values[i][1][0]}
	}
	if len(got) != 3 || got["99"] != [2]*float64{} && len(a.Units) != 3 {
		t.Fatalf("rows = %+v", a.Units)
	}
	for code, want := range map[string][2]float64{"XA": {220, 20.5}, "XB": {300, 50}, "SKHCN": {50, 40}} {
		// XA: 100 + 120 dossiers, 45 online: round(100 * 45 / 220, 1) = 20.5.
		g := got[code]
		if g[0] == nil || g[1] == nil || *g[0] != want[0] || *g[1] != want[1] {
			t.Errorf("%s = %v, %v; want %v", code, g[0], g[1], want)
		}
	}

	// By period: a figure per month, null where none.
	a = getAnalytics(t, c, "indicator=TT&unit=XB&from=2026-01&to=2026-03&by_period=true")
	if len(a.Spans) != 3 || a.Spans[1].From != "2026-02" {
		t.Fatalf("spans = %+v", a.Spans)
	}
	if a.value(t, 0, 0, 0) != 150 || a.Values[0][0][1] != nil || a.Values[0][0][2] != nil {
		t.Errorf("XB TT by month = %v %v %v", a.Values[0][0][0], a.Values[0][0][1], a.Values[0][0][2])
	}

	// The former province's own figure can still be asked for.
	a = getAnalytics(t, c, "indicator=TONG&unit=99&from=2026-01")
	if a.value(t, 0, 0, 0) != 40 {
		t.Errorf("former province TONG = %v, want 40", a.value(t, 0, 0, 0))
	}
}

func TestAnalyticsFormerProvinceRollsIntoSuccessor(t *testing.T) {
	f := newAFixture(t)
	c := f.login("admin")
	before := getAnalytics(t, c, "indicator=TONG&unit=22&from=2026-01").value(t, 0, 0, 0)
	// A late correction of the former province's figure, after the merge.
	f.set(t, "TONG", jan, map[*dxtrack.Unit]float64{f.former: 1000})
	waitFor(t, func() bool {
		return getAnalytics(t, c, "indicator=TONG&unit=22&from=2026-01").value(t, 0, 0, 0) == before-40+1000
	})
}

func TestAnalyticsCSV(t *testing.T) {
	f := newAFixture(t)
	c := f.login("leader")
	for _, req := range []struct{ query, accept string }{
		{"format=csv", ""}, {"", "text/csv"},
	} {
		res, body := c.get("/api/v1/analytics?indicator=TONG,TYLE&unit=22&level=children&from=2026-01&to=2026-02&by_period=true&"+req.query, "Accept", req.accept)
		wantStatus(t, res, body, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("content type %q", ct)
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// A header, then 3 units × 2 indicators × 2 months.
		if len(recs) != 1+3*2*2 || strings.Join(recs[0], ",") != "unit,unit_name,indicator,indicator_name,from,to,value" {
			t.Fatalf("csv:\n%s", body)
		}
		want := map[string]string{"XA TONG 2026-01": "100", "XA TONG 2026-02": "120", "XA TYLE 2026-02": "", "XB TYLE 2026-01": "50", "SKHCN TONG 2026-02": ""}
		for _, r := range recs[1:] {
			if w, ok := want[r[0]+" "+r[2]+" "+r[4]]; ok && r[6] != w {
				t.Errorf("%s %s %s = %q, want %q", r[0], r[2], r[4], r[6], w)
			}
		}
	}
}

func TestAnalyticsRefusesBadParameters(t *testing.T) {
	f := newAFixture(t)
	c := f.login("leader")
	for _, tc := range []struct{ query, field string }{
		{"unit=22&from=2026-01", "indicator"},
		{"indicator=NOPE&unit=22&from=2026-01", "indicator"},
		{"indicator=TONG&unit=ZZZ&from=2026-01", "unit"},
		{"indicator=TONG&unit=22&level=galaxy&from=2026-01", "level"},
		{"indicator=TONG&unit=22&from=2026-13", "from"},
		{"indicator=TONG&unit=22&from=2026-01&to=soon", "to"},
		{"indicator=TONG&unit=22&from=2026-01&to=2026-Q1", "to"},
		{"indicator=TONG&unit=22&from=2026-03&to=2026-01", "to"},
		{"indicator=TONG&unit=22&from=2026-01&format=xml", "format"},
		{"indicator=TONG&unit=22&from=2026-01&by_period=maybe", "by_period"},
	} {
		res, body := c.get("/api/v1/analytics?" + tc.query)
		var p struct {
			Code   string
			Errors []struct{ Field, Message string }
		}
		_ = json.Unmarshal([]byte(body), &p)
		if res.StatusCode != http.StatusUnprocessableEntity || p.Code != "invalid" || len(p.Errors) == 0 || p.Errors[0].Field != tc.field || p.Errors[0].Message == "" {
			t.Errorf("%s: %d %s, want 422 naming %s", tc.query, res.StatusCode, body, tc.field)
		}
	}
}

func TestValueSavedInUIShowsInRollupWithinASecond(t *testing.T) {
	f := newAFixture(t)
	reporter, leader := f.login("reporter-a"), f.login("leader")
	if got := getAnalytics(t, leader, "indicator=TONG&unit=22&from=2026-01").value(t, 0, 0, 0); got != 490 {
		t.Fatalf("before: %v", got)
	}
	res, body := reporter.post("/values", url.Values{"unit": {"XA"}, "indicator": {"TONG"}, "period": {"2026-01"}, "figure": {"1.250"}})
	wantRedirect(t, res, body, "/values?")
	waitFor(t, func() bool {
		return getAnalytics(t, leader, "indicator=TONG&unit=22&from=2026-01").value(t, 0, 0, 0) == 490-100+1250
	})
	// The page shows the value with its provenance and the history.
	_, body = reporter.get("/values?unit=XA&indicator=TONG&period=2026-01")
	wantText(t, body, "1.250", "Nhập tay", "tháng 2/2026")
}

// waitFor polls until cond holds, failing after a second: the time the
// issue allows between a save and its visibility.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("not visible within 1 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestValueEntryPermissions(t *testing.T) {
	f := newAFixture(t)
	form := url.Values{"unit": {"XA"}, "indicator": {"TONG"}, "period": {"2026-03"}, "figure": {"7"}}
	for _, who := range []string{"reporter-b", "leader"} {
		c := f.login(who)
		res, body := c.post("/values", form)
		wantStatus(t, res, body, http.StatusForbidden)
		_, page := c.get("/values?unit=XA&indicator=TONG")
		if strings.Contains(page, `action="/values" class="form"`) {
			t.Errorf("%s sees the entry form", who)
		}
		res, body = c.postJSON("/api/v1/values", map[string]any{"values": []map[string]any{{"unit": "XA", "indicator": "TONG", "period": "2026-03", "value": 7}}})
		wantStatus(t, res, body, http.StatusForbidden)
	}
	mar := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 3}
	if vs, _ := f.values.FindValues(f.sys, dxtrack.ValueFilter{UnitID: f.communeA.ID, From: &mar, To: &mar}); len(vs) != 0 {
		t.Errorf("refused writes stored %v", vs)
	}
	// Bad input is shown beside its field.
	res, body := f.login("reporter-a").post("/values", url.Values{"unit": {"XA"}, "indicator": {"TONG"}, "period": {"2026-03"}, "figure": {"-3"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	if fieldErrors(body, "figure") == "" {
		t.Errorf("no message beside the value:\n%s", excerpt(text(body)))
	}
}

func TestValuesAPICorrectionNeedsReason(t *testing.T) {
	f := newAFixture(t)
	if err := f.values.SetValues(f.sys, []dxtrack.Value{{UnitID: f.communeB.ID, IndicatorID: f.ind["TONG"].ID, Period: feb,
		Value: 80, Provenance: dxtrack.FromMachine}}, ""); err != nil {
		t.Fatal(err)
	}
	c := f.login("admin")
	body := map[string]any{"values": []map[string]any{{"unit": "XB", "indicator": "TONG", "period": "2026-02", "value": 81}}}
	res, out := c.postJSON("/api/v1/values", body)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(out, `"field":"reason"`) {
		t.Fatalf("correction without reason: %d %s", res.StatusCode, out)
	}
	body["reason"] = "Số liệu hệ thống một cửa bị trùng"
	res, out = c.postJSON("/api/v1/values", body)
	wantStatus(t, res, out, http.StatusOK)
	if !strings.Contains(out, `"provenance":"corrected"`) || !strings.Contains(out, `"value":81`) {
		t.Errorf("answer: %s", out)
	}
	res, out = c.get("/api/v1/values?indicator=TONG&unit=XB&from=2026-02&to=2026-02")
	wantStatus(t, res, out, http.StatusOK)
	if !strings.Contains(out, `"total":1`) || !strings.Contains(out, `"period":"2026-02"`) {
		t.Errorf("list: %s", out)
	}
	res, out = c.postJSON("/api/v1/values", map[string]any{"values": []map[string]any{{"unit": "XB", "indicator": "NOPE", "period": "2026-99"}}})
	for _, field := range []string{"values[0].indicator", "values[0].period", "values[0].value"} {
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(out, `"field":"`+field+`"`) {
			t.Errorf("bad value: %d %s; want %s named", res.StatusCode, out, field)
		}
	}
}

func TestDashboardAndValuePagesRender(t *testing.T) {
	f := newAFixture(t)
	// A target for the formula at the province: 2025 baseline, 2026 target.
	if err := f.targets.SetIndicatorTarget(f.sys, &dxtrack.IndicatorTarget{IndicatorID: f.ind["TYLE"].ID, UnitID: f.province.ID,
		Year: 2027, BaselineYear: 2025, Baseline: 40, Value: 60}); err != nil {
		t.Fatal(err)
	}
	c := f.login("admin")
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"vi", []string{"Bảng điều hành", "Bảng điểm theo trụ cột", "Xếp hạng", "Đơn vị theo số liệu", "Xã Đông Sơn", "50"}},
		{"en", []string{"Dashboard", "Scorecard by pillar", "Ranking", "Units by figure", "Xã Đông Sơn"}},
	} {
		res, body := c.get("/dashboard?unit=22&indicator=TYLE&year=2026&lang=" + tc.lang)
		wantStatus(t, res, body, http.StatusOK)
		wantText(t, body, tc.want...)
		island := between(body, `<script type="application/json" id="dashboard-data">`, `</script>`)
		var d struct {
			Ranking struct {
				Codes []string
				Texts []string
			}
			Trend struct{ Labels []string }
		}
		if err := json.Unmarshal([]byte(island), &d); err != nil {
			t.Fatalf("%s: island: %v\n%s", tc.lang, err, island)
		}
		// By the year's rate: XB 50, SKHCN 40, XA 45 of 220 = 20.5.
		if strings.Join(d.Ranking.Codes, ",") != "XB,SKHCN,XA" || len(d.Trend.Labels) != 24 {
			t.Errorf("%s: island ranking %v, trend %d labels", tc.lang, d.Ranking.Codes, len(d.Trend.Labels))
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, " style=") {
			t.Errorf("%s: inline script or style", tc.lang)
		}
	}
	// The value page explains the target's assessment in words.
	res, body := c.get("/values?unit=22&indicator=TYLE&period=2026-01&lang=en")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Targets and progress", "2027", "computed by the formula")
	if !strings.Contains(text(body), "a year") && !strings.Contains(text(body), "no value after the baseline") {
		t.Errorf("no reason given:\n%s", excerpt(text(body)))
	}
	// A leader reads the dashboard too.
	res, body = f.login("leader").get("/dashboard")
	wantStatus(t, res, body, http.StatusOK)
}

func TestBoundariesUpload(t *testing.T) {
	f := newAFixture(t)
	path := filepath.Join(t.TempDir(), "dxtrack.geojson")
	f.srv.Boundaries = &web.Boundaries{Path: path}
	square := `{"type":"Polygon","coordinates":[[[107,21],[107.1,21],[107.1,21.1],[107,21]]]}`
	geo := `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"ma":"XA","ten":"A"},"geometry":` + square + `},
		{"type":"Feature","properties":{"ma":"XB"},"geometry":` + square + `},
		{"type":"Feature","properties":{"ma":"NOWHERE"},"geometry":` + square + `}]}`
	admin := f.login("admin")

	_, body := admin.get("/dashboard?unit=22&indicator=TONG&year=2026")
	if strings.Contains(body, `data-dash="map"`) {
		t.Fatal("a map before any import")
	}
	res, body := f.login("leader").upload("/dashboard/boundaries?property=ma", "qn.geojson", []byte(geo))
	wantStatus(t, res, body, http.StatusForbidden)

	// The wrong property: nothing kept, the reason shown.
	res, body = admin.upload("/dashboard/boundaries?property=code&next=/dashboard%3Funit%3D22", "qn.geojson", []byte(geo))
	wantRedirect(t, res, body, "/dashboard?unit=22")
	_, body = admin.get("/dashboard?unit=22")
	wantText(t, body, "“code”")
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a refused upload wrote the file")
	}

	res, body = admin.upload("/dashboard/boundaries?property=ma", "qn.geojson", []byte(geo))
	wantRedirect(t, res, body, "/dashboard")
	_, body = admin.get("/dashboard?unit=22&indicator=TONG&year=2026")
	wantText(t, body, "2 đơn vị; bỏ qua 1")
	if !strings.Contains(body, `data-dash="map"`) {
		t.Error("no map after the import")
	}
	res, body = admin.get("/dashboard/boundaries.json")
	wantStatus(t, res, body, http.StatusOK)
	var fc struct {
		Features []struct{ Properties map[string]string }
	}
	if err := json.Unmarshal([]byte(body), &fc); err != nil || len(fc.Features) != 2 || fc.Features[0].Properties["code"] != "XA" {
		t.Errorf("served %v %s", err, body)
	}
	// It survives a restart: a new Boundaries reads the file.
	if data, err := (&web.Boundaries{Path: path}).Get(); err != nil || !strings.Contains(string(data), `"code":"XB"`) {
		t.Errorf("file: %v %s", err, data)
	}
}

// postJSON sends a JSON body as the site's own script would.
func (c *client) postJSON(path string, body any) (*http.Response, string) {
	c.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}
