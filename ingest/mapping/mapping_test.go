package mapping

import (
	"testing"

	"github.com/dxtrack/dxtrack"
)

// TestEvalFastPaths: a rule's fast paths (a field, a field compared with
// true or false) answer as its program does, whatever the record holds.
func TestEvalFastPaths(t *testing.T) {
	m, err := Compile(dxtrack.Mapping{UnitField: "unit", TimeField: "at", Rules: []dxtrack.MapRule{
		{Indicator: "A", Agg: dxtrack.MapShare, Where: "online == true"},
		{Indicator: "B", Agg: dxtrack.MapShare, Where: "false == paper"},
		{Indicator: "C", Agg: dxtrack.MapShare, Where: "digitised"},
		{Indicator: "D", Agg: dxtrack.MapSum, Expr: "fee"},
		{Indicator: "E", Agg: dxtrack.MapAvg, Expr: "days", Where: "done == true"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	fast := 0
	for _, r := range m.Rules {
		if r.exprField != "" || r.whereField != "" {
			fast++
		}
	}
	if fast != 5 {
		t.Fatalf("%d rules with a fast path, want 5", fast)
	}
	values := []any{nil, true, false, 0.0, 2.5, "true", "3", []any{1.0}}
	for _, a := range values {
		for _, b := range values {
			rec := dxtrack.Record{"online": a, "paper": b, "digitised": a, "fee": b, "days": a, "done": b}
			for i, r := range m.Rules {
				slow := r
				slow.exprField, slow.whereField = "", ""
				hit, x, p := r.Eval(rec, i)
				wantHit, wantX, wantP := slow.Eval(rec, i)
				same := hit == wantHit && x == wantX && (p == nil) == (wantP == nil)
				if same && p != nil {
					same = p.Field == wantP.Field && p.MsgID == wantP.MsgID && p.Args["Value"] == wantP.Args["Value"]
				}
				if !same {
					t.Errorf("rule %s on %v: fast %v %v %+v, program %v %v %+v", r.Indicator, rec, hit, x, p, wantHit, wantX, wantP)
				}
			}
		}
	}
}
