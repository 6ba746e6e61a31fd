package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

// msgBox returns the text of the messages beside an indicator's input.
func msgBox(body string, indicatorID int64) string {
	re := regexp.MustCompile(`(?s)<div id="m-v-` + fmtID(indicatorID) + `" class="rmsgs"[^>]*>(.*?)</div>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return text(m[1])
}

func TestReportFormPrefillChecksAndConflicts(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	rg, ins := f.seedRegime(t)
	// December's report, filed through the services, prefills January's.
	dec, err := f.reports.OpenReport(f.sys, rg.ID, f.communeA.ID, jan2023.Prev())
	if err != nil {
		t.Fatal(err)
	}
	dec.Values = []dxtrack.ReportValue{{IndicatorID: ins["TONG"].ID, Value: apiFloat(100)}, {IndicatorID: ins["TT"].ID, Value: apiFloat(80)}}
	dec.Sections = map[string]string{"TH": "Tháng 12"}
	if _, _, err := f.reports.SaveReport(f.sys, dec); err != nil {
		t.Fatal(err)
	}
	// History counts submitted figures only.
	if _, err := f.reports.Act(f.sys, dec.ID, dxtrack.ActionSubmit, ""); err != nil {
		t.Fatal(err)
	}
	jan := f.open(t, rg, f.communeA)
	path := "/reports/" + fmtID(jan.ID)
	a := f.login("reporter-a")
	_, body := a.get(path)
	if got := msgBox(body, ins["TONG"].ID); !strings.Contains(got, "số liệu kỳ trước") {
		t.Errorf("TONG prefilled from December is not marked: %q", got)
	}
	if !strings.Contains(body, `value="100"`) {
		t.Error("December's 100 is not prefilled")
	}
	v := version(t, body)

	// "12,5" and "12.5" both read as 12.5; a jump of more than half warns
	// beside the value; a prefilled value the unit keeps stays marked.
	res, saved := a.htmxPost(path+"/save", reportValues(ins, v, "100", "200", "12,5", ""))
	wantStatus(t, res, saved, http.StatusOK)
	wantText(t, saved, "Đã lưu lúc")
	if got := msgBox(saved, ins["TONG"].ID); !strings.Contains(got, "số liệu kỳ trước") {
		t.Errorf("an untouched prefilled value lost its mark: %q", got)
	}
	if got := msgBox(saved, ins["TT"].ID); !strings.Contains(got, "Số hồ sơ trực tuyến không được vượt tổng số hồ sơ") || !strings.Contains(got, "so với kỳ trước") {
		t.Errorf("beside TT: %q, want the rule and the jump", got)
	}
	if !strings.Contains(saved, `hx-swap-oob="true"`) {
		t.Error("the autosave answer does not update the messages in place")
	}
	if r := f.report(t, jan.ID); *r.Value(ins["TL"].ID) != 12.5 {
		t.Errorf("TL %v, want 12.5", *r.Value(ins["TL"].ID))
	}
	v2 := version(t, saved)
	res, saved = a.htmxPost(path+"/save", reportValues(ins, v2, "100", "80", "12.5", ""))
	wantText(t, saved, "Đã lưu lúc")
	if r := f.report(t, jan.ID); *r.Value(ins["TL"].ID) != 12.5 || *r.Value(ins["TT"].ID) != 80 {
		t.Errorf("after the second save: %+v", r.Values)
	}

	// A stale version (another tab) is refused and nothing changes.
	res, body = a.htmxPost(path+"/save", reportValues(ins, v, "1", "1", "1", ""))
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Báo cáo vừa được thay đổi ở nơi khác")
	if strings.Contains(body, `id="f-version"`) {
		t.Error("a refused save hands out a new version")
	}
	if r := f.report(t, jan.ID); *r.Value(ins["TONG"].ID) != 100 {
		t.Error("a stale save changed the report")
	}
	// Without htmx the conflict is a 409 page.
	res, body = a.post(path+"/save", reportValues(ins, v, "1", "1", "1", ""))
	wantStatus(t, res, body, http.StatusConflict)
	wantText(t, body, "Báo cáo vừa được thay đổi ở nơi khác")

	// Text where a number goes, and a percentage over 100, are shown
	// beside their inputs and nothing is written.
	_, body = a.get(path)
	v = version(t, body)
	res, body = a.post(path+"/save", reportValues(ins, v, "nhiều", "80", "120", ""))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantText(t, body, "Chưa lưu: có giá trị chưa hợp lệ")
	if got := msgBox(body, ins["TONG"].ID); !strings.Contains(got, "số") {
		t.Errorf("beside TONG: %q", got)
	}
	if !strings.Contains(body, `value="nhiều"`) {
		t.Error("the bad input is not shown back for fixing")
	}
	res, body = a.post(path+"/save", reportValues(ins, v, "100", "80", "120", ""))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	if got := msgBox(body, ins["TL"].ID); !strings.Contains(got, "từ 0 đến 100") {
		t.Errorf("beside TL: %q", got)
	}
	if r := f.report(t, jan.ID); *r.Value(ins["TL"].ID) != 12.5 {
		t.Error("a refused save changed the report")
	}

	// Submitting with a blocking rule broken and the required section
	// empty is refused with both named; the report stays a draft.
	res, body = a.post(path+"/submit", reportValues(ins, v, "100", "150", "50", ""))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantText(t, body, "Chưa nộp được", "Số hồ sơ trực tuyến không được vượt tổng số hồ sơ")
	if got := msgBox(body, ins["TT"].ID); !strings.Contains(got, "không được vượt") {
		t.Errorf("beside TT: %q", got)
	}
	if r := f.report(t, jan.ID); r.Status != dxtrack.ReportDraft {
		t.Errorf("status %s after a refused submission", r.Status)
	}
	_, body = a.get(path)
	res, body = a.post(path+"/submit", reportValues(ins, version(t, body), "100", "90", "50", "Đã triển khai"))
	wantRedirect(t, res, body, path)
	if r := f.report(t, jan.ID); r.Status != dxtrack.ReportSubmitted || r.Late {
		t.Errorf("after submitting: %s late=%v", r.Status, r.Late)
	}
}

func TestReportingAccessRefused(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	rg, ins := f.seedRegime(t)
	repA := f.open(t, rg, f.communeA)
	pathA := "/reports/" + fmtID(repA.ID)
	rid := fmtID(rg.ID)

	// Nobody signed in: every page leads to the login.
	anon := f.client()
	for _, p := range []string{"/reports", pathA, "/regimes", "/regimes/" + rid, "/regimes/" + rid + "/completeness", "/indicators", "/calendar"} {
		res, body := anon.get(p)
		wantRedirect(t, res, body, "/login")
	}
	res, body := anon.post(pathA+"/save", reportValues(ins, "1", "5", "5", "5", ""))
	wantRedirect(t, res, body, "/login?next="+url.QueryEscape(pathA))

	// Another commune's reporter can neither read nor change A's report.
	b := f.login("reporter-b")
	res, body = b.get(pathA)
	wantStatus(t, res, body, http.StatusForbidden)
	res, body = b.post(pathA+"/save", reportValues(ins, "1", "5", "5", "5", ""))
	wantStatus(t, res, body, http.StatusForbidden)
	res, body = b.post(pathA+"/submit", url.Values{})
	wantStatus(t, res, body, http.StatusForbidden)
	res, body = b.post("/reports/open", url.Values{"regime": {rid}, "unit": {fmtID(f.communeA.ID)}, "period": {"2023-02"}})
	wantStatus(t, res, body, http.StatusForbidden)
	res, _ = b.getBytes(pathA + "/xlsx")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("another commune's form download: %d", res.StatusCode)
	}

	// A reporter may not review, and a reviewer may not edit.
	a := f.login("reporter-a")
	_, body = a.get(pathA)
	res, body = a.post(pathA+"/submit", reportValues(ins, version(t, body), "10", "5", "50", "Xong"))
	wantRedirect(t, res, body, pathA)
	res, body = a.post(pathA+"/approve", url.Values{})
	wantStatus(t, res, body, http.StatusForbidden)
	_, body = a.get(pathA)
	if strings.Contains(body, pathA+"/approve") {
		t.Error("a reporter is offered the approve button")
	}
	// The office may not approve before the department.
	office := f.login("reviewer-p")
	res, body = office.post(pathA+"/approve", url.Values{})
	wantStatus(t, res, body, http.StatusConflict)
	wantText(t, body, "Cấp dưới chưa duyệt")
	// A leader reads the regime but may not set up or unlock anything.
	leader := f.login("leader")
	for _, p := range []string{"/regimes", "/regimes/" + rid, "/regimes/" + rid + "/table", pathA} {
		res, body := leader.get(p)
		wantStatus(t, res, body, http.StatusOK)
	}
	for _, p := range []string{"/regimes/new", "/regimes/" + rid + "/edit", "/indicators", "/indicators/new"} {
		res, body := leader.get(p)
		wantStatus(t, res, body, http.StatusForbidden)
	}
	for _, p := range []string{"/regimes", "/regimes/" + rid, "/indicators", "/calendar", "/calendar/2023-01-02/delete"} {
		res, body := leader.post(p, url.Values{"code": {"X"}, "name_vi": {"X"}, "date": {"2023-01-02"}, "kind": {"holiday"}})
		wantStatus(t, res, body, http.StatusForbidden)
	}
	res, body = leader.post(pathA+"/unlock", url.Values{"comment": {"Sửa số liệu sai"}})
	wantStatus(t, res, body, http.StatusForbidden)
	if r := f.report(t, repA.ID); r.Status != dxtrack.ReportSubmitted {
		t.Errorf("status %s after refused steps", r.Status)
	}
	// Unknown ones are not found.
	for _, p := range []string{"/reports/999999", "/regimes/999999", "/regimes/" + rid + "/completeness?period=2023-Q1", "/indicators/999999/edit"} {
		res, body := leader.get(p)
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s: %d", p, res.StatusCode)
		}
		_ = body
	}
}

func TestReportUnlockAndEvidence(t *testing.T) {
	t.Parallel()
	f := newRFixture(t)
	rg, ins := f.seedRegime(t)
	rep := f.open(t, rg, f.communeA)
	path := "/reports/" + fmtID(rep.ID)
	a := f.login("reporter-a")
	_, body := a.get(path)
	wantText(t, body, "Tiến độ nhiệm vụ", "NV-A", "Chưa có tệp")

	// A task's progress, narrative, document number and link are part of
	// the form; a file is attached beside it.
	form := reportValues(ins, version(t, body), "10", "5", "50", "Đúng tiến độ")
	task := fmtID(f.taskA.ID)
	form.Set("tp."+task, "45")
	form.Set("tn."+task, "Đã số hoá 45% hồ sơ")
	form.Set("te."+task, "125/BC-UBND")
	form.Set("tu."+task, "https://quangninh.gov.vn/bc/125")
	res, body := a.post(path+"/save", form)
	wantRedirect(t, res, body, path)
	res, body = a.upload(path+"/tasks/"+task+"/evidence", "bien-ban.pdf", []byte("%PDF-1.4 minh chứng"))
	wantRedirect(t, res, body, path)
	_, body = a.get(path)
	wantText(t, body, "Đã đính kèm tệp minh chứng.", "bien-ban.pdf", "Đã số hoá 45% hồ sơ")
	m := regexp.MustCompile(`href="(` + path + `/evidence/\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link to the evidence file")
	}
	res, file := a.getBytes(m[1])
	if res.StatusCode != http.StatusOK || string(file) != "%PDF-1.4 minh chứng" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("evidence download: %d %q %q", res.StatusCode, file, res.Header.Get("Content-Disposition"))
	}
	res, _ = f.login("reporter-b").getBytes(m[1])
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("another commune downloads the evidence: %d", res.StatusCode)
	}

	// Submitted, approved twice, locked; the admin unlocks with a reason.
	res, body = a.post(path+"/submit", url.Values{})
	wantRedirect(t, res, body, path)
	for _, who := range []string{"reviewer-d", "reviewer-p"} {
		res, body := f.login(who).post(path+"/approve", url.Values{})
		wantRedirect(t, res, body, path)
	}
	if r := f.report(t, rep.ID); r.Status != dxtrack.ReportApproved {
		t.Fatalf("status %s", r.Status)
	}
	// Approval carried the progress to the task.
	if tk, _ := f.tasks.FindTaskByID(f.sys, f.taskA.ID); tk.Progress != 45 {
		t.Errorf("task progress %d after approval, want 45", tk.Progress)
	}
	admin := f.login("admin")
	_, body = admin.get(path)
	wantText(t, body, "Mở khoá báo cáo")
	res, body = admin.post(path+"/unlock", url.Values{"comment": {""}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	res, body = admin.post(path+"/unlock", url.Values{"comment": {"Số liệu tháng 1 cần điều chỉnh theo văn bản mới"}})
	wantRedirect(t, res, body, path)
	_, body = a.get(path)
	wantText(t, body, "Bị trả lại", "Số liệu tháng 1 cần điều chỉnh theo văn bản mới", "Nộp báo cáo")
}
