package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestReporterOfAnotherCommuneIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := "/tasks/" + fmtID(f.taskA.ID)

	// Commune B's reporter sees the task but no report form…
	b := f.login("reporter-b")
	res, body := b.get(path)
	wantStatus(t, res, body, http.StatusOK)
	if strings.Contains(body, `action="`+path+`/report"`) {
		t.Error("commune B's reporter is offered the report form")
	}
	// …and a crafted post is refused with nothing changed.
	res, body = b.post(path+"/report", url.Values{"progress": {"90"}, "note": {"xong"}})
	wantStatus(t, res, body, http.StatusForbidden)
	wantText(t, body, "Bạn không có quyền thực hiện thao tác này")
	task, err := f.tasks.FindTaskByID(f.sys, f.taskA.ID)
	if err != nil || task.Progress != 10 || task.Note != "" {
		t.Fatalf("task after refused report: progress %d, note %q, %v", task.Progress, task.Note, err)
	}
	// Nor may they edit or override it.
	res, body = b.post(path, url.Values{"code": {"NV-A"}, "name_vi": {"X"}, "lead_unit": {"XB"}, "deadline": {"2023-06-30"}, "document": {fmtID(f.plan.ID)}})
	wantStatus(t, res, body, http.StatusForbidden)
	res, body = b.post(path+"/override", url.Values{"override_status": {"completed"}, "override_reason": {"tự đánh giá"}})
	wantStatus(t, res, body, http.StatusForbidden)

	// Commune A's reporter may report.
	a := f.login("reporter-a")
	res, body = a.get(path)
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `action="`+path+`/report"`) {
		t.Error("commune A's reporter is not offered the report form")
	}
	if strings.Contains(body, `href="`+path+`/edit"`) {
		t.Error("a reporter is offered the edit link")
	}
	res, body = a.post(path+"/report", url.Values{"progress": {"60"}, "note": {"Đã số hoá 60% hồ sơ"}})
	wantRedirect(t, res, body, path)
	res, body = a.get(path)
	wantText(t, body, "Đã cập nhật số liệu báo cáo", "Tiến độ (%): 60%", "Đã số hoá 60% hồ sơ")
	task, _ = f.tasks.FindTaskByID(f.sys, f.taskA.ID)
	if task.Progress != 60 {
		t.Errorf("progress %d, want 60", task.Progress)
	}
}

func TestReporterCannotReportOtherUnitsTarget(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := "/targets/" + fmtID(f.targetIDs[20])
	a := f.login("reporter-a") // the target is led by the department
	res, body := a.post(path+"/report", url.Values{"done": {"1"}})
	wantStatus(t, res, body, http.StatusForbidden)
	tg, _ := f.targets.FindTargetByID(f.sys, f.targetIDs[20])
	if tg.Done {
		t.Error("the target was marked done")
	}
}

func TestLeaderCannotEditDocument(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("leader")
	path := "/documents/" + fmtID(f.plan.ID)
	res, body := c.get(path)
	wantStatus(t, res, body, http.StatusOK)
	if strings.Contains(body, `href="`+path+`/edit"`) {
		t.Error("a leader is offered the edit link")
	}
	res, body = c.post(path, url.Values{
		"kind": {"plan"}, "number": {"59/KH-UBND"}, "title_vi": {"Đổi tên trái phép"}, "issued_on": {"2022-03-01"},
		"span_from": {"2022"}, "span_to": {"2022"}, "owner_unit": {"22"},
	})
	wantStatus(t, res, body, http.StatusForbidden)
	wantText(t, body, "Không có quyền")
	d, err := f.documents.FindDocumentByID(f.sys, f.plan.ID)
	if err != nil || d.TitleVI != "Kế hoạch chuyển đổi số năm 2022" {
		t.Errorf("document after refused edit: %q, %v", d.TitleVI, err)
	}
	// Nor create one, nor a target.
	res, body = c.post("/documents", url.Values{
		"kind": {"plan"}, "number": {"1/KH"}, "title_vi": {"Mới"}, "issued_on": {"2022-03-01"},
		"span_from": {"2022"}, "span_to": {"2022"}, "owner_unit": {"22"},
	})
	wantStatus(t, res, body, http.StatusForbidden)
	res, body = c.post("/targets", url.Values{"document": {fmtID(f.plan.ID)}, "code": {"MT-99"}, "name_vi": {"X"}, "kind": {"qualitative"},
		"deadline": {"2022-12-31"}, "lead_unit": {"SKHCN"}})
	wantStatus(t, res, body, http.StatusForbidden)
	if _, n, _ := f.targets.FindTargets(f.sys, targetsOf(f.plan.ID)); n != 27 {
		t.Errorf("%d targets, want 27", n)
	}
}

func TestFormPagesAreForAdmins(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, user := range []string{"leader", "reviewer", "reporter-a"} {
		c := f.login(user)
		for _, path := range []string{"/documents/new", "/documents/" + fmtID(f.plan.ID) + "/edit", "/targets/new", "/targets/" + fmtID(f.targetIDs[0]) + "/edit",
			"/tasks/new", "/tasks/" + fmtID(f.taskA.ID) + "/edit", "/units/new", "/units/" + fmtID(f.communeA.ID) + "/edit"} {
			res, body := c.get(path)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s: status %d, want 403", user, path, res.StatusCode)
			}
			_ = body
		}
	}
}

func TestOnlyAdminsManageUsers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("leader")
	for _, path := range []string{"/users", "/users/new"} {
		res, body := c.get(path)
		wantStatus(t, res, body, http.StatusForbidden)
	}
	res, body := c.post("/users", url.Values{"username": {"x"}, "name": {"X"}, "role": {"admin"}, "unit": {"22"}, "password": {password}})
	wantStatus(t, res, body, http.StatusForbidden)
	_, body = c.get("/")
	if strings.Contains(body, `href="/users"`) {
		t.Error("a leader sees the users menu entry")
	}
}

func TestReviewerOverridesStatus(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := "/targets/" + fmtID(f.targetIDs[26])
	c := f.login("reviewer")
	res, body := c.get(path)
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Quá hạn", "Đã quá hạn 31/12/2022 mà chưa hoàn thành.")

	// A reason is needed.
	res, body = c.post(path+"/override", url.Values{"override_status": {"on_track"}, "override_reason": {"ok"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "override_reason", "cần nêu lý do")
	tg, _ := f.targets.FindTargetByID(f.sys, f.targetIDs[26])
	if tg.Override != nil {
		t.Fatal("override saved without a reason")
	}

	res, body = c.post(path+"/override", url.Values{"override_status": {"on_track"}, "override_reason": {"Gia hạn theo văn bản 12/UBND"}})
	wantRedirect(t, res, body, path)
	res, body = c.get(path)
	wantText(t, body, "Đúng tiến độ", "thủ công", "Gia hạn theo văn bản 12/UBND", "Trạng thái tính theo số liệu: Quá hạn")

	res, body = c.post(path+"/override", url.Values{"clear": {"1"}})
	wantRedirect(t, res, body, path)
	tg, _ = f.targets.FindTargetByID(f.sys, f.targetIDs[26])
	if tg.Override != nil {
		t.Error("override not cleared")
	}
	// The audit trail keeps both.
	_, body = c.get(path)
	wantText(t, body, "Lịch sử thay đổi", "Gia hạn theo văn bản 12/UBND")
}

func TestAdminOverridesTaskStatus(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := "/tasks/" + fmtID(f.taskA.ID)
	c := f.login("admin")
	res, body := c.post(path+"/override", url.Values{"override_status": {"completed"}, "override_reason": {"Đã nghiệm thu theo biên bản 3/BB"}})
	wantRedirect(t, res, body, path)
	_, body = c.get(path)
	wantText(t, body, "Đã đặt trạng thái thủ công.", "Hoàn thành", "Đã nghiệm thu theo biên bản 3/BB", "Trạng thái tính theo số liệu: Có nguy cơ chậm")
	// The overview counts the override: the one task is completed.
	_, body = c.get("/")
	wantText(t, body, "1/1 = 100%")
	res, body = c.post(path+"/override", url.Values{"override_status": {"done"}, "override_reason": {"Trạng thái lạ"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "override_status", "không hợp lệ")
	res, body = c.post(path+"/override", url.Values{"clear": {"1"}})
	wantRedirect(t, res, body, path)
	_, body = c.get("/")
	wantText(t, body, "0/1 = 0%")
}
