// Package demo loads the demo dataset: Quảng Ninh with its real communes and
// about twenty departments, its digital-transformation resolution 09-NQ/TU
// with the 2022 and 2023 plans that carry it out, and the former province
// of Hòa Bình with its resolution 08-NQ/TU; Quảng Ninh's monthly
// digital-transformation report with three months of reports from its
// communes and some departments (reporting.go); plus one login per role.
//
// The figures the sources give are kept exactly (20 targets of which 16
// completed; 27 targets and 51 tasks of which 11 and 19 completed; 44
// targets in 4 pillars, 10 task groups and 148 billion VND). Where the
// sources give only counts, names are made up and the items are marked
// Illustrative. The data lives in data.go.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/gso"
)

// Services are the domain services the loader writes through.
type Services struct {
	Units      dxtrack.UnitService
	Documents  dxtrack.DocumentService
	Categories dxtrack.CategoryService
	Targets    dxtrack.TargetService
	Tasks      dxtrack.TaskService
	Users      dxtrack.UserService
	Indicators dxtrack.IndicatorService
	Regimes    dxtrack.RegimeService
	Reports    dxtrack.ReportService
	// Values and IndicatorTargets take the analytics demo (analytics.go):
	// past values, targets, pillars and formula indicators; nil skips it.
	Values           dxtrack.ValueService
	IndicatorTargets dxtrack.IndicatorTargetService
	Indices          dxtrack.IndexService // the composite-index demo (indices.go); nil skips it
	// Sources and Ingest take the machine-data demo (ingest.go): the
	// portal's source and a week of its batches; nil skips it.
	Sources dxtrack.DataSourceService
	Ingest  func(ctx context.Context, src *dxtrack.DataSource, key string, records []dxtrack.Record) (*dxtrack.BatchResult, error)
	// Clock is the store's clock (&db.Now). The loader reads today from it
	// and, while it files the past months' reports, sets it back to when
	// each step happened, restoring it afterwards; nothing else may use the
	// store meanwhile.
	Clock *func() time.Time
}

// Login is a demo account, printed by `dxtrack serve --demo`.
type Login struct {
	Username string
	Password string
	Role     dxtrack.Role
	UnitName string
}

// Result says what Load created.
type Result struct {
	Logins      []Login
	Units       *dxtrack.UnitImport // the import of the 2025 list; nil if the store held provinces already
	Departments int                 // departments created
	Documents   int
	Targets     int
	Tasks       int
	Indicators  int // indicators created
	Regimes     int // reporting regimes created
	Reports     int // reports opened
}

// ErrNotEmpty is returned when the store already holds documents: the demo
// dataset goes only into an empty store, so that it never mixes with real
// plans.
var ErrNotEmpty = errors.New("demo: the store already holds documents; the demo dataset loads only into an empty store")

// Password is the password of every demo login.
const Password = "demo1234"

// Load writes the demo dataset through the services, acting as
// dxtrack.SystemUser. It refuses with ErrNotEmpty when the store holds
// documents and checks the dataset and the demo usernames before it writes.
// Units are imported or reused, so a second run after a failure continues;
// if writing documents, targets, tasks, users or reports fails, the
// documents, targets and tasks written so far are deleted again.
func Load(ctx context.Context, s Services) (*Result, error) {
	ctx = dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser)
	if err := check(); err != nil {
		return nil, err
	}
	if s.Indicators == nil || s.Regimes == nil || s.Reports == nil || s.Clock == nil || *s.Clock == nil {
		return nil, errors.New("demo: the indicator, regime and report services and the store's clock are required")
	}
	if _, n, err := s.Documents.FindDocuments(ctx, dxtrack.DocumentFilter{Page: dxtrack.Page{Limit: 1}}); err != nil {
		return nil, fmt.Errorf("demo: count documents: %w", err)
	} else if n > 0 {
		return nil, fmt.Errorf("%w (%d documents)", ErrNotEmpty, n)
	}
	if err := checkUsernames(ctx, s.Users); err != nil {
		return nil, err
	}

	l := &loader{s: s, res: &Result{}, units: map[string]*dxtrack.Unit{}, cats: map[string]int64{}, users: map[string]*dxtrack.User{}}
	if err := l.loadUnits(ctx); err != nil {
		return nil, err
	}
	if err := l.loadCategories(ctx); err != nil {
		return nil, err
	}
	if err := l.loadDocuments(ctx); err != nil {
		return nil, l.undo(ctx, err)
	}
	if err := l.loadUsers(ctx); err != nil {
		return nil, l.undo(ctx, err)
	}
	// Last, as the review levels' logins act in it.
	if err := l.loadReporting(ctx); err != nil {
		return nil, l.undo(ctx, err)
	}
	if err := l.loadAnalytics(ctx); err != nil {
		return nil, l.undo(ctx, err)
	}
	if err := l.loadIndices(ctx); err != nil {
		return nil, l.undo(ctx, err)
	}
	if err := l.loadIngest(ctx); err != nil {
		return nil, l.undo(ctx, err)
	}
	return l.res, nil
}

// checkUsernames refuses when a demo username is taken.
func checkUsernames(ctx context.Context, users dxtrack.UserService) error {
	for _, u := range logins {
		found, _, err := users.FindUsers(ctx, dxtrack.UserFilter{Query: u.Username})
		if err != nil {
			return fmt.Errorf("demo: find user %s: %w", u.Username, err)
		}
		for _, f := range found {
			if f.Username == u.Username {
				return fmt.Errorf("demo: user %q exists already", u.Username)
			}
		}
	}
	return nil
}

type loader struct {
	s     Services
	res   *Result
	units map[string]*dxtrack.Unit // by code
	cats  map[string]int64         // category ID by code
	users map[string]*dxtrack.User // the demo logins by username

	// written so far, for undo
	docs    []int64
	targets []int64
	tasks   []int64
}

// loadUnits imports the 2025 list into a store without provinces, then adds
// the departments of Quảng Ninh and the former province of Hòa Bình.
func (l *loader) loadUnits(ctx context.Context) error {
	_, n, err := l.s.Units.FindUnits(ctx, dxtrack.UnitFilter{Types: []dxtrack.UnitType{dxtrack.UnitProvince}, All: true, Page: dxtrack.Page{Limit: 1}})
	if err != nil {
		return fmt.Errorf("demo: count provinces: %w", err)
	}
	if n == 0 {
		recs, err := gso.Units2025()
		if err != nil {
			return err
		}
		imp, err := l.s.Units.ImportUnits(ctx, recs, gso.Effective2025, gso.Source2025)
		if err != nil {
			return fmt.Errorf("demo: import units: %w", err)
		}
		l.res.Units = imp
	}

	qn, err := l.unit(ctx, quangNinh)
	if err != nil {
		return err
	}
	for _, d := range departments {
		u, err := l.s.Units.FindUnitByCode(ctx, d.Code)
		switch {
		case err == nil:
			if u.ParentID != qn.ID {
				return fmt.Errorf("demo: unit %s exists but is not under Quảng Ninh", d.Code)
			}
		case dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND:
			u = &dxtrack.Unit{
				Code: d.Code, NameVI: d.NameVI, NameEN: d.NameEN, FullName: d.FullName,
				Type: dxtrack.UnitDepartment, TypeNameVI: d.Kind.vi(), TypeNameEN: d.Kind.en(),
				ParentID: qn.ID, ValidFrom: gso.Effective2025,
			}
			if err := l.s.Units.CreateUnit(ctx, u); err != nil {
				return fmt.Errorf("demo: create department %s: %w", d.Code, err)
			}
			l.res.Departments++
		default:
			return fmt.Errorf("demo: find unit %s: %w", d.Code, err)
		}
		l.units[d.Code] = u
	}
	return l.loadHoaBinh(ctx)
}

// loadHoaBinh records the 63 provinces before 1 July 2025 and their
// mergers, so that Hòa Bình, merged into Phú Thọ, owns its resolution and
// figures reported under any former province roll into its successor.
func (l *loader) loadHoaBinh(ctx context.Context) error {
	ms, err := gso.Mergers2025()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if _, err := gso.ApplyMergers(ctx, l.s.Units, ms, gso.Effective2025); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	hb, err := l.s.Units.FindUnitByCode(ctx, hoaBinh)
	if err != nil {
		return fmt.Errorf("demo: find Hòa Bình: %w", err)
	}
	l.units[hoaBinh] = hb
	return nil
}

// unit returns the unit with the code, looking it up once.
func (l *loader) unit(ctx context.Context, code string) (*dxtrack.Unit, error) {
	if u := l.units[code]; u != nil {
		return u, nil
	}
	u, err := l.s.Units.FindUnitByCode(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("demo: find unit %s: %w", code, err)
	}
	l.units[code] = u
	return u, nil
}

func (l *loader) unitIDs(ctx context.Context, codes []string) ([]int64, error) {
	ids := make([]int64, 0, len(codes))
	for _, c := range codes {
		u, err := l.unit(ctx, c)
		if err != nil {
			return nil, err
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// loadCategories maps the category codes the data uses to IDs, adding any
// default category an admin has removed.
func (l *loader) loadCategories(ctx context.Context) error {
	cats, err := l.s.Categories.FindCategories(ctx, "")
	if err != nil {
		return fmt.Errorf("demo: find categories: %w", err)
	}
	for _, c := range cats {
		l.cats[c.Code] = c.ID
	}
	for _, d := range dxtrack.DefaultCategories {
		if _, ok := l.cats[d.Code]; ok {
			continue
		}
		c := d
		if err := l.s.Categories.CreateCategory(ctx, &c); err != nil {
			return fmt.Errorf("demo: create category %s: %w", d.Code, err)
		}
		l.cats[c.Code] = c.ID
	}
	return nil
}

func (l *loader) loadDocuments(ctx context.Context) error {
	byNumber := map[string]int64{}
	for _, dd := range documents {
		owner, err := l.unit(ctx, dd.Owner)
		if err != nil {
			return err
		}
		d := &dxtrack.Document{
			Kind: dd.Kind, Number: dd.Number, TitleVI: dd.TitleVI, TitleEN: dd.TitleEN,
			Issuer: dd.Issuer, IssuedOn: dxtrack.MustDate(dd.IssuedOn),
			SpanFrom: dd.SpanFrom, SpanTo: dd.SpanTo, VisionYear: dd.Vision,
			ParentID: byNumber[dd.Parent], OwnerUnitID: owner.ID, Summary: dd.Summary,
		}
		if err := l.s.Documents.CreateDocument(ctx, d); err != nil {
			return fmt.Errorf("demo: create document %s: %w", dd.Number, err)
		}
		l.docs = append(l.docs, d.ID)
		l.res.Documents++
		byNumber[dd.Number] = d.ID

		targetIDs := map[string]int64{}
		for _, td := range dd.Targets {
			t, err := l.target(ctx, d, td)
			if err != nil {
				return err
			}
			if err := l.s.Targets.CreateTarget(ctx, t); err != nil {
				return fmt.Errorf("demo: create target %s: %w", td.Code, err)
			}
			l.targets = append(l.targets, t.ID)
			l.res.Targets++
			targetIDs[td.Code] = t.ID
		}
		for _, kd := range dd.Tasks {
			t, err := l.task(ctx, d, kd, targetIDs)
			if err != nil {
				return err
			}
			if err := l.s.Tasks.CreateTask(ctx, t); err != nil {
				return fmt.Errorf("demo: create task %s: %w", kd.Code, err)
			}
			l.tasks = append(l.tasks, t.ID)
			l.res.Tasks++
		}
	}
	return nil
}

func (l *loader) target(ctx context.Context, d *dxtrack.Document, td targetData) (*dxtrack.Target, error) {
	lead, err := l.unit(ctx, td.Lead)
	if err != nil {
		return nil, err
	}
	t := &dxtrack.Target{
		DocumentID: d.ID, Code: td.Code, NameVI: td.NameVI, NameEN: td.NameEN,
		Kind: dxtrack.TargetQuantitative, Measure: td.Measure,
		Baseline: td.Baseline, Value: td.Value, Current: td.Cur, Direction: dxtrack.DirectionUp,
		StartOn: d.IssuedOn, Deadline: dxtrack.MustDate(td.Due),
		PillarID: l.cats[td.Pillar], SectorID: l.cats[td.Sector], LeadUnitID: lead.ID,
		Illustrative: !td.FromSource, Note: td.Note,
	}
	if td.Qualitative {
		t.Kind, t.Direction, t.Done = dxtrack.TargetQualitative, "", td.Done
	}
	return t, nil
}

func (l *loader) task(ctx context.Context, d *dxtrack.Document, kd taskData, targetIDs map[string]int64) (*dxtrack.Task, error) {
	lead, err := l.unit(ctx, kd.Lead)
	if err != nil {
		return nil, err
	}
	co, err := l.unitIDs(ctx, kd.Co)
	if err != nil {
		return nil, err
	}
	t := &dxtrack.Task{
		DocumentID: d.ID, Code: kd.Code, NameVI: kd.NameVI, NameEN: kd.NameEN,
		Group: kd.Group.vi(), LeadUnitID: lead.ID, CoUnitIDs: co,
		StartOn: d.IssuedOn, Deadline: dxtrack.MustDate(kd.Due), Output: kd.Output,
		BudgetVND: kd.BudgetM * million, Progress: kd.Progress,
		PillarID: l.cats[kd.Group.pillar()], SectorID: l.cats[kd.Sector],
		Illustrative: !kd.FromSource, Note: kd.Note,
	}
	for _, c := range kd.Targets {
		t.TargetIDs = append(t.TargetIDs, targetIDs[c])
	}
	return t, nil
}

func (l *loader) loadUsers(ctx context.Context) error {
	for _, ld := range logins {
		unit, err := l.unit(ctx, ld.Unit)
		if err != nil {
			return err
		}
		u := &dxtrack.User{Username: ld.Username, Name: ld.Name, Role: ld.Role, UnitID: unit.ID, Lang: "vi"}
		if err := l.s.Users.CreateUser(ctx, u, Password); err != nil {
			return fmt.Errorf("demo: create user %s: %w", ld.Username, err)
		}
		l.users[u.Username] = u
		name := unit.FullName
		if name == "" {
			name = unit.NameVI
		}
		l.res.Logins = append(l.res.Logins, Login{Username: u.Username, Password: Password, Role: u.Role, UnitName: name})
	}
	return nil
}

// undo deletes the tasks, targets and documents written so far, newest
// first, and returns the error that stopped the load with any error met
// while undoing. Units and categories stay: they are reused by a new run.
func (l *loader) undo(ctx context.Context, cause error) error {
	ctx = context.WithoutCancel(ctx)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	errs := []error{cause}
	for i := len(l.tasks) - 1; i >= 0; i-- {
		if err := l.s.Tasks.DeleteTask(ctx, l.tasks[i]); err != nil {
			errs = append(errs, fmt.Errorf("demo: undo task %d: %w", l.tasks[i], err))
		}
	}
	for i := len(l.targets) - 1; i >= 0; i-- {
		if err := l.s.Targets.DeleteTarget(ctx, l.targets[i]); err != nil {
			errs = append(errs, fmt.Errorf("demo: undo target %d: %w", l.targets[i], err))
		}
	}
	for i := len(l.docs) - 1; i >= 0; i-- {
		if err := l.s.Documents.DeleteDocument(ctx, l.docs[i]); err != nil {
			errs = append(errs, fmt.Errorf("demo: undo document %d: %w", l.docs[i], err))
		}
	}
	if n := len(l.res.Logins); n > 0 {
		errs = append(errs, fmt.Errorf("demo: users created before the failure remain: %d", n))
	}
	return errors.Join(errs...)
}
