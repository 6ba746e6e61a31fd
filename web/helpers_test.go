package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
	"github.com/dxtrack/dxtrack/web"
)

// today is the fixed "now" of the tests: after Kế hoạch 59's year, so the
// 2022 items not completed are overdue.
var today = time.Date(2023, 1, 15, 9, 0, 0, 0, time.UTC)

// env is a server over a fresh SQLite store.
type env struct {
	t   *testing.T
	db  *store.DB
	srv *web.Server
	ts  *httptest.Server
	sys context.Context // acts as dxtrack.SystemUser

	units      dxtrack.UnitService
	documents  dxtrack.DocumentService
	categories dxtrack.CategoryService
	targets    dxtrack.TargetService
	tasks      dxtrack.TaskService
	users      dxtrack.UserService
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return today }
	e := &env{
		t: t, db: db, sys: dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser),
		units:      store.NewUnitService(db),
		documents:  store.NewDocumentService(db),
		categories: store.NewCategoryService(db),
		targets:    store.NewTargetService(db),
		tasks:      store.NewTaskService(db),
		users:      store.NewUserService(db),
	}
	srv := web.NewServer(false)
	srv.Units, srv.Documents, srv.Categories = e.units, e.documents, e.categories
	srv.Targets, srv.Tasks, srv.Users = e.targets, e.tasks, e.users
	srv.Audit = store.NewAuditService(db)
	srv.Overview = store.NewOverviewService(db)
	srv.Indicators, srv.Regimes = store.NewIndicatorService(db), store.NewRegimeService(db)
	srv.Calendar, srv.Reports = store.NewCalendarService(db), store.NewReportService(db)
	srv.Sessions.Store = store.NewSessionStore(db)
	srv.Now = db.Now
	srv.Logger = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	e.srv = srv
	e.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

// fixture is the data most tests share: Quảng Ninh with a department and
// two communes, Kế hoạch 59 with 27 targets of which 11 are completed, a
// task of commune A, and a user of each role.
type fixture struct {
	*env
	province, dept, communeA, communeB *dxtrack.Unit
	plan                               *dxtrack.Document
	targetIDs                          []int64
	taskA                              *dxtrack.Task
	pillar                             *dxtrack.Category
}

const password = "mật khẩu tốt"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{env: newEnv(t)}
	from := dxtrack.MustDate("2020-01-01")
	f.province = f.mustUnit(&dxtrack.Unit{Code: "22", NameVI: "Quảng Ninh", NameEN: "Quang Ninh", FullName: "Tỉnh Quảng Ninh", Type: dxtrack.UnitProvince, ValidFrom: from})
	f.dept = f.mustUnit(&dxtrack.Unit{Code: "SKHCN", NameVI: "Sở Khoa học và Công nghệ", NameEN: "Department of Science and Technology", Type: dxtrack.UnitDepartment, ParentID: f.province.ID, ValidFrom: from})
	f.communeA = f.mustUnit(&dxtrack.Unit{Code: "XA", NameVI: "Xã Hòa Bình", Type: dxtrack.UnitCommune, ParentID: f.province.ID, ValidFrom: from})
	f.communeB = f.mustUnit(&dxtrack.Unit{Code: "XB", NameVI: "Xã Đông Sơn", Type: dxtrack.UnitCommune, ParentID: f.province.ID, ValidFrom: from})

	for _, u := range []struct {
		name string
		role dxtrack.Role
		unit int64
	}{
		{"admin", dxtrack.RoleAdmin, f.province.ID},
		{"leader", dxtrack.RoleLeader, f.province.ID},
		{"reviewer", dxtrack.RoleReviewer, f.province.ID},
		{"reporter-a", dxtrack.RoleReporter, f.communeA.ID},
		{"reporter-b", dxtrack.RoleReporter, f.communeB.ID},
	} {
		if err := f.users.CreateUser(f.sys, &dxtrack.User{Username: u.name, Name: "Người dùng " + u.name, Role: u.role, UnitID: u.unit, Lang: "vi"}, password); err != nil {
			t.Fatalf("create user %s: %v", u.name, err)
		}
	}

	pillars, err := f.categories.FindCategories(f.sys, dxtrack.CategoryPillar)
	if err != nil || len(pillars) == 0 {
		t.Fatalf("pillars: %v, %v", pillars, err)
	}
	f.pillar = pillars[0]

	f.plan = &dxtrack.Document{Kind: dxtrack.DocPlan, Number: "59/KH-UBND", TitleVI: "Kế hoạch chuyển đổi số năm 2022", TitleEN: "Digital transformation plan 2022",
		Issuer: "UBND tỉnh Quảng Ninh", IssuedOn: dxtrack.MustDate("2022-03-01"), SpanFrom: 2022, SpanTo: 2022, OwnerUnitID: f.province.ID}
	if err := f.documents.CreateDocument(f.sys, f.plan); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 27; i++ {
		tg := &dxtrack.Target{DocumentID: f.plan.ID, Code: "MT-" + two(i), NameVI: "Chỉ tiêu số " + two(i), Kind: dxtrack.TargetQualitative,
			Done: i <= 11, StartOn: dxtrack.MustDate("2022-03-01"), Deadline: dxtrack.MustDate("2022-12-31"), LeadUnitID: f.dept.ID, PillarID: f.pillar.ID}
		if err := f.targets.CreateTarget(f.sys, tg); err != nil {
			t.Fatal(err)
		}
		f.targetIDs = append(f.targetIDs, tg.ID)
	}
	f.taskA = &dxtrack.Task{DocumentID: f.plan.ID, Code: "NV-A", NameVI: "Số hoá hồ sơ của xã Hòa Bình", LeadUnitID: f.communeA.ID,
		StartOn: dxtrack.MustDate("2022-03-01"), Deadline: dxtrack.MustDate("2023-06-30"), Progress: 10, BudgetVND: 1_500_000_000,
		TargetIDs: []int64{f.targetIDs[0]}, PillarID: f.pillar.ID}
	if err := f.tasks.CreateTask(f.sys, f.taskA); err != nil {
		t.Fatal(err)
	}
	return f
}

func two(i int) string { return fmt.Sprintf("%02d", i) }

func (e *env) mustUnit(u *dxtrack.Unit) *dxtrack.Unit {
	e.t.Helper()
	if err := e.units.CreateUnit(e.sys, u); err != nil {
		e.t.Fatalf("create unit %s: %v", u.Code, err)
	}
	return u
}

// client is a browser: a cookie jar, no automatic redirects.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (e *env) client() *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &client{t: e.t, base: e.ts.URL, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// login signs in as username and returns the client.
func (e *env) login(username string) *client {
	e.t.Helper()
	c := e.client()
	res, _ := c.post("/login", url.Values{"username": {username}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d", username, res.StatusCode)
	}
	return c
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, string(b)
}

func (c *client) get(path string, headers ...string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// post submits a form as a browser does from this site's own page.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// wantStatus fails unless the response has the status.
func wantStatus(t *testing.T, res *http.Response, body string, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, status, excerpt(body))
	}
}

// wantRedirect fails unless the response redirects to a location that
// starts with prefix.
func wantRedirect(t *testing.T, res *http.Response, body, prefix string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		t.Fatalf("%s %s: status %d, want a redirect to %s\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, prefix, excerpt(body))
	}
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s %s: redirect to %q, want %q…", res.Request.Method, res.Request.URL.Path, loc, prefix)
	}
}

var (
	tagPattern    = regexp.MustCompile(`<[^>]*>`)
	scriptPattern = regexp.MustCompile(`(?s)<script[^>]*>.*?</script>`)
)

// text returns the visible text of an HTML page, with entities decoded
// and space collapsed; scripts (the charts' data) are not visible text.
func text(body string) string {
	body = scriptPattern.ReplaceAllString(body, " ")
	return strings.Join(strings.Fields(html.UnescapeString(tagPattern.ReplaceAllString(body, " "))), " ")
}

// wantText fails unless the page's visible text contains every string.
func wantText(t *testing.T, body string, want ...string) {
	t.Helper()
	txt := text(body)
	for _, w := range want {
		if !strings.Contains(txt, w) {
			t.Errorf("page text lacks %q\n%s", w, excerpt(txt))
		}
	}
}

// noText fails if the page's visible text contains any of the strings.
func noText(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	txt := text(body)
	for _, w := range unwanted {
		if strings.Contains(txt, w) {
			t.Errorf("page text has %q", w)
		}
	}
}

// fieldErrors returns the messages shown beside an input.
func fieldErrors(body, input string) string {
	re := regexp.MustCompile(`(?s)<ul class="ferr" id="e-` + regexp.QuoteMeta(input) + `">(.*?)</ul>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return text(m[1])
}

// wantFieldError fails unless the message is shown beside the input.
func wantFieldError(t *testing.T, body, input, msg string) {
	t.Helper()
	got := fieldErrors(body, input)
	if !strings.Contains(got, msg) {
		t.Errorf("beside %q: %q, want %q", input, got, msg)
	}
}

func excerpt(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

func fmtID(id int64) string { return fmt.Sprint(id) }

// testWriter sends the server's log to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func targetsOf(doc int64) dxtrack.TargetFilter {
	return dxtrack.TargetFilter{DocumentID: doc, Page: dxtrack.Page{Limit: 1000}}
}
