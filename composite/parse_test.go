package composite_test

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
)

// base is a small valid definition the validation cases break.
const base = `
code: T
version: "1"
name_vi: Thử
decimals: 4
root:
  code: R
  name_vi: Gốc
  aggregator: weighted_mean
  weights_sum: 1
  children:
    - code: A
      name_vi: A
      weight: 0.5
      aggregator: points_sum
      children:
        - {code: A1, name_vi: A1, max_points: 10, rule: {kind: ratio, input: x, denominator: y}}
        - {code: A2, name_vi: A2, max_points: 10, rule: {kind: steps, steps: [{at_least: 1, score: 0.5}, {at_least: 2, score: 1}]}}
    - code: B
      name_vi: B
      weight: 0.5
      rule: {kind: minmax_fixed, min: 0, max: 1}
`

func mustParse(t *testing.T, src string) *composite.Index {
	t.Helper()
	ix, err := composite.Parse([]byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return ix
}

func fields(err error) []string {
	var out []string
	for _, f := range dxtrack.ErrorFields(err) {
		out = append(out, f.Field+" "+f.MsgID)
	}
	return out
}

func TestValidate(t *testing.T) {
	mustParse(t, base)
	tests := []struct {
		name, old, new, want string
	}{
		{"empty code", "code: T\n", "code: \"\"\n", "code error.required"},
		{"duplicate code", "code: A2,", "code: A1,", "nodes.R/A/A1.code error.composite_duplicate_node"},
		{"unknown aggregator", "aggregator: points_sum", "aggregator: median", "nodes.R/A.aggregator error.composite_unknown_aggregator"},
		{"unknown rule", "kind: minmax_fixed", "kind: logistic", "nodes.R/B.rule.kind error.composite_unknown_rule"},
		{"unknown missing", "  weights_sum: 1\n", "  weights_sum: 1\n  missing: drop\n", "nodes.R.missing error.composite_unknown_missing"},
		{"weights sum", "weight: 0.5\n      rule", "weight: 0.6\n      rule", "nodes.R.children error.composite_weights_sum"},
		{"negative weight", "weight: 0.5\n      aggregator", "weight: -0.5\n      aggregator", "nodes.R/A.weight error.composite_negative"},
		{"leaf without rule", "      rule: {kind: minmax_fixed, min: 0, max: 1}\n", "", "nodes.R/B.rule error.composite_leaf_rule"},
		{"inner with rule", "      aggregator: points_sum\n", "      aggregator: points_sum\n      rule: {kind: raw}\n", "nodes.R/A.rule error.composite_inner_rule"},
		{"ratio without denominator", ", denominator: y", "", "nodes.R/A/A1.rule.denominator error.composite_denominator"},
		{"steps not ascending", "at_least: 2", "at_least: 1", "nodes.R/A/A2.rule.steps[1].at_least error.composite_steps_order"},
		{"minmax bounds", "min: 0, max: 1", "min: 1, max: 1", "nodes.R/B.rule.max error.composite_bounds"},
		{"categorical without categories", "kind: minmax_fixed, min: 0, max: 1", "kind: categorical", "nodes.R/B.rule.categories error.composite_categories"},
		{"unknown field", "decimals: 4", "decimals: 4\nweights: 1", "definition error.composite_syntax"},
		{"no tree", base[strings.Index(base, "root:"):], "", "root error.composite_empty"},
		{"no scored child", "max_points: 10, rule: {kind: ratio", "max_points: 0, rule: {kind: ratio", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, tt.old, tt.new, 1)
			if src == base {
				t.Fatalf("case does not change the definition")
			}
			_, err := composite.Parse([]byte(src))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", fields(err))
				}
				return
			}
			if got := fields(err); !slices.Contains(got, tt.want) {
				t.Errorf("problems %q, want %q", got, tt.want)
			}
			if dxtrack.ErrorCode(err) != dxtrack.EINVALID {
				t.Errorf("code %q", dxtrack.ErrorCode(err))
			}
		})
	}
	// Both children of A without points: nothing to score.
	src := strings.Replace(strings.Replace(base, "max_points: 10, rule: {kind: ratio", "max_points: 0, rule: {kind: ratio", 1),
		"max_points: 10, rule: {kind: steps", "max_points: 0, rule: {kind: steps", 1)
	if got := fields(must(composite.Parse([]byte(src)))); !slices.Contains(got, "nodes.R/A.children error.composite_no_weight") {
		t.Errorf("no scored child: %q", got)
	}
}

func must(_ *composite.Index, err error) error { return err }

// TestFlatForm reads a definition given as a list of nodes naming their
// parents, and refuses unknown parents and cycles naming the node.
func TestFlatForm(t *testing.T) {
	flat := `{"code": "F", "version": "1", "name_vi": "F", "nodes": [
	  {"code": "R", "name_vi": "R", "aggregator": "weighted_mean"},
	  {"code": "X", "parent": "R", "name_vi": "X", "weight": 1, "rule": {"kind": "raw"}},
	  {"code": "Y", "parent": "R", "name_vi": "Y", "weight": 3, "rule": {"kind": "raw"}}]}`
	ix := mustParse(t, flat)
	if ix.Root.Code != "R" || len(ix.Root.Children) != 2 || ix.Root.Children[1].Code != "Y" {
		t.Fatalf("tree %+v", ix.Root)
	}
	tests := []struct{ old, new, want string }{
		{`"parent": "R", "name_vi": "Y"`, `"parent": "Q", "name_vi": "Y"`, "nodes.Y.parent error.composite_unknown_parent"},
		{`{"code": "R", "name_vi": "R"`, `{"code": "R", "parent": "Y", "name_vi": "R"`, "nodes.R.parent error.composite_cycle"},
		{`"parent": "R", "name_vi": "Y"`, `"name_vi": "Y"`, "nodes.Y.parent error.composite_two_roots"},
	}
	for _, tt := range tests {
		_, err := composite.Parse([]byte(strings.Replace(flat, tt.old, tt.new, 1)))
		if got := fields(err); !slices.Contains(got, tt.want) {
			t.Errorf("%s: problems %q, want %q", tt.new, got, tt.want)
		}
	}
	yflat := "code: F\nversion: '1'\nname_vi: F\nnodes:\n  - {code: R, name_vi: R, aggregator: geometric}\n  - {code: X, parent: R, name_vi: X, weight: 1, rule: {kind: raw}}\n"
	if ix := mustParse(t, yflat); ix.Root.Aggregator != composite.Geometric || ix.Root.Children[0].Code != "X" {
		t.Errorf("yaml flat form: %+v", ix.Root)
	}
}

// TestRoundTrip writes every built-in definition as JSON and YAML and
// reads it back unchanged.
func TestRoundTrip(t *testing.T) {
	all := composite.Builtins()
	if len(all) != 4 {
		t.Fatalf("%d built-ins, want 4", len(all))
	}
	for _, ix := range all {
		j, err := ix.JSON()
		if err != nil {
			t.Fatal(err)
		}
		y, err := ix.YAML()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(j, []byte("\n  \"code\"")) {
			t.Errorf("%s: JSON not indented", ix.Code)
		}
		for name, b := range map[string][]byte{"json": j, "yaml": y} {
			back, err := composite.Parse(b)
			if err != nil {
				t.Fatalf("%s %s: %v", ix.Code, name, err)
			}
			if !reflect.DeepEqual(back, ix) {
				t.Errorf("%s: %s round trip differs", ix.Code, name)
			}
		}
	}
	if composite.Builtin("DTI-922", "2022") == nil || composite.Builtin("DTI-1726", "2020") == nil || composite.Builtin("EGDI", "2021") != nil {
		t.Error("Builtin lookup")
	}
}

func TestInputs(t *testing.T) {
	ix := mustParse(t, base)
	got := ix.Inputs()
	want := []composite.Input{{Column: "x", Node: "A1"}, {Column: "y", Node: "A1"}, {Column: "A2", Node: "A2"}, {Column: "B", Node: "B"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("inputs %+v, want %+v", got, want)
	}
	var codes []string
	ix.Walk(func(n, parent *composite.Node, depth int) {
		p := ""
		if parent != nil {
			p = parent.Code
		}
		codes = append(codes, n.Code+"<"+p+":"+string(rune('0'+depth)))
	})
	if got := strings.Join(codes, " "); got != "R<:0 A<R:1 A1<A:2 A2<A:2 B<R:1" {
		t.Errorf("walk %s", got)
	}
	if l := ix.Leaves(); len(l) != 3 || ix.Node("A2") != l[1] || ix.Node("nope") != nil {
		t.Errorf("leaves %v", l)
	}
}
