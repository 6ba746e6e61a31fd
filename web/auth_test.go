package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestNotSignedInRedirectsToLogin(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.client()
	tests := []struct {
		method, path, next string
	}{
		{"GET", "/", ""},
		{"GET", "/documents", "?next=%2Fdocuments"},
		{"GET", "/targets?status=overdue", "?next=%2Ftargets%3Fstatus%3Doverdue"},
		{"GET", "/tasks/" + fmtID(f.taskA.ID), "?next=%2Ftasks%2F" + fmtID(f.taskA.ID)},
		{"GET", "/units", "?next=%2Funits"},
		{"GET", "/users", "?next=%2Fusers"},
		{"GET", "/account", "?next=%2Faccount"},
		{"GET", "/categories", "?next=%2Fcategories"},
		{"POST", "/tasks/" + fmtID(f.taskA.ID) + "/report", "?next=%2Ftasks%2F" + fmtID(f.taskA.ID)},
		{"POST", "/documents", "?next=%2Fdocuments"},
	}
	for _, tt := range tests {
		var res *http.Response
		var body string
		if tt.method == "GET" {
			res, body = c.get(tt.path)
		} else {
			res, body = c.post(tt.path, url.Values{"progress": {"90"}})
		}
		wantRedirect(t, res, body, "/login"+tt.next)
	}
	// Nothing was changed by the refused post.
	task, err := f.tasks.FindTaskByID(f.sys, f.taskA.ID)
	if err != nil || task.Progress != 10 {
		t.Errorf("task progress %v, %v; want 10", task.Progress, err)
	}
	// htmx requests are told to navigate rather than given the login page.
	res, _ := c.get("/units/"+fmtID(f.province.ID)+"/children", "HX-Request", "true")
	if res.StatusCode != http.StatusNoContent || !strings.HasPrefix(res.Header.Get("HX-Redirect"), "/login") {
		t.Errorf("htmx: status %d, HX-Redirect %q", res.StatusCode, res.Header.Get("HX-Redirect"))
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.client()
	res, body := c.get("/login?next=/targets")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Đăng nhập", "Tên đăng nhập", "Mật khẩu")

	res, body = c.post("/login", url.Values{"username": {"leader"}, "password": {"sai mật khẩu"}, "next": {"/targets"}})
	wantStatus(t, res, body, http.StatusUnauthorized)
	wantText(t, body, "Tên đăng nhập hoặc mật khẩu không đúng")
	if strings.Contains(body, "sai mật khẩu") {
		t.Error("the wrong password is echoed back")
	}

	res, body = c.post("/login", url.Values{"username": {"leader"}, "password": {password}, "next": {"/targets"}})
	wantRedirect(t, res, body, "/targets")
	res, body = c.get("/targets")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Người dùng leader", "Mục tiêu, chỉ tiêu")

	// A signed-in user asking for the login page goes on.
	res, body = c.get("/login")
	wantRedirect(t, res, body, "/")

	// An off-site next is ignored.
	c2 := f.client()
	res, body = c2.post("/login", url.Values{"username": {"leader"}, "password": {password}, "next": {"https://evil.example/"}})
	wantRedirect(t, res, body, "/")
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("redirect to %q", loc)
	}

	res, body = c.post("/logout", nil)
	wantRedirect(t, res, body, "/login")
	res, body = c.get("/targets")
	wantRedirect(t, res, body, "/login")
}

func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	req, _ := http.NewRequest(http.MethodPost, c.base+"/documents/"+fmtID(f.plan.ID), strings.NewReader("number=X"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, body := c.do(req)
	wantStatus(t, res, body, http.StatusForbidden)
	d, _ := f.documents.FindDocumentByID(f.sys, f.plan.ID)
	if d.Number != "59/KH-UBND" {
		t.Errorf("number changed to %q", d.Number)
	}
}

func TestDisabledUserLosesSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("leader")
	res, body := c.get("/")
	wantStatus(t, res, body, http.StatusOK)
	users, _, err := f.users.FindUsers(f.sys, dxtrack.UserFilter{Query: "leader"})
	if err != nil || len(users) != 1 {
		t.Fatal(users, err)
	}
	u := users[0]
	u.Disabled = true
	if err := f.users.UpdateUser(f.sys, u, ""); err != nil {
		t.Fatal(err)
	}
	res, body = c.get("/")
	wantRedirect(t, res, body, "/login")
}

func TestSetupFirstRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/", "/login", "/documents"} {
		res, body := c.get(path)
		wantRedirect(t, res, body, "/setup")
	}
	res, body := c.get("/setup")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Khởi tạo hệ thống", "Tên tỉnh")

	// Bad input: nothing is created.
	res, body = c.post("/setup", url.Values{"unit": {"có dấu"}, "unit_name": {""}, "username": {"admin"}, "name": {"Quản trị"},
		"password": {"ngắn"}, "password2": {"ngắn"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "unit", "Đơn vị chỉ gồm chữ cái không dấu")
	wantFieldError(t, body, "unit_name", "Tên đơn vị là thông tin bắt buộc")
	wantFieldError(t, body, "password", "Mật khẩu phải có ít nhất 8 ký tự")
	if n, _ := e.users.CountUsers(context.Background()); n != 0 {
		t.Fatalf("%d users after a refused setup", n)
	}
	if _, n, _ := e.units.FindUnits(e.sys, dxtrack.UnitFilter{All: true}); n != 0 {
		t.Fatalf("%d units after a refused setup", n)
	}

	res, body = c.post("/setup", url.Values{"unit": {"22"}, "unit_name": {"Quảng Ninh"}, "username": {"admin"}, "name": {"Quản trị viên"},
		"password": {password}, "password2": {password}})
	wantRedirect(t, res, body, "/")
	res, body = c.get("/")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Đã tạo tài khoản quản trị đầu tiên", "Quản trị viên")
	u, err := e.units.FindUnitByCode(e.sys, "22")
	if err != nil || u.NameVI != "Quảng Ninh" || u.Type != dxtrack.UnitProvince {
		t.Fatalf("root unit %+v, %v", u, err)
	}

	// Setup is closed for good.
	res, body = c.get("/setup")
	wantStatus(t, res, body, http.StatusNotFound)
	other := e.client()
	res, body = other.post("/setup", url.Values{"unit": {"22"}, "username": {"intruder"}, "name": {"X"}, "password": {password}, "password2": {password}})
	wantStatus(t, res, body, http.StatusNotFound)
	res, body = other.get("/")
	wantRedirect(t, res, body, "/login")
}

func TestSetupWithExistingUnits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustUnit(&dxtrack.Unit{Code: "17", NameVI: "Phú Thọ", Type: dxtrack.UnitProvince, ValidFrom: dxtrack.MustDate("2020-01-01")})
	c := e.client()
	res, body := c.get("/setup")
	wantStatus(t, res, body, http.StatusOK)
	noText(t, body, "Tên tỉnh")
	res, body = c.post("/setup", url.Values{"unit": {"99"}, "username": {"admin"}, "name": {"A"}, "password": {password}, "password2": {password}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "unit", "không có đơn vị nào mang mã “99”")
	res, body = c.post("/setup", url.Values{"unit": {"17"}, "username": {"admin"}, "name": {"A"}, "password": {password}, "password2": {"khác hẳn rồi"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "password2", "không khớp")
	res, body = c.post("/setup", url.Values{"unit": {"17"}, "username": {"admin"}, "name": {"A"}, "password": {password}, "password2": {password}})
	wantRedirect(t, res, body, "/")
	users, _, err := e.users.FindUsers(e.sys, dxtrack.UserFilter{})
	if err != nil || len(users) != 1 || users[0].Role != dxtrack.RoleAdmin {
		t.Fatalf("users %v, %v", users, err)
	}
}
