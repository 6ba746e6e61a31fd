package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// rfixture adds to the fixture what periodic reporting needs: a third
// commune, the province's digital-transformation office (the last review
// level), a reporter for each commune and the department, and reviewers
// of the department and of the office. Indicators and the regime are
// made by the tests, over HTTP or through the services.
type rfixture struct {
	*fixture
	communeC, office *dxtrack.Unit
	indicators       dxtrack.IndicatorService
	regimes          dxtrack.RegimeService
	reports          dxtrack.ReportService
}

// jan2023 is the period the tests report: data 15 Dec 2022–14 Jan 2023,
// due a few working days later, after the fixture's today (15 Jan 2023).
var jan2023 = dxtrack.Period{Freq: dxtrack.Monthly, Year: 2023, N: 1}

func newRFixture(t *testing.T) *rfixture {
	t.Helper()
	f := &rfixture{fixture: newFixture(t)}
	f.indicators, f.regimes, f.reports = store.NewIndicatorService(f.db), store.NewRegimeService(f.db), store.NewReportService(f.db)
	from := dxtrack.MustDate("2020-01-01")
	f.communeC = f.mustUnit(&dxtrack.Unit{Code: "XC", NameVI: "Xã Cái Chiên", Type: dxtrack.UnitCommune, ParentID: f.province.ID, ValidFrom: from})
	f.office = f.mustUnit(&dxtrack.Unit{Code: "VPCDS", NameVI: "Văn phòng Chuyển đổi số tỉnh", Type: dxtrack.UnitOther, ParentID: f.province.ID, ValidFrom: from})
	for _, u := range []struct {
		name string
		role dxtrack.Role
		unit int64
	}{
		{"reporter-c", dxtrack.RoleReporter, f.communeC.ID},
		{"reporter-d", dxtrack.RoleReporter, f.dept.ID},
		{"reviewer-d", dxtrack.RoleReviewer, f.dept.ID},
		{"reviewer-p", dxtrack.RoleReviewer, f.office.ID},
	} {
		if err := f.users.CreateUser(f.sys, &dxtrack.User{Username: u.name, Name: "Cán bộ " + u.name, Email: u.name + "@quangninh.gov.vn", Role: u.role, UnitID: u.unit, Lang: "vi"}, password); err != nil {
			t.Fatalf("create user %s: %v", u.name, err)
		}
	}
	return f
}

// seedRegime makes, through the services, the indicators TONG (count),
// TT (count) and TL (percent) and a monthly regime "BC-CDS" of the three
// communes and the department, reviewed by the department and then the
// office, with the blocking rule TT <= TONG and a required section.
func (f *rfixture) seedRegime(t *testing.T) (*dxtrack.Regime, map[string]*dxtrack.Indicator) {
	t.Helper()
	ins := map[string]*dxtrack.Indicator{}
	for _, in := range []*dxtrack.Indicator{
		{Code: "TONG", NameVI: "Tổng số hồ sơ", Measure: "hồ sơ", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp},
		{Code: "TT", NameVI: "Số hồ sơ trực tuyến", Measure: "hồ sơ", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp},
		{Code: "TL", NameVI: "Tỷ lệ số hoá", Measure: "%", Type: dxtrack.ValuePercent, Decimals: 1, Direction: dxtrack.DirectionUp},
	} {
		if err := f.indicators.CreateIndicator(f.sys, in); err != nil {
			t.Fatal(err)
		}
		ins[in.Code] = in
	}
	rg := &dxtrack.Regime{Code: "BC-CDS", NameVI: "Báo cáo chuyển đổi số hằng tháng", Freq: dxtrack.Monthly,
		ScopeUnitID: f.province.ID, UnitTypes: []dxtrack.UnitType{dxtrack.UnitCommune}, UnitIDs: []int64{f.dept.ID},
		OwnerUnitID: f.dept.ID, FinalUnitID: f.office.ID, DeadlineDays: 5, RemindDays: 3, OutlierShare: 0.5,
		Items: []dxtrack.FormItem{
			{IndicatorID: ins["TONG"].ID, Group: "Dịch vụ công", Required: true},
			{IndicatorID: ins["TT"].ID, Group: "Dịch vụ công", Required: true},
			{IndicatorID: ins["TL"].ID},
		},
		Rules:        []dxtrack.Rule{{Left: "TT", Op: dxtrack.OpLE, Right: "TONG", Blocking: true, MessageVI: "Số hồ sơ trực tuyến không được vượt tổng số hồ sơ"}},
		Sections:     []dxtrack.Section{{Code: "TH", TitleVI: "Tình hình thực hiện", Required: true}, {Code: "KN", TitleVI: "Kiến nghị"}},
		IncludeTasks: true, Active: true,
	}
	if err := f.regimes.CreateRegime(f.sys, rg); err != nil {
		t.Fatal(err)
	}
	return rg, ins
}

// open opens a unit's report through the service.
func (f *rfixture) open(t *testing.T, rg *dxtrack.Regime, unit *dxtrack.Unit) *dxtrack.Report {
	t.Helper()
	r, err := f.reports.OpenReport(f.sys, rg.ID, unit.ID, jan2023)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// report reads a report back through the service.
func (f *rfixture) report(t *testing.T, id int64) *dxtrack.Report {
	t.Helper()
	r, err := f.reports.FindReportByID(f.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var versionPattern = regexp.MustCompile(`id="f-version" name="version" value="(\d+)"`)

// version reads the version a report page or autosave answer carries.
func version(t *testing.T, body string) string {
	t.Helper()
	m := versionPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version in\n%s", excerpt(body))
	}
	return m[1]
}

// htmxPost posts a form as htmx does.
func (c *client) htmxPost(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("HX-Request", "true")
	return c.do(req)
}

// upload posts a file as the multipart field "file".
func (c *client) upload(path, name string, data []byte) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		c.t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, &buf)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// getBytes fetches a download.
func (c *client) getBytes(path string) (*http.Response, []byte) {
	c.t.Helper()
	res, body := c.get(path)
	return res, []byte(body)
}
