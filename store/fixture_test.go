package store_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

// world is a small province with users of every role, built by seed.
type world struct {
	db *store.DB

	units      dxtrack.UnitService
	documents  dxtrack.DocumentService
	categories dxtrack.CategoryService
	targets    dxtrack.TargetService
	tasks      dxtrack.TaskService
	users      dxtrack.UserService
	audit      dxtrack.AuditService
	overview   dxtrack.OverviewService

	// Quảng Ninh (22) with a department and two communes; Phú Thọ (25)
	// with one commune.
	qn, dept, communeA, communeB, pt, communePT *dxtrack.Unit

	admin, adminPT, leader, reviewer, reporterA, reporterB *dxtrack.User

	pillar, foundation, sector *dxtrack.Category
}

func services(db *store.DB) *world {
	return &world{
		db:         db,
		units:      store.NewUnitService(db),
		documents:  store.NewDocumentService(db),
		categories: store.NewCategoryService(db),
		targets:    store.NewTargetService(db),
		tasks:      store.NewTaskService(db),
		users:      store.NewUserService(db),
		audit:      store.NewAuditService(db),
		overview:   store.NewOverviewService(db),
	}
}

func seed(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := services(db)
	w.qn = w.mustUnit(t, "22", "Quảng Ninh", dxtrack.UnitProvince, 0)
	w.dept = w.mustUnit(t, "QN-KHCN", "Sở Khoa học và Công nghệ", dxtrack.UnitDepartment, w.qn.ID)
	w.communeA = w.mustUnit(t, "06994", "Vân Đồn", dxtrack.UnitSpecialZone, w.qn.ID)
	w.communeB = w.mustUnit(t, "07030", "Hoành Bồ", dxtrack.UnitWard, w.qn.ID)
	w.pt = w.mustUnit(t, "25", "Phú Thọ", dxtrack.UnitProvince, 0)
	w.communePT = w.mustUnit(t, "04978", "Kim Bôi", dxtrack.UnitCommune, w.pt.ID)

	w.admin = w.mustUser(t, "admin.qn", dxtrack.RoleAdmin, w.qn.ID)
	w.adminPT = w.mustUser(t, "admin.pt", dxtrack.RoleAdmin, w.pt.ID)
	w.leader = w.mustUser(t, "leader.qn", dxtrack.RoleLeader, w.qn.ID)
	w.reviewer = w.mustUser(t, "reviewer.qn", dxtrack.RoleReviewer, w.qn.ID)
	w.reporterA = w.mustUser(t, "reporter.a", dxtrack.RoleReporter, w.communeA.ID)
	w.reporterB = w.mustUser(t, "reporter.b", dxtrack.RoleReporter, w.communeB.ID)

	cat := func(kind dxtrack.CategoryKind) *dxtrack.Category {
		cats, err := w.categories.FindCategories(sys, kind)
		must(t, err)
		return cats[0]
	}
	w.pillar, w.foundation, w.sector = cat(dxtrack.CategoryPillar), cat(dxtrack.CategoryFoundation), cat(dxtrack.CategorySector)
	return w
}

func (w *world) mustUnit(t *testing.T, code, name string, typ dxtrack.UnitType, parent int64) *dxtrack.Unit {
	t.Helper()
	u := &dxtrack.Unit{Code: code, NameVI: name, Type: typ, ParentID: parent, ValidFrom: date("2025-07-01")}
	must(t, w.units.CreateUnit(sys, u))
	return u
}

const testPassword = "mật khẩu dài"

func (w *world) mustUser(t *testing.T, username string, role dxtrack.Role, unit int64) *dxtrack.User {
	t.Helper()
	u := &dxtrack.User{Username: username, Name: "Cán bộ " + username, Role: role, UnitID: unit}
	must(t, w.users.CreateUser(sys, u, testPassword))
	return u
}

// mustDocument creates a plan of Quảng Ninh issued on 1 March 2022.
func (w *world) mustDocument(t *testing.T, number string, parent int64) *dxtrack.Document {
	t.Helper()
	d := &dxtrack.Document{Kind: dxtrack.DocPlan, Number: number, TitleVI: "Kế hoạch chuyển đổi số " + number,
		Issuer: "UBND tỉnh Quảng Ninh", IssuedOn: date("2022-03-01"), SpanFrom: 2022, SpanTo: 2022,
		ParentID: parent, OwnerUnitID: w.qn.ID}
	must(t, w.documents.CreateDocument(as(w.admin), d))
	return d
}

func (w *world) newTask(doc *dxtrack.Document, code string, lead int64) *dxtrack.Task {
	return &dxtrack.Task{DocumentID: doc.ID, Code: code, NameVI: "Nhiệm vụ " + code, LeadUnitID: lead,
		StartOn: date("2022-03-01"), Deadline: date("2022-12-31"), BudgetVND: 1_000_000_000}
}

func (w *world) newTarget(doc *dxtrack.Document, code string, lead int64) *dxtrack.Target {
	return &dxtrack.Target{DocumentID: doc.ID, Code: code, NameVI: "Chỉ tiêu " + code, Kind: dxtrack.TargetQuantitative,
		Measure: "%", Value: ptr(100.0), Direction: dxtrack.DirectionUp, StartOn: date("2022-03-01"),
		Deadline: date("2022-12-31"), LeadUnitID: lead, PillarID: w.pillar.ID}
}

// count returns the rows of a table, to show that a refused write left
// nothing behind.
func (w *world) count(t *testing.T, table string) int {
	t.Helper()
	n, err := store.CountRows(w.db, table)
	must(t, err)
	return n
}
