package formula_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/dxtrack/dxtrack/formula"
)

// env is a fixed set of inputs: this period's values and last period's.
func env(cur, prev map[string]float64) func(string, bool) (float64, bool) {
	return func(code string, p bool) (float64, bool) {
		m := cur
		if p {
			m = prev
		}
		v, ok := m[code]
		return v, ok
	}
}

func TestEval(t *testing.T) {
	cur := map[string]float64{"A": 30, "B": 120, "C": 0, "D.2": 2.5, "X_1": -4, "SUM": 7}
	prev := map[string]float64{"A": 20}
	tests := []struct {
		src  string
		want float64
		ok   bool
	}{
		{"1 + 2 * 3", 7, true},
		{"(1 + 2) * 3", 9, true},
		{"10 - 4 - 3", 3, true},       // left-associative
		{"48 / 4 / 2", 6, true},       // left-associative
		{"-2 * -3", 6, true},          // unary minus binds tighter
		{"--5", 5, true},              // nested unary minus
		{"+5 - -5", 10, true},         // unary plus
		{".5 + 1.25e1", 13, true},     // number forms
		{"100 * A / B", 25, true},     // a rate
		{"A / C", 0, false},           // division by zero
		{"A / (B - 120)", 0, false},   // division by computed zero
		{"A + MISSING", 0, false},     // missing input
		{"A - prev(A)", 10, true},     // growth on last period
		{"prev(B)", 0, false},         // no value last period
		{"D.2 * 2", 5, true},          // dots in codes
		{"X_1 * X_1", 16, true},       // underscores and digits
		{"SUM + sum(1, 2)", 10, true}, // a code named like a function
		{"sum(A, B, 1)", 151, true},
		{"avg(A, B)", 75, true},
		{"AVG(1, 2, 3, 4)", 2.5, true}, // function names ignore case
		{"min(A, B, X_1)", -4, true},
		{"max(A, B, X_1)", 120, true},
		{"sum(A, MISSING)", 0, false}, // strict: every input counts
		{"if(A > 10, 1, 2)", 1, true},
		{"if(A < 10, 1, 2)", 2, true},
		{"if(A > 10, B, MISSING)", 120, true}, // only the branch taken is needed
		{"if(A < 10, B, MISSING)", 0, false},
		{"if(MISSING, 1, 2)", 0, false},
		{"A > 10", 1, true},
		{"A >= 30", 1, true},
		{"A < 30", 0, true},
		{"A <= 30", 1, true},
		{"A = 30", 1, true},
		{"A != 30", 0, true},
		{"1 + 2 < 4", 1, true}, // comparison binds loosest
		{"(A > 10) + (B > 10)", 2, true},
		{"round(2.675, 2)", 2.68, true}, // on the decimal form, not 2.67499…
		{"round(-2.5)", -3, true},       // half away from zero
		{"round(2.4)", 2, true},
		{"round(1234.5, -2)", 1200, true},
		{"round(9.999, 2)", 10, true}, // carry through nines
		{"round(0.0004, 3)", 0, true},
		{"round(0.0005, 3)", 0.001, true},
		{"round(100 * 1 / 3, 1)", 33.3, true},
		{"round(A, 1.6)", 30, true}, // digits rounded to a whole number
		{"1e308 * 10", 0, false},    // overflow is not a figure
	}
	for _, tt := range tests {
		e, err := formula.Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		got, ok := e.Eval(env(cur, prev))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("%q = %v, %v; want %v, %v", tt.src, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "formula: at 1: empty formula"},
		{"   ", "formula: at 4: empty formula"},
		{"(A + B))", "formula: at 8: unexpected ')'"},
		{"sum(A, ))", "formula: at 8: unexpected ')'"},
		{"A +", "formula: at 4: unexpected end of formula"},
		{"(A + B", "formula: at 7: unexpected end of formula"},
		{"A B", "formula: at 3: unexpected 'B'"},
		{"2A", "formula: at 2: unexpected 'A'"},
		{"A # B", "formula: at 3: unexpected '#'"},
		{"A ! B", "formula: at 3: unexpected '!', did you mean '!='?"},
		{"tổng(A)", "formula: at 2: unexpected 'ổ'"}, // positions count characters
		{"foo(A)", "formula: at 1: unknown function 'foo'"},
		{"if(A, B)", "formula: at 1: if takes 3 argument(s), got 2"},
		{"round(A, 1, 2)", "formula: at 1: round takes 1 to 2 arguments, got 3"},
		{"max()", "formula: at 1: max takes at least 1 argument(s), got 0"},
		{"prev(A + B)", "formula: at 8: unexpected '+'"},
		{"prev(1)", "formula: at 6: prev takes an indicator code"},
		{"prev(prev(A))", "formula: at 1: prev takes an indicator code"},
		{"prev()", "formula: at 6: unexpected ')'"},
		{"1e999", "formula: at 1: number 1e999 out of range"},
		{"A < = B", "formula: at 5: unexpected '='"},
	}
	for _, tt := range tests {
		_, err := formula.Parse(tt.src)
		if err == nil {
			t.Errorf("Parse(%q): no error, want %q", tt.src, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q): %q, want %q", tt.src, err, tt.want)
		}
		var se *formula.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): error %T, want *SyntaxError", tt.src, err)
		}
	}
}

func TestParseDepth(t *testing.T) {
	deep := ""
	for range 100 {
		deep += "("
	}
	if _, err := formula.Parse(deep + "1"); err == nil {
		t.Fatal("100 nested parentheses accepted")
	}
	if _, err := formula.Parse("((((((((((1))))))))))"); err != nil {
		t.Fatalf("10 nested parentheses: %v", err)
	}
}

func TestRefs(t *testing.T) {
	e, err := formula.Parse("100 * (A - prev(A)) / max(prev(A), B, A, 1)")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.Refs(), []string{"A", "prev(A)", "B"}; !slices.Equal(got, want) {
		t.Errorf("Refs() = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		ref, code string
		prev      bool
	}{{"A", "A", false}, {"prev(A.B)", "A.B", true}} {
		if code, prev := formula.SplitRef(tt.ref); code != tt.code || prev != tt.prev {
			t.Errorf("SplitRef(%q) = %q, %v", tt.ref, code, prev)
		}
	}
}

func TestString(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"-A + 2*B / SUM(c, prev(D)) >= 1", "-A + 2 * B / sum(c, prev(D)) >= 1"},
		{"((A + B)) * -(C - D) - (E - F)", "(A + B) * -(C - D) - (E - F)"},
		{"A - (B + C) / (D * E) - -(-F)", "A - (B + C) / (D * E) - --F"},
		{"(A < B) = (C < D)", "A < B = (C < D)"},
		{"1000000 * 0.5", "1e+06 * 0.5"},
	} {
		e, err := formula.Parse(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.String(); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	known := func(code string) bool { return code == "IN1" || code == "IN2" }
	tests := []struct {
		name string
		defs map[string]string
		want string
	}{
		{"fine", map[string]string{"R": "100 * IN1 / IN2", "G": "R - prev(R)", "H": "G + R"}, ""},
		{"own previous period", map[string]string{"CUM": "prev(CUM) + IN1"}, ""},
		{"unknown", map[string]string{"A": "IN1 + X"}, "formula of A refers to unknown indicator X"},
		{"unknown previous", map[string]string{"A": "IN1 - prev(Y)"}, "formula of A refers to unknown indicator Y"},
		{"syntax", map[string]string{"A": "IN1 +* IN2"}, "formula of A: at 6: unexpected '*'"},
		{"self", map[string]string{"A": "A + 1"}, "formulas form a cycle: A → A"},
		{"two", map[string]string{"A": "B + IN1", "B": "A * 2"}, "formulas form a cycle: A → B → A"},
		{"three", map[string]string{"B": "C", "C": "D + prev(B)", "D": "B", "A": "IN1"}, "formulas form a cycle: B → C → D → B"},
		{"tail into cycle", map[string]string{"A": "B", "B": "C", "C": "B"}, "formulas form a cycle: B → C → B"},
	}
	for _, tt := range tests {
		err := formula.Check(tt.defs, known)
		got := ""
		if err != nil {
			got = err.Error()
			var ce *formula.CheckError
			if !errors.As(err, &ce) {
				t.Errorf("%s: error %T, want *CheckError", tt.name, err)
			}
		}
		if got != tt.want {
			t.Errorf("%s: Check = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestEvalNaNInput(t *testing.T) {
	e, _ := formula.Parse("A + 1")
	if v, ok := e.Eval(env(map[string]float64{"A": math.NaN()}, nil)); ok {
		t.Errorf("NaN input gave %v, ok", v)
	}
}

// FuzzParse checks that the parser never panics, that positions lie in
// the formula, and that a formula it accepts reads back the same from its
// canonical form and evaluates the same. The seeds run in every go test.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"1 + 2 * 3", "100 * A / B", "A - prev(A)", "round(avg(A, B, C), 1)",
		"if(A >= 1, sum(A, B), -max(C, 0.5))", "(A + B))", "sum(", "prev(prev(A))",
		"1e999", "A != B = C", "tổng(A)", "--x.y_z", "((((1))))", "a<=b>=c<d>e",
		".5e-3", "round(1234.5, -2)", "2e", "A ! B",
	} {
		f.Add(s)
	}
	vals := map[string]float64{"A": 3, "B": 4, "C": -2, "x.y_z": 0.25}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := formula.Parse(src)
		if err != nil {
			var se *formula.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %T", src, err)
			}
			if n := len([]rune(src)); se.Pos < 1 || se.Pos > n+1 {
				t.Fatalf("Parse(%q): position %d outside 1..%d", src, se.Pos, n+1)
			}
			return
		}
		canon := e.String()
		e2, err := formula.Parse(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, src, err)
		}
		if again := e2.String(); again != canon {
			t.Fatalf("canonical form of %q changes: %q then %q", src, canon, again)
		}
		env := func(code string, prev bool) (float64, bool) {
			v, ok := vals[code]
			return v, ok && !prev
		}
		v1, ok1 := e.Eval(env)
		v2, ok2 := e2.Eval(env)
		if ok1 != ok2 || (ok1 && v1 != v2) {
			t.Fatalf("%q = %v, %v but its canonical form %q = %v, %v", src, v1, ok1, canon, v2, ok2)
		}
	})
}
