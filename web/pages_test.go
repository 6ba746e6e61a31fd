package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestEveryPageRenders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	tgt, task, doc := fmtID(f.targetIDs[0]), fmtID(f.taskA.ID), fmtID(f.plan.ID)
	tests := []struct {
		path string
		want []string
	}{
		{"/", []string{"Tổng quan", "40,7%"}},
		{"/documents", []string{"Văn bản chương trình", "59/KH-UBND", "11/27 = 40,7%", "Thêm văn bản"}},
		{"/documents?q=59&kind=plan", []string{"59/KH-UBND"}},
		{"/documents/new", []string{"Thêm văn bản", "Số hiệu văn bản", "Đơn vị thực hiện văn bản"}},
		{"/documents/" + doc, []string{"Kế hoạch chuyển đổi số năm 2022", "UBND tỉnh Quảng Ninh", "01/03/2022", "11/27 = 40,7%", "MT-01", "NV-A", "Thêm mục tiêu"}},
		{"/documents/" + doc + "/edit", []string{"Sửa văn bản 59/KH-UBND"}},
		{"/targets", []string{"Mục tiêu, chỉ tiêu", "MT-01", "MT-27", "Hoàn thành", "Quá hạn", "1–27 trên 27"}},
		{"/targets?status=completed", []string{"MT-01", "MT-11", "1–11 trên 11"}},
		{"/targets?q=MT-05", []string{"MT-05", "1–1 trên 1"}},
		{"/targets/new?document=" + doc, []string{"Thêm mục tiêu", "Giá trị chỉ tiêu", "59/KH-UBND"}},
		{"/targets/" + tgt, []string{"Chỉ tiêu số 01", "Hoàn thành", "Mục tiêu đã được báo cáo là hoàn thành.", "Sở Khoa học và Công nghệ", "NV-A", "Báo cáo số liệu", "Đặt trạng thái thủ công"}},
		{"/targets/" + tgt + "/edit", []string{"Sửa mục tiêu MT-01"}},
		{"/tasks", []string{"Nhiệm vụ", "NV-A", "Xã Hòa Bình", "10%"}},
		{"/tasks?unit=XA", []string{"NV-A"}},
		{"/tasks/new?document=" + doc, []string{"Thêm nhiệm vụ", "Đơn vị phối hợp", "MT-27"}},
		{"/tasks/" + task, []string{"Số hoá hồ sơ của xã Hòa Bình", "1.500.000.000 ₫", "Tiến độ 10% chậm hơn", "MT-01"}},
		{"/tasks/" + task + "/edit", []string{"Sửa nhiệm vụ NV-A"}},
		{"/tasks/target-choices?document=" + doc, []string{"MT-01", "Chỉ tiêu số 27"}},
		{"/units", []string{"Đơn vị", "Quảng Ninh", "3 đơn vị trực thuộc"}},
		{"/units/" + fmtID(f.province.ID), []string{"Tỉnh Quảng Ninh", "Xã Hòa Bình", "Xã Đông Sơn", "Sở Khoa học và Công nghệ"}},
		{"/units/" + fmtID(f.province.ID) + "/children", []string{"Xã Hòa Bình", "SKHCN"}},
		{"/units/options?field=lead_unit&lead_unit=khoa+hoc", []string{"Sở Khoa học và Công nghệ"}},
		{"/units/new", []string{"Thêm đơn vị"}},
		{"/units/" + fmtID(f.communeA.ID) + "/edit", []string{"Sửa đơn vị Xã Hòa Bình"}},
		{"/users", []string{"Người dùng", "reporter-a", "Xã Hòa Bình", "Báo cáo"}},
		{"/users/new", []string{"Thêm người dùng", "Vai trò"}},
		{"/account", []string{"Tài khoản của tôi", "Mã truy cập API"}},
		{"/categories", []string{"Danh mục", "Chính quyền số", "Y tế", "An toàn thông tin mạng", "Thêm mục"}},
	}
	for _, tt := range tests {
		res, body := admin.get(tt.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d\n%s", tt.path, res.StatusCode, excerpt(text(body)))
			continue
		}
		wantText(t, body, tt.want...)
	}
	for _, path := range []string{"/no/such/page", "/documents/999999", "/targets/999999", "/tasks/abc", "/units/0", "/users/999999/edit", "/categories/999999/edit"} {
		res, body := admin.get(path)
		wantStatus(t, res, body, http.StatusNotFound)
		wantText(t, body, "Không tìm thấy")
	}
	if _, body := admin.get("/tasks/" + task + "/edit"); !strings.Contains(body, `value="1.500.000.000"`) {
		t.Error("the task form does not show the budget as 1.500.000.000")
	}
	res, body := admin.get("/static/app.css")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, "Be Vietnam Pro") || !strings.Contains(body, ".htmx-indicator") {
		t.Error("app.css lacks the font or the htmx indicator styles")
	}
	for _, path := range []string{"/static/app.js", "/static/vendor/htmx.min.js", "/static/vendor/echarts.min.js", "/static/vendor/fonts.css"} {
		res, body := admin.get(path)
		wantStatus(t, res, body, http.StatusOK)
	}
}

func TestDocumentCreateAndEdit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	res, body := c.post("/documents", url.Values{
		"kind": {"plan"}, "number": {"125/KH-UBND"}, "title_vi": {"Kế hoạch chuyển đổi số năm 2023"}, "title_en": {"DT plan 2023"},
		"issuer": {"UBND tỉnh"}, "issued_on": {"2023-01-05"}, "span_from": {"2023"}, "span_to": {"2023"},
		"parent_id": {fmtID(f.plan.ID)}, "owner_unit": {"22"}, "summary": {"Năm dữ liệu số"},
	})
	wantRedirect(t, res, body, "/documents/")
	loc := res.Header.Get("Location")
	res, body = c.get(loc)
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Đã lưu.", "Kế hoạch chuyển đổi số năm 2023", "05/01/2023", "Năm dữ liệu số", "59/KH-UBND")
	// The parent lists it as a child.
	_, body = c.get("/documents/" + fmtID(f.plan.ID))
	wantText(t, body, "Văn bản triển khai", "125/KH-UBND")

	res, body = c.post(loc, url.Values{
		"kind": {"plan"}, "number": {"125/KH-UBND"}, "title_vi": {"Kế hoạch CĐS 2023 (sửa)"},
		"issued_on": {"2023-01-05"}, "span_from": {"2023"}, "span_to": {"2023"}, "vision_year": {"2030"}, "owner_unit": {"22"},
	})
	wantRedirect(t, res, body, loc)
	_, body = c.get(loc)
	wantText(t, body, "Kế hoạch CĐS 2023 (sửa)", "tầm nhìn 2030")
}

func TestTargetCreateEditReport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	res, body := c.post("/targets", f.targetForm("deadline", "2023-12-31"))
	wantRedirect(t, res, body, "/targets/")
	loc := res.Header.Get("Location")
	_, body = c.get(loc)
	wantText(t, body, "Tỷ lệ hồ sơ trực tuyến toàn trình", "80,5 %", "Chưa bắt đầu", "Chưa có số liệu báo cáo.")

	form := f.targetForm("name_vi", "Tỷ lệ hồ sơ trực tuyến (sửa)", "current", "81", "deadline", "2023-12-31")
	res, body = c.post(loc, form)
	wantRedirect(t, res, body, loc)
	_, body = c.get(loc)
	wantText(t, body, "Tỷ lệ hồ sơ trực tuyến (sửa)", "Hoàn thành", "Giá trị hiện tại 81 đã đạt chỉ tiêu 80,5.")
	// The overview counts it: 12 of 28.
	_, body = c.get("/")
	wantText(t, body, "12/28 = 42,9%")

	// A qualitative target is reported done by its lead unit.
	c2 := f.login("admin")
	res, body = c2.post("/targets/"+fmtID(f.targetIDs[26])+"/report", url.Values{"done": {"1"}, "note": {"Đã ban hành"}})
	wantRedirect(t, res, body, "/targets/")
	_, body = c2.get("/")
	wantText(t, body, "13/28 = 46,4%")
}

func TestTaskCreateAndEdit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	res, body := c.post("/tasks", f.taskForm())
	wantRedirect(t, res, body, "/tasks/")
	loc := res.Header.Get("Location")
	_, body = c.get(loc)
	wantText(t, body, "Triển khai nền tảng số", "148.000.000.000 ₫", "Xã Hòa Bình", "Xã Đông Sơn", "MT-01", "MT-02", "Chính quyền số")
	tasks, _, err := f.tasks.FindTasks(f.sys, dxtrack.TaskFilter{Query: "NV-50"})
	if err != nil || len(tasks) != 1 {
		t.Fatal(tasks, err)
	}
	if got := tasks[0]; got.BudgetVND != 148_000_000_000 || len(got.CoUnitIDs) != 2 || len(got.TargetIDs) != 2 {
		t.Errorf("saved task %+v", got)
	}

	res, body = c.post(loc, f.taskForm("co_units", "", "progress", "100", "targets", ""))
	wantRedirect(t, res, body, loc)
	_, body = c.get(loc)
	wantText(t, body, "Hoàn thành", "Tiến độ đã đạt 100%.")
	task, _ := f.tasks.FindTaskByID(f.sys, tasks[0].ID)
	if len(task.CoUnitIDs) != 0 || len(task.TargetIDs) != 0 || task.Progress != 100 {
		t.Errorf("edited task: co-units %v, targets %v, progress %d", task.CoUnitIDs, task.TargetIDs, task.Progress)
	}
}

func TestUnitTreeAndSearch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("reporter-a")
	// Tone- and case-insensitive search.
	for _, q := range []string{"hoa binh", "Hoà Bình", "HÒA BÌNH"} {
		res, body := c.get("/units?q=" + url.QueryEscape(q))
		wantStatus(t, res, body, http.StatusOK)
		wantText(t, body, "Xã Hòa Bình", "· Quảng Ninh")
		noText(t, body, "Xã Đông Sơn")
	}
	// The search box asks htmx for the results only.
	res, body := c.get("/units?q=dong+son", "HX-Request", "true", "HX-Target", "unit-results")
	wantStatus(t, res, body, http.StatusOK)
	if strings.Contains(body, "<html") || !strings.Contains(body, "Xã Đông Sơn") {
		t.Errorf("htmx search: %s", excerpt(body))
	}
	// A branch of the tree is a fragment.
	res, body = c.get("/units/"+fmtID(f.province.ID)+"/children", "HX-Request", "true")
	wantStatus(t, res, body, http.StatusOK)
	if strings.Contains(body, "<html") || !strings.Contains(body, "Xã Đông Sơn") {
		t.Errorf("branch: %s", excerpt(body))
	}
	// Suggestions for a list of codes complete the last one.
	res, body = c.get("/units/options?field=co_units&multi=1&co_units=" + url.QueryEscape("XA, dong son"))
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `value="XA, XB"`) || strings.Contains(body, "Hòa Bình") {
		t.Errorf("options: %s", body)
	}
	// A reporter is not offered unit editing.
	_, body = c.get("/units/" + fmtID(f.communeA.ID))
	if strings.Contains(body, "/edit") {
		t.Error("a reporter is offered unit editing")
	}
	res, body = c.post("/units/"+fmtID(f.communeA.ID)+"/edit", url.Values{"name_vi": {"Đổi tên"}, "type": {"commune"}, "parent": {"22"}})
	wantStatus(t, res, body, http.StatusForbidden)
}

func TestUnitCreateRenameKeepsHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	res, body := c.post("/units/new", url.Values{"code": {"XC"}, "name_vi": {"Xã Hoành Bồ"}, "type": {"commune"}, "parent": {"22"}, "valid_from": {"2022-01-01"}})
	wantRedirect(t, res, body, "/units/")
	loc := res.Header.Get("Location")
	res, body = c.post(loc+"/edit", url.Values{"name_vi": {"Phường Hoành Bồ"}, "type": {"ward"}, "parent": {"22"}, "on": {"2025-07-01"}})
	wantRedirect(t, res, body, loc)
	_, body = c.get(loc)
	wantText(t, body, "Phường Hoành Bồ", "Lịch sử thay đổi", "01/07/2025", "“Xã Hoành Bồ” → “Phường Hoành Bồ”")
	// Found by its old name's words too? Not required; by its new name surely.
	_, body = c.get("/units?q=hoanh+bo")
	wantText(t, body, "Phường Hoành Bồ")
}

func TestUsersAndAccount(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	res, body := admin.post("/users", url.Values{"username": {"reporter-c"}, "name": {"Cán bộ xã C"}, "email": {"c@example.vn"},
		"role": {"reporter"}, "unit": {"XB"}, "lang": {"en"}, "password": {password}})
	wantRedirect(t, res, body, "/users")
	_, body = admin.get("/users?q=reporter-c")
	wantText(t, body, "Cán bộ xã C", "Xã Đông Sơn")

	users, _, _ := f.users.FindUsers(f.sys, dxtrack.UserFilter{Query: "reporter-c"})
	if len(users) != 1 {
		t.Fatalf("users %v", users)
	}
	edit := "/users/" + fmtID(users[0].ID)
	res, body = admin.get(edit + "/edit")
	wantStatus(t, res, body, http.StatusOK)
	res, body = admin.post(edit, url.Values{"name": {"Cán bộ xã C"}, "role": {"reporter"}, "unit": {"XB"}, "lang": {"en"}, "disabled": {"1"}})
	wantRedirect(t, res, body, "/users")
	_, body = admin.get("/users?q=reporter-c")
	wantText(t, body, "Đã khoá")

	// Own account: the language takes effect, a password change needs the
	// current password.
	c := f.login("leader")
	res, body = c.post("/account", url.Values{"name": {"Lãnh đạo tỉnh"}, "lang": {"en"}, "password": {"mật khẩu mới dài"}, "password2": {"mật khẩu mới dài"}, "current_password": {"sai"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "current_password", "Tên đăng nhập hoặc mật khẩu không đúng")
	res, body = c.post("/account", url.Values{"name": {"Lãnh đạo tỉnh"}, "lang": {"en"}, "password": {"mật khẩu mới dài"}, "password2": {"mật khẩu mới dài"}, "current_password": {password}})
	wantRedirect(t, res, body, "/account")
	_, body = c.get("/account")
	wantText(t, body, "My account", "Saved.", "Lãnh đạo tỉnh")
	if _, err := f.users.Authenticate(f.sys, "leader", "mật khẩu mới dài"); err != nil {
		t.Errorf("new password: %v", err)
	}

	// An API token is shown once.
	res, body = c.post("/account/tokens", url.Values{"token_name": {"Cổng dịch vụ công"}})
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Token created:", "shown only once")
	token := between(body, `<code class="token">`, "</code>")
	if len(token) < 20 {
		t.Fatalf("token %q", token)
	}
	if u, err := f.users.UserByToken(f.sys, token); err != nil || u.Username != "leader" {
		t.Errorf("token user %v, %v", u, err)
	}
	res, body = c.post("/account/tokens", url.Values{"token_name": {""}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "token_name", "Token name is required")
}

func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(after, end)
	return before
}

func TestCategories(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	res, body := c.post("/categories", url.Values{"kind": {"sector"}, "code": {"CN"}, "name_vi": {"Công nghiệp văn hoá"}, "name_en": {"Cultural industry"}, "sort": {"10"}})
	wantRedirect(t, res, body, "/categories")
	_, body = c.get("/categories")
	wantText(t, body, "Công nghiệp văn hoá")
	cats, _ := f.categories.FindCategories(f.sys, dxtrack.CategorySector)
	var id int64
	for _, cat := range cats {
		if cat.Code == "CN" {
			id = cat.ID
		}
	}
	if id == 0 {
		t.Fatal("category not created")
	}
	res, body = c.post("/categories/"+fmtID(id), url.Values{"kind": {"sector"}, "code": {"CN"}, "name_vi": {"Công nghiệp sáng tạo"}, "sort": {"10"}})
	wantRedirect(t, res, body, "/categories")
	_, body = c.get("/categories")
	wantText(t, body, "Công nghiệp sáng tạo")
	res, body = c.post("/categories/"+fmtID(id)+"/delete", nil)
	wantRedirect(t, res, body, "/categories")
	_, body = c.get("/categories")
	noText(t, body, "Công nghiệp sáng tạo")

	// A pillar in use cannot go.
	res, body = c.post("/categories/"+fmtID(f.pillar.ID)+"/delete", nil)
	wantStatus(t, res, body, http.StatusConflict)
	wantText(t, body, "Không thể xoá vì mục này đang được sử dụng")

	// Others may read the lists but not change them.
	l := f.login("leader")
	_, body = l.get("/categories")
	noText(t, body, "Thêm mục")
	res, body = l.post("/categories", url.Values{"kind": {"sector"}, "code": {"ZZ"}, "name_vi": {"X"}})
	wantStatus(t, res, body, http.StatusForbidden)
}
