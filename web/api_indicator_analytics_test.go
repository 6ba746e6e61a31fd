package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/dxtrack/dxtrack"
)

func TestAPIIndicatorAggregation(t *testing.T) {
	f := newAPIFixture(t)
	pillars, err := f.srv.Categories.FindCategories(f.sys, dxtrack.CategoryPillar)
	if err != nil || len(pillars) == 0 {
		t.Fatalf("pillars %v, %v", pillars, err)
	}
	sectors, err := f.srv.Categories.FindCategories(f.sys, dxtrack.CategorySector)
	if err != nil || len(sectors) == 0 {
		t.Fatalf("sectors %v, %v", sectors, err)
	}
	f.do("admin", "POST", "/indicators", map[string]any{"code": "TONG", "name_vi": "Tổng", "type": "count", "source": "machine"}).ok(http.StatusCreated)
	f.do("admin", "POST", "/indicators", map[string]any{"code": "TT", "name_vi": "Trực tuyến", "type": "count"}).ok(http.StatusCreated)
	type view struct {
		ID          int64   `json:"id"`
		UnitAgg     string  `json:"unit_agg"`
		TimeAgg     string  `json:"time_agg"`
		Denominator string  `json:"denominator"`
		Condition   string  `json:"condition"`
		Threshold   float64 `json:"threshold"`
		Source      string  `json:"source"`
		Formula     string  `json:"formula"`
		PillarID    int64   `json:"pillar_id"`
		NameVI      string  `json:"name_vi"`
	}
	// read decodes afresh: a field left out of the answer is empty.
	read := func(r *apiResponse) (v view) {
		r.decode(&v)
		return v
	}
	var tl view
	f.do("admin", "POST", "/indicators", map[string]any{"code": "TL", "name_vi": "Tỷ lệ", "type": "percent",
		"unit_agg": "ratio", "denominator": "TONG", "time_agg": "last", "pillar_id": pillars[0].ID}).ok(http.StatusCreated).decode(&tl)
	if tl.UnitAgg != "ratio" || tl.Denominator != "TONG" || tl.TimeAgg != "last" || tl.PillarID != pillars[0].ID {
		t.Fatalf("created %+v", tl)
	}
	path := fmt.Sprintf("/indicators/%d", tl.ID)

	// A PUT of the name alone keeps the rest.
	got := read(f.do("admin", "PUT", path, map[string]any{"name_vi": "Tỷ lệ hồ sơ trực tuyến"}).ok(http.StatusOK))
	want := tl
	want.NameVI = "Tỷ lệ hồ sơ trực tuyến"
	if got != want {
		t.Errorf("after a partial PUT %+v, want %+v", got, want)
	}
	got = read(f.do("leader", "GET", path, nil).ok(http.StatusOK))
	if got != want {
		t.Errorf("read back %+v, want %+v", got, want)
	}

	// A share of units needs its condition; then it is kept by a PUT
	// that changes only the time aggregation.
	f.do("admin", "PUT", path, map[string]any{"unit_agg": "share"}).invalid("condition", "error.required")
	f.do("admin", "PUT", path, map[string]any{"unit_agg": "share", "condition": ">=", "threshold": 50}).ok(http.StatusOK)
	got = read(f.do("admin", "PUT", path, map[string]any{"time_agg": "avg"}).ok(http.StatusOK))
	if got.UnitAgg != "share" || got.Condition != ">=" || got.Threshold != 50 || got.TimeAgg != "avg" || got.Denominator != "" ||
		got.PillarID != pillars[0].ID {
		t.Errorf("share %+v", got)
	}

	// Formulas: a cycle, an unknown code and bad syntax are refused on
	// "formula"; a formula kept by a partial PUT.
	f.do("admin", "POST", "/indicators", map[string]any{"code": "A", "name_vi": "A", "source": "formula", "formula": "TT + 1"}).ok(http.StatusCreated)
	var tt struct {
		ID int64 `json:"id"`
	}
	var list struct {
		Items []struct {
			ID          int64  `json:"id"`
			Code        string `json:"code"`
			Source      string `json:"source"`
			Formula     string `json:"formula"`
			Denominator string `json:"denominator"`
		} `json:"items"`
	}
	f.do("leader", "GET", "/indicators", nil).ok(http.StatusOK).decode(&list)
	for _, it := range list.Items {
		switch it.Code {
		case "TT":
			tt.ID = it.ID
		case "A":
			if it.Source != "formula" || it.Formula != "TT + 1" {
				t.Errorf("A listed as %+v", it)
			}
		}
	}
	ttPath := fmt.Sprintf("/indicators/%d", tt.ID)
	p := f.do("admin", "PUT", ttPath, map[string]any{"source": "formula", "formula": "A * 2"}).invalid("formula", "error.formula_cycle")
	if p.Errors[0].Message == "" {
		t.Error("no message")
	}
	f.do("admin", "POST", "/indicators", map[string]any{"code": "C", "name_vi": "C", "source": "formula", "formula": "NOPE + 1"}).invalid("formula", "error.formula_unknown")
	f.do("admin", "POST", "/indicators", map[string]any{"code": "C", "name_vi": "C", "source": "formula", "formula": "1 +"}).invalid("formula", "error.formula_syntax")
	f.do("admin", "PUT", path, map[string]any{"unit_agg": "ratio", "denominator": "NOPE"}).invalid("denominator", "error.no_indicator_code")
	f.do("admin", "PUT", path, map[string]any{"unit_agg": "ratio", "denominator": "A"}).invalid("denominator", "error.denominator_formula")
	f.do("admin", "PUT", path, map[string]any{"pillar_id": sectors[0].ID}).invalid("pillar_id", "error.unknown_category")
	f.do("admin", "PUT", path, map[string]any{"unit_agg": "median"}).problem(http.StatusUnprocessableEntity, "invalid")
	var a struct {
		Source  string `json:"source"`
		Formula string `json:"formula"`
		NameEN  string `json:"name_en"`
	}
	var aID int64
	for _, it := range list.Items {
		if it.Code == "A" {
			aID = it.ID
		}
	}
	f.do("admin", "PUT", fmt.Sprintf("/indicators/%d", aID), map[string]any{"name_en": "A"}).ok(http.StatusOK).decode(&a)
	if a.Source != "formula" || a.Formula != "TT + 1" || a.NameEN != "A" {
		t.Errorf("A after a partial PUT %+v", a)
	}
	// Nothing refused was stored.
	if in, err := f.srv.Indicators.FindIndicatorByCode(f.sys, "TT"); err != nil || in.Source != "" || in.Formula != "" {
		t.Errorf("TT %+v, %v", in, err)
	}
	if _, err := f.srv.Indicators.FindIndicatorByCode(f.sys, "C"); dxtrack.ErrorCode(err) != dxtrack.ENOTFOUND {
		t.Errorf("C was stored: %v", err)
	}
	// An empty unit_agg returns to the type's default, and clears the condition.
	got = read(f.do("admin", "PUT", path, map[string]any{"unit_agg": ""}).ok(http.StatusOK))
	if got.UnitAgg != "" || got.Condition != "" || got.Threshold != 0 {
		t.Errorf("reset %+v", got)
	}
}
