package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

// The API fixture's today is 15 June 2024; June's monthly report covers
// 15 May–14 June and is due a few working days later.

func TestAPIReportingRefusesAnonymous(t *testing.T) {
	f := newAPIFixture(t)
	for _, c := range []struct{ method, path string }{
		{"GET", "/indicators"}, {"GET", "/indicators/1"}, {"POST", "/indicators"}, {"PUT", "/indicators/1"},
		{"GET", "/regimes"}, {"GET", "/regimes/1"}, {"POST", "/regimes"}, {"PUT", "/regimes/1"}, {"GET", "/regimes/1/units"},
		{"GET", "/regimes/1/completeness"}, {"GET", "/regimes/1/consolidated"},
		{"GET", "/calendar"}, {"PUT", "/calendar/2024-06-17"}, {"DELETE", "/calendar/2024-06-17"},
		{"GET", "/reports"}, {"POST", "/reports/open"}, {"GET", "/reports/1"}, {"PUT", "/reports/1"},
		{"POST", "/reports/1/submit"}, {"POST", "/reports/1/approve"}, {"POST", "/reports/1/return"}, {"POST", "/reports/1/unlock"},
		{"GET", "/reports/1/audit"},
	} {
		var body any
		if c.method == "POST" || c.method == "PUT" {
			body = map[string]any{"version": 1}
		}
		f.do("", c.method, c.path, body).problem(http.StatusUnauthorized, "unauthorized")
	}
}

func TestAPIReportingWorkflow(t *testing.T) {
	f := newAPIFixture(t)
	// Indicators: created by the admin, refused to a reporter, updated.
	f.do("reporter-a", "POST", "/indicators", map[string]any{"code": "X", "name_vi": "X", "type": "count"}).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "POST", "/indicators", map[string]any{"code": "", "name_vi": "", "type": "count"}).invalid("code", "error.code_format")
	for _, in := range []map[string]any{
		{"code": "TONG", "name_vi": "Tổng số hồ sơ", "type": "count", "measure": "hồ sơ", "owner_unit": "22-SKHCN"},
		{"code": "TT", "name_vi": "Hồ sơ trực tuyến", "type": "count"},
		{"code": "TL", "name_vi": "Tỷ lệ", "type": "percent", "decimals": 1},
	} {
		f.do("admin", "POST", "/indicators", in).ok(http.StatusCreated)
	}
	var list struct {
		Items []struct {
			ID        int64  `json:"id"`
			Code      string `json:"code"`
			OwnerUnit string `json:"owner_unit"`
		} `json:"items"`
	}
	f.do("leader", "GET", "/indicators", nil).ok(http.StatusOK).decode(&list)
	if len(list.Items) != 3 || list.Items[0].Code != "TL" && list.Items[0].Code != "TONG" {
		t.Fatalf("indicators %+v", list.Items)
	}
	var tong int64
	for _, it := range list.Items {
		if it.Code == "TONG" {
			tong = it.ID
			if it.OwnerUnit != "22-SKHCN" {
				t.Errorf("owner unit %q", it.OwnerUnit)
			}
		}
	}
	got := f.do("admin", "PUT", fmt.Sprintf("/indicators/%d", tong), map[string]any{"name_vi": "Tổng số hồ sơ tiếp nhận"}).ok(http.StatusOK).object()
	if got["name_vi"] != "Tổng số hồ sơ tiếp nhận" || got["type"] != "count" {
		t.Errorf("updated indicator %v", got)
	}

	// A regime: communes and wards of the province, the department and
	// then the province reviewing.
	regime := map[string]any{
		"code": "BC-CDS", "name_vi": "Báo cáo CĐS hằng tháng", "freq": "month", "scope_unit": "22",
		"unit_types": []string{"commune", "ward"}, "owner_unit": "22-SKHCN", "final_unit": "22", "deadline_days": 5,
		"items":    []map[string]any{{"indicator": "TONG", "required": true}, {"indicator": "TT"}, {"indicator": "TL"}},
		"rules":    []map[string]any{{"left": "TT", "op": "<=", "right": "TONG", "blocking": true}},
		"sections": []map[string]any{{"code": "TH", "title_vi": "Tình hình", "required": true}},
	}
	f.do("reviewer", "POST", "/regimes", regime).problem(http.StatusForbidden, "forbidden")
	bad := map[string]any{"code": "BC-X", "name_vi": "X", "freq": "month", "owner_unit": "22-SKHCN", "scope_unit": "22", "items": []map[string]any{{"indicator": "NOPE"}}}
	f.do("admin", "POST", "/regimes", bad).invalid("items.1.indicator", "error.unknown_indicator")
	var rg struct {
		ID    int64  `json:"id"`
		Code  string `json:"code"`
		Items []struct {
			Indicator string `json:"indicator"`
		} `json:"items"`
		Due struct {
			Key      string `json:"key"`
			From     string `json:"from"`
			To       string `json:"to"`
			Deadline string `json:"deadline"`
		} `json:"due"`
		FinalUnit string `json:"final_unit"`
	}
	f.do("admin", "POST", "/regimes", regime).ok(http.StatusCreated).decode(&rg)
	if rg.Code != "BC-CDS" || len(rg.Items) != 3 || rg.Items[1].Indicator != "TT" || rg.FinalUnit != "22" {
		t.Fatalf("regime %+v", rg)
	}
	if rg.Due.Key != "2024-06" || rg.Due.From != "2024-05-15" || rg.Due.To != "2024-06-14" || rg.Due.Deadline != "2024-06-21" {
		t.Errorf("due period %+v, want 2024-06 from 2024-05-15 to 2024-06-14 due 2024-06-21", rg.Due)
	}
	var units struct {
		Items []struct{ Code string } `json:"items"`
	}
	f.do("leader", "GET", fmt.Sprintf("/regimes/%d/units", rg.ID), nil).ok(http.StatusOK).decode(&units)
	if len(units.Items) != 2 {
		t.Errorf("reporting units %+v, want the ward and the commune", units.Items)
	}
	f.do("admin", "PUT", fmt.Sprintf("/regimes/%d", rg.ID), map[string]any{"remind_days": 2}).ok(http.StatusOK)
	var regimes struct {
		Items []struct{ Code string } `json:"items"`
	}
	f.do("reporter-a", "GET", "/regimes?unit=22001", nil).ok(http.StatusOK).decode(&regimes)
	if len(regimes.Items) != 1 {
		t.Errorf("regimes of 22001: %+v", regimes.Items)
	}

	// The calendar: a holiday that moves the deadline by a day.
	f.do("reporter-a", "PUT", "/calendar/2024-06-17", map[string]any{"kind": "holiday", "name_vi": "Nghỉ"}).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "PUT", "/calendar/2024-06-17", map[string]any{"kind": "holiday", "name_vi": "Nghỉ bù"}).ok(http.StatusOK)
	f.do("admin", "PUT", "/calendar/17-06-2024", map[string]any{"kind": "holiday", "name_vi": "Nghỉ bù"}).invalid("date", "error.bad_date")
	var cal struct {
		Items []struct{ Date, Kind string } `json:"items"`
	}
	f.do("leader", "GET", "/calendar?year=2024", nil).ok(http.StatusOK).decode(&cal)
	found := false
	for _, d := range cal.Items {
		found = found || d.Date == "2024-06-17" && d.Kind == "holiday"
	}
	if !found {
		t.Errorf("calendar 2024 %+v lacks 17 June", cal.Items)
	}
	f.do("admin", "GET", fmt.Sprintf("/regimes/%d", rg.ID), nil).ok(http.StatusOK).decode(&rg)
	if rg.Due.Deadline != "2024-06-24" {
		t.Errorf("deadline with the holiday %s, want 2024-06-24", rg.Due.Deadline)
	}
	f.do("admin", "DELETE", "/calendar/2024-06-17", nil).ok(http.StatusNoContent)

	// Reports: opened by each commune, saved with the version, submitted.
	type formView struct {
		Report struct {
			ID      int64  `json:"id"`
			Status  string `json:"status"`
			Version int    `json:"version"`
			Unit    string `json:"unit"`
			Values  []struct {
				Indicator string   `json:"indicator"`
				Value     *float64 `json:"value"`
			} `json:"values"`
			Comment string `json:"comment"`
		} `json:"report"`
		Indicators []struct{ Code string } `json:"indicators"`
		Issues     []struct {
			Field    string `json:"field"`
			Message  string `json:"message"`
			Blocking bool   `json:"blocking"`
		} `json:"issues"`
	}
	f.do("reporter-a", "POST", "/reports/open", map[string]any{"regime": "BC-CDS", "unit": "22002", "period": "2024-06"}).problem(http.StatusForbidden, "forbidden")
	f.do("reporter-a", "POST", "/reports/open", map[string]any{"regime": "BC-CDS", "unit": "22001", "period": "2024-Q2"}).invalid("period", "error.bad_period")
	var a, b formView
	f.do("reporter-a", "POST", "/reports/open", map[string]any{"regime": "BC-CDS", "unit": "22001", "period": "2024-06"}).ok(http.StatusOK).decode(&a)
	f.do("reporter-b", "POST", "/reports/open", map[string]any{"regime": fmt.Sprint(rg.ID), "unit": "22002", "period": "2024-06"}).ok(http.StatusOK).decode(&b)
	if a.Report.Status != "draft" || a.Report.Unit != "22001" || len(a.Indicators) != 3 {
		t.Fatalf("opened %+v", a)
	}
	f.do("reporter-b", "GET", fmt.Sprintf("/reports/%d", a.Report.ID), nil).problem(http.StatusForbidden, "forbidden")
	var saved struct {
		Report struct {
			Version int `json:"version"`
		} `json:"report"`
		Issues []struct {
			Field    string `json:"field"`
			Blocking bool   `json:"blocking"`
			Message  string `json:"message"`
		} `json:"issues"`
	}
	path := fmt.Sprintf("/reports/%d", a.Report.ID)
	f.do("reporter-a", "PUT", path, map[string]any{"version": a.Report.Version,
		"values": []map[string]any{{"indicator": "TONG", "value": 10}, {"indicator": "TT", "value": 20}}}).ok(http.StatusOK).decode(&saved)
	if len(saved.Issues) != 1 || saved.Issues[0].Field != "rule.1" || !saved.Issues[0].Blocking || saved.Issues[0].Message == "" {
		t.Errorf("issues %+v, want the blocking rule", saved.Issues)
	}
	f.do("reporter-a", "PUT", path, map[string]any{"version": a.Report.Version, "values": []map[string]any{{"indicator": "TONG", "value": 11}}}).problem(http.StatusConflict, "conflict")
	f.do("reporter-a", "PUT", path, map[string]any{"version": saved.Report.Version, "values": []map[string]any{{"indicator": "TL", "value": 120}}}).invalid("value.TL", "error.percent_range")
	f.do("reporter-a", "POST", path+"/submit", map[string]any{}).invalid("rule.1", "error.rule")
	f.do("reporter-a", "PUT", path, map[string]any{"version": saved.Report.Version,
		"values": []map[string]any{{"indicator": "TT", "value": 8}}, "sections": map[string]string{"TH": "Tốt"}}).ok(http.StatusOK)
	f.do("reporter-a", "POST", path+"/submit", map[string]any{}).ok(http.StatusOK)

	// Listing, review, return, unlock.
	var reps struct {
		Items []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"items"`
	}
	f.do("reviewer", "GET", "/reports?period=2024-06&status=submitted", nil).ok(http.StatusOK).decode(&reps)
	if len(reps.Items) != 1 || reps.Items[0].ID != a.Report.ID {
		t.Errorf("submitted reports %+v", reps.Items)
	}
	f.do("reporter-b", "POST", path+"/approve", map[string]any{}).problem(http.StatusForbidden, "forbidden")
	f.do("reviewer", "POST", path+"/return", map[string]any{"comment": ""}).invalid("comment", "error.comment_required")
	var back formView
	f.do("reviewer", "POST", path+"/return", map[string]any{"comment": "Kiểm tra lại TT"}).ok(http.StatusOK).decode(&back)
	if back.Report.Status != "returned" || back.Report.Comment != "Kiểm tra lại TT" {
		t.Errorf("returned %+v", back.Report)
	}
	f.do("reporter-a", "POST", path+"/submit", map[string]any{}).ok(http.StatusOK)
	f.user("reviewer-d", dxtrack.RoleReviewer, f.dept)
	f.do("reviewer", "POST", path+"/approve", map[string]any{}).problem(http.StatusConflict, "conflict")
	f.do("reviewer-d", "POST", path+"/approve", map[string]any{}).ok(http.StatusOK)
	var done formView
	f.do("reviewer", "POST", path+"/approve", map[string]any{}).ok(http.StatusOK).decode(&done)
	if done.Report.Status != "approved" {
		t.Fatalf("after two approvals: %s", done.Report.Status)
	}
	f.do("reporter-a", "PUT", path, map[string]any{"version": done.Report.Version}).problem(http.StatusConflict, "conflict")
	f.do("reviewer", "POST", path+"/unlock", map[string]any{"comment": "Sửa số liệu"}).problem(http.StatusForbidden, "forbidden")
	f.do("admin", "POST", path+"/unlock", map[string]any{"comment": "x"}).invalid("comment", "error.reason_required")
	f.do("admin", "POST", path+"/unlock", map[string]any{"comment": "Sửa số liệu theo văn bản mới"}).ok(http.StatusOK)
	var audit struct {
		Items []struct{ Field, Old, New, Reason string } `json:"items"`
	}
	f.do("leader", "GET", path+"/audit", nil).ok(http.StatusOK).decode(&audit)
	steps := []string{}
	for _, e := range audit.Items {
		if e.Field == "status" {
			steps = append(steps, e.Old+">"+e.New)
		}
	}
	if want := "approved>returned submitted>approved submitted>submitted returned>submitted submitted>returned draft>submitted"; strings.Join(steps, " ") != want {
		t.Errorf("status steps %v, want %s", steps, want)
	}

	// Completeness and the consolidated table, as JSON and CSV.
	var c struct {
		Counts    map[string]int `json:"counts"`
		Submitted struct {
			Formula string `json:"formula"`
		} `json:"submitted"`
		Units []struct {
			Unit       string `json:"unit"`
			Timeliness string `json:"timeliness"`
		} `json:"units"`
	}
	f.do("leader", "GET", fmt.Sprintf("/regimes/%d/completeness?period=2024-06", rg.ID), nil).ok(http.StatusOK).decode(&c)
	if c.Submitted.Formula != "1/2 = 50%" || c.Counts["on_time"] != 1 || c.Counts["pending"] != 1 {
		t.Errorf("completeness %+v", c)
	}
	f.do("leader", "GET", fmt.Sprintf("/regimes/%d/completeness?period=2024-13", rg.ID), nil).invalid("period", "error.bad_period")
	var tbl struct {
		Indicators []string                `json:"indicators"`
		Rows       []struct{ Unit string } `json:"rows"`
	}
	r := f.do("leader", "GET", fmt.Sprintf("/regimes/%d/consolidated?period=2024-06", rg.ID), nil).ok(http.StatusOK)
	r.decode(&tbl)
	if len(tbl.Indicators) != 3 || len(tbl.Rows) != 2 {
		t.Errorf("table %+v", tbl)
	}
	r = f.do("leader", "GET", fmt.Sprintf("/regimes/%d/consolidated?period=2024-06&format=csv", rg.ID), nil).ok(http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("CSV content type %q", ct)
	}
	if csv := string(r.Body); !strings.HasPrefix(csv, "unit,unit_name,status,TONG,TT,TL\n") {
		t.Errorf("CSV:\n%s", csv)
	}

	// The spec documents the new paths.
	var spec struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	f.do("", "GET", "/openapi.json", nil).ok(http.StatusOK).decode(&spec)
	for p, m := range map[string]string{"/indicators": "post", "/regimes/{id}": "put", "/calendar/{date}": "delete",
		"/reports/open": "post", "/reports/{id}": "put", "/reports/{id}/return": "post", "/regimes/{id}/consolidated": "get"} {
		if _, ok := spec.Paths[p][m]; !ok {
			t.Errorf("spec lacks %s %s", m, p)
		}
	}
	_ = dxtrack.Monthly
}
