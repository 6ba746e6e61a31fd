package store_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/dhis2"
	"github.com/dxtrack/dxtrack/store"
)

// dv is a data value of a push.
func dv(de, pe, ou, value string) dhis2.DataValue {
	return dhis2.DataValue{DataElement: de, Period: pe, OrgUnit: ou, Value: value}
}

// wantCount fails unless the summary counts these values.
func wantCount(t *testing.T, s *dhis2.ImportSummary, imported, updated, ignored int) {
	t.Helper()
	if c := s.ImportCount; c.Imported != imported || c.Updated != updated || c.Ignored != ignored || c.Deleted != 0 {
		t.Fatalf("importCount = %+v, want imported %d, updated %d, ignored %d (conflicts %+v)", c, imported, updated, ignored, s.Conflicts)
	}
}

// conflictAt returns the error code of the conflict naming index i, or "".
func conflictAt(s *dhis2.ImportSummary, i int) string {
	for _, c := range s.Conflicts {
		for _, j := range c.Indexes {
			if j == i {
				return c.ErrorCode
			}
		}
	}
	return ""
}

func TestDHIS2Import(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedValues(t, db)
		d := store.NewDHIS2Service(db)
		jan := month(2025, 1)

		// The code tables: a data element UID for the total, and an
		// organisation unit UID for Vân Đồn.
		must(t, d.SaveElementMap(as(w.admin), &dhis2.ElementMap{DataElement: "deTONG00001", IndicatorID: w.total.ID}))
		must(t, d.SaveOrgUnitMap(as(w.admin), &dhis2.OrgUnitMap{OrgUnit: "ouVANDON001", UnitID: w.communeA.ID}))
		err := d.SaveElementMap(as(w.reporterA), &dhis2.ElementMap{DataElement: "x", IndicatorID: w.total.ID})
		wantCode(t, err, dxtrack.EFORBIDDEN)
		err = d.SaveElementMap(as(w.admin), &dhis2.ElementMap{DataElement: "x", IndicatorID: w.rate.ID})
		wantField(t, err, "indicator", "error.formula_indicator")
		ms, err := d.ElementMaps(as(w.leader))
		must(t, err)
		if len(ms) != 1 || ms[0].Indicator != "HS_TONG" || ms[0].Combo != "" {
			t.Fatalf("element maps = %+v", ms)
		}

		set := &dhis2.DataValueSet{DataSet: "dsCDS", DataValues: []dhis2.DataValue{
			dv("deTONG00001", "202501", "ouVANDON001", "12"), // 0: through both tables
			dv("HS_TT", "202501", "07030", "5"),              // 1: an indicator and a unit code
			dv("deUNKNOWN01", "202501", "07030", "1"),        // 2: unknown data element
			dv("HS_TT", "2025W3", "07030", "1"),              // 3: a weekly period
			dv("TL_SO", "202501", "07030", "120"),            // 4: a percentage over 100
			{DataElement: "deTONG00001", CategoryOptionCombo: "cocFEMALE01", Period: "202501", OrgUnit: "07030", Value: "3"}, // 5
			dv("TL_TT", "202501", "07030", "50"), // 6: a formula
			dv("HS_TT", "202501", "99999", "1"),  // 7: no such unit
		}}
		s, err := d.ImportDataValues(as(w.admin), set, dhis2.Options{})
		must(t, err)
		wantCount(t, s, 2, 0, 6)
		if s.Status != "WARNING" {
			t.Errorf("status = %s, want WARNING", s.Status)
		}
		for i, code := range map[int]string{0: "", 1: "", 2: "E7610", 3: "E7611", 4: "E7619", 5: "E7613", 6: "E7610", 7: "E7612"} {
			if got := conflictAt(s, i); got != code {
				t.Errorf("value %d: conflict %q, want %q", i, got, code)
			}
		}
		v := w.one(t, w.communeA, w.total, jan)
		if v.Value != 12 || v.Provenance != dxtrack.FromMachine || v.By != 0 {
			t.Fatalf("imported value = %+v, want 12, machine, set by the system", v)
		}
		if got := w.valueAudit(t, w.communeA, w.total, jan); len(got) != 2 || got[0] != "value:>12|DHIS2 · admin.qn · dsCDS" {
			t.Errorf("audit = %v", got)
		}

		good := &dhis2.DataValueSet{DataValues: set.DataValues[:2]}
		t.Run("the same push again changes nothing", func(t *testing.T) {
			s, err := d.ImportDataValues(as(w.admin), good, dhis2.Options{})
			must(t, err)
			wantCount(t, s, 0, 0, 2)
			if s.Status != "SUCCESS" || len(s.Conflicts) != 0 {
				t.Errorf("summary = %+v", s)
			}
		})
		t.Run("a dry run counts and stores nothing", func(t *testing.T) {
			changed := &dhis2.DataValueSet{DataValues: []dhis2.DataValue{dv("deTONG00001", "202501", "ouVANDON001", "13"),
				dv("HS_TONG", "202502", "06994", "4")}}
			s, err := d.ImportDataValues(as(w.admin), changed, dhis2.Options{DryRun: true})
			must(t, err)
			wantCount(t, s, 1, 1, 0)
			if got := w.one(t, w.communeA, w.total, jan).Value; got != 12 {
				t.Errorf("after a dry run the value is %v, want 12", got)
			}
			feb := month(2025, 2)
			if vs := w.find(t, dxtrack.ValueFilter{UnitID: w.communeA.ID, From: &feb, To: &feb}); len(vs) != 0 {
				t.Errorf("a dry run stored %+v", vs)
			}
		})
		t.Run("a changed value is updated", func(t *testing.T) {
			changed := &dhis2.DataValueSet{Period: "202501", OrgUnit: "ouVANDON001",
				DataValues: []dhis2.DataValue{{DataElement: "deTONG00001", Value: "13"}}}
			s, err := d.ImportDataValues(as(w.admin), changed, dhis2.Options{})
			must(t, err)
			wantCount(t, s, 0, 1, 0)
			if got := w.one(t, w.communeA, w.total, jan).Value; got != 13 {
				t.Errorf("value = %v, want 13", got)
			}
		})
		t.Run("CREATE leaves existing values, UPDATE creates none", func(t *testing.T) {
			s, err := d.ImportDataValues(as(w.admin), &dhis2.DataValueSet{DataValues: []dhis2.DataValue{
				dv("deTONG00001", "202501", "ouVANDON001", "99")}}, dhis2.Options{ImportStrategy: "CREATE"})
			must(t, err)
			wantCount(t, s, 0, 0, 1)
			s, err = d.ImportDataValues(as(w.admin), &dhis2.DataValueSet{DataValues: []dhis2.DataValue{
				dv("deTONG00001", "202503", "ouVANDON001", "99")}}, dhis2.Options{ImportStrategy: "UPDATE"})
			must(t, err)
			wantCount(t, s, 0, 0, 1)
			if got := w.one(t, w.communeA, w.total, jan).Value; got != 13 {
				t.Errorf("value = %v, want 13", got)
			}
		})
		t.Run("a reporter pushes for its own unit only", func(t *testing.T) {
			s, err := d.ImportDataValues(as(w.reporterA), &dhis2.DataValueSet{DataValues: []dhis2.DataValue{
				dv("HS_TT", "202501", "ouVANDON001", "7"), dv("HS_TT", "202501", "07030", "6")}}, dhis2.Options{})
			must(t, err)
			wantCount(t, s, 1, 0, 1)
			if got := conflictAt(s, 1); got != "E7617" {
				t.Errorf("another unit: conflict %q, want E7617", got)
			}
			if got := w.one(t, w.communeB, w.online, jan).Value; got != 5 {
				t.Errorf("Hoành Bồ's value = %v, want 5 unchanged", got)
			}
		})
		t.Run("a unit's correction is kept", func(t *testing.T) {
			must(t, w.values.SetValues(as(w.reporterA), []dxtrack.Value{val(w.communeA, w.total, jan, 15)}, "Đếm lại hồ sơ"))
			s, err := d.ImportDataValues(as(w.admin), &dhis2.DataValueSet{DataValues: []dhis2.DataValue{
				dv("deTONG00001", "202501", "ouVANDON001", "13")}}, dhis2.Options{})
			must(t, err)
			wantCount(t, s, 0, 0, 1)
			if got := conflictAt(s, 0); got != "E7620" {
				t.Errorf("conflict %q, want E7620", got)
			}
			if v := w.one(t, w.communeA, w.total, jan); v.Value != 15 || v.Provenance != dxtrack.FromCorrected {
				t.Errorf("value = %+v, want the correction 15", v)
			}
		})
		t.Run("a former unit's code leads to today's unit", func(t *testing.T) {
			old := w.mustUnit(t, "QN-HB-CU", "Huyện Hoành Bồ cũ", dxtrack.UnitCommune, w.qn.ID)
			must(t, w.units.MergeUnits(sys, []int64{old.ID}, w.communeB.ID, date("2025-07-10")))
			s, err := d.ImportDataValues(as(w.admin), &dhis2.DataValueSet{DataValues: []dhis2.DataValue{
				dv("HS_TT", "202502", "QN-HB-CU", "9")}}, dhis2.Options{})
			must(t, err)
			wantCount(t, s, 1, 0, 0)
			if got := w.one(t, w.communeB, w.online, month(2025, 2)).Value; got != 9 {
				t.Errorf("Hoành Bồ's February = %v, want 9", got)
			}
		})
		t.Run("without a user", func(t *testing.T) {
			_, err := d.ImportDataValues(t.Context(), good, dhis2.Options{})
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
		})
	})
}

// TestReportAutomatic: a figure another system supplied is prefilled and
// kept in the report; changing it is a correction with a reason, which
// reaches the value store's audit; an approval never overwrites a machine
// figure with a different one.
func TestReportAutomatic(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seedReporting(t, db)
		values := store.NewValueService(db)
		must(t, values.SetValues(sys, []dxtrack.Value{{UnitID: w.communeA.ID, IndicatorID: w.total.ID, Period: july,
			Value: 120, Provenance: dxtrack.FromMachine}}, "Cổng DVC"))

		a := w.open(t, w.reporterA, w.communeA, july)
		if got := value(a, w.total.ID); got != "120" {
			t.Fatalf("the draft's total = %s, want the machine figure 120", got)
		}
		f, err := w.reports.Form(as(w.reporterA), a.ID)
		must(t, err)
		if auto := f.Automatic[w.total.ID]; auto == nil || auto.Provenance != dxtrack.FromMachine || auto.Reason != "Cổng DVC" {
			t.Fatalf("form.Automatic = %+v", f.Automatic)
		}
		if f.Automatic[w.online.ID] != nil {
			t.Errorf("a manual indicator is automatic: %+v", f.Automatic[w.online.ID])
		}

		// Saving the form with the figure as shown (or left empty) keeps it.
		a.Values = []dxtrack.ReportValue{{IndicatorID: w.total.ID}, {IndicatorID: w.online.ID, Value: ptr(80.0)}}
		a.Sections = map[string]string{"TH": "Ổn định."}
		a, _, err = w.reports.SaveReport(as(w.reporterA), a)
		must(t, err)
		if got := value(a, w.total.ID); got != "120" {
			t.Errorf("after a save without the figure, total = %s, want 120", got)
		}

		// A different figure without a reason is refused, naming the field.
		a.Values = []dxtrack.ReportValue{{IndicatorID: w.total.ID, Value: ptr(125.0)}, {IndicatorID: w.online.ID, Value: ptr(80.0)}}
		_, _, err = w.reports.SaveReport(as(w.reporterA), a)
		wantField(t, err, "value.HS-TONG", "error.correction_reason")
		if v := valueOf(t, values, w.communeA, w.total, july); v.Value != 120 || v.Provenance != dxtrack.FromMachine {
			t.Fatalf("after a refused correction the stored value is %+v", v)
		}

		// With a reason it is a correction, in the value store at once.
		a.Values[0].Reason = "Cổng DVC đếm trùng 5 hồ sơ"
		a, _, err = w.reports.SaveReport(as(w.reporterA), a)
		must(t, err)
		if got := value(a, w.total.ID); got != "125" {
			t.Errorf("report total = %s, want 125", got)
		}
		v := valueOf(t, values, w.communeA, w.total, july)
		if v.Value != 125 || v.Provenance != dxtrack.FromCorrected || v.By != w.reporterA.ID {
			t.Fatalf("stored value = %+v, want 125 corrected by the reporter", v)
		}
		hist, err := values.ValueHistory(as(w.leader), w.communeA.ID, w.total.ID, july)
		must(t, err)
		if len(hist) == 0 || hist[0].Reason != "Cổng DVC đếm trùng 5 hồ sơ" {
			t.Fatalf("value history = %+v, want the reason on the newest entry", hist)
		}
		steps := w.auditSteps(t, a.ID)
		if !containsStep(steps, "value.HS-TONG:120>125|Cổng DVC đếm trùng 5 hồ sơ") {
			t.Errorf("report audit = %v, want the correction with its reason", steps)
		}
		f, err = w.reports.Form(as(w.reporterA), a.ID)
		must(t, err)
		if auto := f.Automatic[w.total.ID]; auto == nil || auto.Provenance != dxtrack.FromCorrected ||
			auto.Reason != "Cổng DVC đếm trùng 5 hồ sơ" || auto.ByName == "" {
			t.Fatalf("form.Automatic after the correction = %+v", auto)
		}

		// A machine figure that arrives after the report was filled in
		// stops its final approval, naming the field.
		w.fill(t, w.reporterA, a, 125, 80, 66.7)
		a = w.act(t, w.reporterA, a, dxtrack.ActionSubmit, "")
		must(t, values.SetValues(sys, []dxtrack.Value{{UnitID: w.communeA.ID, IndicatorID: w.online.ID, Period: july,
			Value: 82, Provenance: dxtrack.FromMachine}}, "Cổng DVC"))
		a = w.act(t, w.deptReviewer, a, dxtrack.ActionApprove, "")
		_, err = w.reports.Act(as(w.dtoReviewer), a.ID, dxtrack.ActionApprove, "")
		wantField(t, err, "value.HS-TT", "error.dhis2_automatic_changed")
		if v := valueOf(t, values, w.communeA, w.online, july); v.Value != 82 || v.Provenance != dxtrack.FromMachine {
			t.Errorf("the machine figure became %+v", v)
		}
	})
}

func valueOf(t *testing.T, vs dxtrack.ValueService, unit *dxtrack.Unit, in *dxtrack.Indicator, p dxtrack.Period) dxtrack.Value {
	t.Helper()
	got, err := vs.FindValues(sys, dxtrack.ValueFilter{UnitID: unit.ID, IndicatorID: in.ID, From: &p, To: &p})
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("values of %s %s = %+v, want one", in.Code, p, got)
	}
	return got[0]
}

func containsStep(steps []string, s string) bool {
	for _, x := range steps {
		if x == s {
			return true
		}
	}
	return false
}
