package dxtrack_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestFold(t *testing.T) {
	for _, s := range []string{"hoa binh", "Hoà Bình", "Hòa Bình", "  HÒA   BÌNH "} {
		if got := dxtrack.Fold(s); got != "hoa binh" {
			t.Errorf("Fold(%q) = %q, want %q", s, got, "hoa binh")
		}
	}
	if got := dxtrack.Fold("Đồng Nai"); got != "dong nai" {
		t.Errorf("Fold(Đồng Nai) = %q", got)
	}
	if !dxtrack.MatchFolded(dxtrack.Fold("Phường Hòa Bình, Hải Phòng"), "hoa binh hai") {
		t.Error("MatchFolded misses words in any order")
	}
	if dxtrack.MatchFolded(dxtrack.Fold("Xã Hòa Bình"), "hoa phu") {
		t.Error("MatchFolded matched a missing word")
	}
}

func fieldSet(err error) map[string]string {
	m := map[string]string{}
	for _, f := range dxtrack.ErrorFields(err) {
		m[f.Field] = f.MsgID
	}
	return m
}

func TestTaskValidate(t *testing.T) {
	doc := &dxtrack.Document{IssuedOn: dxtrack.MustDate("2022-03-01")}
	ok := dxtrack.Task{Code: "NV01", NameVI: "Triển khai", LeadUnitID: 1, StartOn: dxtrack.MustDate("2022-03-01"), Deadline: dxtrack.MustDate("2022-12-31")}
	if err := ok.Validate(doc); err != nil {
		t.Fatalf("valid task refused: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*dxtrack.Task)
		field string
		msg   string
	}{
		{"deadline before document", func(x *dxtrack.Task) {
			x.StartOn = x.Deadline.AddDate(-2, 0, 0)
			x.Deadline = dxtrack.MustDate("2022-02-01")
		}, "deadline", "error.deadline_before_document"},
		{"negative budget", func(x *dxtrack.Task) { x.BudgetVND = -1 }, "budget_vnd", "error.negative"},
		{"progress over 100", func(x *dxtrack.Task) { x.Progress = 101 }, "progress", "error.percent_range"},
		{"progress below 0", func(x *dxtrack.Task) { x.Progress = -5 }, "progress", "error.percent_range"},
		{"bad code", func(x *dxtrack.Task) { x.Code = "" }, "code", "error.code_format"},
		{"no lead", func(x *dxtrack.Task) { x.LeadUnitID = 0 }, "lead_unit", "error.required"},
		{"lead also coordinates", func(x *dxtrack.Task) { x.CoUnitIDs = []int64{2, 1} }, "co_units", "error.co_unit_is_lead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := ok
			tt.edit(&x)
			err := x.Validate(doc)
			if got := dxtrack.ErrorCode(err); got != dxtrack.EINVALID {
				t.Fatalf("code = %q, want invalid", got)
			}
			if got := fieldSet(err)[tt.field]; got != tt.msg {
				t.Fatalf("field %s: msg = %q, want %q (all: %v)", tt.field, got, tt.msg, fieldSet(err))
			}
		})
	}
}

func TestTargetValidate(t *testing.T) {
	doc := &dxtrack.Document{IssuedOn: dxtrack.MustDate("2022-02-05")}
	tg := dxtrack.Target{Code: "MT1", NameVI: "Dịch vụ công trực tuyến toàn trình", Kind: dxtrack.TargetQuantitative, LeadUnitID: 3,
		Deadline: dxtrack.MustDate("2025-12-31")}
	got := fieldSet(tg.Validate(doc))
	if got["value"] != "error.required" || got["direction"] != "error.unknown_value" {
		t.Fatalf("missing value and direction not reported: %v", got)
	}
	tg.Value, tg.Direction = f(100), dxtrack.DirectionUp
	if err := tg.Validate(doc); err != nil {
		t.Fatalf("valid target refused: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	// Province 1 → commune 10, commune 11.
	communeA, communeB := []int64{1, 10}, []int64{1, 11}
	reporterA := &dxtrack.User{Role: dxtrack.RoleReporter, UnitID: 10}
	reviewer := &dxtrack.User{Role: dxtrack.RoleReviewer, UnitID: 1}
	leader := &dxtrack.User{Role: dxtrack.RoleLeader, UnitID: 1}
	admin := &dxtrack.User{Role: dxtrack.RoleAdmin, UnitID: 1}
	adminA := &dxtrack.User{Role: dxtrack.RoleAdmin, UnitID: 10}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"reporter reports own commune", reporterA.CanReport(communeA), true},
		{"reporter refused other commune", reporterA.CanReport(communeB), false},
		{"reporter refused province item", reporterA.CanReport([]int64{1}), false},
		{"reporter cannot admin", reporterA.CanAdmin(communeA), false},
		{"leader reads only", leader.CanReport(communeA) || leader.CanAdmin(communeA) || leader.CanOverride(communeA), false},
		{"reviewer overrides in scope", reviewer.CanOverride(communeB), true},
		{"reviewer does not report", reviewer.CanReport(communeB), false},
		{"province admin over commune", admin.CanAdmin(communeB), true},
		{"commune admin outside scope", adminA.CanAdmin(communeB), false},
		{"system user anywhere", dxtrack.SystemUser.CanAdmin([]int64{99}), true},
		{"disabled admin", (&dxtrack.User{Role: dxtrack.RoleAdmin, UnitID: 1, Disabled: true}).CanAdmin(communeA), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestBuildOverview(t *testing.T) {
	now := dxtrack.MustDate("2026-11-23")
	doc := &dxtrack.Document{ID: 1, Number: "59/KH-UBND", IssuedOn: dxtrack.MustDate("2022-03-01")}
	pillar := &dxtrack.Category{ID: 5, Kind: dxtrack.CategoryPillar, NameVI: "Chính quyền số"}
	units := map[int64]*dxtrack.Unit{7: {ID: 7, NameVI: "Sở Khoa học và Công nghệ"}, 8: {ID: 8, NameVI: "Sở Y tế"}}
	var targets []*dxtrack.Target
	for i := range 27 {
		tg := &dxtrack.Target{ID: int64(i + 1), DocumentID: 1, Kind: dxtrack.TargetQualitative, Done: i < 11,
			Deadline: dxtrack.MustDate("2022-12-31"), LeadUnitID: 7, PillarID: 5}
		targets = append(targets, tg)
	}
	var tasks []*dxtrack.Task
	for i := range 51 {
		p := 60
		if i < 19 {
			p = 100
		}
		tasks = append(tasks, &dxtrack.Task{ID: int64(i + 1), DocumentID: 1, Progress: p, StartOn: doc.IssuedOn,
			Deadline: dxtrack.MustDate("2022-12-31").AddDate(0, 0, -i), LeadUnitID: 8})
	}
	o := dxtrack.BuildOverview([]*dxtrack.Document{doc}, targets, tasks, []*dxtrack.Category{pillar}, units, now)
	d := o.Documents[0]
	if d.Targets != (dxtrack.Completion{Done: 11, Total: 27}) || d.Tasks != (dxtrack.Completion{Done: 19, Total: 51}) {
		t.Fatalf("document completion = %+v / %+v", d.Targets, d.Tasks)
	}
	if got := len(o.OverdueTasks); got != 32 {
		t.Fatalf("overdue tasks = %d, want 32", got)
	}
	if !o.OverdueTasks[0].Deadline.Before(o.OverdueTasks[1].Deadline) {
		t.Fatal("overdue tasks not sorted by deadline")
	}
	if o.LeadUnits[0].ID != 8 || o.LeadUnits[0].Overdue != 32 {
		t.Fatalf("most overdue lead unit first: %+v", o.LeadUnits[0])
	}
	if o.Pillars[0].ID != 5 || o.Pillars[0].Targets != (dxtrack.Completion{Done: 11, Total: 27}) {
		t.Fatalf("pillar = %+v", o.Pillars[0])
	}
	if o.Pillars[1].ID != 0 || o.Pillars[1].Tasks.Total != 51 {
		t.Fatalf("items without a pillar are grouped last: %+v", o.Pillars)
	}
}
