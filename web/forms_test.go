package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

// targetForm is a valid new-target form for the plan.
func (f *fixture) targetForm(changes ...string) url.Values {
	v := url.Values{
		"document": {fmtID(f.plan.ID)}, "code": {"MT-50"}, "name_vi": {"Tỷ lệ hồ sơ trực tuyến toàn trình"}, "kind": {"quantitative"},
		"measure": {"%"}, "baseline": {"20"}, "value": {"80,5"}, "direction": {"up"},
		"start_on": {"2022-03-01"}, "deadline": {"2022-12-31"}, "lead_unit": {"SKHCN"}, "pillar": {fmtID(f.pillar.ID)},
	}
	for i := 0; i+1 < len(changes); i += 2 {
		v.Set(changes[i], changes[i+1])
	}
	return v
}

func (f *fixture) taskForm(changes ...string) url.Values {
	v := url.Values{
		"document": {fmtID(f.plan.ID)}, "code": {"NV-50"}, "name_vi": {"Triển khai nền tảng số"}, "group": {"Chính quyền số"},
		"lead_unit": {"SKHCN"}, "co_units": {"XA, XB"}, "start_on": {"2022-03-01"}, "deadline": {"2022-12-31"},
		"budget_vnd": {"148.000.000.000"}, "progress": {"0"}, "targets": {fmtID(f.targetIDs[0]), fmtID(f.targetIDs[1])},
	}
	for i := 0; i+1 < len(changes); i += 2 {
		v.Set(changes[i], changes[i+1])
	}
	return v
}

func TestBadInputIsRefusedWithFieldErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	tests := []struct {
		name       string
		path       string
		form       url.Values
		field, msg string
	}{
		{"deadline before document", "/targets", f.targetForm("deadline", "2022-01-15"),
			"deadline", "Hạn hoàn thành không được trước ngày ban hành văn bản (01/03/2022)"},
		{"target value not a number", "/targets", f.targetForm("value", "abc"),
			"value", "Giá trị chỉ tiêu phải là một số (ví dụ 12,5)"},
		{"unknown lead unit", "/targets", f.targetForm("lead_unit", "KHONGCO"),
			"lead_unit", "Đơn vị chủ trì: không có đơn vị nào mang mã “KHONGCO”"},
		{"duplicate target code", "/targets", f.targetForm("code", "MT-01"),
			"code", "Mã “MT-01” đã được dùng cho mục khác"},
		{"bad date", "/targets", f.targetForm("deadline", "31/02/2022"),
			"deadline", "Hạn hoàn thành phải là một ngày hợp lệ"},
		{"negative budget", "/tasks", f.taskForm("budget_vnd", "-5.000.000"),
			"budget_vnd", "Kinh phí (đồng) không được là số âm"},
		{"progress over 100", "/tasks", f.taskForm("progress", "101"),
			"progress", "Tiến độ (%) phải nằm trong khoảng từ 0 đến 100%"},
		{"unknown co-unit", "/tasks", f.taskForm("co_units", "XA, ZZZ"),
			"co_units", "Đơn vị phối hợp: không có đơn vị nào mang mã “ZZZ”"},
		{"co-unit is lead", "/tasks", f.taskForm("co_units", "SKHCN"),
			"co_units", "Đơn vị phối hợp không được gồm đơn vị chủ trì"},
		{"task deadline before document", "/tasks", f.taskForm("deadline", "2021-12-31"),
			"deadline", "Hạn hoàn thành không được trước ngày ban hành văn bản (01/03/2022)"},
		{"duplicate task code", "/tasks", f.taskForm("code", "NV-A"),
			"code", "đã được dùng cho mục khác"},
		{"budget not a number", "/tasks", f.taskForm("budget_vnd", "nhiều"),
			"budget_vnd", "Kinh phí (đồng) phải là một số nguyên"},
		{"document without number", "/documents", url.Values{"kind": {"plan"}, "title_vi": {"X"}, "issued_on": {"2022-03-01"}, "span_from": {"2022"}, "span_to": {"2022"}, "owner_unit": {"22"}},
			"number", "Số hiệu văn bản là thông tin bắt buộc"},
		{"document span reversed", "/documents", url.Values{"kind": {"plan"}, "number": {"9/KH"}, "title_vi": {"X"}, "issued_on": {"2022-03-01"}, "span_from": {"2025"}, "span_to": {"2021"}, "owner_unit": {"22"}},
			"span_to", "Giai đoạn đến năm phải là một năm từ 2025 đến 2100"},
		{"document unknown owner", "/documents", url.Values{"kind": {"plan"}, "number": {"9/KH"}, "title_vi": {"X"}, "issued_on": {"2022-03-01"}, "span_from": {"2022"}, "span_to": {"2022"}, "owner_unit": {"NOPE"}},
			"owner_unit", "không có đơn vị nào mang mã “NOPE”"},
		{"duplicate document number", "/documents", url.Values{"kind": {"plan"}, "number": {"59/KH-UBND"}, "title_vi": {"X"}, "issued_on": {"2022-03-01"}, "span_from": {"2022"}, "span_to": {"2022"}, "owner_unit": {"22"}},
			"number", "đã được dùng cho mục khác"},
		{"duplicate unit code", "/units/new", url.Values{"code": {"XA"}, "name_vi": {"Xã trùng mã"}, "type": {"commune"}, "parent": {"22"}},
			"code", "Mã “XA” đã được dùng"},
		{"unit with unknown parent", "/units/new", url.Values{"code": {"XC"}, "name_vi": {"Xã C"}, "type": {"commune"}, "parent": {"99"}},
			"parent", "Đơn vị cấp trên: không có đơn vị nào mang mã “99”"},
		{"duplicate username", "/users", url.Values{"username": {"leader"}, "name": {"X"}, "role": {"leader"}, "unit": {"22"}, "lang": {"vi"}, "password": {password}},
			"username", "Tên đăng nhập đã có người sử dụng"},
		{"short password", "/users", url.Values{"username": {"newbie"}, "name": {"X"}, "role": {"leader"}, "unit": {"22"}, "lang": {"vi"}, "password": {"123"}},
			"password", "Mật khẩu phải có ít nhất 8 ký tự"},
		{"duplicate category", "/categories", url.Values{"kind": {"pillar"}, "code": {"CQS"}, "name_vi": {"Trùng"}},
			"code", "đã được dùng"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.counts()
			res, body := c.post(tt.path, tt.form)
			wantStatus(t, res, body, http.StatusUnprocessableEntity)
			wantFieldError(t, body, tt.field, tt.msg)
			// The summary at the top repeats it.
			wantText(t, body, "Vui lòng sửa các lỗi sau:")
			// The entered values are kept.
			for _, k := range []string{"code", "name_vi", "number", "username"} {
				if v := tt.form.Get(k); v != "" && !strings.Contains(body, `value="`+v+`"`) && !strings.Contains(body, `value="`+htmlEscape(v)+`"`) {
					t.Errorf("the entered %s %q is not shown back", k, v)
				}
			}
			if after := f.counts(); after != before {
				t.Errorf("something was saved: %v → %v", before, after)
			}
		})
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

// counts is how many of each thing the store holds.
func (f *fixture) counts() [6]int {
	var c [6]int
	_, c[0], _ = f.documents.FindDocuments(f.sys, dxtrack.DocumentFilter{})
	_, c[1], _ = f.targets.FindTargets(f.sys, dxtrack.TargetFilter{})
	_, c[2], _ = f.tasks.FindTasks(f.sys, dxtrack.TaskFilter{})
	_, c[3], _ = f.units.FindUnits(f.sys, dxtrack.UnitFilter{All: true})
	_, c[4], _ = f.users.FindUsers(f.sys, dxtrack.UserFilter{})
	cats, _ := f.categories.FindCategories(f.sys, "")
	c[5] = len(cats)
	return c
}

func TestReportBadInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.login("reporter-a")
	path := "/tasks/" + fmtID(f.taskA.ID)
	for _, tt := range []struct{ progress, msg string }{
		{"101", "Tiến độ (%) phải nằm trong khoảng từ 0 đến 100%"},
		{"-1", "Tiến độ (%) phải nằm trong khoảng từ 0 đến 100%"},
		{"năm mươi", "Tiến độ (%) phải là một số nguyên"},
		{"", "Tiến độ (%) là thông tin bắt buộc"},
	} {
		res, body := a.post(path+"/report", url.Values{"progress": {tt.progress}})
		wantStatus(t, res, body, http.StatusUnprocessableEntity)
		wantFieldError(t, body, "progress", tt.msg)
	}
	task, _ := f.tasks.FindTaskByID(f.sys, f.taskA.ID)
	if task.Progress != 10 {
		t.Errorf("progress %d after refused reports", task.Progress)
	}

	// A quantitative target's value must be a number.
	admin := f.login("admin")
	res, body := admin.post("/targets", f.targetForm())
	wantRedirect(t, res, body, "/targets/")
	tpath := res.Header.Get("Location")
	res, body = admin.post(tpath+"/report", url.Values{"current": {"abc"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "current", "Giá trị hiện tại phải là một số")
	res, body = admin.post(tpath+"/report", url.Values{"current": {"45,5"}})
	wantRedirect(t, res, body, tpath)
	_, body = admin.get(tpath)
	wantText(t, body, "45,5 %", "80,5 %", "Đạt 42,1% chặng đường đến chỉ tiêu")
}

func TestEnglishErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	c.get("/lang?to=en&next=/")
	res, body := c.post("/targets", f.targetForm("deadline", "2022-01-15", "value", "1.234,5"))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "deadline", "Deadline must not be before the document's date of issue (1 Mar 2022)")
	wantText(t, body, "Please correct the following:")
	res, body = c.post("/tasks", f.taskForm("progress", "150"))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "progress", "Progress (%) must be between 0 and 100%")
}
