package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

// reportValues is the report form as a unit fills it.
func reportValues(ins map[string]*dxtrack.Indicator, version, tong, tt, tl, th string) url.Values {
	return url.Values{
		"version":                    {version},
		"v." + fmtID(ins["TONG"].ID): {tong},
		"v." + fmtID(ins["TT"].ID):   {tt},
		"v." + fmtID(ins["TL"].ID):   {tl},
		"s.TH":                       {th},
	}
}

// TestReportingScenario is the scenario over HTTP, as users do it:
// the admin sets up indicators and a monthly regime; three communes and
// one department open and file their reports; the department returns one
// with a comment, which is fixed and submitted again; approvals climb to
// the province's office; completeness reads 100%; the audit trail shows
// every step.
func TestReportingScenario(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	admin := f.login("admin")

	// The admin creates the indicators…
	for _, in := range []url.Values{
		{"code": {"TONG"}, "name_vi": {"Tổng số hồ sơ"}, "measure": {"hồ sơ"}, "type": {"count"}, "direction": {"up"}, "decimals": {"0"}},
		{"code": {"TT"}, "name_vi": {"Số hồ sơ trực tuyến"}, "measure": {"hồ sơ"}, "type": {"count"}, "direction": {"up"}, "decimals": {"0"}},
		{"code": {"TL"}, "name_vi": {"Tỷ lệ số hoá"}, "measure": {"%"}, "type": {"percent"}, "direction": {"up"}, "decimals": {"1"}, "min": {"0"}, "max": {"100"}},
	} {
		res, body := admin.post("/indicators", in)
		wantRedirect(t, res, body, "/indicators")
	}
	_, body := admin.get("/indicators")
	wantText(t, body, "TONG", "Số hồ sơ trực tuyến", "Tỷ lệ % (0–100)")
	ins := map[string]*dxtrack.Indicator{}
	for _, code := range []string{"TONG", "TT", "TL"} {
		in, err := f.indicators.FindIndicatorByCode(f.sys, code)
		if err != nil {
			t.Fatal(err)
		}
		ins[code] = in
	}

	// …and the monthly regime, adding a rule row before saving.
	form := url.Values{
		"code": {"BC-CDS"}, "name_vi": {"Báo cáo chuyển đổi số hằng tháng"}, "content": {"Kết quả chuyển đổi số trong tháng"},
		"freq": {"month"}, "scope_unit": {"22"}, "unit_types": {"commune"}, "units": {"SKHCN"},
		"owner_unit": {"SKHCN"}, "final_unit": {"VPCDS"}, "deadline_days": {"5"}, "remind_days": {"3"}, "outlier_pct": {"50"},
		"active": {"1"}, "include_tasks": {"1"}, "outline": {"I. Kết quả\nII. Kiến nghị"},
		"items_n":           {"3"},
		"items.0.indicator": {fmtID(ins["TONG"].ID)}, "items.0.group": {"Dịch vụ công"}, "items.0.required": {"1"},
		"items.1.indicator": {fmtID(ins["TT"].ID)}, "items.1.group": {"Dịch vụ công"}, "items.1.required": {"1"},
		"items.2.indicator": {fmtID(ins["TL"].ID)},
		"rules_n":           {"1"},
		"sections_n":        {"2"},
		"sections.0.code":   {"TH"}, "sections.0.title_vi": {"Tình hình thực hiện"}, "sections.0.required": {"1"},
		"sections.1.code": {"KN"}, "sections.1.title_vi": {"Kiến nghị"},
		"add": {"rules"},
	}
	res, body := admin.post("/regimes", form)
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `name="rules.1.left"`) {
		t.Fatal("the add-row button did not add a rule row")
	}
	form.Del("add")
	form.Set("rules_n", "2")
	form.Set("rules.1.left", "TT")
	form.Set("rules.1.op", "<=")
	form.Set("rules.1.right", "TONG")
	form.Set("rules.1.blocking", "1")
	form.Set("rules.1.message_vi", "Số hồ sơ trực tuyến không được vượt tổng số hồ sơ")
	res, body = admin.post("/regimes", form)
	wantRedirect(t, res, body, "/regimes/")
	regimePath := res.Header.Get("Location")
	res, body = admin.get(regimePath)
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Báo cáo chuyển đổi số hằng tháng", "Hằng tháng", "Sở Khoa học và Công nghệ", "Văn phòng Chuyển đổi số tỉnh",
		"Từ ngày 15 tháng trước đến ngày 14 tháng báo cáo", "TT <= TONG", "Tình hình thực hiện",
		"Xã Hòa Bình", "Xã Đông Sơn", "Xã Cái Chiên", "Đơn vị thực hiện báo cáo hiện nay 4")
	// The due period on 15/01/2023: January, data 15/12/2022–14/01/2023.
	wantText(t, body, "Kỳ hiện tại: tháng 1/2023", "15/12/2022 – 14/01/2023", "Kỳ tiếp theo: tháng 2/2023")
	rgs, err := f.regimes.FindRegimes(f.sys, dxtrack.RegimeFilter{})
	if err != nil || len(rgs) != 1 {
		t.Fatalf("regimes %v, %v", rgs, err)
	}
	rg := rgs[0]

	// Four units open and file their reports.
	ids := map[string]int64{}
	for _, who := range []struct{ user, unit, tong, tt, tl string }{
		{"reporter-a", "Xã Hòa Bình", "120", "100", "83,3"},
		{"reporter-b", "Xã Đông Sơn", "80", "60", "75.5"},
		{"reporter-c", "Xã Cái Chiên", "40", "30", "75"},
		{"reporter-d", "Sở Khoa học và Công nghệ", "300", "290", "96,7"},
	} {
		c := f.login(who.user)
		_, body := c.get("/reports")
		wantText(t, body, "Báo cáo của tôi", who.unit, "Báo cáo chuyển đổi số hằng tháng", "tháng 1/2023", "Chưa lập")
		unit := f.userNamed(who.user).UnitID
		res, body := c.post("/reports/open", url.Values{"regime": {fmtID(rg.ID)}, "unit": {fmtID(unit)}, "period": {"2023-01"}})
		wantRedirect(t, res, body, "/reports/")
		path := res.Header.Get("Location")
		res, body = c.get(path)
		wantStatus(t, res, body, http.StatusOK)
		wantText(t, body, who.unit, "Đang soạn", "Tổng số hồ sơ", "Tình hình thực hiện", "Nộp báo cáo")
		if !strings.Contains(body, `hx-post="`+path+`/save"`) || !strings.Contains(body, `hx-trigger="change delay:800ms`) {
			t.Fatal("the report form does not autosave")
		}
		// Autosave as the user types.
		res, saved := c.htmxPost(path+"/save", reportValues(ins, version(t, body), who.tong, who.tt, who.tl, ""))
		wantStatus(t, res, saved, http.StatusOK)
		wantText(t, saved, "Đã lưu lúc 16:00")
		// The draft is on the server: a fresh page shows it.
		_, body = c.get(path)
		wantText(t, body, who.unit)
		if !strings.Contains(body, `value="`+who.tong+`"`) {
			t.Errorf("%s: the saved value %s is not shown back", who.user, who.tong)
		}
		res, body = c.post(path+"/submit", reportValues(ins, version(t, saved), who.tong, who.tt, who.tl, "Triển khai đúng kế hoạch"))
		wantRedirect(t, res, body, path)
		_, body = c.get(path)
		wantText(t, body, "Đã nộp báo cáo.", "Đã nộp")
		ids[who.user] = idOf(t, path)
	}

	// The department's reviewer sees the four in the queue and returns
	// commune B's, first forgetting the comment.
	dept := f.login("reviewer-d")
	_, body = dept.get("/reports")
	wantText(t, body, "Báo cáo chờ duyệt 4", "Xã Hòa Bình", "Xã Đông Sơn", "Xã Cái Chiên")
	pathB := "/reports/" + fmtID(ids["reporter-b"])
	_, body = dept.get(pathB)
	wantText(t, body, "Duyệt báo cáo", "Trả lại")
	res, body = dept.post(pathB+"/return", url.Values{"comment": {" "}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "comment", "cần ghi rõ nội dung cần sửa")
	res, body = dept.post(pathB+"/return", url.Values{"comment": {"Tỷ lệ số hoá chưa khớp số liệu hồ sơ, đề nghị kiểm tra lại."}})
	wantRedirect(t, res, body, pathB)
	for _, who := range []string{"reporter-a", "reporter-c", "reporter-d"} {
		res, body := dept.post("/reports/"+fmtID(ids[who])+"/approve", url.Values{})
		wantRedirect(t, res, body, "/reports/")
	}

	// Commune B reads the comment, fixes the value and submits again.
	b := f.login("reporter-b")
	_, body = b.get(pathB)
	wantText(t, body, "Bị trả lại", "Tỷ lệ số hoá chưa khớp số liệu hồ sơ, đề nghị kiểm tra lại.")
	res, body = b.post(pathB+"/submit", reportValues(ins, version(t, body), "80", "60", "75", "Đã kiểm tra lại số liệu"))
	wantRedirect(t, res, body, pathB)
	res, body = dept.post(pathB+"/approve", url.Values{"comment": {"Đạt"}})
	wantRedirect(t, res, body, pathB)

	// The province's office approves all four: they are locked.
	office := f.login("reviewer-p")
	_, body = office.get("/reports")
	wantText(t, body, "Báo cáo chờ duyệt 4")
	for _, id := range ids {
		res, body := office.post("/reports/"+fmtID(id)+"/approve", url.Values{})
		wantRedirect(t, res, body, "/reports/")
		if r := f.report(t, id); r.Status != dxtrack.ReportApproved {
			t.Errorf("report %d: %s, want approved", id, r.Status)
		}
	}
	_, body = b.get(pathB)
	wantText(t, body, "Đã duyệt", "đã khoá")
	if strings.Contains(body, `hx-post="`+pathB+`/save"`) {
		t.Error("an approved report still autosaves")
	}
	res, body = b.post(pathB+"/save", reportValues(ins, version(t, body), "1", "1", "1", "x"))
	wantStatus(t, res, body, http.StatusConflict)
	if r := f.report(t, ids["reporter-b"]); *r.Value(ins["TONG"].ID) != 80 {
		t.Error("a locked report was changed")
	}

	// Completeness reads 100%, here and on the overview.
	leader := f.login("leader")
	_, body = leader.get(regimePath + "/completeness?period=2023-01")
	wantText(t, body, "Tình hình nộp báo cáo tháng 1/2023", "4/4 = 100%", "Tất cả các đơn vị đã nộp báo cáo.")
	_, body = leader.get("/")
	wantText(t, body, "Báo cáo tháng 1/2023: 4/4 đơn vị đã nộp", "4/4 = 100%")
	_, body = leader.get(regimePath + "/table?period=2023-01")
	wantText(t, body, "Bảng tổng hợp tháng 1/2023", "TONG", "540", "4/4 = 100%")

	// The audit trail of commune B's report shows every step.
	_, body = b.get(pathB)
	audit := text(body[strings.Index(body, "Lịch sử thay đổi"):])
	for _, want := range []string{
		"Trạng thái Đang soạn Đã nộp",
		"Trạng thái Đã nộp Bị trả lại Tỷ lệ số hoá chưa khớp số liệu hồ sơ, đề nghị kiểm tra lại.",
		"Trạng thái Bị trả lại Đã nộp",
		"Trạng thái Đã nộp Đã duyệt",
		"Tỷ lệ số hoá 75,5 75",
		"Cán bộ reviewer-d", "Cán bộ reviewer-p", "Người dùng reporter-b",
	} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit trail lacks %q\n%s", want, excerpt(audit))
		}
	}
}

// idOf reads the ID at the end of a path.
func idOf(t *testing.T, path string) int64 {
	t.Helper()
	var id int64
	for _, c := range path[strings.LastIndex(path, "/")+1:] {
		if c < '0' || c > '9' {
			t.Fatalf("no ID in %s", path)
		}
		id = id*10 + int64(c-'0')
	}
	return id
}
