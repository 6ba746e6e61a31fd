package store_test

import (
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// rworld adds a monthly reporting regime to the small province: owned by
// the science department (level 0) with the province's DT office as the
// final level (1); the communes of Quảng Ninh and the home-affairs
// department report under it.
type rworld struct {
	*world
	indicators dxtrack.IndicatorService
	regimes    dxtrack.RegimeService
	calendar   dxtrack.CalendarService
	reports    dxtrack.ReportService
	reminders  dxtrack.ReminderStore

	dto, home, communeC                          *dxtrack.Unit
	deptReviewer, dtoReviewer, reporterC, homeRp *dxtrack.User

	total, online, share *dxtrack.Indicator
	rg                   *dxtrack.Regime
	doc                  *dxtrack.Document
	task                 *dxtrack.Task
	target               *dxtrack.Target
}

// july is the period of the scenario: data 15 June–14 July 2025, due five
// working days later, on Monday 21 July.
var july = dxtrack.Period{Freq: dxtrack.Monthly, Year: 2025, N: 7}

func seedReporting(t *testing.T, db *store.DB) *rworld {
	t.Helper()
	w := &rworld{world: seed(t, db),
		indicators: store.NewIndicatorService(db), regimes: store.NewRegimeService(db),
		calendar: store.NewCalendarService(db), reports: store.NewReportService(db),
		reminders: store.NewReminderStore(db)}
	w.setNow("2025-07-16T09:00:00Z")
	w.dto = w.mustUnit(t, "QN-CDS", "Văn phòng Chuyển đổi số", dxtrack.UnitDepartment, w.qn.ID)
	w.home = w.mustUnit(t, "QN-NV", "Sở Nội vụ", dxtrack.UnitDepartment, w.qn.ID)
	w.communeC = w.mustUnit(t, "07069", "Cô Tô", dxtrack.UnitCommune, w.qn.ID)
	w.deptReviewer = w.mustUser(t, "reviewer.khcn", dxtrack.RoleReviewer, w.dept.ID)
	w.dtoReviewer = w.mustUser(t, "reviewer.cds", dxtrack.RoleReviewer, w.dto.ID)
	w.reporterC = w.mustUser(t, "reporter.c", dxtrack.RoleReporter, w.communeC.ID)
	w.homeRp = w.mustUser(t, "reporter.nv", dxtrack.RoleReporter, w.home.ID)

	admin := as(w.admin)
	w.total = &dxtrack.Indicator{Code: "HS-TONG", NameVI: "Tổng số hồ sơ", Measure: "hồ sơ", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
	w.online = &dxtrack.Indicator{Code: "HS-TT", NameVI: "Số hồ sơ trực tuyến", Measure: "hồ sơ", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
	w.share = &dxtrack.Indicator{Code: "TL-SO", NameVI: "Tỷ lệ số hoá", Measure: "%", Type: dxtrack.ValuePercent, Decimals: 1, Direction: dxtrack.DirectionUp}
	for _, in := range []*dxtrack.Indicator{w.total, w.online, w.share} {
		must(t, w.indicators.CreateIndicator(admin, in))
	}
	w.rg = &dxtrack.Regime{Code: "BC-CDS", NameVI: "Báo cáo chuyển đổi số hằng tháng", Freq: dxtrack.Monthly,
		ScopeUnitID: w.qn.ID, UnitTypes: []dxtrack.UnitType{dxtrack.UnitCommune, dxtrack.UnitWard, dxtrack.UnitSpecialZone},
		UnitIDs: []int64{w.home.ID}, OwnerUnitID: w.dept.ID, FinalUnitID: w.dto.ID, DeadlineDays: 5, RemindDays: 3,
		OutlierShare: 0.5,
		Items: []dxtrack.FormItem{
			{IndicatorID: w.total.ID, Group: "Dịch vụ công", Required: true},
			{IndicatorID: w.online.ID, Group: "Dịch vụ công", Required: true},
			{IndicatorID: w.share.ID},
		},
		Rules:          []dxtrack.Rule{{Left: "HS-TT", Op: dxtrack.OpLE, Right: "HS-TONG", Blocking: true, MessageVI: "Trực tuyến ≤ tổng"}},
		Sections:       []dxtrack.Section{{Code: "TH", TitleVI: "Tình hình", Required: true}, {Code: "KN", TitleVI: "Kiến nghị"}},
		IncludeTasks:   true,
		IncludeTargets: true,
		Active:         true,
	}
	must(t, w.regimes.CreateRegime(admin, w.rg))
	w.doc = w.mustDocument(t, "KH-01", 0)
	w.task = w.newTask(w.doc, "NV1", w.communeA.ID)
	must(t, w.tasks.CreateTask(admin, w.task))
	w.target = w.newTarget(w.doc, "MT1", w.communeA.ID)
	must(t, w.targets.CreateTarget(admin, w.target))
	return w
}

// setNow fixes the store's clock.
func (w *rworld) setNow(s string) {
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	w.db.Now = func() time.Time { return at }
}

// open opens the period's report of a unit as u.
func (w *rworld) open(t *testing.T, u *dxtrack.User, unit *dxtrack.Unit, p dxtrack.Period) *dxtrack.Report {
	t.Helper()
	r, err := w.reports.OpenReport(as(u), w.rg.ID, unit.ID, p)
	must(t, err)
	return r
}

// fill sets the values and the required section of a report and saves it.
func (w *rworld) fill(t *testing.T, u *dxtrack.User, r *dxtrack.Report, total, online, share float64) *dxtrack.Report {
	t.Helper()
	r.Values = []dxtrack.ReportValue{
		{IndicatorID: w.total.ID, Value: ptr(total)},
		{IndicatorID: w.online.ID, Value: ptr(online)},
		{IndicatorID: w.share.ID, Value: ptr(share)},
	}
	r.Sections = map[string]string{"TH": "Triển khai đúng kế hoạch."}
	out, _, err := w.reports.SaveReport(as(u), r)
	must(t, err)
	return out
}

func (w *rworld) act(t *testing.T, u *dxtrack.User, r *dxtrack.Report, a dxtrack.ReportAction, comment string) *dxtrack.Report {
	t.Helper()
	out, err := w.reports.Act(as(u), r.ID, a, comment)
	must(t, err)
	return out
}

func value(r *dxtrack.Report, id int64) string {
	v := r.Value(id)
	if v == nil {
		return "nil"
	}
	return describe(*v)
}

// auditSteps returns a report's audit trail oldest first as
// "field:old>new|reason".
func (w *rworld) auditSteps(t *testing.T, id int64) []string {
	t.Helper()
	es, err := w.audit.FindAudit(as(w.leader), "report", id)
	must(t, err)
	var out []string
	for _, e := range slices.Backward(es) {
		s := e.Field + ":" + e.Old + ">" + e.New
		if e.Reason != "" {
			s += "|" + e.Reason
		}
		out = append(out, s)
	}
	return out
}

// TestReportScenario is the issue's scenario at store level: three
// communes and a department file July's report; one is returned, fixed
// and resubmitted; the department approves, then the DT office; the
// figures reach the tasks and targets; completeness reads 100%.
func TestReportScenario(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedReporting(t, db)

		units, err := w.regimes.ReportingUnits(as(w.leader), w.rg.ID)
		must(t, err)
		if got, want := codes(units), []string{"07069", "07030", "QN-NV", "06994"}; !slices.Equal(got, want) {
			t.Fatalf("reporting units = %v, want %v (Cô Tô, Hoành Bồ, Sở Nội vụ, Vân Đồn)", got, want)
		}

		// Vân Đồn opens its draft: one entry per item, its task and target.
		a := w.open(t, w.reporterA, w.communeA, july)
		if a.Status != dxtrack.ReportDraft || a.Version != 1 || !a.Deadline.Equal(date("2025-07-21")) {
			t.Fatalf("new report = %+v, want a version-1 draft due 2025-07-21", a)
		}
		if len(a.Values) != 3 || len(a.Tasks) != 1 || a.Tasks[0].TaskID != w.task.ID || *a.Tasks[0].Progress != 0 ||
			len(a.Targets) != 1 || a.Targets[0].TargetID != w.target.ID {
			t.Fatalf("draft content = %+v", a)
		}
		again := w.open(t, w.reviewer, w.communeA, july)
		if again.ID != a.ID {
			t.Fatalf("opening again made report %d, want %d", again.ID, a.ID)
		}

		t.Run("another commune's reporter is refused", func(t *testing.T) {
			_, err := w.reports.OpenReport(as(w.reporterB), w.rg.ID, w.communeA.ID, july)
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.reports.FindReportByID(as(w.reporterB), a.ID)
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, _, err = w.reports.SaveReport(as(w.reporterB), a)
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.reports.Act(as(w.reporterB), a.ID, dxtrack.ActionSubmit, "")
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.reports.OpenReport(as(w.adminPT), w.rg.ID, w.communeA.ID, july)
			wantCode(t, err, dxtrack.EFORBIDDEN)
		})
		t.Run("a unit outside the regime gets no draft", func(t *testing.T) {
			_, err := w.reports.OpenReport(as(w.admin), w.rg.ID, w.dept.ID, july)
			wantField(t, err, "unit", "error.not_reporting_unit")
			_, err = w.reports.OpenReport(as(w.admin), w.rg.ID, w.communeA.ID, dxtrack.Period{Freq: dxtrack.Quarterly, Year: 2025, N: 3})
			wantField(t, err, "period", "error.unknown_value")
		})

		// Vân Đồn fills its report, with its task's progress and target.
		a.Tasks[0].Progress, a.Tasks[0].Narrative = ptr(60), "Đã triển khai 6/10 xã"
		a.Targets[0].Current = ptr(45.0)
		a = w.fill(t, w.reporterA, a, 120, 80, 66.7)
		if a.Version != 2 || value(a, w.online.ID) != "80" {
			t.Fatalf("saved report = version %d, online %s; want 2, 80", a.Version, value(a, w.online.ID))
		}

		t.Run("a stale version is refused", func(t *testing.T) {
			stale := *a
			stale.Version = 1
			stale.Sections = map[string]string{"TH": "Bản cũ"}
			_, _, err := w.reports.SaveReport(as(w.reporterA), &stale)
			wantCode(t, err, dxtrack.ECONFLICT)
			if e := (*dxtrack.Error)(nil); !errorsAs(err, &e) || e.MsgID != "error.stale_report" {
				t.Fatalf("error = %v, want error.stale_report", err)
			}
		})
		t.Run("a value out of range is refused and nothing is written", func(t *testing.T) {
			audits := w.count(t, "audit")
			bad := *a
			bad.Values = []dxtrack.ReportValue{{IndicatorID: w.total.ID, Value: ptr(5.0)}, {IndicatorID: w.share.ID, Value: ptr(120.0)}}
			_, _, err := w.reports.SaveReport(as(w.reporterA), &bad)
			wantField(t, err, "value.TL-SO", "error.percent_range")
			frac := *a
			frac.Values = []dxtrack.ReportValue{{IndicatorID: w.total.ID, Value: ptr(1.5)}}
			_, _, err = w.reports.SaveReport(as(w.reporterA), &frac)
			wantField(t, err, "value.HS-TONG", "error.count")
			got, err := w.reports.FindReportByID(as(w.reporterA), a.ID)
			must(t, err)
			if got.Version != a.Version || value(got, w.total.ID) != "120" || w.count(t, "audit") != audits {
				t.Fatalf("after refused saves: version %d, total %s, audit rows %d (was %d)", got.Version,
					value(got, w.total.ID), w.count(t, "audit"), audits)
			}
		})

		a = w.act(t, w.reporterA, a, dxtrack.ActionSubmit, "")
		if a.Status != dxtrack.ReportSubmitted || a.Late || !a.SubmittedAt.Equal(w.db.Now()) {
			t.Fatalf("submitted = %+v, want on time at %v", a, w.db.Now())
		}
		_, _, err = w.reports.SaveReport(as(w.reporterA), a)
		wantCode(t, err, dxtrack.ECONFLICT)

		// Hoành Bồ and Sở Nội vụ submit on time.
		b := w.open(t, w.reporterB, w.communeB, july)
		b = w.fill(t, w.reporterB, b, 50, 10, 20)
		b = w.act(t, w.reporterB, b, dxtrack.ActionSubmit, "")
		h := w.open(t, w.homeRp, w.home, july)
		h = w.fill(t, w.homeRp, h, 30, 30, 100)
		h = w.act(t, w.homeRp, h, dxtrack.ActionSubmit, "")

		// Cô Tô's first tries break the rules; it submits after the deadline.
		c := w.open(t, w.reporterC, w.communeC, july)
		c.Values = []dxtrack.ReportValue{{IndicatorID: w.total.ID, Value: ptr(10.0)}, {IndicatorID: w.online.ID, Value: ptr(12.0)}}
		c, issues, err := w.reports.SaveReport(as(w.reporterC), c)
		must(t, err)
		if len(issues) != 1 || issues[0].Field != "rule.1" || !issues[0].Blocking {
			t.Fatalf("issues of a saved draft = %+v, want the blocking rule.1", issues)
		}
		_, err = w.reports.Act(as(w.reporterC), c.ID, dxtrack.ActionSubmit, "")
		wantField(t, err, "rule.1", "error.rule")
		wantField(t, err, "section.TH", "error.required")
		w.setNow("2025-07-22T08:00:00Z")
		c = w.fill(t, w.reporterC, c, 10, 8, 80)
		c = w.act(t, w.reporterC, c, dxtrack.ActionSubmit, "")
		if !c.Late {
			t.Fatalf("a report submitted on 22 July is not late (deadline %v)", c.Deadline)
		}

		t.Run("review levels", func(t *testing.T) {
			_, err := w.reports.Act(as(w.reporterA), a.ID, dxtrack.ActionApprove, "")
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.reports.Act(as(w.leader), a.ID, dxtrack.ActionApprove, "")
			wantCode(t, err, dxtrack.EFORBIDDEN)
			// The province (level 1) may not approve before the department.
			_, err = w.reports.Act(as(w.reviewer), a.ID, dxtrack.ActionApprove, "")
			wantCode(t, err, dxtrack.ECONFLICT)
			_, err = w.reports.Act(as(w.dtoReviewer), a.ID, dxtrack.ActionApprove, "")
			wantCode(t, err, dxtrack.ECONFLICT)
		})

		// The department returns Hoành Bồ's report with a comment.
		_, err = w.reports.Act(as(w.deptReviewer), b.ID, dxtrack.ActionReturn, "  ")
		wantField(t, err, "comment", "error.comment_required")
		b = w.act(t, w.deptReviewer, b, dxtrack.ActionReturn, "Tỷ lệ số hoá chưa khớp")
		if b.Status != dxtrack.ReportReturned || b.Comment != "Tỷ lệ số hoá chưa khớp" {
			t.Fatalf("returned = %+v", b)
		}
		b.Values[2].Value = ptr(25.0)
		b, _, err = w.reports.SaveReport(as(w.reporterB), b)
		must(t, err)
		b = w.act(t, w.reporterB, b, dxtrack.ActionSubmit, "Đã sửa")
		if b.Status != dxtrack.ReportSubmitted || b.Late {
			t.Fatalf("resubmitted = %+v, want submitted and on time (first submission counts)", b)
		}

		// The department approves all four, then the DT office.
		for _, r := range []*dxtrack.Report{a, b, h, c} {
			r = w.act(t, w.deptReviewer, r, dxtrack.ActionApprove, "")
			if r.Status != dxtrack.ReportSubmitted || r.Level != 1 {
				t.Fatalf("after the department: %+v, want submitted at level 1", r)
			}
			_, err := w.reports.Act(as(w.deptReviewer), r.ID, dxtrack.ActionApprove, "")
			wantCode(t, err, dxtrack.ECONFLICT)
		}
		w.setNow("2025-07-25T10:00:00Z")
		for i, r := range []*dxtrack.Report{a, b, h, c} {
			u := w.dtoReviewer
			if i%2 == 1 {
				u = w.reviewer // the province's reviewer speaks for the DT office too
			}
			r = w.act(t, u, r, dxtrack.ActionApprove, "")
			if r.Status != dxtrack.ReportApproved || r.Level != 2 || !r.Locked() {
				t.Fatalf("after the DT office: %+v, want approved", r)
			}
		}

		t.Run("approval carries the figures to the task and target", func(t *testing.T) {
			task, err := w.tasks.FindTaskByID(as(w.leader), w.task.ID)
			must(t, err)
			target, err := w.targets.FindTargetByID(as(w.leader), w.target.ID)
			must(t, err)
			if task.Progress != 60 || target.Current == nil || *target.Current != 45 {
				t.Fatalf("task progress %d, target current %v; want 60, 45", task.Progress, target.Current)
			}
			es, err := w.audit.FindAudit(as(w.leader), "task", w.task.ID)
			must(t, err)
			if es[0].Field != "progress" || es[0].Old != "0" || es[0].New != "60" || es[0].Reason != "BC-CDS 2025-07" ||
				es[0].UserID != w.dtoReviewer.ID {
				t.Fatalf("task audit = %+v", es[0])
			}
		})

		t.Run("completeness", func(t *testing.T) {
			cm, err := w.reports.Completeness(as(w.leader), w.rg.ID, july)
			must(t, err)
			if cm.Submitted.Percent() != 100 || cm.Approved.Percent() != 100 || cm.Timely.Done != 3 ||
				cm.Counts[dxtrack.Late] != 1 || cm.Counts[dxtrack.OnTime] != 3 || !cm.Deadline.Equal(date("2025-07-21")) {
				t.Fatalf("completeness = %+v", cm)
			}
			if len(cm.NotReported()) != 0 || cm.Units[0].Unit.ID != w.communeC.ID {
				t.Fatalf("completeness lines = %+v, want the late Cô Tô first", cm.Units)
			}
			if got := cm.Units[0].Officers; !slices.Equal(got, []string{"Cán bộ reporter.c"}) {
				t.Fatalf("officers of Cô Tô = %v", got)
			}
		})

		t.Run("consolidated", func(t *testing.T) {
			cs, err := w.reports.Consolidated(as(w.leader), w.rg.ID, july)
			must(t, err)
			if len(cs.Rows) != 4 || len(cs.Indicators) != 3 || cs.Indicators[0].ID != w.total.ID {
				t.Fatalf("consolidated = %+v", cs)
			}
			if *cs.Totals[0] != 210 || *cs.Totals[1] != 128 || cs.Status[dxtrack.ReportApproved] != 4 {
				t.Fatalf("totals = %v %v, status %v; want 210, 128, 4 approved", *cs.Totals[0], *cs.Totals[1], cs.Status)
			}
		})

		t.Run("audit trail", func(t *testing.T) {
			got := w.auditSteps(t, b.ID)
			want := []string{
				"created:>2025-07",
				"value.HS-TONG:>50", "value.HS-TT:>10", "value.TL-SO:>20", "section.TH:>Triển khai đúng kế hoạch.",
				"status:draft>submitted",
				"status:submitted>returned|Tỷ lệ số hoá chưa khớp",
				"value.TL-SO:20>25",
				"status:returned>submitted|Đã sửa",
				"status:submitted>submitted", "level:0>1",
				"status:submitted>approved", "level:1>2",
			}
			if !slices.Equal(got, want) {
				t.Fatalf("audit of the returned report:\n got %q\nwant %q", got, want)
			}
		})

		t.Run("unlock needs an admin over the final level and a reason", func(t *testing.T) {
			_, err := w.reports.Act(as(w.dtoReviewer), a.ID, dxtrack.ActionUnlock, "Sửa số liệu tổng")
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.reports.Act(as(w.adminPT), a.ID, dxtrack.ActionUnlock, "Sửa số liệu tổng")
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.reports.Act(as(w.admin), a.ID, dxtrack.ActionUnlock, "sai")
			wantField(t, err, "comment", "error.reason_required")
			u := w.act(t, w.admin, a, dxtrack.ActionUnlock, "Sửa số liệu tổng")
			if u.Status != dxtrack.ReportReturned || u.Comment != "Sửa số liệu tổng" || !u.ApprovedAt.IsZero() {
				t.Fatalf("unlocked = %+v", u)
			}
			steps := w.auditSteps(t, a.ID)
			if last := steps[len(steps)-2]; last != "status:approved>returned|Sửa số liệu tổng" {
				t.Fatalf("unlock audit = %q", last)
			}
			// With SkipLevels the province approves at once.
			u = w.act(t, w.reporterA, u, dxtrack.ActionSubmit, "")
			_, err = w.reports.Act(as(w.reviewer), u.ID, dxtrack.ActionApprove, "")
			wantCode(t, err, dxtrack.ECONFLICT)
			rg, err := w.regimes.FindRegimeByID(as(w.admin), w.rg.ID)
			must(t, err)
			rg.SkipLevels = true
			must(t, w.regimes.UpdateRegime(as(w.admin), rg))
			u = w.act(t, w.reviewer, u, dxtrack.ActionApprove, "")
			if u.Status != dxtrack.ReportApproved {
				t.Fatalf("approved with skip levels = %+v", u)
			}
		})

		t.Run("find reports", func(t *testing.T) {
			all, err := w.reports.FindReports(as(w.leader), dxtrack.ReportFilter{RegimeID: w.rg.ID, Period: &july})
			must(t, err)
			if len(all) != 4 || all[0].UnitID != w.communeC.ID || len(all[0].Values) != 3 {
				t.Fatalf("leader finds %d reports (first %+v), want 4 with values, Cô Tô first", len(all), all[0])
			}
			mine, err := w.reports.FindReports(as(w.reporterB), dxtrack.ReportFilter{})
			must(t, err)
			if len(mine) != 1 || mine[0].ID != b.ID {
				t.Fatalf("reporter B finds %v, want only its report", mine)
			}
			none, err := w.reports.FindReports(as(w.adminPT), dxtrack.ReportFilter{Status: dxtrack.ReportApproved})
			must(t, err)
			if len(none) != 0 {
				t.Fatalf("Phú Thọ's admin finds %d reports of Quảng Ninh", len(none))
			}
		})

		t.Run("next period is prefilled and checked against history", func(t *testing.T) {
			w.setNow("2025-08-16T09:00:00Z")
			aug := july.Next()
			r := w.open(t, w.reporterA, w.communeA, aug)
			if !r.Values[0].Prefilled || value(r, w.total.ID) != "120" || *r.Tasks[0].Progress != 60 || *r.Targets[0].Current != 45 {
				t.Fatalf("August draft = %+v, want July's values prefilled and the task at 60", r)
			}
			r.Values[0].Value = ptr(500.0)
			r, issues, err := w.reports.SaveReport(as(w.reporterA), r)
			must(t, err)
			if r.Values[0].Prefilled || !r.Values[1].Prefilled {
				t.Fatalf("prefilled flags after changing the total: %+v", r.Values)
			}
			if len(issues) != 1 || issues[0].Field != "value.HS-TONG" || issues[0].MsgID != "warn.outlier_jump" || issues[0].Blocking {
				t.Fatalf("issues = %+v, want a warning on the jump from 120 to 500", issues)
			}
			f, err := w.reports.Form(as(w.reporterA), r.ID)
			must(t, err)
			if len(f.Indicators) != 3 || f.Indicators[2].ID != w.share.ID || len(f.Tasks) != 1 || len(f.Targets) != 1 ||
				f.Unit.ID != w.communeA.ID || f.Previous[w.total.ID] == nil || *f.Previous[w.total.ID] != 120 ||
				!f.Deadline.Equal(date("2025-08-21")) {
				t.Fatalf("form = %+v", f)
			}
			_, err = w.reports.Form(as(w.reporterB), r.ID)
			wantCode(t, err, dxtrack.EFORBIDDEN)
		})
	})
}

// TestReportConcurrency opens one report from many requests at once and
// saves it from two "tabs" holding the same version: one report is made,
// and exactly one save wins.
func TestReportConcurrency(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedReporting(t, db)
		const n = 8
		ids := make(chan int64, n)
		errs := make(chan error, 2*n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				r, err := w.reports.OpenReport(as(w.reporterA), w.rg.ID, w.communeA.ID, july)
				if err != nil {
					errs <- err
					return
				}
				ids <- r.ID
			})
		}
		wg.Wait()
		close(ids)
		var first int64
		for id := range ids {
			if first == 0 {
				first = id
			} else if id != first {
				t.Fatalf("concurrent opens returned reports %d and %d", first, id)
			}
		}
		if len(errs) > 0 {
			t.Fatal(<-errs)
		}
		if got := w.count(t, "reports"); got != 1 {
			t.Fatalf("reports after %d concurrent opens = %d", n, got)
		}

		r, err := w.reports.FindReportByID(as(w.reporterA), first)
		must(t, err)
		var won, stale atomic.Int32
		for i := range 2 {
			tab := *r
			tab.Values = []dxtrack.ReportValue{{IndicatorID: w.total.ID, Value: ptr(float64(100 + i))}}
			wg.Go(func() {
				_, _, err := w.reports.SaveReport(as(w.reporterA), &tab)
				switch dxtrack.ErrorCode(err) {
				case "":
					won.Add(1)
				case dxtrack.ECONFLICT:
					stale.Add(1)
				default:
					errs <- err
				}
			})
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatal(<-errs)
		}
		if won.Load() != 1 || stale.Load() != 1 {
			t.Fatalf("two saves of version %d: %d won, %d stale; want 1 and 1", r.Version, won.Load(), stale.Load())
		}
	})
}

// TestReportEntries checks what a save may carry: only the unit's own
// tasks and targets, the regime's sections, progress within 0–100; and
// that an admin over the unit may save for it.
func TestReportEntries(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedReporting(t, db)
		r := w.open(t, w.reporterA, w.communeA, july)
		other := w.newTask(w.doc, "NV9", w.communeB.ID)
		must(t, w.tasks.CreateTask(as(w.admin), other))
		for _, tt := range []struct {
			name, field, msg string
			edit             func(r *dxtrack.Report)
		}{
			{"another unit's task", "task." + strconv.FormatInt(other.ID, 10), "error.not_in_report",
				func(r *dxtrack.Report) { r.Tasks = append(r.Tasks, dxtrack.TaskEntry{TaskID: other.ID}) }},
			{"progress above 100", "task." + strconv.FormatInt(w.task.ID, 10) + ".progress", "error.percent_range",
				func(r *dxtrack.Report) { r.Tasks[0].Progress = ptr(101) }},
			{"unknown section", "section.XX", "error.unknown_value",
				func(r *dxtrack.Report) { r.Sections = map[string]string{"XX": "?"} }},
			{"indicator outside the form", "values", "error.unknown_indicator",
				func(r *dxtrack.Report) { r.Values = append(r.Values, dxtrack.ReportValue{IndicatorID: 999}) }},
		} {
			t.Run(tt.name, func(t *testing.T) {
				bad := *r
				bad.Tasks = slices.Clone(r.Tasks)
				bad.Values = slices.Clone(r.Values)
				tt.edit(&bad)
				_, _, err := w.reports.SaveReport(as(w.reporterA), &bad)
				wantField(t, err, tt.field, tt.msg)
			})
		}
		r.Tasks = nil
		r.Sections = map[string]string{"KN": "Đề nghị hỗ trợ kinh phí"}
		saved, _, err := w.reports.SaveReport(as(w.admin), r)
		must(t, err)
		if len(saved.Tasks) != 0 || saved.Sections["KN"] == "" || saved.UpdatedBy != w.admin.ID || saved.Version != 2 {
			t.Fatalf("saved by the admin = %+v", saved)
		}
		steps := w.auditSteps(t, r.ID)
		if got := steps[len(steps)-2:]; got[0] != "task."+strconv.FormatInt(w.task.ID, 10)+":0>" || got[1] != "section.KN:>Đề nghị hỗ trợ kinh phí" {
			t.Fatalf("audit of dropping the task entry = %q", got)
		}
		// Saving the same content again changes nothing, not even the version.
		again, _, err := w.reports.SaveReport(as(w.reporterA), saved)
		must(t, err)
		if again.Version != saved.Version {
			t.Fatalf("an unchanged save moved the version from %d to %d", saved.Version, again.Version)
		}
	})
}
