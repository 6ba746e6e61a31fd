package dxtrack_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
)

func reportFixture() (*dxtrack.Regime, map[int64]*dxtrack.Indicator) {
	inds := map[int64]*dxtrack.Indicator{
		1: {ID: 1, Code: "TOTAL", Type: dxtrack.ValueCount},
		2: {ID: 2, Code: "DONE", Type: dxtrack.ValueCount},
		3: {ID: 3, Code: "RATE", Type: dxtrack.ValuePercent},
	}
	rg := &dxtrack.Regime{ID: 7, Code: "BC-T", Freq: dxtrack.Monthly, OwnerUnitID: 100, FinalUnitID: 200, OutlierShare: 0.5,
		Items: []dxtrack.FormItem{{IndicatorID: 1, Required: true}, {IndicatorID: 2, Required: true}, {IndicatorID: 3}},
		Rules: []dxtrack.Rule{
			{Left: "DONE", Op: dxtrack.OpLE, Right: "TOTAL", Blocking: true},
			{Left: "RATE", Op: dxtrack.OpGE, Right: "10"},
		},
		Sections: []dxtrack.Section{{Code: "KQ", TitleVI: "Kết quả", Required: true}},
	}
	return rg, inds
}

func vals(pairs ...float64) []dxtrack.ReportValue {
	var out []dxtrack.ReportValue
	for i := 0; i+1 < len(pairs); i += 2 {
		v := pairs[i+1]
		out = append(out, dxtrack.ReportValue{IndicatorID: int64(pairs[i]), Value: &v})
	}
	return out
}

func issueSet(issues []dxtrack.Issue) map[string]string {
	m := map[string]string{}
	for _, i := range issues {
		m[i.Field] = i.MsgID
	}
	return m
}

func TestCheckReport(t *testing.T) {
	rg, inds := reportFixture()
	hist := dxtrack.History{1: {100, 110, 105}, 3: {40, 45, 50}}
	tests := []struct {
		name       string
		values     []dxtrack.ReportValue
		sections   map[string]string
		submitting bool
		want       map[string]string
		blocking   bool
	}{
		{"clean draft", vals(1, 108, 2, 100, 3, 48), nil, false, map[string]string{}, false},
		{"draft may be incomplete", vals(1, 108), nil, false, map[string]string{}, false},
		{"submission needs required values and sections", vals(1, 108), nil, true,
			map[string]string{"value.DONE": "error.required", "section.KQ": "error.required"}, true},
		{"done above total blocks", vals(1, 108, 2, 130), map[string]string{"KQ": "ok"}, true,
			map[string]string{"rule.1": "error.rule"}, true},
		{"warning rule does not block", vals(1, 108, 2, 100, 3, 5), map[string]string{"KQ": "ok"}, true,
			map[string]string{"rule.2": "warn.rule", "value.RATE": "warn.outlier_jump"}, false},
		{"percent out of range", vals(1, 108, 2, 100, 3, 120), nil, false,
			map[string]string{"value.RATE": "error.percent_range"}, true},
		{"count must be whole and non-negative", vals(1, 12.5, 2, -1), nil, false,
			map[string]string{"value.TOTAL": "error.count", "value.DONE": "error.count"}, true},
		{"jump over half of last value", vals(1, 200, 2, 100), nil, false,
			map[string]string{"value.TOTAL": "warn.outlier_jump"}, false},
		{"outside the range seen", vals(1, 95, 2, 90, 3, 30), nil, false,
			map[string]string{"value.TOTAL": "warn.outlier_range", "value.RATE": "warn.outlier_range"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &dxtrack.Report{Values: tt.values, Sections: tt.sections}
			issues := dxtrack.CheckReport(rg, inds, r, hist, tt.submitting)
			if got := issueSet(issues); !mapsEqual(got, tt.want) {
				t.Errorf("issues = %v, want %v", got, tt.want)
			}
			if got := dxtrack.Blocking(issues); got != tt.blocking {
				t.Errorf("Blocking = %v, want %v", got, tt.blocking)
			}
		})
	}
	p := 101
	r := &dxtrack.Report{Tasks: []dxtrack.TaskEntry{{TaskID: 9, Progress: &p}}}
	if got := issueSet(dxtrack.CheckReport(rg, inds, r, nil, false)); got["task.9.progress"] != "error.percent_range" {
		t.Errorf("task progress 101: %v", got)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestReportWorkflow(t *testing.T) {
	rg, _ := reportFixture() // two levels: owner 100, final 200
	deadline := dxtrack.MustDate("2026-10-19")
	onTime := time.Date(2026, 10, 19, 16, 0, 0, 0, time.UTC)
	r := &dxtrack.Report{Status: dxtrack.ReportDraft, Deadline: deadline}

	step := func(action dxtrack.ReportAction, level int, comment string, at time.Time, wantCode string) {
		t.Helper()
		err := r.Apply(rg, action, level, comment, at)
		if got := dxtrack.ErrorCode(err); got != wantCode {
			t.Fatalf("%s at level %d: code %q, want %q (%v)", action, level, got, wantCode, err)
		}
	}
	step(dxtrack.ActionApprove, 0, "", onTime, dxtrack.ECONFLICT) // nothing submitted yet
	step(dxtrack.ActionSubmit, -1, "", onTime, "")
	if r.Late || r.Status != dxtrack.ReportSubmitted {
		t.Fatalf("submitted on the deadline day: %+v", r)
	}
	step(dxtrack.ActionApprove, 1, "", onTime, dxtrack.ECONFLICT) // province before department
	step(dxtrack.ActionReturn, 0, "  ", onTime, dxtrack.EINVALID) // a return needs a comment
	step(dxtrack.ActionReturn, 0, "Thiếu số liệu hồ sơ trực tuyến", onTime, "")
	if r.Status != dxtrack.ReportReturned || r.Comment == "" || !r.Editable() {
		t.Fatalf("after return: %+v", r)
	}
	later := onTime.Add(72 * time.Hour)
	step(dxtrack.ActionSubmit, -1, "", later, "")
	if r.Late {
		t.Fatal("a resubmission after the deadline keeps the first submission's timeliness")
	}
	step(dxtrack.ActionApprove, 0, "", later, "")
	if r.Status != dxtrack.ReportSubmitted || r.Level != 1 {
		t.Fatalf("after the first level: %+v", r)
	}
	step(dxtrack.ActionApprove, 0, "", later, dxtrack.ECONFLICT) // level already done
	step(dxtrack.ActionApprove, 1, "", later, "")
	if !r.Locked() || r.ApprovedAt.IsZero() {
		t.Fatalf("after the last level: %+v", r)
	}
	step(dxtrack.ActionSubmit, -1, "", later, dxtrack.ECONFLICT) // locked
	step(dxtrack.ActionUnlock, 1, "sửa", later, dxtrack.EINVALID)
	step(dxtrack.ActionUnlock, 1, "Sai số liệu tháng trước, cần sửa", later, "")
	if r.Locked() || !r.Editable() {
		t.Fatalf("after unlock: %+v", r)
	}

	late := &dxtrack.Report{Status: dxtrack.ReportDraft, Deadline: deadline}
	if err := late.Apply(rg, dxtrack.ActionSubmit, -1, "", deadline.AddDate(0, 0, 1)); err != nil || !late.Late {
		t.Fatalf("submitted the day after the deadline: late=%v err=%v", late.Late, err)
	}
	skip := *rg
	skip.SkipLevels = true
	if err := late.Apply(&skip, dxtrack.ActionApprove, 1, "", deadline); err != nil || !late.Locked() {
		t.Fatalf("a regime that lets the province approve first: %v %+v", err, late)
	}
}

func TestCompletenessAndConsolidated(t *testing.T) {
	rg, inds := reportFixture()
	p := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 10}
	deadline := dxtrack.MustDate("2026-10-19")
	units := []*dxtrack.Unit{{ID: 1, NameVI: "Xã A"}, {ID: 2, NameVI: "Xã B"}, {ID: 3, NameVI: "Xã C"}, {ID: 4, NameVI: "Sở D"}}
	reports := []*dxtrack.Report{
		{ID: 11, RegimeID: 7, UnitID: 1, Period: p, Status: dxtrack.ReportApproved, SubmittedAt: deadline, Values: vals(1, 100, 2, 90, 3, 40)},
		{ID: 12, RegimeID: 7, UnitID: 2, Period: p, Status: dxtrack.ReportSubmitted, SubmittedAt: deadline.AddDate(0, 0, 2), Late: true, Values: vals(1, 50, 2, 50, 3, 60)},
		{ID: 13, RegimeID: 7, UnitID: 3, Period: p, Status: dxtrack.ReportDraft, Values: vals(1, 999)},
	}
	c := dxtrack.BuildCompleteness(rg, p, deadline, units, reports, map[int64][]string{3: {"Nguyễn Văn A"}}, dxtrack.MustDate("2026-10-25"))
	if c.Submitted != (dxtrack.Completion{Done: 2, Total: 4}) || c.Timely != (dxtrack.Completion{Done: 1, Total: 4}) || c.Approved != (dxtrack.Completion{Done: 1, Total: 4}) {
		t.Fatalf("completion: submitted %+v timely %+v approved %+v", c.Submitted, c.Timely, c.Approved)
	}
	if c.Counts[dxtrack.OnTime] != 1 || c.Counts[dxtrack.Late] != 1 || c.Counts[dxtrack.Missing] != 2 {
		t.Fatalf("counts = %v", c.Counts)
	}
	var missing []string
	for _, u := range c.NotReported() {
		missing = append(missing, u.Unit.NameVI)
	}
	if !slices.Equal(missing, []string{"Sở D", "Xã C"}) || c.Units[1].Officers[0] != "Nguyễn Văn A" {
		t.Fatalf("not reported = %v, first lines %+v", missing, c.Units[:2])
	}
	before := dxtrack.BuildCompleteness(rg, p, deadline, units, reports, nil, dxtrack.MustDate("2026-10-19"))
	if before.Counts[dxtrack.Pending] != 2 {
		t.Fatalf("on the deadline day unsent reports are pending: %v", before.Counts)
	}

	order := []*dxtrack.Indicator{inds[1], inds[2], inds[3]}
	tab := dxtrack.BuildConsolidated(rg, p, order, units, reports)
	if got := *tab.Totals[0]; got != 150 { // counts add up; the draft's 999 stays out
		t.Errorf("total of TOTAL = %v, want 150", got)
	}
	if got := *tab.Totals[2]; got != 50 { // a percentage averages
		t.Errorf("total of RATE = %v, want 50", got)
	}
	if tab.Rows[2].Values[0] != nil || tab.Reported[0] != (dxtrack.Completion{Done: 2, Total: 4}) {
		t.Errorf("draft values leak into the table: %+v %+v", tab.Rows[2], tab.Reported[0])
	}
}

func TestPlanReminders(t *testing.T) {
	rg, _ := reportFixture()
	rg.RemindDays = 3
	p := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 10}
	deadline := dxtrack.MustDate("2026-10-19")
	units := []*dxtrack.Unit{{ID: 1, NameVI: "Xã A"}, {ID: 2, NameVI: "Xã B"}, {ID: 3, NameVI: "Xã C"}}
	reports := []*dxtrack.Report{{RegimeID: 7, UnitID: 1, Period: p, Status: dxtrack.ReportSubmitted, SubmittedAt: deadline}}
	contacts := map[int64]dxtrack.Contacts{
		1: {Reporters: []string{"a@x.vn"}},
		2: {Reporters: []string{"b@x.vn"}, Head: "head.b@x.vn"},
		3: {Head: "head.c@x.vn"},
	}
	plan := func(day string) []dxtrack.Reminder {
		now := dxtrack.MustDate(day)
		return dxtrack.PlanReminders(dxtrack.BuildCompleteness(rg, p, deadline, units, reports, nil, now), contacts, now)
	}
	if got := plan("2026-10-10"); len(got) != 0 {
		t.Fatalf("too early: %+v", got)
	}
	before := plan("2026-10-16")
	if len(before) != 2 || before[0].Kind != dxtrack.RemindBefore || before[0].To[0] != "b@x.vn" || before[1].To[0] != "head.c@x.vn" {
		t.Fatalf("three days before: %+v", before)
	}
	if again := plan("2026-10-17"); again[0].Key != before[0].Key {
		t.Fatal("the before reminder must keep its key so it goes out once")
	}
	if due := plan("2026-10-19"); len(due) != 2 || due[0].Kind != dxtrack.RemindDue {
		t.Fatalf("on the day: %+v", due)
	}
	over := plan("2026-10-20")
	if len(over) != 2 || over[0].Kind != dxtrack.RemindOverdue || !slices.Equal(over[0].Cc, []string{"head.b@x.vn"}) {
		t.Fatalf("overdue escalates to the head: %+v", over)
	}
	if got := plan("2026-10-22"); len(got) != 0 {
		t.Fatalf("overdue reminders repeat weekly, not daily: %+v", got)
	}
	if got := plan("2026-10-27"); len(got) != 2 || got[0].Key == over[0].Key {
		t.Fatalf("a week later: %+v", got)
	}
}
