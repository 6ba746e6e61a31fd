package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestIndicatorFormAndEdit(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	admin := f.login("admin")
	res, body := admin.get("/indicators/new")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Thêm chỉ tiêu báo cáo", "Kiểu số liệu", "Số chữ số thập phân")
	// Bad input is shown beside each input.
	res, body = admin.post("/indicators", url.Values{"code": {""}, "name_vi": {""}, "type": {"count"}, "direction": {"up"}, "min": {"mười"}, "decimals": {"0"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "code", "")
	wantFieldError(t, body, "min", "số")
	res, body = admin.post("/indicators", url.Values{"code": {"TL-DVC"}, "name_vi": {"Tỷ lệ DVC trực tuyến"}, "type": {"percent"},
		"direction": {"up"}, "decimals": {"1"}, "min": {"0"}, "max": {"100"}, "owner_unit": {"SKHCN"}})
	wantRedirect(t, res, body, "/indicators")
	in, err := f.indicators.FindIndicatorByCode(f.sys, "TL-DVC")
	if err != nil || in.OwnerUnitID != f.dept.ID || in.Max == nil || *in.Max != 100 {
		t.Fatalf("indicator %+v, %v", in, err)
	}
	res, body = admin.get("/indicators/" + fmtID(in.ID) + "/edit")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Sửa chỉ tiêu TL-DVC")
	if !strings.Contains(body, `value="SKHCN"`) {
		t.Error("the edit form does not show the owner unit's code")
	}
	res, body = admin.post("/indicators/"+fmtID(in.ID), url.Values{"code": {"TL-DVC"}, "name_vi": {"Tỷ lệ dịch vụ công trực tuyến"},
		"type": {"percent"}, "direction": {"up"}, "decimals": {"1"}, "min": {"0"}, "max": {"100"}})
	wantRedirect(t, res, body, "/indicators")
	_, body = admin.get("/indicators?q=dich+vu")
	wantText(t, body, "Tỷ lệ dịch vụ công trực tuyến", "0 – 100")
	// Reporters are refused.
	res, body = f.login("reporter-a").post("/indicators/"+fmtID(in.ID), url.Values{"code": {"TL-DVC"}, "name_vi": {"X"}, "type": {"percent"}, "direction": {"up"}})
	wantStatus(t, res, body, http.StatusForbidden)
}

func TestCalendarPage(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	admin := f.login("admin")
	res, body := admin.get("/calendar?year=2026")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Lịch nghỉ lễ, làm bù năm 2026", "Tết Nguyên đán", "16/02/2026", "thứ Hai")
	// A make-up Saturday is added, then removed.
	res, body = admin.post("/calendar", url.Values{"date": {"2026-01-10"}, "kind": {"workday"}, "name_vi": {"Làm bù"}, "name_en": {"Make-up day"}})
	wantRedirect(t, res, body, "/calendar?year=2026")
	_, body = admin.get("/calendar?year=2026")
	wantText(t, body, "10/01/2026", "thứ Bảy", "Ngày làm bù")
	res, body = admin.post("/calendar", url.Values{"date": {""}, "kind": {"holiday"}, "name_vi": {""}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "name_vi", "")
	res, body = admin.post("/calendar/2026-01-10/delete", url.Values{})
	wantRedirect(t, res, body, "/calendar?year=2026")
	_, body = admin.get("/calendar?year=2026")
	noText(t, body, "10/01/2026")
	// Everyone reads it; only admins change it.
	r := f.login("reporter-a")
	res, body = r.get("/calendar?year=2026")
	wantStatus(t, res, body, http.StatusOK)
	if strings.Contains(body, `action="/calendar"`) {
		t.Error("a reporter is offered the calendar form")
	}
	res, body = r.post("/calendar/2026-02-16/delete", url.Values{})
	wantStatus(t, res, body, http.StatusForbidden)
}

func TestRegimeFormValidationAndEdit(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	rg, ins := f.seedRegime(t)
	admin := f.login("admin")
	path := "/regimes/" + fmtID(rg.ID)
	res, body := admin.get(path + "/edit")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Sửa chế độ báo cáo BC-CDS", "Biểu mẫu số liệu", "Quy tắc kiểm tra", "Phần thuyết minh")
	for _, want := range []string{`name="items.0.indicator"`, `value="Dịch vụ công"`, `name="rules.0.left" value="TT"`, `name="sections.1.code" value="KN"`, `value="SKHCN"`, `value="VPCDS"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the edit form lacks %s", want)
		}
	}
	// A rule naming an indicator not in the form is shown on its row; the
	// regime is unchanged.
	form := url.Values{
		"code": {"BC-CDS"}, "name_vi": {"Báo cáo CĐS"}, "freq": {"month"}, "scope_unit": {"22"}, "unit_types": {"commune"},
		"owner_unit": {"SKHCN"}, "deadline_days": {"5"}, "remind_days": {"3"}, "outlier_pct": {"50"}, "active": {"1"},
		"items_n": {"2"}, "items.0.indicator": {fmtID(ins["TONG"].ID)}, "items.1.indicator": {fmtID(ins["TT"].ID)},
		"rules_n": {"2"}, "rules.0.left": {"TT"}, "rules.0.op": {"<="}, "rules.0.right": {"TONG"},
		"rules.1.left": {"TL"}, "rules.1.op": {"<="}, "rules.1.right": {"100"},
		"sections_n": {"1"}, "sections.0.code": {"TH"}, "sections.0.title_vi": {"Tình hình"},
	}
	res, body = admin.post(path, form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="f-rules.2" class="row-invalid"`) {
		t.Error("the bad rule's row is not marked")
	}
	wantText(t, body, "“TL”")
	// Removing that rule and TL saves; the form keeps two items.
	form.Set("rules.1.remove", "1")
	res, body = admin.post(path, form)
	wantRedirect(t, res, body, path)
	got, err := f.regimes.FindRegimeByID(f.sys, rg.ID)
	if err != nil || got.NameVI != "Báo cáo CĐS" || len(got.Items) != 2 || len(got.Rules) != 1 || len(got.Sections) != 1 || got.FinalUnitID != 0 {
		t.Fatalf("regime after edit: %+v, %v", got, err)
	}
	_, body = admin.get(path)
	wantText(t, body, "Báo cáo CĐS", "Số hồ sơ trực tuyến")
	noText(t, body, "Tỷ lệ số hoá")
	// A reviewer may read it, not change it.
	res, body = f.login("reviewer-d").post(path, form)
	wantStatus(t, res, body, http.StatusForbidden)
}

func TestReportingPagesRender(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	rg, _ := f.seedRegime(t)
	rep := f.open(t, rg, f.communeA)
	rid := fmtID(rg.ID)
	for _, lang := range []string{"vi", "en"} {
		admin := f.login("admin")
		if lang == "en" {
			admin.get("/lang?to=en&next=/")
		}
		for _, tt := range []struct {
			path string
			vi   []string
			en   []string
		}{
			{"/reports", []string{"Báo cáo của tôi", "Báo cáo chờ duyệt"}, []string{"My reports", "Reports awaiting review"}},
			{"/regimes", []string{"Chế độ báo cáo", "BC-CDS", "Hằng tháng", "tháng 1/2023"}, []string{"Reporting regimes", "Monthly", "month 1/2023"}},
			{"/regimes/new", []string{"Thêm chế độ báo cáo"}, []string{"New reporting regime"}},
			{"/regimes/" + rid, []string{"Đề cương báo cáo", "Hạn nộp báo cáo"}, []string{"Outline", "Submission deadline"}},
			{"/regimes/" + rid + "/completeness", []string{"Tình hình nộp báo cáo tháng 1/2023", "0/4 = 0%", "Đơn vị chưa nộp báo cáo", "Cán bộ reporter-c"}, []string{"Reports for month 1/2023", "0/4 = 0%", "Units that have not reported"}},
			{"/regimes/" + rid + "/table?period=2022-12", []string{"Bảng tổng hợp tháng 12/2022"}, []string{"Consolidated table for month 12/2022"}},
			{"/reports/" + fmtID(rep.ID), []string{"Xã Hòa Bình", "Đang soạn", "Số liệu chỉ tiêu", "Dịch vụ công"}, []string{"Indicator figures", "Draft"}},
			{"/indicators", []string{"Chỉ tiêu báo cáo", "TONG"}, []string{"Reporting indicators"}},
			{"/calendar", []string{"Lịch nghỉ lễ"}, []string{"Holidays and make-up days"}},
			{"/", []string{"Báo cáo tháng 1/2023: 0/4 đơn vị đã nộp"}, []string{"Report for month 1/2023: 0/4 units filed"}},
		} {
			res, body := admin.get(tt.path)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s GET %s: %d\n%s", lang, tt.path, res.StatusCode, excerpt(text(body)))
				continue
			}
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
	// A period of the wrong frequency is refused.
	res, body := f.login("leader").get("/regimes/" + rid + "/completeness?period=2023-Q1")
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	for _, p := range []string{"/static/reporting.js", "/static/reporting.css"} {
		res, body := f.login("leader").get(p)
		wantStatus(t, res, body, http.StatusOK)
	}
	if _, body := f.login("leader").get("/static/reporting.js"); !strings.Contains(body, "htmx:xhr:progress") {
		t.Error("reporting.js does not show upload progress")
	}
	_ = dxtrack.Monthly
}
