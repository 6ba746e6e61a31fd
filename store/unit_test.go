package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func codes(units []*dxtrack.Unit) []string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.Code
	}
	return out
}

func TestMigrate(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			db, dsn := e.open(t)
			if db.Engine() != e.name {
				t.Errorf("Engine() = %q, want %q", db.Engine(), e.name)
			}
			ctx := context.Background()
			empty, err := db.Empty(ctx)
			must(t, err)
			if !empty {
				t.Error("a new store is not empty")
			}
			// Migrating again, by hand or by opening again, changes nothing.
			must(t, db.Migrate(ctx))
			must(t, db.Migrate(ctx))
			again := mustOpen(t, dsn)
			cats, err := store.NewCategoryService(again).FindCategories(sys, "")
			must(t, err)
			if got, want := len(cats), len(dxtrack.DefaultCategories); got != want {
				t.Fatalf("categories after three migrations = %d, want %d", got, want)
			}
			if cats[0].Code != "CQS" || cats[0].Kind != dxtrack.CategoryPillar || cats[len(cats)-1].Kind != dxtrack.CategorySector {
				t.Errorf("categories out of order: first %+v, last %+v", cats[0], cats[len(cats)-1])
			}
			w := services(db)
			w.mustUnit(t, "22", "Quảng Ninh", dxtrack.UnitProvince, 0)
			if empty, err := db.Empty(ctx); err != nil || empty {
				t.Errorf("Empty() = %v, %v after adding a unit", empty, err)
			}
		})
	}
}

func TestUnits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)

		t.Run("find", func(t *testing.T) {
			u, err := w.units.FindUnitByCode(as(w.leader), "06994")
			must(t, err)
			if u.ID != w.communeA.ID || u.NameVI != "Vân Đồn" || u.ParentID != w.qn.ID || u.Type != dxtrack.UnitSpecialZone {
				t.Errorf("by code: %+v", u)
			}
			_, err = w.units.FindUnitByCode(as(w.leader), "nope")
			wantCode(t, err, dxtrack.ENOTFOUND)
			_, err = w.units.FindUnitByID(context.Background(), w.qn.ID)
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			qn, err := w.units.FindUnitByID(as(w.leader), w.qn.ID)
			must(t, err)
			if qn.Children != 3 {
				t.Errorf("Quảng Ninh has %d current children, want 3", qn.Children)
			}
		})

		t.Run("subtree and ancestors", func(t *testing.T) {
			under, total, err := w.units.FindUnits(as(w.leader), dxtrack.UnitFilter{Under: &w.qn.ID})
			must(t, err)
			// Ordered by type (department, ward, special zone), then name.
			if got, want := codes(under), []string{"QN-KHCN", "07030", "06994"}; !slices.Equal(got, want) || total != 3 {
				t.Errorf("under Quảng Ninh: %v (%d), want %v", got, total, want)
			}
			roots, _, err := w.units.FindUnits(as(w.leader), dxtrack.UnitFilter{ParentID: ptr(int64(0))})
			must(t, err)
			if got, want := codes(roots), []string{"25", "22"}; !slices.Equal(got, want) {
				t.Errorf("roots = %v, want %v (Phú Thọ before Quảng Ninh)", got, want)
			}
			page, total, err := w.units.FindUnits(as(w.leader), dxtrack.UnitFilter{Page: dxtrack.Page{Offset: 1, Limit: 2}})
			must(t, err)
			if len(page) != 2 || total != 6 {
				t.Errorf("page of 2 from 1: %v of %d", codes(page), total)
			}
			anc, err := w.units.UnitAncestors(as(w.leader), w.communeA.ID)
			must(t, err)
			if got, want := codes(anc), []string{"22", "06994"}; !slices.Equal(got, want) {
				t.Errorf("ancestors = %v, want %v", got, want)
			}
		})

		t.Run("folded search", func(t *testing.T) {
			hb := w.mustUnit(t, "HB", "Hòa Bình", dxtrack.UnitWard, w.pt.ID)
			w.mustUnit(t, "HL", "Hạ Long", dxtrack.UnitWard, w.qn.ID)
			for _, q := range []string{"Hòa Bình", "Hoà Bình", "hoa binh", "HOÀ BÌNH", "  hòa   bình "} {
				got, n, err := w.units.FindUnits(as(w.leader), dxtrack.UnitFilter{Query: q})
				must(t, err)
				if n != 1 || got[0].ID != hb.ID {
					t.Errorf("query %q found %v", q, codes(got))
				}
			}
			// Bình Hòa matches the words too, but the name typed in order comes first.
			w.mustUnit(t, "BH", "Bình Hòa", dxtrack.UnitWard, w.qn.ID)
			for q, want := range map[string][]string{"hoa binh": {"HB", "BH"}, "binh hoa": {"BH", "HB"}} {
				got, _, err := w.units.FindUnits(as(w.leader), dxtrack.UnitFilter{Query: q})
				must(t, err)
				if !slices.Equal(codes(got), want) {
					t.Errorf("query %q found %v, want %v", q, codes(got), want)
				}
			}
			got, _, err := w.units.FindUnits(as(w.leader), dxtrack.UnitFilter{Query: "ha long"})
			must(t, err)
			if !slices.Equal(codes(got), []string{"HL"}) {
				t.Errorf(`"ha long" found %v`, codes(got))
			}
			// A LIKE wildcard in the query is a plain character.
			got, _, err = w.units.FindUnits(as(w.leader), dxtrack.UnitFilter{Query: "%"})
			must(t, err)
			if len(got) != 0 {
				t.Errorf(`"%%" found %v`, codes(got))
			}
			got, _, err = w.units.FindUnits(as(w.leader), dxtrack.UnitFilter{Query: "binh", Types: []dxtrack.UnitType{dxtrack.UnitCommune}})
			must(t, err)
			if len(got) != 0 {
				t.Errorf("type filter ignored: %v", codes(got))
			}
		})

		t.Run("create refused", func(t *testing.T) {
			before := w.count(t, "units")
			err := w.units.CreateUnit(sys, &dxtrack.Unit{Code: "22", NameVI: "Trùng", Type: dxtrack.UnitProvince})
			wantField(t, err, "code", "error.duplicate_code")
			err = w.units.CreateUnit(sys, &dxtrack.Unit{Code: "X1", NameVI: "Lạc", Type: dxtrack.UnitCommune, ParentID: 99999})
			wantField(t, err, "parent_id", "error.unknown_unit")
			err = w.units.CreateUnit(as(w.adminPT), &dxtrack.Unit{Code: "X2", NameVI: "Ngoài", Type: dxtrack.UnitCommune, ParentID: w.qn.ID})
			wantCode(t, err, dxtrack.EFORBIDDEN)
			err = w.units.CreateUnit(as(w.reporterA), &dxtrack.Unit{Code: "X3", NameVI: "Con", Type: dxtrack.UnitOther, ParentID: w.communeA.ID})
			wantCode(t, err, dxtrack.EFORBIDDEN)
			if after := w.count(t, "units"); after != before {
				t.Errorf("units %d → %d after refused creates", before, after)
			}
			// An admin may add under its own subtree.
			must(t, w.units.CreateUnit(as(w.admin), &dxtrack.Unit{Code: "QN-TC", NameVI: "Sở Tài chính", Type: dxtrack.UnitDepartment, ParentID: w.qn.ID}))
		})

		t.Run("update moves the subtree", func(t *testing.T) {
			// Vân Đồn gets a child, then moves (with it) under Phú Thọ.
			child := w.mustUnit(t, "VD-1", "Thôn 1", dxtrack.UnitOther, w.communeA.ID)
			_, err := w.units.UpdateUnit(as(w.admin), w.communeA.ID, dxtrack.UnitUpdate{ParentID: &w.pt.ID}, date("2025-09-01"))
			wantCode(t, err, dxtrack.EFORBIDDEN) // Phú Thọ is outside the admin's scope
			_, err = w.units.UpdateUnit(sys, w.communeA.ID, dxtrack.UnitUpdate{ParentID: &child.ID}, date("2025-09-01"))
			wantField(t, err, "parent_id", "error.self_parent")

			u, err := w.units.UpdateUnit(sys, w.communeA.ID, dxtrack.UnitUpdate{ParentID: &w.pt.ID, NameVI: ptr("Vân Đồn mới")}, date("2025-09-01"))
			must(t, err)
			if u.ParentID != w.pt.ID || u.NameVI != "Vân Đồn mới" || u.Children != 1 {
				t.Errorf("updated unit: %+v", u)
			}
			anc, err := w.units.UnitAncestors(sys, child.ID)
			must(t, err)
			if got, want := codes(anc), []string{"25", "06994", "VD-1"}; !slices.Equal(got, want) {
				t.Errorf("grandchild's ancestors after the move = %v, want %v", got, want)
			}
			under, _, err := w.units.FindUnits(sys, dxtrack.UnitFilter{Under: &w.pt.ID})
			must(t, err)
			if !slices.Contains(codes(under), "VD-1") {
				t.Errorf("Phú Thọ's subtree %v misses the moved grandchild", codes(under))
			}
			changes, _, err := w.units.UnitHistory(sys, w.communeA.ID)
			must(t, err)
			want := []dxtrack.UnitChange{
				{UnitID: w.communeA.ID, On: date("2025-09-01"), Field: "name_vi", Old: "Vân Đồn", New: "Vân Đồn mới", Source: "user:system"},
				{UnitID: w.communeA.ID, On: date("2025-09-01"), Field: "parent", Old: "22", New: "25", Source: "user:system"},
			}
			if !slices.Equal(changes, want) {
				t.Errorf("history:\n got %+v\nwant %+v", changes, want)
			}
			// The admin of Quảng Ninh no longer reaches the moved unit.
			_, err = w.units.UpdateUnit(as(w.admin), w.communeA.ID, dxtrack.UnitUpdate{Head: ptr("X")}, date("2025-09-02"))
			wantCode(t, err, dxtrack.EFORBIDDEN)
		})
	})
}

func TestUnitLineage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		on := date("2025-10-01")
		err := w.units.MergeUnits(as(w.adminPT), []int64{w.communeA.ID}, w.communeB.ID, on)
		wantCode(t, err, dxtrack.EFORBIDDEN)
		must(t, w.units.MergeUnits(as(w.admin), []int64{w.communeA.ID}, w.communeB.ID, on))

		a, err := w.units.FindUnitByID(sys, w.communeA.ID)
		must(t, err)
		if !a.ValidTo.Equal(on) {
			t.Errorf("merged unit valid to %v, want %v", a.ValidTo, on)
		}
		// Before the merge day it is still listed; after it, not, unless All.
		for _, c := range []struct {
			f    dxtrack.UnitFilter
			want bool
		}{
			{dxtrack.UnitFilter{Under: &w.qn.ID, AsOf: date("2025-09-30")}, true},
			{dxtrack.UnitFilter{Under: &w.qn.ID, AsOf: on}, false},
			{dxtrack.UnitFilter{Under: &w.qn.ID, AsOf: on, All: true}, true},
		} {
			got, _, err := w.units.FindUnits(sys, c.f)
			must(t, err)
			if slices.Contains(codes(got), "06994") != c.want {
				t.Errorf("filter %+v: %v", c.f, codes(got))
			}
		}
		must(t, w.units.SplitUnit(sys, w.communeB.ID, []int64{w.dept.ID}, on, false))

		changes, lineage, err := w.units.UnitHistory(sys, w.communeB.ID)
		must(t, err)
		wantLineage := []dxtrack.Lineage{
			{FromID: w.communeA.ID, ToID: w.communeB.ID, Kind: dxtrack.LineageMerge, On: on},
			{FromID: w.communeB.ID, ToID: w.dept.ID, Kind: dxtrack.LineageSplit, On: on},
		}
		if !slices.Equal(lineage, wantLineage) || len(changes) != 0 {
			t.Errorf("successor's history: %+v %+v", changes, lineage)
		}
		changes, lineage, err = w.units.UnitHistory(sys, w.communeA.ID)
		must(t, err)
		if len(lineage) != 1 || len(changes) != 1 || changes[0].Field != "valid_to" || changes[0].New != "2025-10-01" {
			t.Errorf("merged unit's history: %+v %+v", changes, lineage)
		}
		err = w.units.MergeUnits(sys, []int64{w.communeB.ID}, w.communeB.ID, on)
		wantField(t, err, "from", "error.self_parent")
		err = w.units.MergeUnits(sys, []int64{424242}, w.communeB.ID, on)
		wantField(t, err, "from", "error.unknown_unit")
	})
}
