package store_test

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func rec(code, name, typeName string, typ dxtrack.UnitType, parent string) dxtrack.UnitRecord {
	return dxtrack.UnitRecord{Code: code, NameVI: name, FullName: typeName + " " + name, Type: typ,
		TypeNameVI: typeName, ParentCode: parent}
}

func TestImportUnits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := services(db)
		first := []dxtrack.UnitRecord{
			rec("75", "Đồng Nai", "Tỉnh", dxtrack.UnitProvince, ""),
			rec("26041", "Biên Hòa", "Phường", dxtrack.UnitWard, "75"),
			rec("26068", "Trấn Biên", "Phường", dxtrack.UnitWard, "75"),
			rec("38", "Thanh Hóa", "Tỉnh", dxtrack.UnitProvince, ""),
			rec("16378", "Hạc Thành", "Phường", dxtrack.UnitWard, "38"),
		}
		effective1 := date("2025-07-01")
		imp, err := w.units.ImportUnits(sys, first, effective1, "vn_admin_units_2025-07.csv")
		must(t, err)
		if imp.Created != 5 || imp.Updated != 0 || imp.Ended != 0 || len(imp.Changes) != 0 {
			t.Fatalf("first import: %+v", imp)
		}
		dn, err := w.units.FindUnitByCode(sys, "75")
		must(t, err)
		if dn.ValidFrom != effective1 || dn.Children != 2 || dn.FullName != "Tỉnh Đồng Nai" {
			t.Errorf("Đồng Nai after the first import: %+v", dn)
		}
		anc, err := w.units.UnitAncestors(sys, mustCode(t, w, "26041").ID)
		must(t, err)
		if !slices.Equal(codes(anc), []string{"75", "26041"}) {
			t.Errorf("ancestors of Biên Hòa: %v", codes(anc))
		}

		// Importing the same list again changes nothing.
		imp, err = w.units.ImportUnits(sys, first, effective1, "again")
		must(t, err)
		if imp.Unchanged != 5 || imp.Created+imp.Updated+imp.Ended != 0 {
			t.Errorf("repeated import: %+v", imp)
		}

		// The 2026 list: Đồng Nai becomes a municipality (its type label
		// changes), spellings change, Trấn Biên is gone, Hạc Thành moves
		// under Đồng Nai, a new ward appears.
		second := []dxtrack.UnitRecord{
			rec("75", "Đồng Nai", "Thành phố trực thuộc trung ương", dxtrack.UnitProvince, ""),
			rec("26041", "Biên Hoà", "Phường", dxtrack.UnitWard, "75"),
			rec("38", "Thanh Hoá", "Tỉnh", dxtrack.UnitProvince, ""),
			rec("16378", "Hạc Thành", "Phường", dxtrack.UnitWard, "75"),
			rec("99999", "Phường Mới", "Phường", dxtrack.UnitWard, "38"),
		}
		second[0].FullName = "Thành phố Đồng Nai"
		effective2 := date("2026-04-30")
		imp, err = w.units.ImportUnits(sys, second, effective2, "vn_admin_units_2026-04.csv")
		must(t, err)
		if imp.Created != 1 || imp.Updated != 4 || imp.Ended != 1 || imp.Unchanged != 0 {
			t.Errorf("update counts: %+v", imp)
		}
		changed := map[string]bool{}
		for _, c := range imp.Changes {
			if c.On != effective2 || c.Source != "vn_admin_units_2026-04.csv" {
				t.Errorf("change not dated or sourced: %+v", c)
			}
			changed[c.Field+":"+c.Old+"→"+c.New] = true
		}
		for _, want := range []string{
			"type_name_vi:Tỉnh→Thành phố trực thuộc trung ương",
			"full_name:Tỉnh Đồng Nai→Thành phố Đồng Nai",
			"name_vi:Biên Hòa→Biên Hoà",
			"name_vi:Thanh Hóa→Thanh Hoá",
			"parent:38→75",
			"valid_to:→2026-04-30",
		} {
			if !changed[want] {
				t.Errorf("change %q not reported in %+v", want, imp.Changes)
			}
		}

		// Old names stay in history; the unit is found by either spelling.
		bh := mustCode(t, w, "26041")
		history, _, err := w.units.UnitHistory(sys, bh.ID)
		must(t, err)
		if len(history) != 2 || history[0].Old != "Biên Hòa" || history[0].New != "Biên Hoà" || history[0].On != effective2 {
			t.Errorf("Biên Hoà's history: %+v", history)
		}
		db.Now = func() time.Time { return date("2026-05-01") }
		for _, q := range []string{"Biên Hòa", "Biên Hoà", "bien hoa"} {
			got, _, err := w.units.FindUnits(sys, dxtrack.UnitFilter{Query: q})
			must(t, err)
			if !slices.Equal(codes(got), []string{"26041"}) {
				t.Errorf("%q found %v", q, codes(got))
			}
		}
		// Trấn Biên is ended, not deleted.
		tb := mustCode(t, w, "26068")
		if tb.ValidTo != effective2 {
			t.Errorf("Trấn Biên valid to %v", tb.ValidTo)
		}
		wards, _, err := w.units.FindUnits(sys, dxtrack.UnitFilter{Under: &dn.ID})
		must(t, err)
		if got, want := codes(wards), []string{"26041", "16378"}; !slices.Equal(got, want) {
			t.Errorf("current wards of Đồng Nai = %v, want %v", got, want)
		}
		all, _, err := w.units.FindUnits(sys, dxtrack.UnitFilter{Under: &dn.ID, All: true})
		must(t, err)
		if len(all) != 3 {
			t.Errorf("all wards of Đồng Nai, ended too = %v", codes(all))
		}

		// An ended unit that is listed again is revived.
		third := append(slices.Clone(second), rec("26068", "Trấn Biên", "Phường", dxtrack.UnitWard, "75"))
		imp, err = w.units.ImportUnits(sys, third, date("2026-06-01"), "fix")
		must(t, err)
		if imp.Updated != 1 || imp.Unchanged != 5 || len(imp.Changes) != 1 || imp.Changes[0].Field != "valid_to" || imp.Changes[0].New != "" {
			t.Errorf("revival: %+v", imp)
		}
		if tb := mustCode(t, w, "26068"); !tb.ValidTo.IsZero() {
			t.Errorf("revived unit still ends on %v", tb.ValidTo)
		}
	})
}

func mustCode(t *testing.T, w *world, code string) *dxtrack.Unit {
	t.Helper()
	u, err := w.units.FindUnitByCode(sys, code)
	must(t, err)
	return u
}

func TestImportUnitsRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		before, beforeChanges := w.count(t, "units"), w.count(t, "unit_changes")
		for _, c := range []struct {
			name  string
			recs  []dxtrack.UnitRecord
			field string
			msgID string
		}{
			{"unknown parent", []dxtrack.UnitRecord{
				rec("22", "Quảng Ninh đổi tên", "Tỉnh", dxtrack.UnitProvince, ""),
				rec("07001", "Mới", "Xã", dxtrack.UnitCommune, "22"),
				rec("07002", "Lạc", "Xã", dxtrack.UnitCommune, "99"),
			}, "row 4: parent_code", "error.unknown_unit"},
			{"parent later in the list", []dxtrack.UnitRecord{
				rec("07003", "Con", "Xã", dxtrack.UnitCommune, "77"),
				rec("77", "Cha", "Tỉnh", dxtrack.UnitProvince, ""),
			}, "row 2: parent_code", "error.unknown_unit"},
			{"duplicate code", []dxtrack.UnitRecord{
				rec("07004", "Một", "Xã", dxtrack.UnitCommune, "22"),
				rec("07004", "Hai", "Xã", dxtrack.UnitCommune, "22"),
			}, "row 3: code", "error.duplicate_code"},
			{"bad type", []dxtrack.UnitRecord{rec("07005", "Ba", "Huyện", "huyen", "22")}, "row 2: type", "error.unknown_value"},
			{"no name", []dxtrack.UnitRecord{rec("07006", "", "Xã", dxtrack.UnitCommune, "22")}, "row 2: name_vi", "error.required"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := w.units.ImportUnits(sys, c.recs, date("2025-08-01"), "bad.csv")
				wantField(t, err, c.field, c.msgID)
				if after, changes := w.count(t, "units"), w.count(t, "unit_changes"); after != before || changes != beforeChanges {
					t.Errorf("refused import wrote: units %d → %d, changes %d → %d", before, after, beforeChanges, changes)
				}
			})
		}
		qn := mustCode(t, w, "22")
		if qn.NameVI != "Quảng Ninh" {
			t.Errorf("a refused import renamed the province to %q", qn.NameVI)
		}
		// An admin of another province may not import into Quảng Ninh.
		_, err := w.units.ImportUnits(as(w.adminPT), []dxtrack.UnitRecord{rec("07007", "X", "Xã", dxtrack.UnitCommune, "22")}, date("2025-08-01"), "x")
		wantCode(t, err, dxtrack.EFORBIDDEN)
		_, err = w.units.ImportUnits(as(w.reporterA), []dxtrack.UnitRecord{rec("07008", "X", "Xã", dxtrack.UnitCommune, "06994")}, date("2025-08-01"), "x")
		wantCode(t, err, dxtrack.EFORBIDDEN)
	})
}

// readUnitCSV reads the shared administrative lists in the test, mapping
// the official type labels to unit types.
func readUnitCSV(t *testing.T, path string) []dxtrack.UnitRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("real unit list not available: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	must(t, err)
	var recs []dxtrack.UnitRecord
	for _, r := range rows[1:] {
		typ := dxtrack.UnitProvince
		switch {
		case r[4] == "province":
		case r[5] == "Phường":
			typ = dxtrack.UnitWard
		case strings.HasPrefix(r[5], "Đặc khu"):
			typ = dxtrack.UnitSpecialZone
		default:
			typ = dxtrack.UnitCommune
		}
		recs = append(recs, dxtrack.UnitRecord{Code: r[0], NameVI: r[1], FullName: r[2], NameEN: r[3], Type: typ,
			TypeNameVI: r[5], TypeNameEN: r[6], ParentCode: r[7]})
	}
	return recs
}

func TestImportRealUnits(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 3,355 units twice")
	}
	first := readUnitCSV(t, "../../shared/data/vn_admin_units_2025-07.csv")
	second := readUnitCSV(t, "../../shared/data/vn_admin_units_2026-04.csv")
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := services(db)
		imp, err := w.units.ImportUnits(sys, first, date("2025-07-01"), "vn_admin_units_2025-07.csv")
		must(t, err)
		if imp.Created != 3355 {
			t.Fatalf("created %d units", imp.Created)
		}
		_, provinces, err := w.units.FindUnits(sys, dxtrack.UnitFilter{Types: []dxtrack.UnitType{dxtrack.UnitProvince}})
		must(t, err)
		_, local, err := w.units.FindUnits(sys, dxtrack.UnitFilter{Types: []dxtrack.UnitType{dxtrack.UnitCommune, dxtrack.UnitWard, dxtrack.UnitSpecialZone}})
		must(t, err)
		if provinces != 34 || local != 3321 {
			t.Errorf("%d provinces and %d communes, want 34 and 3321", provinces, local)
		}
		imp, err = w.units.ImportUnits(sys, second, date("2026-04-30"), "vn_admin_units_2026-04.csv")
		must(t, err)
		if imp.Created != 0 || imp.Ended != 0 || imp.Updated == 0 {
			t.Errorf("2026 update: created %d, updated %d, ended %d", imp.Created, imp.Updated, imp.Ended)
		}
		dn := mustCode(t, w, "75")
		if dn.TypeNameVI != "Thành phố trực thuộc trung ương" || dn.FullName != "Thành phố Đồng Nai" {
			t.Errorf("Đồng Nai after 2026: %+v", dn)
		}
		history, _, err := w.units.UnitHistory(sys, dn.ID)
		must(t, err)
		var typeChange *dxtrack.UnitChange
		for i := range history {
			if history[i].Field == "type_name_vi" {
				typeChange = &history[i]
			}
		}
		if typeChange == nil || typeChange.Old != "Tỉnh" || typeChange.On != date("2026-04-30") {
			t.Errorf("Đồng Nai's type change not in history: %+v", history)
		}
		_, local, err = w.units.FindUnits(sys, dxtrack.UnitFilter{Under: &dn.ID})
		must(t, err)
		if local == 0 {
			t.Error("Đồng Nai has no communes after the update")
		}
	})
}
