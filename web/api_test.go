package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
	"github.com/dxtrack/dxtrack/web"
)

// apiFixture is a served dxtrack on a fresh store with a province, a
// department, two communes, a plan with targets and tasks, and a bearer
// token for each kind of user.
type apiFixture struct {
	t   *testing.T
	db  *store.DB
	srv *web.Server
	ts  *httptest.Server
	sys context.Context // acts as dxtrack.SystemUser

	province, dept, communeA, communeB *dxtrack.Unit
	doc                                *dxtrack.Document
	targetA, targetB, targetDone       *dxtrack.Target
	taskA, taskB                       *dxtrack.Task

	admin, leader, reviewer, reporterA, reporterB *dxtrack.User
	// Tokens of the users above, by username.
	tokens map[string]string
}

func newAPIFixture(t *testing.T) *apiFixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Statuses depend on the day; fix it.
	now := func() time.Time { return time.Date(2024, 6, 15, 9, 0, 0, 0, time.UTC) }
	db.Now = now

	srv := web.NewServer(false)
	srv.Units = store.NewUnitService(db)
	srv.Documents = store.NewDocumentService(db)
	srv.Categories = store.NewCategoryService(db)
	srv.Targets = store.NewTargetService(db)
	srv.Tasks = store.NewTaskService(db)
	srv.Users = store.NewUserService(db)
	srv.Audit = store.NewAuditService(db)
	srv.Overview = store.NewOverviewService(db)
	srv.Indicators, srv.Regimes = store.NewIndicatorService(db), store.NewRegimeService(db)
	srv.Calendar, srv.Reports = store.NewCalendarService(db), store.NewReportService(db)
	srv.Sessions.Store = store.NewSessionStore(db)
	srv.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv.Now = now
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	f := &apiFixture{t: t, db: db, srv: srv, ts: ts, tokens: map[string]string{}}
	f.sys = dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser)

	f.province = f.unit(&dxtrack.Unit{Code: "22", NameVI: "Quảng Ninh", NameEN: "Quang Ninh", FullName: "Tỉnh Quảng Ninh", Type: dxtrack.UnitProvince})
	f.dept = f.unit(&dxtrack.Unit{Code: "22-SKHCN", NameVI: "Sở Khoa học và Công nghệ", Type: dxtrack.UnitDepartment, ParentID: f.province.ID})
	f.communeA = f.unit(&dxtrack.Unit{Code: "22001", NameVI: "Phường Hòa Bình", Type: dxtrack.UnitWard, ParentID: f.province.ID})
	f.communeB = f.unit(&dxtrack.Unit{Code: "22002", NameVI: "Xã Bình Liêu", Type: dxtrack.UnitCommune, ParentID: f.province.ID})

	f.admin = f.user("admin", dxtrack.RoleAdmin, f.province)
	f.leader = f.user("leader", dxtrack.RoleLeader, f.province)
	f.reviewer = f.user("reviewer", dxtrack.RoleReviewer, f.province)
	f.reporterA = f.user("reporter-a", dxtrack.RoleReporter, f.communeA)
	f.reporterB = f.user("reporter-b", dxtrack.RoleReporter, f.communeB)

	f.doc = &dxtrack.Document{
		Kind: dxtrack.DocPlan, Number: "59/KH-UBND", TitleVI: "Kế hoạch chuyển đổi số năm 2022",
		Issuer: "UBND tỉnh Quảng Ninh", IssuedOn: dxtrack.MustDate("2022-02-05"),
		SpanFrom: 2022, SpanTo: 2030, OwnerUnitID: f.province.ID,
	}
	if err := srv.Documents.CreateDocument(f.sys, f.doc); err != nil {
		t.Fatal(err)
	}
	f.targetA = f.target("T-A", f.communeA, false)
	f.targetB = f.target("T-B", f.communeB, false)
	f.targetDone = f.target("T-DONE", f.dept, true)
	f.taskA = f.task("NV-A", f.communeA, 20)
	f.taskB = f.task("NV-B", f.communeB, 30)
	return f
}

func (f *apiFixture) unit(u *dxtrack.Unit) *dxtrack.Unit {
	f.t.Helper()
	u.ValidFrom = dxtrack.MustDate("2020-01-01")
	if err := f.srv.Units.CreateUnit(f.sys, u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

func (f *apiFixture) user(username string, role dxtrack.Role, unit *dxtrack.Unit) *dxtrack.User {
	f.t.Helper()
	u := &dxtrack.User{Username: username, Name: "User " + username, Role: role, UnitID: unit.ID, Lang: "vi"}
	if err := f.srv.Users.CreateUser(f.sys, u, "secret-password"); err != nil {
		f.t.Fatal(err)
	}
	token, err := f.srv.Users.CreateToken(dxtrack.NewContextWithUser(context.Background(), u), "test")
	if err != nil {
		f.t.Fatal(err)
	}
	f.tokens[username] = token
	return u
}

// target creates a quantitative target (value 100, current 10) or, with
// done, a qualitative target that is done.
func (f *apiFixture) target(code string, lead *dxtrack.Unit, done bool) *dxtrack.Target {
	f.t.Helper()
	t := &dxtrack.Target{
		DocumentID: f.doc.ID, Code: code, NameVI: "Chỉ tiêu " + code, Kind: dxtrack.TargetQuantitative,
		Measure: "%", Value: apiFloat(100), Current: apiFloat(10), Direction: dxtrack.DirectionUp,
		StartOn: dxtrack.MustDate("2022-02-05"), Deadline: dxtrack.MustDate("2030-12-31"), LeadUnitID: lead.ID,
	}
	if done {
		t.Kind, t.Value, t.Current, t.Direction, t.Done = dxtrack.TargetQualitative, nil, nil, "", true
	}
	if err := f.srv.Targets.CreateTarget(f.sys, t); err != nil {
		f.t.Fatal(err)
	}
	return t
}

func (f *apiFixture) task(code string, lead *dxtrack.Unit, progress int) *dxtrack.Task {
	f.t.Helper()
	t := &dxtrack.Task{
		DocumentID: f.doc.ID, Code: code, NameVI: "Nhiệm vụ " + code, LeadUnitID: lead.ID,
		CoUnitIDs: []int64{f.dept.ID}, StartOn: dxtrack.MustDate("2022-02-05"), Deadline: dxtrack.MustDate("2030-12-31"),
		BudgetVND: 1_000_000, Progress: progress,
	}
	if err := f.srv.Tasks.CreateTask(f.sys, t); err != nil {
		f.t.Fatal(err)
	}
	return t
}

func apiFloat(v float64) *float64 { return &v }

// apiResponse is a response with its body read.
type apiResponse struct {
	t      *testing.T
	Status int
	Header http.Header
	Body   []byte
}

// decode reads the body into v.
func (r *apiResponse) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// object reads the body as a JSON object.
func (r *apiResponse) object() map[string]any {
	r.t.Helper()
	var m map[string]any
	r.decode(&m)
	return m
}

// apiProblem is the error body the API promises.
type apiProblem struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Errors  []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
		MsgID   string `json:"msg_id"`
	} `json:"errors"`
}

// problem reads an error body and checks its status and code.
func (r *apiResponse) problem(status int, code string) apiProblem {
	r.t.Helper()
	if r.Status != status {
		r.t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	var p apiProblem
	r.decode(&p)
	if p.Status != status || p.Code != code || p.Message == "" {
		r.t.Fatalf("problem %+v, want status %d code %q and a message", p, status, code)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		r.t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	return p
}

// invalid checks a 422 that names exactly the field with the message ID.
func (r *apiResponse) invalid(field, msgID string) apiProblem {
	r.t.Helper()
	p := r.problem(http.StatusUnprocessableEntity, "invalid")
	for _, e := range p.Errors {
		if e.Field == field && e.MsgID == msgID {
			if e.Message == "" || e.Message == msgID {
				r.t.Errorf("field %s: message %q is not a translation", field, e.Message)
			}
			return p
		}
	}
	r.t.Fatalf("errors %+v do not name field %q with %s", p.Errors, field, msgID)
	return p
}

// ok checks the status of a success.
func (r *apiResponse) ok(status int) *apiResponse {
	r.t.Helper()
	if r.Status != status {
		r.t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	return r
}

// do sends a request as the user whose username is as ("" for nobody);
// body is sent as JSON unless it is a string, which is sent as is.
func (f *apiFixture) do(as, method, path string, body any) *apiResponse {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, f.ts.URL+"/api/v1"+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		token, ok := f.tokens[as]
		if !ok {
			f.t.Fatalf("no token for %q", as)
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return apiSend(f.t, req)
}

func apiSend(t *testing.T, req *http.Request) *apiResponse {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &apiResponse{t: t, Status: res.StatusCode, Header: res.Header, Body: b}
}

// apiTaskView and apiTargetView are the parts of API items the tests read.
type apiTaskView struct {
	ID            int64    `json:"id"`
	Code          string   `json:"code"`
	LeadUnit      string   `json:"lead_unit"`
	LeadUnitID    int64    `json:"lead_unit_id"`
	CoUnits       []string `json:"co_units"`
	Deadline      string   `json:"deadline"`
	BudgetVND     int64    `json:"budget_vnd"`
	Progress      int      `json:"progress"`
	Note          string   `json:"note"`
	Status        string   `json:"status"`
	DerivedStatus string   `json:"derived_status"`
	Override      *struct {
		Status string `json:"status"`
		Reason string `json:"reason"`
		ByName string `json:"by_name"`
	} `json:"override"`
}

type apiTargetView struct {
	ID            int64    `json:"id"`
	Code          string   `json:"code"`
	LeadUnit      string   `json:"lead_unit"`
	Value         *float64 `json:"value"`
	Current       *float64 `json:"current"`
	Done          bool     `json:"done"`
	Deadline      string   `json:"deadline"`
	Status        string   `json:"status"`
	DerivedStatus string   `json:"derived_status"`
	Progress      *float64 `json:"progress"`
	Override      *struct {
		Status string `json:"status"`
		Reason string `json:"reason"`
	} `json:"override"`
}

func (f *apiFixture) taskProgress(id int64) int {
	f.t.Helper()
	got, err := f.srv.Tasks.FindTaskByID(f.sys, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return got.Progress
}

func (f *apiFixture) targetCurrent(id int64) float64 {
	f.t.Helper()
	got, err := f.srv.Targets.FindTargetByID(f.sys, id)
	if err != nil {
		f.t.Fatal(err)
	}
	if got.Current == nil {
		return -1
	}
	return *got.Current
}

func (f *apiFixture) countTasks() int {
	f.t.Helper()
	_, n, err := f.srv.Tasks.FindTasks(f.sys, dxtrack.TaskFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *apiFixture) countTargets() int {
	f.t.Helper()
	_, n, err := f.srv.Targets.FindTargets(f.sys, dxtrack.TargetFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestAPIRefusesAnonymous(t *testing.T) {
	f := newAPIFixture(t)
	task, target, doc := fmt.Sprint(f.taskA.ID), fmt.Sprint(f.targetA.ID), fmt.Sprint(f.doc.ID)
	for _, c := range []struct{ method, path string }{
		{"GET", "/overview"},
		{"GET", "/documents"}, {"GET", "/documents/" + doc}, {"POST", "/documents"}, {"PUT", "/documents/" + doc}, {"DELETE", "/documents/" + doc},
		{"GET", "/targets"}, {"GET", "/targets/" + target}, {"POST", "/targets"}, {"PUT", "/targets/" + target},
		{"DELETE", "/targets/" + target}, {"POST", "/targets/" + target + "/report"},
		{"PUT", "/targets/" + target + "/override"}, {"DELETE", "/targets/" + target + "/override"}, {"GET", "/targets/" + target + "/audit"},
		{"GET", "/tasks"}, {"GET", "/tasks/" + task}, {"POST", "/tasks"}, {"PUT", "/tasks/" + task},
		{"DELETE", "/tasks/" + task}, {"POST", "/tasks/" + task + "/report"},
		{"PUT", "/tasks/" + task + "/override"}, {"DELETE", "/tasks/" + task + "/override"}, {"GET", "/tasks/" + task + "/audit"},
		{"GET", "/units"}, {"GET", "/units/22"}, {"GET", "/units/22/children"}, {"GET", "/units/22/ancestors"},
		{"GET", "/units/22/history"}, {"POST", "/units"}, {"PATCH", "/units/22"},
		{"GET", "/categories"}, {"GET", "/categories/1"}, {"POST", "/categories"}, {"PUT", "/categories/1"}, {"DELETE", "/categories/1"},
		{"GET", "/users"}, {"GET", "/users/1"}, {"POST", "/users"}, {"PUT", "/users/1"},
		{"GET", "/me"}, {"PUT", "/me"}, {"POST", "/me/tokens"},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			var body any
			if c.method == "POST" || c.method == "PUT" || c.method == "PATCH" {
				body = map[string]any{"progress": 100, "current": 100, "name": "x"}
			}
			f.do("", c.method, c.path, body).problem(http.StatusUnauthorized, "unauthorized")
		})
	}
	if got := f.taskProgress(f.taskA.ID); got != 20 {
		t.Errorf("progress after anonymous report = %d, want 20", got)
	}

	// A token that is no one's is refused too, in the same shape.
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer not-a-token")
	apiSend(t, req).problem(http.StatusUnauthorized, "unauthorized")
}

func TestAPIOpenAPIAndUnknownPaths(t *testing.T) {
	f := newAPIFixture(t)
	r := f.do("", "GET", "/openapi.json", nil).ok(http.StatusOK)
	var spec struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	r.decode(&spec)
	if !strings.HasPrefix(spec.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1", spec.OpenAPI)
	}
	for path, method := range map[string]string{
		"/overview": "get", "/documents": "post", "/targets/{id}/report": "post", "/tasks/{id}/override": "put",
		"/units/{ref}": "patch", "/units/{ref}/history": "get", "/categories/{id}": "delete", "/me/tokens": "post",
	} {
		if _, ok := spec.Paths[path][method]; !ok {
			t.Errorf("spec lacks %s %s", method, path)
		}
	}
	f.do("admin", "GET", "/no-such-thing", nil).problem(http.StatusNotFound, "not_found")
	f.do("admin", "GET", "/tasks/999999", nil).problem(http.StatusNotFound, "not_found")
}

func TestAPIOverview(t *testing.T) {
	f := newAPIFixture(t)
	var o struct {
		AsOf      string `json:"as_of"`
		Documents []struct {
			Document struct {
				ID     int64  `json:"id"`
				Number string `json:"number"`
			} `json:"document"`
			Targets struct {
				Done    int     `json:"done"`
				Total   int     `json:"total"`
				Percent float64 `json:"percent"`
				Formula string  `json:"formula"`
			} `json:"targets"`
			Tasks struct {
				Formula string `json:"formula"`
			} `json:"tasks"`
			BudgetVND int64 `json:"budget_vnd"`
		} `json:"documents"`
		LeadUnits []struct {
			Code string `json:"code"`
		} `json:"lead_units"`
	}
	f.do("leader", "GET", fmt.Sprintf("/overview?document=%d", f.doc.ID), nil).ok(http.StatusOK).decode(&o)
	if len(o.Documents) != 1 {
		t.Fatalf("documents %+v, want one", o.Documents)
	}
	d := o.Documents[0]
	if d.Document.Number != "59/KH-UBND" || d.Targets.Done != 1 || d.Targets.Total != 3 || d.Targets.Percent != 33.3 {
		t.Errorf("document line %+v, want 59/KH-UBND with 1 of 3 targets, 33.3", d)
	}
	if d.Targets.Formula != "1/3 = 33,3%" || d.Tasks.Formula != "0/2 = 0%" {
		t.Errorf("formulas %q, %q; want 1/3 = 33,3%% and 0/2 = 0%%", d.Targets.Formula, d.Tasks.Formula)
	}
	if d.BudgetVND != 2_000_000 {
		t.Errorf("budget %d, want 2000000", d.BudgetVND)
	}
	if len(o.LeadUnits) == 0 || o.LeadUnits[0].Code == "" {
		t.Errorf("lead units %+v lack codes", o.LeadUnits)
	}

	// English by ?lang= and by Accept-Language.
	f.do("leader", "GET", "/overview?lang=en", nil).ok(http.StatusOK).decode(&o)
	if got := o.Documents[0].Targets.Formula; got != "1/3 = 33.3%" {
		t.Errorf("?lang=en formula %q, want 1/3 = 33.3%%", got)
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/overview", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens["leader"])
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9,vi;q=0.5")
	apiSend(t, req).ok(http.StatusOK).decode(&o)
	if got := o.Documents[0].Targets.Formula; got != "1/3 = 33.3%" {
		t.Errorf("Accept-Language en formula %q, want 1/3 = 33.3%%", got)
	}
}

func TestAPIDocuments(t *testing.T) {
	f := newAPIFixture(t)
	body := map[string]any{
		"kind": "plan", "number": "100/KH-UBND", "title_vi": "Kế hoạch năm 2023", "issuer": "UBND tỉnh",
		"issued_on": "2023-01-10", "span_from": 2023, "span_to": 2023, "parent_id": f.doc.ID, "owner_unit": "22",
	}

	// A leader reads but does not create.
	f.do("leader", "POST", "/documents", body).problem(http.StatusForbidden, "forbidden")

	var created struct {
		ID        int64  `json:"id"`
		IssuedOn  string `json:"issued_on"`
		OwnerUnit string `json:"owner_unit"`
		ParentID  int64  `json:"parent_id"`
	}
	f.do("admin", "POST", "/documents", body).ok(http.StatusCreated).decode(&created)
	if created.ID == 0 || created.IssuedOn != "2023-01-10" || created.OwnerUnit != "22" || created.ParentID != f.doc.ID {
		t.Errorf("created %+v", created)
	}

	var list struct {
		Items []struct {
			Number string `json:"number"`
		} `json:"items"`
		Total int `json:"total"`
	}
	f.do("leader", "GET", fmt.Sprintf("/documents?parent=%d", f.doc.ID), nil).ok(http.StatusOK).decode(&list)
	if list.Total != 1 || len(list.Items) != 1 || list.Items[0].Number != "100/KH-UBND" {
		t.Errorf("children of the plan: %+v", list)
	}
	f.do("leader", "GET", "/documents?kind=plan&limit=1", nil).ok(http.StatusOK).decode(&list)
	if list.Total != 2 || len(list.Items) != 1 {
		t.Errorf("plans, one page of 1: total %d, items %d; want 2, 1", list.Total, len(list.Items))
	}

	var one struct {
		Number     string `json:"number"`
		Completion struct {
			Targets struct {
				Formula string `json:"formula"`
			} `json:"targets"`
			Tasks struct {
				Total int `json:"total"`
			} `json:"tasks"`
		} `json:"completion"`
	}
	f.do("reporter-a", "GET", fmt.Sprintf("/documents/%d", f.doc.ID), nil).ok(http.StatusOK).decode(&one)
	if one.Number != "59/KH-UBND" || one.Completion.Targets.Formula != "1/3 = 33,3%" || one.Completion.Tasks.Total != 2 {
		t.Errorf("document with completion: %+v", one)
	}

	// Update keeps what is left out.
	f.do("admin", "PUT", fmt.Sprintf("/documents/%d", created.ID), map[string]any{"title_en": "2023 plan"}).ok(http.StatusOK)
	got, err := f.srv.Documents.FindDocumentByID(f.sys, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TitleEN != "2023 plan" || got.TitleVI != "Kế hoạch năm 2023" || got.Number != "100/KH-UBND" {
		t.Errorf("after update: %+v", got)
	}
	f.do("reporter-a", "PUT", fmt.Sprintf("/documents/%d", created.ID), map[string]any{"title_en": "x"}).problem(http.StatusForbidden, "forbidden")

	// Bad input names the field and saves nothing.
	for _, c := range []struct {
		name, field, msgID string
		change             map[string]any
	}{
		{"unknown owner unit", "owner_unit", "error.unknown_unit", map[string]any{"owner_unit": "99-NOPE"}},
		{"bad date", "issued_on", "error.bad_date", map[string]any{"issued_on": "2023-02-30"}},
		{"span year not a number", "span_from", "error.not_an_integer", map[string]any{"span_from": "2023"}},
		{"span backwards", "span_to", "error.span", map[string]any{"span_to": 2020}},
		{"unknown kind", "kind", "error.unknown_value", map[string]any{"kind": "memo"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := map[string]any{}
			for k, v := range body {
				b[k] = v
			}
			b["number"] = "BAD/" + c.field
			for k, v := range c.change {
				b[k] = v
			}
			f.do("admin", "POST", "/documents", b).invalid(c.field, c.msgID)
			_, n, err := f.srv.Documents.FindDocuments(f.sys, dxtrack.DocumentFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("%d documents after a refused create, want 2", n)
			}
		})
	}

	// A document with targets cannot go; an empty one can, by an admin.
	f.do("admin", "DELETE", fmt.Sprintf("/documents/%d", f.doc.ID), nil).problem(http.StatusConflict, "conflict")
	f.do("leader", "DELETE", fmt.Sprintf("/documents/%d", created.ID), nil).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "DELETE", fmt.Sprintf("/documents/%d", created.ID), nil).ok(http.StatusNoContent)
	f.do("admin", "GET", fmt.Sprintf("/documents/%d", created.ID), nil).problem(http.StatusNotFound, "not_found")
}

func TestAPITargets(t *testing.T) {
	f := newAPIFixture(t)
	pathA, pathB := fmt.Sprintf("/targets/%d", f.targetA.ID), fmt.Sprintf("/targets/%d", f.targetB.ID)

	var got apiTargetView
	f.do("leader", "GET", pathA, nil).ok(http.StatusOK).decode(&got)
	if got.Code != "T-A" || got.LeadUnit != "22001" || got.Deadline != "2030-12-31" || got.Progress == nil || *got.Progress != 10 {
		t.Errorf("target A: %+v", got)
	}

	var list struct {
		Items []apiTargetView `json:"items"`
		Total int             `json:"total"`
	}
	f.do("leader", "GET", "/targets?lead_unit=22002", nil).ok(http.StatusOK).decode(&list)
	if list.Total != 1 || list.Items[0].Code != "T-B" {
		t.Errorf("targets led by 22002: %+v", list)
	}
	f.do("leader", "GET", "/targets?status=completed", nil).ok(http.StatusOK).decode(&list)
	if list.Total != 1 || list.Items[0].Code != "T-DONE" || list.Items[0].Status != "completed" {
		t.Errorf("completed targets: %+v", list)
	}
	f.do("leader", "GET", "/targets?lead_unit=99-NOPE", nil).invalid("lead_unit", "error.unknown_unit")

	// Reporter of commune A reports its own target, not commune B's.
	f.do("reporter-a", "POST", pathA+"/report", map[string]any{"current": 55.5, "note": "Q3"}).ok(http.StatusOK).decode(&got)
	if got.Current == nil || *got.Current != 55.5 {
		t.Errorf("after report: current %v, want 55.5", got.Current)
	}
	f.do("reporter-a", "POST", pathB+"/report", map[string]any{"current": 99}).problem(http.StatusForbidden, "forbidden")
	f.do("reporter-a", "PUT", pathB, map[string]any{"current": 99}).problem(http.StatusForbidden, "forbidden")
	if v := f.targetCurrent(f.targetB.ID); v != 10 {
		t.Errorf("commune B's target current = %v after refused reports, want 10", v)
	}
	// PUT of the reported figures alone is a report; of anything else, an admin's edit.
	f.do("reporter-a", "PUT", pathA, map[string]any{"current": 60}).ok(http.StatusOK)
	f.do("reporter-a", "PUT", pathA, map[string]any{"value": 50}).problem(http.StatusForbidden, "forbidden")
	f.do("leader", "POST", pathA+"/report", map[string]any{"current": 1}).problem(http.StatusForbidden, "forbidden")
	if v := f.targetCurrent(f.targetA.ID); v != 60 {
		t.Errorf("target A current = %v, want 60", v)
	}
	f.do("reporter-a", "POST", pathA+"/report", map[string]any{"current": "abc"}).invalid("current", "error.not_a_number")

	// The admin's full edit.
	f.do("admin", "PUT", pathA, map[string]any{"value": 80, "deadline": "2029-12-31"}).ok(http.StatusOK).decode(&got)
	if got.Value == nil || *got.Value != 80 || got.Deadline != "2029-12-31" || got.Current == nil || *got.Current != 60 {
		t.Errorf("after admin edit: %+v", got)
	}
	f.do("admin", "PUT", pathA, map[string]any{"deadline": "2021-01-01"}).invalid("deadline", "error.deadline_before_document")

	// Creation and its bad inputs, each refused with nothing saved.
	body := map[string]any{
		"document_id": f.doc.ID, "code": "T-NEW", "name_vi": "Tỷ lệ hồ sơ trực tuyến", "kind": "quantitative",
		"measure": "%", "value": 90, "direction": "up", "start_on": "2022-02-05", "deadline": "2025-12-31", "lead_unit": "22-SKHCN",
	}
	before := f.countTargets()
	for _, c := range []struct {
		name, field, msgID string
		change             map[string]any
	}{
		{"value not a number", "value", "error.not_a_number", map[string]any{"value": "abc"}},
		{"unknown lead unit", "lead_unit", "error.unknown_unit", map[string]any{"lead_unit": "99-NOPE"}},
		{"deadline before the document", "deadline", "error.deadline_before_document", map[string]any{"deadline": "2021-12-31"}},
		{"bad date", "deadline", "error.bad_date", map[string]any{"deadline": "31/12/2025"}},
		{"duplicate code", "code", "error.duplicate_code", map[string]any{"code": "T-A"}},
		{"no value", "value", "error.required", map[string]any{"value": nil}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := map[string]any{}
			for k, v := range body {
				b[k] = v
			}
			for k, v := range c.change {
				b[k] = v
			}
			f.do("admin", "POST", "/targets", b).invalid(c.field, c.msgID)
			if n := f.countTargets(); n != before {
				t.Errorf("%d targets after a refused create, want %d", n, before)
			}
		})
	}
	f.do("reporter-a", "POST", "/targets", body).problem(http.StatusForbidden, "forbidden")
	var created apiTargetView
	f.do("admin", "POST", "/targets", body).ok(http.StatusCreated).decode(&created)
	if created.ID == 0 || created.LeadUnit != "22-SKHCN" || created.Status != "not_started" {
		t.Errorf("created %+v", created)
	}

	// Overrides: reviewers may, with a reason; reporters may not.
	f.do("reporter-a", "PUT", pathA+"/override", map[string]any{"status": "completed", "reason": "Đã kiểm tra"}).problem(http.StatusForbidden, "forbidden")
	f.do("reviewer", "PUT", pathA+"/override", map[string]any{"status": "completed", "reason": ""}).invalid("reason", "error.reason_required")
	f.do("reviewer", "PUT", pathA+"/override", map[string]any{"status": "finished", "reason": "Đã kiểm tra"}).invalid("status", "error.unknown_value")
	f.do("reviewer", "PUT", pathA+"/override", map[string]any{"status": "completed", "reason": "Đã kiểm tra thực tế"}).ok(http.StatusOK).decode(&got)
	if got.Status != "completed" || got.DerivedStatus == "completed" || got.Override == nil || got.Override.Reason != "Đã kiểm tra thực tế" {
		t.Errorf("after override: %+v", got)
	}
	var cleared apiTargetView
	f.do("reviewer", "DELETE", pathA+"/override", nil).ok(http.StatusOK).decode(&cleared)
	if cleared.Override != nil || cleared.Status == "completed" {
		t.Errorf("after clearing the override: %+v", cleared)
	}

	// The audit trail shows the report and the override.
	var audit struct {
		Items []struct {
			Field    string `json:"field"`
			New      string `json:"new"`
			UserName string `json:"user_name"`
		} `json:"items"`
	}
	f.do("leader", "GET", pathA+"/audit", nil).ok(http.StatusOK).decode(&audit)
	var sawReport bool
	for _, e := range audit.Items {
		if e.Field == "current" && e.New == "55.5" && e.UserName == f.reporterA.Name {
			sawReport = true
		}
	}
	if !sawReport {
		t.Errorf("audit %+v lacks reporter A's report of 55.5", audit.Items)
	}

	f.do("reporter-a", "DELETE", pathA, nil).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "DELETE", fmt.Sprintf("/targets/%d", created.ID), nil).ok(http.StatusNoContent)
	f.do("admin", "GET", fmt.Sprintf("/targets/%d", created.ID), nil).problem(http.StatusNotFound, "not_found")
}

func TestAPITasks(t *testing.T) {
	f := newAPIFixture(t)
	pathA, pathB := fmt.Sprintf("/tasks/%d", f.taskA.ID), fmt.Sprintf("/tasks/%d", f.taskB.ID)

	var got apiTaskView
	f.do("reporter-b", "GET", pathA, nil).ok(http.StatusOK).decode(&got)
	if got.Code != "NV-A" || got.LeadUnit != "22001" || len(got.CoUnits) != 1 || got.CoUnits[0] != "22-SKHCN" || got.Progress != 20 {
		t.Errorf("task A: %+v", got)
	}

	// The case the issue names: a reporter of one commune is refused on
	// another commune's task, and the value stays.
	f.do("reporter-a", "PUT", pathB, map[string]any{"progress": 90}).problem(http.StatusForbidden, "forbidden")
	f.do("reporter-a", "POST", pathB+"/report", map[string]any{"progress": 90}).problem(http.StatusForbidden, "forbidden")
	if p := f.taskProgress(f.taskB.ID); p != 30 {
		t.Errorf("commune B's task progress = %d after refused updates, want 30", p)
	}
	f.do("reporter-a", "PUT", pathA, map[string]any{"progress": 45, "note": "Đang triển khai"}).ok(http.StatusOK).decode(&got)
	if got.Progress != 45 || got.Note != "Đang triển khai" {
		t.Errorf("after PUT by reporter A: %+v", got)
	}
	f.do("reporter-a", "POST", pathA+"/report", map[string]any{"progress": 50}).ok(http.StatusOK).decode(&got)
	if got.Progress != 50 || f.taskProgress(f.taskA.ID) != 50 {
		t.Errorf("after report: %+v", got)
	}
	// Anything beyond progress and note is an admin's edit.
	f.do("reporter-a", "PUT", pathA, map[string]any{"budget_vnd": 5}).problem(http.StatusForbidden, "forbidden")
	f.do("reporter-a", "POST", pathA+"/report", map[string]any{"progress": 101}).invalid("progress", "error.percent_range")
	f.do("reporter-a", "POST", pathA+"/report", map[string]any{"progress": "abc"}).invalid("progress", "error.not_an_integer")
	if p := f.taskProgress(f.taskA.ID); p != 50 {
		t.Errorf("progress %d after refused reports, want 50", p)
	}

	var list struct {
		Items []apiTaskView `json:"items"`
		Total int           `json:"total"`
	}
	f.do("leader", "GET", "/tasks?unit=22-SKHCN", nil).ok(http.StatusOK).decode(&list)
	if list.Total != 2 {
		t.Errorf("tasks coordinated by 22-SKHCN: %d, want 2", list.Total)
	}
	f.do("leader", "GET", "/tasks?lead_unit=22002&q=nv-b", nil).ok(http.StatusOK).decode(&list)
	if list.Total != 1 || list.Items[0].Code != "NV-B" {
		t.Errorf("tasks led by 22002 matching nv-b: %+v", list)
	}

	body := map[string]any{
		"document_id": f.doc.ID, "code": "NV-NEW", "name_vi": "Triển khai nền tảng số", "lead_unit": "22-SKHCN",
		"co_units": []string{"22001", "22002"}, "start_on": "2022-03-01", "deadline": "2022-12-31",
		"budget_vnd": 500_000_000, "progress": 0, "target_ids": []int64{f.targetA.ID},
	}
	before := f.countTasks()
	for _, c := range []struct {
		name, field, msgID string
		change             map[string]any
	}{
		{"unknown lead unit", "lead_unit", "error.unknown_unit", map[string]any{"lead_unit": "99-NOPE"}},
		{"unknown co-unit", "co_units", "error.unknown_unit", map[string]any{"co_units": []string{"22001", "99-NOPE"}}},
		{"co-unit is the lead", "co_units", "error.co_unit_is_lead", map[string]any{"co_units": []string{"22-SKHCN"}}},
		{"deadline before the document", "deadline", "error.deadline_before_document", map[string]any{"deadline": "2022-01-01"}},
		{"negative budget", "budget_vnd", "error.negative", map[string]any{"budget_vnd": -1}},
		{"budget not a number", "budget_vnd", "error.not_an_integer", map[string]any{"budget_vnd": "nhiều"}},
		{"progress over 100", "progress", "error.percent_range", map[string]any{"progress": 101}},
		{"duplicate code", "code", "error.duplicate_code", map[string]any{"code": "NV-A"}},
		{"bad start date", "start_on", "error.bad_date", map[string]any{"start_on": "2022-3-1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := map[string]any{}
			for k, v := range body {
				b[k] = v
			}
			for k, v := range c.change {
				b[k] = v
			}
			f.do("admin", "POST", "/tasks", b).invalid(c.field, c.msgID)
			if n := f.countTasks(); n != before {
				t.Errorf("%d tasks after a refused create, want %d", n, before)
			}
		})
	}
	f.do("reporter-a", "POST", "/tasks", body).problem(http.StatusForbidden, "forbidden")
	f.do("leader", "POST", "/tasks", body).problem(http.StatusForbidden, "forbidden")
	var created apiTaskView
	f.do("admin", "POST", "/tasks", body).ok(http.StatusCreated).decode(&created)
	if created.ID == 0 || created.LeadUnit != "22-SKHCN" || len(created.CoUnits) != 2 || created.BudgetVND != 500_000_000 {
		t.Errorf("created %+v", created)
	}
	if n := f.countTasks(); n != before+1 {
		t.Errorf("%d tasks after create, want %d", n, before+1)
	}

	// The admin's edit of an existing task is validated the same way.
	f.do("admin", "PUT", pathA, map[string]any{"budget_vnd": -5}).invalid("budget_vnd", "error.negative")
	f.do("admin", "PUT", pathA, map[string]any{"lead_unit": "99-NOPE"}).invalid("lead_unit", "error.unknown_unit")
	f.do("admin", "PUT", pathA, map[string]any{"budget_vnd": 7_000_000, "deadline": "2027-06-30"}).ok(http.StatusOK).decode(&got)
	if got.BudgetVND != 7_000_000 || got.Deadline != "2027-06-30" || got.Progress != 50 {
		t.Errorf("after admin edit: %+v", got)
	}

	// Overrides.
	f.do("reporter-a", "PUT", pathA+"/override", map[string]any{"status": "at_risk", "reason": "Chậm tiến độ"}).problem(http.StatusForbidden, "forbidden")
	f.do("reviewer", "PUT", pathA+"/override", map[string]any{"status": "at_risk", "reason": "Chậm tiến độ"}).ok(http.StatusOK).decode(&got)
	if got.Status != "at_risk" || got.Override == nil || got.Override.ByName != f.reviewer.Name {
		t.Errorf("after override: %+v", got)
	}
	var cleared apiTaskView
	f.do("reviewer", "DELETE", pathA+"/override", nil).ok(http.StatusOK).decode(&cleared)
	if cleared.Override != nil || cleared.Status == "at_risk" {
		t.Errorf("after clearing the override: %+v", cleared)
	}

	var audit struct {
		Items []struct {
			Field string `json:"field"`
			Old   string `json:"old"`
			New   string `json:"new"`
		} `json:"items"`
	}
	f.do("reporter-b", "GET", pathA+"/audit", nil).ok(http.StatusOK).decode(&audit)
	var sawProgress bool
	for _, e := range audit.Items {
		if e.Field == "progress" && e.Old == "20" && e.New == "45" {
			sawProgress = true
		}
	}
	if !sawProgress {
		t.Errorf("audit %+v lacks the change of progress 20 → 45", audit.Items)
	}

	f.do("reporter-a", "DELETE", pathA, nil).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "DELETE", fmt.Sprintf("/tasks/%d", created.ID), nil).ok(http.StatusNoContent)
	if n := f.countTasks(); n != before {
		t.Errorf("%d tasks after delete, want %d", n, before)
	}
}

func TestAPIUnits(t *testing.T) {
	f := newAPIFixture(t)
	var list struct {
		Items []struct {
			ID     int64  `json:"id"`
			Code   string `json:"code"`
			NameVI string `json:"name_vi"`
			Parent string `json:"parent"`
		} `json:"items"`
		Total int `json:"total"`
	}
	// Tone- and case-insensitive search.
	for _, q := range []string{"hoa binh", "Hoà Bình", "HÒA BÌNH"} {
		f.do("leader", "GET", "/units?q="+strings.ReplaceAll(q, " ", "+"), nil).ok(http.StatusOK).decode(&list)
		if list.Total != 1 || list.Items[0].Code != "22001" || list.Items[0].Parent != "22" {
			t.Errorf("q=%q: %+v", q, list)
		}
	}
	f.do("leader", "GET", "/units?parent=22&type=commune,ward", nil).ok(http.StatusOK).decode(&list)
	if list.Total != 2 {
		t.Errorf("communes and wards under 22: %+v", list)
	}
	f.do("leader", "GET", "/units?type=county", nil).invalid("type", "error.unknown_value")
	f.do("leader", "GET", "/units?as_of=2025-13-01", nil).invalid("as_of", "error.bad_date")

	var u struct {
		ID       int64  `json:"id"`
		Code     string `json:"code"`
		NameVI   string `json:"name_vi"`
		Parent   string `json:"parent"`
		ParentID int64  `json:"parent_id"`
	}
	f.do("leader", "GET", "/units/22-SKHCN", nil).ok(http.StatusOK).decode(&u)
	if u.ID != f.dept.ID || u.Parent != "22" || u.ParentID != f.province.ID {
		t.Errorf("by code: %+v", u)
	}
	f.do("leader", "GET", fmt.Sprintf("/units/id:%d", f.communeB.ID), nil).ok(http.StatusOK).decode(&u)
	if u.Code != "22002" {
		t.Errorf("by id:%d: %+v", f.communeB.ID, u)
	}
	f.do("leader", "GET", "/units/NOPE", nil).problem(http.StatusNotFound, "not_found")

	f.do("leader", "GET", "/units/22/children", nil).ok(http.StatusOK).decode(&list)
	if list.Total != 3 {
		t.Errorf("children of 22: %+v, want 3", list)
	}
	f.do("leader", "GET", "/units/22001/ancestors", nil).ok(http.StatusOK).decode(&list)
	if len(list.Items) != 2 || list.Items[0].Code != "22" || list.Items[1].Code != "22001" {
		t.Errorf("ancestors of 22001: %+v", list.Items)
	}

	// Creating and changing units is for admins.
	newUnit := map[string]any{"code": "22-SYT", "name_vi": "Sở Y tế", "type": "department", "parent": "22", "valid_from": "2024-01-01"}
	f.do("reporter-a", "POST", "/units", newUnit).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "POST", "/units", map[string]any{"code": "22-X", "name_vi": "X", "type": "department", "parent": "99"}).invalid("parent", "error.unknown_unit")
	f.do("admin", "POST", "/units", newUnit).ok(http.StatusCreated).decode(&u)
	if u.Code != "22-SYT" || u.Parent != "22" {
		t.Errorf("created %+v", u)
	}
	f.do("admin", "POST", "/units", newUnit).invalid("code", "error.duplicate_code")

	f.do("reporter-a", "PATCH", "/units/22001", map[string]any{"name_vi": "Phường Hòa Bình Mới"}).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "PATCH", "/units/22001", map[string]any{"name_vi": "Phường Hòa Bình Mới", "on": "2026-04-01"}).ok(http.StatusOK).decode(&u)
	if u.NameVI != "Phường Hòa Bình Mới" {
		t.Errorf("after rename: %+v", u)
	}
	var hist struct {
		Changes []struct {
			On    string `json:"on"`
			Field string `json:"field"`
			Old   string `json:"old"`
			New   string `json:"new"`
		} `json:"changes"`
	}
	f.do("leader", "GET", "/units/22001/history", nil).ok(http.StatusOK).decode(&hist)
	var sawRename bool
	for _, c := range hist.Changes {
		if c.On == "2026-04-01" && c.Field == "name_vi" && c.Old == "Phường Hòa Bình" && c.New == "Phường Hòa Bình Mới" {
			sawRename = true
		}
	}
	if !sawRename {
		t.Errorf("history %+v lacks the dated rename", hist.Changes)
	}
}

func TestAPICategories(t *testing.T) {
	f := newAPIFixture(t)
	var list struct {
		Items []struct {
			ID     int64  `json:"id"`
			Code   string `json:"code"`
			NameEN string `json:"name_en"`
		} `json:"items"`
		Total int `json:"total"`
	}
	f.do("reporter-a", "GET", "/categories?kind=pillar", nil).ok(http.StatusOK).decode(&list)
	if list.Total != 4 || list.Items[0].Code != "CQS" {
		t.Errorf("pillars: %+v", list)
	}
	f.do("admin", "GET", fmt.Sprintf("/categories/%d", list.Items[0].ID), nil).ok(http.StatusOK)

	body := map[string]any{"kind": "sector", "code": "VH", "name_vi": "Văn hóa", "name_en": "Culture", "sort": 10}
	f.do("reporter-a", "POST", "/categories", body).problem(http.StatusForbidden, "forbidden")
	var c struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
	}
	f.do("admin", "POST", "/categories", body).ok(http.StatusCreated).decode(&c)
	f.do("admin", "POST", "/categories", body).invalid("code", "error.duplicate_code")
	f.do("admin", "POST", "/categories", map[string]any{"kind": "sector", "code": "SP", "name_vi": "Thể thao", "sort": "first"}).invalid("sort", "error.not_an_integer")

	f.do("admin", "PUT", fmt.Sprintf("/categories/%d", c.ID), map[string]any{"name_en": "Culture and arts"}).ok(http.StatusOK)
	got, err := f.srv.Categories.FindCategoryByID(f.sys, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.NameEN != "Culture and arts" || got.NameVI != "Văn hóa" || got.Code != "VH" {
		t.Errorf("after update: %+v", got)
	}
	f.do("leader", "DELETE", fmt.Sprintf("/categories/%d", c.ID), nil).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "DELETE", fmt.Sprintf("/categories/%d", c.ID), nil).ok(http.StatusNoContent)
	f.do("admin", "GET", fmt.Sprintf("/categories/%d", c.ID), nil).problem(http.StatusNotFound, "not_found")
}

func TestAPIUsersAndTokens(t *testing.T) {
	f := newAPIFixture(t)
	var me struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
		Role     string `json:"role"`
		Unit     string `json:"unit"`
		Lang     string `json:"lang"`
	}
	f.do("reporter-a", "GET", "/me", nil).ok(http.StatusOK).decode(&me)
	if me.Username != "reporter-a" || me.Role != "reporter" || me.Unit != "22001" {
		t.Errorf("me: %+v", me)
	}
	if strings.Contains(string(f.do("admin", "GET", "/users", nil).Body), "secret") {
		t.Error("a password or its hash leaves the server")
	}

	var list struct {
		Items []struct {
			Username string `json:"username"`
		} `json:"items"`
		Total int `json:"total"`
	}
	f.do("admin", "GET", "/users?role=reporter", nil).ok(http.StatusOK).decode(&list)
	if list.Total != 2 {
		t.Errorf("reporters: %+v", list)
	}
	f.do("reporter-a", "GET", "/users", nil).problem(http.StatusForbidden, "forbidden")

	body := map[string]any{"username": "reporter-c", "name": "Nguyễn Văn C", "role": "reporter", "unit": "22002", "password": "mật-khẩu-dài"}
	f.do("reporter-a", "POST", "/users", body).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "POST", "/users", map[string]any{"username": "x1", "name": "X", "role": "reporter", "unit": "99-NOPE", "password": "long-enough"}).invalid("unit", "error.unknown_unit")
	f.do("admin", "POST", "/users", map[string]any{"username": "x2", "name": "X", "role": "reporter", "unit": "22001", "password": "short"}).invalid("password", "error.password_short")
	var created struct {
		ID   int64  `json:"id"`
		Unit string `json:"unit"`
	}
	f.do("admin", "POST", "/users", body).ok(http.StatusCreated).decode(&created)
	if created.Unit != "22002" {
		t.Errorf("created %+v", created)
	}
	f.do("admin", "POST", "/users", body).invalid("username", "error.duplicate_username")
	f.do("admin", "PUT", fmt.Sprintf("/users/%d", created.ID), map[string]any{"role": "reviewer"}).ok(http.StatusOK)
	u, err := f.srv.Users.FindUserByID(f.sys, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != dxtrack.RoleReviewer || u.Name != "Nguyễn Văn C" {
		t.Errorf("after update: %+v", u)
	}
	f.do("reporter-a", "PUT", fmt.Sprintf("/users/%d", created.ID), map[string]any{"role": "admin"}).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "GET", fmt.Sprintf("/users/%d", created.ID), nil).ok(http.StatusOK)

	// One's own settings.
	f.do("reporter-a", "PUT", "/me", map[string]any{"lang": "en"}).ok(http.StatusOK).decode(&me)
	if me.Lang != "en" {
		t.Errorf("lang after PUT /me: %q", me.Lang)
	}
	f.do("reporter-a", "PUT", "/me", map[string]any{"lang": "fr"}).invalid("lang", "error.unknown_value")

	// A token issued through the API works as a bearer token, and is shown once.
	f.do("reporter-b", "POST", "/me/tokens", map[string]any{"name": ""}).invalid("name", "error.required")
	var tok struct {
		Name  string `json:"name"`
		Token string `json:"token"`
	}
	f.do("reporter-b", "POST", "/me/tokens", map[string]any{"name": "Hệ thống một cửa"}).ok(http.StatusCreated).decode(&tok)
	if tok.Token == "" || tok.Name != "Hệ thống một cửa" {
		t.Fatalf("token %+v", tok)
	}
	f.tokens["new-token"] = tok.Token
	f.do("new-token", "GET", "/me", nil).ok(http.StatusOK).decode(&me)
	if me.Username != "reporter-b" {
		t.Errorf("the new token is %q's, want reporter-b's", me.Username)
	}
	f.do("new-token", "POST", fmt.Sprintf("/tasks/%d/report", f.taskB.ID), map[string]any{"progress": 75}).ok(http.StatusOK)
	f.do("new-token", "POST", fmt.Sprintf("/tasks/%d/report", f.taskA.ID), map[string]any{"progress": 75}).problem(http.StatusForbidden, "forbidden")
	if p := f.taskProgress(f.taskB.ID); p != 75 {
		t.Errorf("progress by the new token: %d, want 75", p)
	}

	// A disabled user's tokens stop working.
	f.do("admin", "PUT", fmt.Sprintf("/users/%d", f.reporterB.ID), map[string]any{"disabled": true}).ok(http.StatusOK)
	f.do("new-token", "GET", "/me", nil).problem(http.StatusUnauthorized, "unauthorized")
}

func TestAPIErrorLanguage(t *testing.T) {
	f := newAPIFixture(t)
	path := fmt.Sprintf("/tasks/%d/report", f.taskA.ID)
	vi := f.do("reporter-a", "POST", path, map[string]any{"progress": 101}).invalid("progress", "error.percent_range")
	en := f.do("reporter-a", "POST", path+"?lang=en", map[string]any{"progress": 101}).invalid("progress", "error.percent_range")
	if vi.Message == en.Message || vi.Errors[0].Message == en.Errors[0].Message {
		t.Errorf("vi %+v and en %+v say the same", vi, en)
	}
	// huma's own checks speak the same language and shape.
	vi = f.do("reporter-a", "POST", path, map[string]any{"progress": "abc"}).invalid("progress", "error.not_an_integer")
	en = f.do("reporter-a", "POST", path+"?lang=en", map[string]any{"progress": "abc"}).invalid("progress", "error.not_an_integer")
	if vi.Errors[0].Message == en.Errors[0].Message {
		t.Errorf("vi and en messages are the same: %q", vi.Errors[0].Message)
	}
	// Malformed JSON is bad input too.
	p := f.do("reporter-a", "POST", path, `{"progress": `)
	if p.Status != http.StatusBadRequest && p.Status != http.StatusUnprocessableEntity {
		t.Errorf("malformed JSON: status %d", p.Status)
	}
	p.problem(p.Status, "invalid")
}

func TestAPISessionCookieAndTokenFlow(t *testing.T) {
	f := newAPIFixture(t)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := browser.PostForm(f.ts.URL+"/login", url.Values{"username": {"reporter-a"}, "password": {"secret-password"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", res.StatusCode)
	}

	call := func(method, path string, body any) *apiResponse {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, f.ts.URL+"/api/v1"+path, rd)
		req.Header.Set("Content-Type", "application/json")
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return &apiResponse{t: t, Status: res.StatusCode, Header: res.Header, Body: b}
	}
	var me struct {
		Username string `json:"username"`
	}
	call("GET", "/me", nil).ok(http.StatusOK).decode(&me)
	if me.Username != "reporter-a" {
		t.Errorf("session user %q, want reporter-a", me.Username)
	}
	// The session carries the same permissions as a token.
	call("POST", fmt.Sprintf("/tasks/%d/report", f.taskB.ID), map[string]any{"progress": 99}).problem(http.StatusForbidden, "forbidden")
	call("POST", fmt.Sprintf("/tasks/%d/report", f.taskA.ID), map[string]any{"progress": 35}).ok(http.StatusOK)
	if p, q := f.taskProgress(f.taskA.ID), f.taskProgress(f.taskB.ID); p != 35 || q != 30 {
		t.Errorf("progress A %d, B %d; want 35, 30", p, q)
	}

	// A token issued in the session works on its own, without the cookie.
	var tok struct {
		Token string `json:"token"`
	}
	call("POST", "/me/tokens", map[string]any{"name": "script"}).ok(http.StatusCreated).decode(&tok)
	f.tokens["session-token"] = tok.Token
	f.do("session-token", "GET", "/me", nil).ok(http.StatusOK).decode(&me)
	if me.Username != "reporter-a" {
		t.Errorf("token user %q, want reporter-a", me.Username)
	}
}

// apiBrokenTasks fails every listing with a non-application error.
type apiBrokenTasks struct{ dxtrack.TaskService }

func (apiBrokenTasks) FindTasks(context.Context, dxtrack.TaskFilter) ([]*dxtrack.Task, int, error) {
	return nil, 0, errors.New("disk on fire at /var/lib/dxtrack")
}

func TestAPIInternalErrors(t *testing.T) {
	f := newAPIFixture(t)
	var logged bytes.Buffer
	f.srv.Logger = slog.New(slog.NewTextHandler(&logged, nil))
	f.srv.Tasks = apiBrokenTasks{f.srv.Tasks}

	p := f.do("leader", "GET", "/tasks?lang=en", nil).problem(http.StatusInternalServerError, "internal")
	if strings.Contains(p.Message, "disk") || len(p.Errors) != 0 {
		t.Errorf("the details leak: %+v", p)
	}
	if !strings.Contains(logged.String(), "disk on fire") {
		t.Errorf("the error is not logged: %q", logged.String())
	}

	// A store that fails while checking a token answers in the same shape.
	f.db.Close()
	r := f.do("leader", "GET", "/me", nil)
	r.problem(http.StatusInternalServerError, "internal")
	if strings.Contains(string(r.Body), "sql") || strings.Contains(string(r.Body), "closed") {
		t.Errorf("the details leak: %s", r.Body)
	}
}
