package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestPermissions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		doc := w.mustDocument(t, "59/KH-UBND", 0)
		taskA := w.newTask(doc, "NV-A", w.communeA.ID)
		taskB := w.newTask(doc, "NV-B", w.communeB.ID)
		must(t, w.tasks.CreateTask(as(w.admin), taskA))
		must(t, w.tasks.CreateTask(as(w.admin), taskB))
		targetA := w.newTarget(doc, "MT-A", w.communeA.ID)
		must(t, w.targets.CreateTarget(as(w.admin), targetA))

		t.Run("reading needs a user", func(t *testing.T) {
			ctx := context.Background()
			_, err := w.tasks.FindTaskByID(ctx, taskA.ID)
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			_, _, err = w.targets.FindTargets(ctx, dxtrack.TargetFilter{})
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			_, err = w.overview.Overview(ctx, dxtrack.OverviewFilter{})
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			_, err = w.audit.FindAudit(ctx, "task", taskA.ID)
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			_, err = w.tasks.ReportTask(ctx, taskA.ID, dxtrack.TaskUpdate{Progress: ptr(10)})
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			// Any signed-in user reads everything, another province too.
			_, err = w.tasks.FindTaskByID(as(w.adminPT), taskA.ID)
			must(t, err)
		})

		t.Run("reporter reports only its own unit", func(t *testing.T) {
			_, err := w.tasks.ReportTask(as(w.reporterA), taskB.ID, dxtrack.TaskUpdate{Progress: ptr(50)})
			wantCode(t, err, dxtrack.EFORBIDDEN)
			got, err := w.tasks.ReportTask(as(w.reporterA), taskA.ID, dxtrack.TaskUpdate{Progress: ptr(40), Note: ptr("Đã triển khai")})
			must(t, err)
			if got.Progress != 40 || got.Note != "Đã triển khai" {
				t.Errorf("reported task: %+v", got)
			}
			stored, err := w.tasks.FindTaskByID(as(w.reporterB), taskB.ID)
			must(t, err)
			if stored.Progress != 0 {
				t.Errorf("refused report changed task B to %d%%", stored.Progress)
			}
			_, err = w.targets.ReportTarget(as(w.reporterB), targetA.ID, dxtrack.TargetUpdate{Current: ptr(50.0)})
			wantCode(t, err, dxtrack.EFORBIDDEN)
			tg, err := w.targets.ReportTarget(as(w.reporterA), targetA.ID, dxtrack.TargetUpdate{Current: ptr(62.5)})
			must(t, err)
			if tg.Current == nil || *tg.Current != 62.5 {
				t.Errorf("reported target: %+v", tg)
			}
			// Nor may a reporter create, edit fully or delete.
			wantCode(t, w.tasks.CreateTask(as(w.reporterA), w.newTask(doc, "NV-X", w.communeA.ID)), dxtrack.EFORBIDDEN)
			edit := *taskA
			edit.BudgetVND = 5
			wantCode(t, w.tasks.UpdateTask(as(w.reporterA), &edit), dxtrack.EFORBIDDEN)
			wantCode(t, w.tasks.DeleteTask(as(w.reporterA), taskA.ID), dxtrack.EFORBIDDEN)
			wantCode(t, w.targets.DeleteTarget(as(w.reporterA), targetA.ID), dxtrack.EFORBIDDEN)
			_, err = w.tasks.SetTaskOverride(as(w.reporterA), taskA.ID, &dxtrack.Override{Status: dxtrack.StatusCompleted, Reason: "Tự đánh giá"})
			wantCode(t, err, dxtrack.EFORBIDDEN)
		})

		t.Run("leader cannot write", func(t *testing.T) {
			_, err := w.tasks.ReportTask(as(w.leader), taskA.ID, dxtrack.TaskUpdate{Progress: ptr(90)})
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.targets.SetTargetOverride(as(w.leader), targetA.ID, &dxtrack.Override{Status: dxtrack.StatusAtRisk, Reason: "Chậm tiến độ"})
			wantCode(t, err, dxtrack.EFORBIDDEN)
			wantCode(t, w.targets.CreateTarget(as(w.leader), w.newTarget(doc, "MT-X", w.dept.ID)), dxtrack.EFORBIDDEN)
			wantCode(t, w.documents.DeleteDocument(as(w.leader), doc.ID), dxtrack.EFORBIDDEN)
		})

		t.Run("admin stays in scope", func(t *testing.T) {
			wantCode(t, w.tasks.CreateTask(as(w.adminPT), w.newTask(doc, "NV-PT", w.communeA.ID)), dxtrack.EFORBIDDEN)
			_, err := w.tasks.ReportTask(as(w.adminPT), taskA.ID, dxtrack.TaskUpdate{Progress: ptr(1)})
			wantCode(t, err, dxtrack.EFORBIDDEN)
			// Moving a task to a lead unit outside the admin's scope.
			edit := *taskA
			edit.LeadUnitID = w.communePT.ID
			wantCode(t, w.tasks.UpdateTask(as(w.admin), &edit), dxtrack.EFORBIDDEN)
			tg := *targetA
			tg.LeadUnitID = w.communePT.ID
			wantCode(t, w.targets.UpdateTarget(as(w.admin), &tg), dxtrack.EFORBIDDEN)
			// The admin over the unit reports too.
			_, err = w.tasks.ReportTask(as(w.admin), taskB.ID, dxtrack.TaskUpdate{Progress: ptr(10)})
			must(t, err)
		})

		t.Run("reviewer overrides with a reason, audited", func(t *testing.T) {
			_, err := w.tasks.SetTaskOverride(as(w.reviewer), taskA.ID, &dxtrack.Override{Status: dxtrack.StatusAtRisk})
			wantField(t, err, "override_reason", "error.reason_required")
			got, err := w.tasks.SetTaskOverride(as(w.reviewer), taskA.ID, &dxtrack.Override{Status: dxtrack.StatusAtRisk, Reason: "Chưa có kinh phí"})
			must(t, err)
			if got.Override == nil || got.Override.By != w.reviewer.ID || got.Override.ByName != w.reviewer.Name || !got.Override.At.Equal(testNow) {
				t.Fatalf("override: %+v", got.Override)
			}
			if s := got.Status(testNow); s != dxtrack.StatusAtRisk {
				t.Errorf("status with override = %s", s)
			}
			stored, err := w.tasks.FindTaskByID(as(w.leader), taskA.ID)
			must(t, err)
			if stored.Override == nil || stored.Override.Reason != "Chưa có kinh phí" {
				t.Errorf("override not kept: %+v", stored.Override)
			}
			cleared, err := w.tasks.SetTaskOverride(as(w.reviewer), taskA.ID, nil)
			must(t, err)
			if cleared.Override != nil {
				t.Errorf("override not cleared")
			}
			entries, err := w.audit.FindAudit(as(w.reporterA), "task", taskA.ID)
			must(t, err)
			type row struct{ field, old, new, reason, user string }
			var got2 []row
			for _, e := range entries {
				got2 = append(got2, row{e.Field, e.Old, e.New, e.Reason, e.UserName})
			}
			want := []row{
				{"override", "at_risk", "", "", w.reviewer.Name},
				{"override", "", "at_risk", "Chưa có kinh phí", w.reviewer.Name},
				{"note", "", "Đã triển khai", "", w.reporterA.Name},
				{"progress", "0", "40", "", w.reporterA.Name},
				{"created", "", "NV-A", "", w.admin.Name},
			}
			// The report's two fields share a transaction; their order is free.
			if len(got2) == len(want) && got2[2].field == "progress" {
				got2[2], got2[3] = got2[3], got2[2]
			}
			if describe(got2) != describe(want) {
				t.Errorf("audit trail, newest first:\n got %v\nwant %v", got2, want)
			}
			if !entries[0].At.Equal(testNow) || entries[0].UserID != w.reviewer.ID {
				t.Errorf("audit entry: %+v", entries[0])
			}
			// Target overrides work the same way.
			_, err = w.targets.SetTargetOverride(as(w.reviewer), targetA.ID, &dxtrack.Override{Status: "bogus", Reason: "Lý do đầy đủ"})
			wantField(t, err, "override_status", "error.unknown_value")
			tg, err := w.targets.SetTargetOverride(as(w.reviewer), targetA.ID, &dxtrack.Override{Status: dxtrack.StatusCompleted, Reason: "Đã nghiệm thu"})
			must(t, err)
			if tg.Status(testNow) != dxtrack.StatusCompleted {
				t.Errorf("target status = %s", tg.Status(testNow))
			}
			tEntries, err := w.audit.FindAudit(as(w.leader), "target", targetA.ID)
			must(t, err)
			if tEntries[0].Field != "override" || tEntries[0].New != "completed" || tEntries[0].Reason != "Đã nghiệm thu" ||
				tEntries[1].Field != "current" || tEntries[1].New != "62.5" {
				t.Errorf("target audit: %s", describe(tEntries))
			}
		})
	})
}

func TestStatusFilterAndOverview(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		nq := w.mustDocument(t, "09-NQ/TU", 0)
		kh := w.mustDocument(t, "59/KH-UBND", nq.ID)
		other := w.mustDocument(t, "99/KH-UBND", 0)
		// Kế hoạch 59 for 2022: 27 targets, 11 completed; 51 tasks, 19
		// completed. Checked on 15 January 2023, after the deadlines.
		db.Now = func() time.Time { return time.Date(2023, 1, 15, 8, 0, 0, 0, time.UTC) }
		for i := 1; i <= 27; i++ {
			tg := w.newTarget(kh, fmt.Sprintf("MT%d", i), w.dept.ID)
			if i <= 11 {
				tg.Current = ptr(100.0)
			} else {
				tg.Current = ptr(50.0)
			}
			if i%2 == 0 {
				tg.PillarID = w.foundation.ID
			}
			must(t, w.targets.CreateTarget(as(w.admin), tg))
		}
		for i := 1; i <= 51; i++ {
			lead := w.communeA.ID
			if i > 30 {
				lead = w.communeB.ID
			}
			task := w.newTask(kh, fmt.Sprintf("NV%d", i), lead)
			if i <= 19 {
				task.Progress = 100
			} else {
				task.Progress = 60
			}
			must(t, w.tasks.CreateTask(as(w.admin), task))
		}
		// A task of another document stays out of the plan's overview.
		must(t, w.tasks.CreateTask(as(w.admin), w.newTask(other, "NV1", w.communeA.ID)))

		o, err := w.overview.Overview(as(w.leader), dxtrack.OverviewFilter{DocumentID: nq.ID})
		must(t, err)
		if len(o.Documents) != 2 || o.Documents[0].Document.ID != nq.ID || o.Documents[1].Document.ID != kh.ID {
			t.Fatalf("documents of the resolution's overview: %s", describe(o.Documents))
		}
		plan := o.Documents[1]
		if plan.Targets != (dxtrack.Completion{Done: 11, Total: 27}) || plan.Tasks != (dxtrack.Completion{Done: 19, Total: 51}) {
			t.Errorf("plan completion: targets %+v, tasks %+v", plan.Targets, plan.Tasks)
		}
		if plan.Targets.Percent() != 40.7 || plan.Tasks.Percent() != 37.3 {
			t.Errorf("rates %.1f%% and %.1f%%", plan.Targets.Percent(), plan.Tasks.Percent())
		}
		if plan.BudgetVND != 51_000_000_000 {
			t.Errorf("budget %d", plan.BudgetVND)
		}
		if len(o.OverdueTasks) != 32 || len(o.OverdueTargets) != 16 || o.TaskStatus[dxtrack.StatusOverdue] != 32 {
			t.Errorf("overdue: %d tasks, %d targets", len(o.OverdueTasks), len(o.OverdueTargets))
		}
		// Odd targets are in the pillar, even ones in the foundation; the
		// tasks have none and gather under ID 0, last.
		if len(o.Pillars) != 3 || o.Pillars[0].ID != w.pillar.ID || o.Pillars[0].Targets != (dxtrack.Completion{Done: 6, Total: 14}) ||
			o.Pillars[1].Targets != (dxtrack.Completion{Done: 5, Total: 13}) || o.Pillars[2].ID != 0 || o.Pillars[2].Tasks.Total != 51 {
			t.Errorf("pillars: %s", describe(o.Pillars))
		}
		byUnit := map[int64]dxtrack.GroupProgress{}
		for _, g := range o.LeadUnits {
			byUnit[g.ID] = g
		}
		if g := byUnit[w.communeA.ID]; g.Tasks != (dxtrack.Completion{Done: 19, Total: 30}) || g.NameVI != "Vân Đồn" {
			t.Errorf("Vân Đồn: %+v", g)
		}
		all, err := w.overview.Overview(as(w.leader), dxtrack.OverviewFilter{})
		must(t, err)
		if len(all.Documents) != 3 || all.TaskStatus.Completion() != (dxtrack.Completion{Done: 19, Total: 52}) {
			t.Errorf("whole overview: %d documents, tasks %+v", len(all.Documents), all.TaskStatus.Completion())
		}
		_, err = w.overview.Overview(as(w.leader), dxtrack.OverviewFilter{DocumentID: 424242})
		wantCode(t, err, dxtrack.ENOTFOUND)

		// Status filters page after filtering.
		done, total, err := w.targets.FindTargets(as(w.leader), dxtrack.TargetFilter{DocumentID: kh.ID, Status: dxtrack.StatusCompleted, Page: dxtrack.Page{Limit: 5, Offset: 10}})
		must(t, err)
		if total != 11 || len(done) != 1 || done[0].Code != "MT11" {
			t.Errorf("completed targets, page 3 of 5: %d of %d", len(done), total)
		}
		late, total, err := w.tasks.FindTasks(as(w.leader), dxtrack.TaskFilter{DocumentID: kh.ID, Status: dxtrack.StatusOverdue})
		must(t, err)
		if total != 32 || late[0].Code != "NV20" {
			t.Errorf("overdue tasks: %d, first %s", total, late[0].Code)
		}
		found, total, err := w.targets.FindTargets(as(w.leader), dxtrack.TargetFilter{Query: "chi tieu mt2", PillarID: w.foundation.ID})
		must(t, err)
		// MT2, MT20, MT22, MT24, MT26: the even ones are the foundation's.
		if total != 5 || found[0].Code != "MT2" || found[1].Code != "MT20" {
			t.Errorf("search in a pillar: %d, first %s", total, found[0].Code)
		}
	})
}
