package demo_test

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/demo"
	"github.com/dxtrack/dxtrack/gso"
	"github.com/dxtrack/dxtrack/store"
)

// now is the fixed clock of the store: after the 2026 update took effect.
var now = time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)

type env struct {
	db       *store.DB
	s        demo.Services
	overview dxtrack.OverviewService
	ctx      context.Context // acting as the system user
}

func openEnv(t *testing.T) *env {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return now }
	return &env{
		db: db,
		s: demo.Services{
			Units:      store.NewUnitService(db),
			Documents:  store.NewDocumentService(db),
			Categories: store.NewCategoryService(db),
			Targets:    store.NewTargetService(db),
			Tasks:      store.NewTaskService(db),
			Users:      store.NewUserService(db),
			Indicators: store.NewIndicatorService(db),
			Regimes:    store.NewRegimeService(db),
			Reports:    store.NewReportService(db),
			Clock:      &db.Now,
		},
		overview: store.NewOverviewService(db),
		ctx:      dxtrack.NewContextWithUser(context.Background(), dxtrack.SystemUser),
	}
}

func mustLoad(t *testing.T, e *env) *demo.Result {
	t.Helper()
	res, err := demo.Load(context.Background(), e.s)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (e *env) unit(t *testing.T, code string) *dxtrack.Unit {
	t.Helper()
	u, err := e.s.Units.FindUnitByCode(e.ctx, code)
	if err != nil {
		t.Fatalf("unit %s: %v", code, err)
	}
	return u
}

func (e *env) countUnits(t *testing.T, f dxtrack.UnitFilter) int {
	t.Helper()
	_, n, err := e.s.Units.FindUnits(e.ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var local = []dxtrack.UnitType{dxtrack.UnitCommune, dxtrack.UnitWard, dxtrack.UnitSpecialZone}

// documentsByNumber returns the overview's document progress by number.
func (e *env) progress(t *testing.T, ctx context.Context) map[string]dxtrack.DocumentProgress {
	t.Helper()
	o, err := e.overview.Overview(ctx, dxtrack.OverviewFilter{})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]dxtrack.DocumentProgress{}
	for _, d := range o.Documents {
		m[d.Document.Number] = d
	}
	return m
}

const plan2023 = "CĐS-2023/KH-UBND"

func TestLoad(t *testing.T) {
	e := openEnv(t)
	res := mustLoad(t, e)

	if res.Units == nil || res.Units.Created != 34+3321 {
		t.Errorf("units import = %+v, want %d created", res.Units, 34+3321)
	}
	if got, want := [4]int{res.Departments, res.Documents, res.Targets, res.Tasks}, [4]int{20, 4, 20 + 27 + 44 + 7, 51 + 30}; got != want {
		t.Errorf("departments, documents, targets, tasks = %v, want %v", got, want)
	}

	// The overview a leader sees: the figures of the sources.
	leader, err := e.s.Users.Authenticate(e.ctx, "leader", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	lctx := dxtrack.NewContextWithUser(context.Background(), leader)
	p := e.progress(t, lctx)
	for _, tt := range []struct {
		number         string
		targets, tasks dxtrack.Completion
		tenths         int
	}{
		{"09-NQ/TU", dxtrack.Completion{Done: 16, Total: 20}, dxtrack.Completion{}, 800},
		{"59/KH-UBND", dxtrack.Completion{Done: 11, Total: 27}, dxtrack.Completion{Done: 19, Total: 51}, 407},
		{plan2023, dxtrack.Completion{Done: 30, Total: 44}, dxtrack.Completion{Done: 20, Total: 30}, 682},
		{"08-NQ/TU", dxtrack.Completion{Done: 1, Total: 7}, dxtrack.Completion{}, 143},
	} {
		d, ok := p[tt.number]
		if !ok {
			t.Errorf("overview lacks %s", tt.number)
			continue
		}
		if d.Targets != tt.targets || d.Tasks != tt.tasks {
			t.Errorf("%s: targets %+v tasks %+v, want %+v %+v", tt.number, d.Targets, d.Tasks, tt.targets, tt.tasks)
		}
		if got := d.Targets.Tenths(); got != tt.tenths {
			t.Errorf("%s: target rate %d tenths, want %d", tt.number, got, tt.tenths)
		}
	}
	if got := p["59/KH-UBND"].Tasks.Tenths(); got != 373 {
		t.Errorf("59/KH-UBND task rate = %d tenths, want 373", got)
	}
	if got := p[plan2023].BudgetVND; got != 148_000_000_000 {
		t.Errorf("2023 plan budget = %d VND, want 148 billion", got)
	}

	// The 2023 plan: 44 targets in the 4 pillars, tasks in 10 groups, the
	// Đề án 06 tasks due by 30 June 2023.
	doc := p[plan2023].Document
	targets, n, err := e.s.Targets.FindTargets(lctx, dxtrack.TargetFilter{DocumentID: doc.ID, Page: dxtrack.Page{Limit: 1000}})
	if err != nil || n != 44 || len(targets) != 44 {
		t.Fatalf("2023 targets: %d of %d, %v", len(targets), n, err)
	}
	cats, err := e.s.Categories.FindCategories(lctx, dxtrack.CategoryPillar)
	if err != nil {
		t.Fatal(err)
	}
	pillarCode := map[int64]string{}
	for _, c := range cats {
		pillarCode[c.ID] = c.Code
	}
	perPillar := map[string]int{}
	for _, tg := range targets {
		perPillar[pillarCode[tg.PillarID]]++
		if !tg.Illustrative {
			t.Errorf("2023 target %s not marked illustrative", tg.Code)
		}
	}
	if want := map[string]int{"DLS": 11, "CQS": 13, "KTS": 10, "XHS": 10}; !maps(perPillar, want) {
		t.Errorf("2023 targets per pillar = %v, want %v", perPillar, want)
	}
	tasks, _, err := e.s.Tasks.FindTasks(lctx, dxtrack.TaskFilter{DocumentID: doc.ID, Page: dxtrack.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]bool{}
	var de06 int
	for _, tk := range tasks {
		groups[tk.Group] = true
		if strings.Contains(tk.NameVI, "Đề án 06") {
			de06++
			if tk.Deadline.After(dxtrack.MustDate("2023-06-30")) {
				t.Errorf("Đề án 06 task %s due %s, after 2023-06-30", tk.Code, dxtrack.FormatDate(tk.Deadline))
			}
		}
	}
	if len(groups) != 10 || groups[""] {
		t.Errorf("2023 task groups = %d %v, want 10 named", len(groups), groups)
	}
	if de06 < 5 {
		t.Errorf("Đề án 06 tasks = %d, want at least 5", de06)
	}

	// Quảng Ninh: its 54 communes, wards and special zones and 20 departments.
	qn := e.unit(t, "22")
	if got := e.countUnits(t, dxtrack.UnitFilter{ParentID: &qn.ID, Types: local}); got != 54 {
		t.Errorf("Quảng Ninh communes = %d, want 54", got)
	}
	depts, n, err := e.s.Units.FindUnits(e.ctx, dxtrack.UnitFilter{ParentID: &qn.ID, Types: []dxtrack.UnitType{dxtrack.UnitDepartment}, Page: dxtrack.Page{Limit: 100}})
	if err != nil || n != 20 {
		t.Fatalf("departments = %d, %v; want 20", n, err)
	}
	skhcn := e.unit(t, "22-SKHCN")
	if skhcn.NameVI != "Sở Khoa học và Công nghệ" || skhcn.NameEN != "Department of Science and Technology" || skhcn.ParentID != qn.ID || skhcn.Type != dxtrack.UnitDepartment {
		t.Errorf("22-SKHCN = %+v", skhcn)
	}
	for _, d := range depts {
		if d.NameEN == "" || !strings.HasPrefix(d.Code, "22-") {
			t.Errorf("department %s %q lacks an English name or a 22- code", d.Code, d.NameVI)
		}
	}

	// Hòa Bình: a former province merged into Phú Thọ, owner of 08-NQ/TU.
	hb, pt := e.unit(t, "17"), e.unit(t, "25")
	if hb.NameVI != "Hòa Bình" || hb.Type != dxtrack.UnitProvince || !hb.ValidTo.Equal(gso.Effective2025) || !hb.ValidFrom.Equal(gso.Since63) {
		t.Errorf("Hòa Bình = %+v", hb)
	}
	_, lineage, err := e.s.Units.UnitHistory(e.ctx, hb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(lineage, func(l dxtrack.Lineage) bool {
		return l.FromID == hb.ID && l.ToID == pt.ID && l.Kind == dxtrack.LineageMerge && l.On.Equal(gso.Effective2025)
	}) {
		t.Errorf("Hòa Bình lineage = %+v, want a merge into Phú Thọ on 2025-07-01", lineage)
	}
	nq08 := p["08-NQ/TU"].Document
	if nq08.OwnerUnitID != hb.ID || nq08.Issuer != "Tỉnh ủy Hòa Bình" || !nq08.IssuedOn.Equal(dxtrack.MustDate("2021-12-24")) {
		t.Errorf("08-NQ/TU = %+v", nq08)
	}
	hbTargets, _, err := e.s.Targets.FindTargets(lctx, dxtrack.TargetFilter{DocumentID: nq08.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range hbTargets {
		if tg.Illustrative {
			t.Errorf("08-NQ/TU target %s is named in the source, yet marked illustrative", tg.Code)
		}
	}
	if nq09 := p["09-NQ/TU"].Document; nq09.Issuer != "Tỉnh ủy Quảng Ninh" || !nq09.IssuedOn.Equal(dxtrack.MustDate("2022-02-05")) || nq09.SpanTo != 2025 || nq09.VisionYear != 2030 {
		t.Errorf("09-NQ/TU = %+v", nq09)
	}
	if kh59 := p["59/KH-UBND"].Document; kh59.ParentID != p["09-NQ/TU"].Document.ID || doc.ParentID != kh59.ParentID {
		t.Errorf("plans' parents = %d, %d; want 09-NQ/TU", kh59.ParentID, doc.ParentID)
	}

	// Every login signs in with its role and unit.
	wantLogins := map[string]struct {
		role dxtrack.Role
		unit string
	}{
		"admin":            {dxtrack.RoleAdmin, "22"},
		"leader":           {dxtrack.RoleLeader, "22"},
		"reviewer":         {dxtrack.RoleReviewer, "22-SKHCN"},
		"reviewer.vpub":    {dxtrack.RoleReviewer, "22-VPUB"},
		"reporter.skhcn":   {dxtrack.RoleReporter, "22-SKHCN"},
		"reporter.halong":  {dxtrack.RoleReporter, "06688"},
		"reporter.tienyen": {dxtrack.RoleReporter, "06862"},
	}
	if len(res.Logins) != len(wantLogins) {
		t.Errorf("logins = %+v", res.Logins)
	}
	for _, l := range res.Logins {
		want, ok := wantLogins[l.Username]
		if !ok {
			t.Errorf("unexpected login %s", l.Username)
			continue
		}
		u, err := e.s.Users.Authenticate(e.ctx, l.Username, l.Password)
		if err != nil {
			t.Errorf("login %s: %v", l.Username, err)
			continue
		}
		if unit := e.unit(t, want.unit); u.Role != want.role || l.Role != want.role || u.UnitID != unit.ID || l.UnitName == "" {
			t.Errorf("login %s = %+v (%+v), want role %s at %s", l.Username, u, l, want.role, want.unit)
		}
		if len(l.Password) < dxtrack.MinPasswordLength {
			t.Errorf("login %s: password too short", l.Username)
		}
	}
	if _, err := e.s.Users.Authenticate(e.ctx, "admin", "wrong-password"); dxtrack.ErrorCode(err) != dxtrack.EUNAUTHORIZED {
		t.Errorf("wrong password: %v", err)
	}

	// Each commune reporter has work of its own to report on.
	for _, code := range []string{"06688", "06862"} {
		u := e.unit(t, code)
		_, n, err := e.s.Tasks.FindTasks(lctx, dxtrack.TaskFilter{LeadUnitID: u.ID})
		if err != nil || n < 2 {
			t.Errorf("tasks led by %s = %d, %v; want at least 2", code, n, err)
		}
	}

	// A second load is refused and changes nothing.
	if _, err := demo.Load(context.Background(), e.s); !errors.Is(err, demo.ErrNotEmpty) {
		t.Errorf("second load: %v, want ErrNotEmpty", err)
	}
	if _, n, _ := e.s.Documents.FindDocuments(e.ctx, dxtrack.DocumentFilter{}); n != 4 {
		t.Errorf("documents after a refused load = %d, want 4", n)
	}
}

func maps(a, b map[string]int) bool {
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

// TestRatesAnyDate: completion does not depend on the day, once 2022 is over.
func TestRatesAnyDate(t *testing.T) {
	e := openEnv(t)
	mustLoad(t, e)
	for _, day := range []time.Time{
		time.Date(2023, 1, 2, 8, 0, 0, 0, time.UTC),
		time.Date(2024, 7, 1, 8, 0, 0, 0, time.UTC),
		time.Date(2031, 3, 1, 8, 0, 0, 0, time.UTC),
	} {
		e.db.Now = func() time.Time { return day }
		p := e.progress(t, e.ctx)
		got := [3]dxtrack.Completion{p["09-NQ/TU"].Targets, p["59/KH-UBND"].Targets, p["59/KH-UBND"].Tasks}
		want := [3]dxtrack.Completion{{Done: 16, Total: 20}, {Done: 11, Total: 27}, {Done: 19, Total: 51}}
		if got != want {
			t.Errorf("%s: completions = %v, want %v", dxtrack.FormatDate(day), got, want)
		}
	}
}

// TestLoadOverImportedUnits: units imported beforehand are reused.
func TestLoadOverImportedUnits(t *testing.T) {
	e := openEnv(t)
	recs, err := gso.Units2025()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Units.ImportUnits(e.ctx, recs, gso.Effective2025, gso.Source2025); err != nil {
		t.Fatal(err)
	}
	res := mustLoad(t, e)
	if res.Units != nil {
		t.Errorf("units imported again: %+v", res.Units)
	}
	if got := e.countUnits(t, dxtrack.UnitFilter{Types: local}); got != 3321 {
		t.Errorf("communes = %d, want 3321", got)
	}
}

// TestLoadRefusesTakenUsername: the check comes before any write.
func TestLoadRefusesTakenUsername(t *testing.T) {
	e := openEnv(t)
	recs, err := gso.Units2025()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Units.ImportUnits(e.ctx, recs, gso.Effective2025, gso.Source2025); err != nil {
		t.Fatal(err)
	}
	first := &dxtrack.User{Username: "reviewer", Name: "Người đã có", Role: dxtrack.RoleReviewer, UnitID: e.unit(t, "22").ID, Lang: "vi"}
	if err := e.s.Users.CreateUser(e.ctx, first, "secret-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), e.s); err == nil || !strings.Contains(err.Error(), `"reviewer"`) {
		t.Fatalf("load = %v, want a refusal naming reviewer", err)
	}
	if _, n, _ := e.s.Documents.FindDocuments(e.ctx, dxtrack.DocumentFilter{}); n != 0 {
		t.Errorf("documents = %d after a refused load, want 0", n)
	}
	if _, n, _ := e.s.Units.FindUnits(e.ctx, dxtrack.UnitFilter{Types: []dxtrack.UnitType{dxtrack.UnitDepartment}}); n != 0 {
		t.Errorf("departments = %d after a refused load, want 0", n)
	}
}

// failingTasks fails the nth CreateTask, to see the load undone.
type failingTasks struct {
	dxtrack.TaskService
	n int
}

func (f *failingTasks) CreateTask(ctx context.Context, t *dxtrack.Task) error {
	if f.n--; f.n == 0 {
		return errors.New("disk full")
	}
	return f.TaskService.CreateTask(ctx, t)
}

func TestLoadUndo(t *testing.T) {
	e := openEnv(t)
	s := e.s
	s.Tasks = &failingTasks{TaskService: e.s.Tasks, n: 60}
	if _, err := demo.Load(context.Background(), s); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("load = %v, want the task failure", err)
	}
	for name, count := range map[string]func() (int, error){
		"documents": func() (int, error) {
			_, n, err := e.s.Documents.FindDocuments(e.ctx, dxtrack.DocumentFilter{})
			return n, err
		},
		"targets": func() (int, error) {
			_, n, err := e.s.Targets.FindTargets(e.ctx, dxtrack.TargetFilter{})
			return n, err
		},
		"tasks": func() (int, error) { _, n, err := e.s.Tasks.FindTasks(e.ctx, dxtrack.TaskFilter{}); return n, err },
		"users": func() (int, error) { return e.s.Users.CountUsers(e.ctx) },
	} {
		if n, err := count(); err != nil || n != 0 {
			t.Errorf("%s after a failed load = %d, %v; want 0", name, n, err)
		}
	}
	// The units stay and are reused: a second run completes the load.
	res := mustLoad(t, e)
	if res.Units != nil || res.Departments != 0 || res.Tasks != 81 {
		t.Errorf("second run: units %+v, departments %d, tasks %d", res.Units, res.Departments, res.Tasks)
	}
}

// TestUpdate2026 imports the 2026 list over the demo: the same units, with
// the renames and Đồng Nai's new type as dated changes.
func TestUpdate2026(t *testing.T) {
	e := openEnv(t)
	mustLoad(t, e)
	thanhHoa := e.unit(t, "38")

	recs, err := gso.Units2026()
	if err != nil {
		t.Fatal(err)
	}
	imp, err := e.s.Units.ImportUnits(e.ctx, recs, gso.Effective2026, gso.Source2026)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Created != 0 || imp.Ended != 0 || imp.Updated == 0 {
		t.Errorf("import = created %d, updated %d, ended %d; want only updates", imp.Created, imp.Updated, imp.Ended)
	}

	if got := e.countUnits(t, dxtrack.UnitFilter{Types: []dxtrack.UnitType{dxtrack.UnitProvince}}); got != 34 {
		t.Errorf("current provinces = %d, want 34", got)
	}
	if got := e.countUnits(t, dxtrack.UnitFilter{Types: local}); got != 3321 {
		t.Errorf("current communes = %d, want 3321", got)
	}
	for typ, want := range map[dxtrack.UnitType]int{dxtrack.UnitCommune: 2611, dxtrack.UnitWard: 697, dxtrack.UnitSpecialZone: 13} {
		if got := e.countUnits(t, dxtrack.UnitFilter{Types: []dxtrack.UnitType{typ}}); got != want {
			t.Errorf("current %s = %d, want %d", typ, got, want)
		}
	}
	qn := e.unit(t, "22")
	if got := e.countUnits(t, dxtrack.UnitFilter{ParentID: &qn.ID, Types: []dxtrack.UnitType{dxtrack.UnitDepartment}}); got != 20 {
		t.Errorf("departments after the update = %d, want 20", got)
	}
	if hb := e.unit(t, "17"); !hb.ValidTo.Equal(gso.Effective2025) {
		t.Errorf("Hòa Bình ends %s after the update, want 2025-07-01", dxtrack.FormatDate(hb.ValidTo))
	}

	changed := func(code, old, new string) {
		t.Helper()
		u := e.unit(t, code)
		changes, _, err := e.s.Units.UnitHistory(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(changes, func(c dxtrack.UnitChange) bool {
			return c.Old == old && c.New == new && c.On.Equal(gso.Effective2026) && c.Field != ""
		}) {
			t.Errorf("%s history = %+v, want %q → %q on 2026-04-30", code, changes, old, new)
		}
	}
	dn := e.unit(t, "75")
	if dn.Type != dxtrack.UnitProvince || dn.TypeNameVI != "Thành phố trực thuộc trung ương" || dn.TypeNameEN != "Municipality" || dn.FullName != "Thành phố Đồng Nai" {
		t.Errorf("Đồng Nai = %+v", dn)
	}
	changed("75", "Tỉnh", "Thành phố trực thuộc trung ương")
	changed("75", "Province", "Municipality")
	changed("75", "Tỉnh Đồng Nai", "Thành phố Đồng Nai")

	th := e.unit(t, "38")
	if th.ID != thanhHoa.ID || th.NameVI != "Thanh Hoá" {
		t.Errorf("Thanh Hóa = %+v, want the same unit renamed Thanh Hoá", th)
	}
	changed("38", "Thanh Hóa", "Thanh Hoá")
	changed("26368", "Xã", "Phường") // Long Thành became a ward

	// Tone- and case-insensitive search finds the same units however the
	// name is spelled, before and after the respelling.
	search := func(q string) []string {
		t.Helper()
		us, _, err := e.s.Units.FindUnits(e.ctx, dxtrack.UnitFilter{Query: q, All: true, Page: dxtrack.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, u := range us {
			codes = append(codes, u.Code)
		}
		slices.Sort(codes)
		return codes
	}
	want := search("hoa binh")
	for _, code := range []string{"17", "04795", "11533", "27211", "29830", "31891"} {
		if !slices.Contains(want, code) {
			t.Errorf("search hoa binh lacks %s: %v", code, want)
		}
	}
	for _, q := range []string{"Hoà Bình", "Hòa Bình", "HÒA BÌNH", "  hoa   BINH "} {
		if got := search(q); !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
	if got := search("Thanh Hóa"); !slices.Contains(got, "38") {
		t.Errorf("search Thanh Hóa = %v, want 38 among them", got)
	}
}

// TestReporting: the monthly report with three months of reports as of
// the store's clock (15 June 2026: the months 2026-04, -05 and -06).
func TestReporting(t *testing.T) {
	e := openEnv(t)
	res := mustLoad(t, e)
	regimes := store.NewRegimeService(e.db)
	reports := store.NewReportService(e.db)
	indicators := store.NewIndicatorService(e.db)

	if res.Indicators != 8 || res.Regimes != 1 {
		t.Errorf("created %d indicators and %d regimes, want 8 and 1", res.Indicators, res.Regimes)
	}
	ind, err := indicators.FindIndicators(e.ctx, "")
	if err != nil || len(ind) != 8 {
		t.Fatalf("indicators = %d, %v", len(ind), err)
	}
	byCode := map[string]int64{}
	for _, in := range ind {
		byCode[in.Code] = in.ID
		if in.NameEN == "" || in.NameVI == "" {
			t.Errorf("indicator %s lacks a name", in.Code)
		}
	}
	rgs, err := regimes.FindRegimes(e.ctx, dxtrack.RegimeFilter{})
	if err != nil || len(rgs) != 1 {
		t.Fatalf("regimes = %d, %v", len(rgs), err)
	}
	rg := rgs[0]
	if rg.NameVI != "Báo cáo tháng về chuyển đổi số" || rg.Freq != dxtrack.Monthly || !rg.Active ||
		rg.OwnerUnitID != e.unit(t, "22-VPUB").ID || rg.FinalUnitID != e.unit(t, "22-SKHCN").ID ||
		len(rg.Items) != 8 || len(rg.Rules) != 3 || len(rg.Sections) != 3 {
		t.Errorf("regime = %+v", rg)
	}
	units, err := regimes.ReportingUnits(e.ctx, rg.ID)
	if err != nil || len(units) != 54+5 {
		t.Fatalf("reporting units = %d, %v; want 54 communes and 5 departments", len(units), err)
	}

	total := 0
	periods := []dxtrack.Period{{Freq: dxtrack.Monthly, Year: 2026, N: 4}, {Freq: dxtrack.Monthly, Year: 2026, N: 5}, {Freq: dxtrack.Monthly, Year: 2026, N: 6}}
	status := make([]map[dxtrack.ReportStatus]int, len(periods))
	for i, p := range periods {
		rs, err := reports.FindReports(e.ctx, dxtrack.ReportFilter{RegimeID: rg.ID, Period: &p})
		if err != nil {
			t.Fatal(err)
		}
		total += len(rs)
		status[i] = map[dxtrack.ReportStatus]int{}
		for _, r := range rs {
			status[i][r.Status]++
			if r.Status == dxtrack.ReportDraft {
				continue
			}
			// Figures hang together: the blocking rules hold and the rate
			// is the share of the counts.
			v := func(code string) float64 {
				x := r.Value(byCode[code])
				if x == nil {
					t.Fatalf("report %d %s: no %s", r.ID, p.Key(), code)
				}
				return *x
			}
			recv, online := v("DVC_RECEIVED"), v("DVC_ONLINE")
			if online > recv || v("DVC_ONTIME") > recv || recv <= 0 {
				t.Errorf("report %d %s: received %v, online %v, on time %v", r.ID, p.Key(), recv, online, v("DVC_ONTIME"))
			}
			if got, want := v("DVC_ONLINE_RATE"), math.Round(1000*online/recv)/10; got != want {
				t.Errorf("report %d %s: online rate %v, want %v", r.ID, p.Key(), got, want)
			}
			if r.SubmittedAt.IsZero() || r.SubmittedAt.After(now) || strings.TrimSpace(r.Sections["KET_QUA"]) == "" {
				t.Errorf("report %d %s: submitted %v, sections %v", r.ID, p.Key(), r.SubmittedAt, r.Sections)
			}
		}
	}
	if total != res.Reports || total < 150 {
		t.Errorf("reports = %d, result says %d; want about 160", total, res.Reports)
	}
	t.Logf("statuses by month: %v", status)
	// The older months are nearly all approved; the latest has every state.
	for i, want := range []int{55, 45} {
		if got := status[i][dxtrack.ReportApproved]; got < want {
			t.Errorf("%s: %d approved, want at least %d of 59", periods[i].Key(), got, want)
		}
	}
	for _, st := range []dxtrack.ReportStatus{dxtrack.ReportDraft, dxtrack.ReportReturned, dxtrack.ReportSubmitted, dxtrack.ReportApproved} {
		if status[2][st] == 0 {
			t.Errorf("latest month has no %s report: %v", st, status[2])
		}
	}

	// Completeness: the oldest month is in, some late; the latest still
	// waits for several units, among them Hạ Long; Tiên Yên has a draft.
	old, err := reports.Completeness(e.ctx, rg.ID, periods[0])
	if err != nil {
		t.Fatal(err)
	}
	if old.Submitted.Done < 55 || old.Counts[dxtrack.Late] == 0 || old.Counts[dxtrack.OnTime] < 40 || old.Counts[dxtrack.Pending] != 0 {
		t.Errorf("2026-04 completeness = %v", old.Counts)
	}
	latest, err := reports.Completeness(e.ctx, rg.ID, periods[2])
	if err != nil {
		t.Fatal(err)
	}
	if n := len(latest.NotReported()); n < 5 || n > 25 {
		t.Errorf("latest month: %d units not reported, want several", n)
	}
	lines := map[string]dxtrack.UnitCompleteness{}
	for _, l := range latest.Units {
		lines[l.Unit.Code] = l
	}
	if l := lines["06688"]; l.ReportID != 0 || l.Timeliness != dxtrack.Pending {
		t.Errorf("Hạ Long in the latest month = %+v, want no report yet", l)
	}
	if l := lines["06862"]; l.Status != dxtrack.ReportDraft {
		t.Errorf("Tiên Yên in the latest month = %+v, want a draft", l)
	}

	// Each level's reviewer approved in turn, as the audit trail shows.
	rs, err := reports.FindReports(e.ctx, dxtrack.ReportFilter{RegimeID: rg.ID, Period: &periods[0], Status: dxtrack.ReportApproved})
	if err != nil || len(rs) == 0 {
		t.Fatalf("approved reports: %d, %v", len(rs), err)
	}
	trail, err := store.NewAuditService(e.db).FindAudit(e.ctx, "report", rs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var who []string
	for _, a := range trail {
		if a.Field == "level" {
			who = append(who, a.UserName)
		}
	}
	if len(who) != 2 || who[0] != "Phòng Chuyển đổi số, Sở KH&CN" || who[1] != "Phòng Tổng hợp, Văn phòng UBND tỉnh" {
		t.Errorf("approvals by %q (newest first), want VP UBND then Sở KH&CN", who)
	}
}
