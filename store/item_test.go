package store_test

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestDocuments(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		nq := &dxtrack.Document{Kind: dxtrack.DocResolution, Number: "09-NQ/TU", TitleVI: "Nghị quyết về chuyển đổi số toàn diện",
			Issuer: "Tỉnh ủy Quảng Ninh", IssuedOn: date("2022-02-05"), SpanFrom: 2022, SpanTo: 2025, VisionYear: 2030, OwnerUnitID: w.qn.ID}
		must(t, w.documents.CreateDocument(as(w.admin), nq))
		kh := w.mustDocument(t, "59/KH-UBND", nq.ID)

		got, err := w.documents.FindDocumentByID(as(w.reporterA), nq.ID)
		must(t, err)
		if got.Number != "09-NQ/TU" || got.IssuedOn != date("2022-02-05") || got.VisionYear != 2030 || got.UpdatedAt.IsZero() {
			t.Errorf("read back: %+v", got)
		}
		children, n, err := w.documents.FindDocuments(as(w.leader), dxtrack.DocumentFilter{ParentID: &nq.ID})
		must(t, err)
		if n != 1 || children[0].ID != kh.ID {
			t.Errorf("children of the resolution: %d", n)
		}
		found, _, err := w.documents.FindDocuments(as(w.leader), dxtrack.DocumentFilter{Query: "nghi quyet chuyen doi"})
		must(t, err)
		if len(found) != 1 || found[0].ID != nq.ID {
			t.Errorf("search found %d documents", len(found))
		}

		before := w.count(t, "documents")
		for _, c := range []struct {
			name  string
			edit  func(d *dxtrack.Document)
			field string
			msgID string
		}{
			{"duplicate number", func(d *dxtrack.Document) { d.Number = "59/KH-UBND" }, "number", "error.duplicate_code"},
			{"unknown owner", func(d *dxtrack.Document) { d.OwnerUnitID = 987654 }, "owner_unit_id", "error.unknown_unit"},
			{"unknown parent", func(d *dxtrack.Document) { d.ParentID = 987654 }, "parent_id", "error.unknown_document"},
			{"span", func(d *dxtrack.Document) { d.SpanTo = 2020 }, "span_to", "error.span"},
		} {
			t.Run(c.name, func(t *testing.T) {
				d := *kh
				d.ID = 0
				c.edit(&d)
				wantField(t, w.documents.CreateDocument(as(w.admin), &d), c.field, c.msgID)
			})
		}
		if after := w.count(t, "documents"); after != before {
			t.Errorf("documents %d → %d after refused creates", before, after)
		}
		// A cycle through the parent link is refused.
		nq.ParentID = kh.ID
		wantField(t, w.documents.UpdateDocument(as(w.admin), nq), "parent_id", "error.self_parent")
		nq.ParentID = 0

		wantCode(t, w.documents.CreateDocument(as(w.adminPT), &dxtrack.Document{Kind: dxtrack.DocPlan, Number: "1", TitleVI: "x",
			IssuedOn: date("2022-01-01"), SpanFrom: 2022, SpanTo: 2022, OwnerUnitID: w.qn.ID}), dxtrack.EFORBIDDEN)
		wantCode(t, w.documents.CreateDocument(as(w.leader), &dxtrack.Document{}), dxtrack.EFORBIDDEN)

		kh.TitleVI = "Kế hoạch 59 năm 2022"
		must(t, w.documents.UpdateDocument(as(w.admin), kh))
		entries, err := w.audit.FindAudit(as(w.leader), "document", kh.ID)
		must(t, err)
		if len(entries) != 2 || entries[0].Field != "title_vi" || entries[0].New != "Kế hoạch 59 năm 2022" || entries[1].Field != "created" {
			t.Errorf("document audit: %s", describe(entries))
		}

		// In use while it has a child document or items.
		wantCode(t, w.documents.DeleteDocument(as(w.admin), nq.ID), dxtrack.ECONFLICT)
		task := w.newTask(kh, "NV1", w.communeA.ID)
		must(t, w.tasks.CreateTask(as(w.admin), task))
		wantCode(t, w.documents.DeleteDocument(as(w.admin), kh.ID), dxtrack.ECONFLICT)
		must(t, w.tasks.DeleteTask(as(w.admin), task.ID))
		must(t, w.documents.DeleteDocument(as(w.admin), kh.ID))
		must(t, w.documents.DeleteDocument(as(w.admin), nq.ID))
		_, err = w.documents.FindDocumentByID(as(w.admin), nq.ID)
		wantCode(t, err, dxtrack.ENOTFOUND)
	})
}

func TestCategories(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		c := &dxtrack.Category{Kind: dxtrack.CategorySector, Code: "KHCN", NameVI: "Khoa học và công nghệ", Sort: 10}
		wantCode(t, w.categories.CreateCategory(as(w.reviewer), c), dxtrack.EFORBIDDEN)
		must(t, w.categories.CreateCategory(as(w.admin), c))
		dup := &dxtrack.Category{Kind: dxtrack.CategoryPillar, Code: "CQS", NameVI: "Trùng"}
		wantField(t, w.categories.CreateCategory(as(w.admin), dup), "code", "error.duplicate_code")
		sectors, err := w.categories.FindCategories(as(w.leader), dxtrack.CategorySector)
		must(t, err)
		if len(sectors) != 10 || sectors[9].Code != "KHCN" {
			t.Errorf("sectors: %s", describe(sectors))
		}
		doc := w.mustDocument(t, "1/KH", 0)
		target := w.newTarget(doc, "MT1", w.dept.ID)
		target.SectorID = c.ID
		must(t, w.targets.CreateTarget(as(w.admin), target))
		wantCode(t, w.categories.DeleteCategory(as(w.admin), c.ID), dxtrack.ECONFLICT)
		must(t, w.targets.DeleteTarget(as(w.admin), target.ID))
		must(t, w.categories.DeleteCategory(as(w.admin), c.ID))
	})
}

func TestTargetsAndTasks(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		doc := w.mustDocument(t, "59/KH-UBND", 0)
		var targets []*dxtrack.Target
		for _, code := range []string{"MT10", "MT2", "MT1"} {
			tg := w.newTarget(doc, code, w.dept.ID)
			must(t, w.targets.CreateTarget(as(w.admin), tg))
			targets = append(targets, tg)
		}
		list, total, err := w.targets.FindTargets(as(w.leader), dxtrack.TargetFilter{DocumentID: doc.ID})
		must(t, err)
		var order []string
		for _, tg := range list {
			order = append(order, tg.Code)
		}
		if want := []string{"MT1", "MT2", "MT10"}; !slices.Equal(order, want) || total != 3 {
			t.Errorf("target order = %v, want %v", order, want)
		}
		got, err := w.targets.FindTargetByID(as(w.leader), targets[0].ID)
		must(t, err)
		if *got.Value != 100 || got.Baseline != nil || got.Current != nil || got.PillarID != w.pillar.ID || got.Deadline != date("2022-12-31") {
			t.Errorf("target read back: %+v", got)
		}

		task := w.newTask(doc, "NV1", w.communeA.ID)
		task.CoUnitIDs = []int64{w.dept.ID, w.communeB.ID, w.dept.ID}
		task.TargetIDs = []int64{targets[1].ID, targets[0].ID}
		task.Group = "Chính quyền số"
		must(t, w.tasks.CreateTask(as(w.admin), task))
		gotTask, err := w.tasks.FindTaskByID(as(w.leader), task.ID)
		must(t, err)
		if !slices.Equal(gotTask.CoUnitIDs, []int64{w.dept.ID, w.communeB.ID}) ||
			!slices.Equal(gotTask.TargetIDs, []int64{targets[0].ID, targets[1].ID}) || gotTask.BudgetVND != 1_000_000_000 {
			t.Errorf("task read back: %+v", gotTask)
		}
		for _, f := range []dxtrack.TaskFilter{
			{UnitID: w.communeB.ID}, {UnitID: w.communeA.ID}, {TargetID: targets[1].ID}, {Group: "Chính quyền số"}, {Query: "nhiem vu nv1"},
		} {
			found, n, err := w.tasks.FindTasks(as(w.leader), f)
			must(t, err)
			if n != 1 || found[0].ID != task.ID {
				t.Errorf("filter %+v found %d tasks", f, n)
			}
		}
		if _, n, _ := w.tasks.FindTasks(as(w.leader), dxtrack.TaskFilter{UnitID: w.communePT.ID}); n != 0 {
			t.Errorf("a unit with no part in the task finds it")
		}

		// A full edit by the admin, audited field by field.
		task.Deadline = date("2023-06-30")
		task.CoUnitIDs = []int64{w.dept.ID}
		must(t, w.tasks.UpdateTask(as(w.admin), task))
		entries, err := w.audit.FindAudit(as(w.reporterA), "task", task.ID)
		must(t, err)
		var fields []string
		for _, e := range entries {
			fields = append(fields, e.Field+":"+e.Old+"→"+e.New)
		}
		want := []string{
			fmt.Sprintf("co_unit_ids:%d,%d→%d", w.dept.ID, w.communeB.ID, w.dept.ID),
			"deadline:2022-12-31→2023-06-30",
			"created:→NV1",
		}
		slices.Sort(fields[:2])
		slices.Sort(want[:2])
		if !slices.Equal(fields, want) {
			t.Errorf("task audit = %v, want %v", fields, want)
		}

		// Deleting a target drops its links.
		must(t, w.targets.DeleteTarget(as(w.admin), targets[0].ID))
		gotTask, err = w.tasks.FindTaskByID(as(w.leader), task.ID)
		must(t, err)
		if !slices.Equal(gotTask.TargetIDs, []int64{targets[1].ID}) {
			t.Errorf("links after deleting a target: %v", gotTask.TargetIDs)
		}
	})
}

func TestBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		doc := w.mustDocument(t, "59/KH-UBND", 0)
		existingTarget := w.newTarget(doc, "MT1", w.dept.ID)
		must(t, w.targets.CreateTarget(as(w.admin), existingTarget))
		existingTask := w.newTask(doc, "NV1", w.communeA.ID)
		must(t, w.tasks.CreateTask(as(w.admin), existingTask))

		other := w.newTask(doc, "NV9", w.communeB.ID)
		must(t, w.tasks.CreateTask(as(w.admin), other))

		tables := []string{"targets", "tasks", "task_units", "task_targets", "audit"}
		counts := func() []int {
			var n []int
			for _, table := range tables {
				n = append(n, w.count(t, table))
			}
			return n
		}
		before := counts()

		taskCases := []struct {
			name  string
			edit  func(task *dxtrack.Task)
			field string
			msgID string
		}{
			{"unknown lead unit", func(x *dxtrack.Task) { x.LeadUnitID = 777777 }, "lead_unit", "error.unknown_unit"},
			{"unknown co-unit", func(x *dxtrack.Task) { x.CoUnitIDs = []int64{w.dept.ID, 777777} }, "co_units", "error.unknown_unit"},
			{"co-unit is lead", func(x *dxtrack.Task) { x.CoUnitIDs = []int64{x.LeadUnitID} }, "co_units", "error.co_unit_is_lead"},
			{"deadline before the document", func(x *dxtrack.Task) { x.StartOn = time.Time{}; x.Deadline = date("2022-02-28") }, "deadline", "error.deadline_before_document"},
			{"negative budget", func(x *dxtrack.Task) { x.BudgetVND = -1 }, "budget_vnd", "error.negative"},
			{"progress over 100", func(x *dxtrack.Task) { x.Progress = 101 }, "progress", "error.percent_range"},
			{"progress below 0", func(x *dxtrack.Task) { x.Progress = -5 }, "progress", "error.percent_range"},
			{"duplicate code", func(x *dxtrack.Task) { x.Code = "NV1" }, "code", "error.duplicate_code"},
			{"bad code", func(x *dxtrack.Task) { x.Code = "nv 1!" }, "code", "error.code_format"},
			{"unknown document", func(x *dxtrack.Task) { x.DocumentID = 777777 }, "document", "error.unknown_document"},
			{"unknown target", func(x *dxtrack.Task) { x.TargetIDs = []int64{777777} }, "targets", "error.unknown_target"},
			{"unknown pillar", func(x *dxtrack.Task) { x.PillarID = 777777 }, "pillar", "error.unknown_category"},
			{"sector as pillar", func(x *dxtrack.Task) { x.PillarID = w.sector.ID }, "pillar", "error.unknown_category"},
			{"pillar as sector", func(x *dxtrack.Task) { x.SectorID = w.pillar.ID }, "sector", "error.unknown_category"},
		}
		for _, c := range taskCases {
			t.Run("task "+c.name, func(t *testing.T) {
				x := w.newTask(doc, "NV2", w.communeB.ID)
				c.edit(x)
				wantField(t, w.tasks.CreateTask(as(w.admin), x), c.field, c.msgID)
				// The same mistake in an edit of the existing task.
				if c.name != "unknown document" {
					y := *existingTask
					y.Code = "NV1"
					if c.name == "duplicate code" {
						y.Code = other.Code
					} else {
						c.edit(&y)
					}
					wantField(t, w.tasks.UpdateTask(as(w.admin), &y), c.field, c.msgID)
				}
			})
		}
		// Several mistakes are reported together.
		x := w.newTask(doc, "NV1", 777777)
		x.BudgetVND, x.Progress = -1, 150
		err := w.tasks.CreateTask(as(w.admin), x)
		for _, field := range []string{"code", "lead_unit", "budget_vnd", "progress"} {
			wantField(t, err, field, map[string]string{"code": "error.duplicate_code", "lead_unit": "error.unknown_unit",
				"budget_vnd": "error.negative", "progress": "error.percent_range"}[field])
		}

		targetCases := []struct {
			name  string
			edit  func(tg *dxtrack.Target)
			field string
			msgID string
		}{
			{"value missing", func(x *dxtrack.Target) { x.Value = nil }, "value", "error.required"},
			{"value not a number", func(x *dxtrack.Target) { x.Value = ptr(math.NaN()) }, "value", "error.number"},
			{"unknown lead unit", func(x *dxtrack.Target) { x.LeadUnitID = 777777 }, "lead_unit", "error.unknown_unit"},
			{"deadline before the document", func(x *dxtrack.Target) { x.StartOn = time.Time{}; x.Deadline = date("2021-12-31") }, "deadline", "error.deadline_before_document"},
			{"duplicate code", func(x *dxtrack.Target) { x.Code = "MT1" }, "code", "error.duplicate_code"},
			{"bad direction", func(x *dxtrack.Target) { x.Direction = "sideways" }, "direction", "error.unknown_value"},
			{"unknown sector", func(x *dxtrack.Target) { x.SectorID = 777777 }, "sector", "error.unknown_category"},
		}
		for _, c := range targetCases {
			t.Run("target "+c.name, func(t *testing.T) {
				x := w.newTarget(doc, "MT2", w.dept.ID)
				c.edit(x)
				wantField(t, w.targets.CreateTarget(as(w.admin), x), c.field, c.msgID)
			})
		}
		_, err = w.tasks.ReportTask(as(w.reporterA), existingTask.ID, dxtrack.TaskUpdate{Progress: ptr(120)})
		wantField(t, err, "progress", "error.percent_range")
		_, err = w.targets.ReportTarget(as(w.admin), existingTarget.ID, dxtrack.TargetUpdate{Current: ptr(math.Inf(1))})
		wantField(t, err, "current", "error.number")

		if after := counts(); !slices.Equal(after, before) {
			t.Errorf("rows of %v: %v before, %v after refused writes", tables, before, after)
		}
		unchanged, err := w.tasks.FindTaskByID(sys, existingTask.ID)
		must(t, err)
		if unchanged.Progress != 0 || unchanged.BudgetVND != existingTask.BudgetVND || unchanged.Deadline != existingTask.Deadline {
			t.Errorf("refused edits changed the task: %+v", unchanged)
		}
	})
}
