// Package mapping compiles a source's mapping (dxtrack.Mapping) and
// evaluates it over records: the unit code, the period of the record's
// time, and per rule whether the record counts and the number it adds.
// The store checks mappings with it when a source is saved; the ingestion
// pipeline runs them.
package mapping

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"

	"github.com/dxtrack/dxtrack"
)

// Local is the province's time zone (UTC+7, no daylight saving): a time
// without an offset is read in it, and a record's period is its calendar
// period there.
var Local = time.FixedZone("ICT", 7*3600)

// Freqs are the frequencies a mapping may use: the calendar periods that
// cover the whole year.
var Freqs = []dxtrack.Frequency{dxtrack.Monthly, dxtrack.Quarterly, dxtrack.Yearly}

// Mapping is a compiled mapping.
type Mapping struct {
	UnitField, TimeField string
	Freq                 dxtrack.Frequency
	Rules                []Rule
}

// Rule is a compiled rule.
type Rule struct {
	Indicator string
	Agg       dxtrack.MapAgg
	expr      *vm.Program // nil for count
	where     *vm.Program // nil: every record

	// Fast paths for the common forms, taken when the record's value has
	// the type they expect (else the program runs, with its own answer
	// or error): an expression that is a field, a condition that is a
	// field or a field compared with true or false.
	exprField  string
	whereField string
	whereWant  bool
}

// fieldOf returns the field an expression names alone, if it does.
func fieldOf(n ast.Node) (string, bool) {
	id, ok := n.(*ast.IdentifierNode)
	if !ok {
		return "", false
	}
	return id.Value, true
}

// boolTest returns the field and the value of a condition of the form
// "field", "field == true|false" or "true|false == field".
func boolTest(n ast.Node) (string, bool, bool) {
	if f, ok := fieldOf(n); ok {
		return f, true, true
	}
	b, ok := n.(*ast.BinaryNode)
	if !ok || b.Operator != "==" {
		return "", false, false
	}
	l, r := b.Left, b.Right
	if _, ok := l.(*ast.BoolNode); ok {
		l, r = r, l
	}
	f, ok := fieldOf(l)
	want, isBool := r.(*ast.BoolNode)
	if !ok || !isBool {
		return "", false, false
	}
	return f, want.Value, true
}

// Compile checks a mapping and compiles its expressions. Problems name
// the fields as "mapping.unit_field", "mapping.rules[2].expr" etc. It
// does not know the indicators: the store checks their codes.
func Compile(m dxtrack.Mapping) (*Mapping, error) {
	var p dxtrack.Problems
	out := &Mapping{UnitField: strings.TrimSpace(m.UnitField), TimeField: strings.TrimSpace(m.TimeField), Freq: m.Freq}
	if out.UnitField == "" {
		p.Add("mapping.unit_field", "error.required", nil)
	}
	if out.TimeField == "" {
		p.Add("mapping.time_field", "error.required", nil)
	}
	if out.Freq == "" {
		out.Freq = dxtrack.Monthly
	}
	if out.Freq != dxtrack.Monthly && out.Freq != dxtrack.Quarterly && out.Freq != dxtrack.Yearly {
		p.Add("mapping.freq", "error.unknown_value", map[string]any{"Value": string(m.Freq)})
	}
	if len(m.Rules) == 0 {
		p.Add("mapping.rules", "error.required", nil)
	}
	seen := map[string]bool{}
	for i, r := range m.Rules {
		field := "mapping.rules[" + strconv.Itoa(i) + "]."
		cr := Rule{Indicator: strings.TrimSpace(r.Indicator), Agg: r.Agg}
		switch {
		case cr.Indicator == "":
			p.Add(field+"indicator", "error.required", nil)
		case seen[cr.Indicator]:
			p.Add(field+"indicator", "error.ingest_rule_duplicate", map[string]any{"Code": cr.Indicator})
		}
		seen[cr.Indicator] = true
		needExpr, needWhere := false, false
		switch r.Agg {
		case dxtrack.MapCount:
		case dxtrack.MapSum, dxtrack.MapAvg:
			needExpr = true
		case dxtrack.MapShare:
			needWhere = true
		default:
			p.Add(field+"agg", "error.unknown_value", map[string]any{"Value": string(r.Agg)})
		}
		if src := strings.TrimSpace(r.Expr); src != "" && r.Agg != dxtrack.MapCount {
			prog, err := expr.Compile(src, expr.Env(map[string]any{}), expr.AllowUndefinedVariables(), expr.AsFloat64())
			if err != nil {
				p.Add(field+"expr", "error.ingest_expr", map[string]any{"Value": firstLine(err)})
			}
			cr.expr = prog
			if prog != nil {
				cr.exprField, _ = fieldOf(prog.Node())
			}
		} else if needExpr {
			p.Add(field+"expr", "error.required", nil)
		}
		if src := strings.TrimSpace(r.Where); src != "" {
			prog, err := expr.Compile(src, expr.Env(map[string]any{}), expr.AllowUndefinedVariables(), expr.AsBool())
			if err != nil {
				p.Add(field+"where", "error.ingest_expr", map[string]any{"Value": firstLine(err)})
			}
			cr.where = prog
			if prog != nil {
				if f, want, ok := boolTest(prog.Node()); ok {
					cr.whereField, cr.whereWant = f, want
				}
			}
		} else if needWhere {
			p.Add(field+"where", "error.required", nil)
		}
		out.Rules = append(out.Rules, cr)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return strings.TrimSpace(s)
}

// Problem is what is wrong with a record: the record's field (or
// "rules[i].expr") and a catalogue message.
type Problem struct {
	Field string
	MsgID string
	Args  map[string]any
}

// Unit returns the record's unit code.
func (m *Mapping) Unit(rec dxtrack.Record) (string, *Problem) {
	v, ok := rec[m.UnitField]
	var code string
	switch x := v.(type) {
	case string:
		code = strings.TrimSpace(x)
	case float64:
		code = strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		code = strconv.FormatInt(x, 10)
	case int:
		code = strconv.Itoa(x)
	}
	if !ok || code == "" {
		return "", &Problem{Field: m.UnitField, MsgID: "error.required"}
	}
	return code, nil
}

// Period returns the period of the record's time.
func (m *Mapping) Period(rec dxtrack.Record) (dxtrack.Period, *Problem) {
	v, ok := rec[m.TimeField]
	if !ok || v == nil || v == "" {
		return dxtrack.Period{}, &Problem{Field: m.TimeField, MsgID: "error.required"}
	}
	t, err := ParseTime(v)
	if err != nil {
		return dxtrack.Period{}, &Problem{Field: m.TimeField, MsgID: "error.ingest_time", Args: map[string]any{"Value": fmt.Sprint(v)}}
	}
	return PeriodOf(m.Freq, t), nil
}

// timeLayouts are the textual times a record may carry besides RFC 3339.
var timeLayouts = []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}

// ParseTime reads a record's time: RFC 3339, "2006-01-02 15:04:05" or
// "2006-01-02" (in Local), or Unix seconds (a number or digits).
func ParseTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case float64:
		if x < 0 || x > 1e11 || math.IsNaN(x) {
			return time.Time{}, fmt.Errorf("mapping: %v is not a Unix time", x)
		}
		return time.Unix(int64(x), 0), nil
	case int64:
		return time.Unix(x, 0), nil
	case string:
		s := strings.TrimSpace(x)
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, nil
		}
		for _, l := range timeLayouts {
			if t, err := time.ParseInLocation(l, s, Local); err == nil {
				return t, nil
			}
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 && n <= 1e11 {
			return time.Unix(n, 0), nil
		}
	}
	return time.Time{}, fmt.Errorf("mapping: %v is not a time", v)
}

// PeriodOf is the calendar period of frequency f (month, quarter or year)
// that holds t in Local.
func PeriodOf(f dxtrack.Frequency, t time.Time) dxtrack.Period {
	t = t.In(Local)
	switch f {
	case dxtrack.Quarterly:
		return dxtrack.Period{Freq: f, Year: t.Year(), N: (int(t.Month())-1)/3 + 1}
	case dxtrack.Yearly:
		return dxtrack.Period{Freq: f, Year: t.Year(), N: 1}
	}
	return dxtrack.Period{Freq: dxtrack.Monthly, Year: t.Year(), N: int(t.Month())}
}

// Eval evaluates a rule over a record: whether the record meets its
// condition and, if so, the number it adds (0 for count and share).
func (r *Rule) Eval(rec dxtrack.Record, i int) (hit bool, x float64, p *Problem) {
	var m vm.VM
	return r.EvalVM(&m, rec, i)
}

// EvalVM is Eval on a VM of the caller's, which one goroutine may reuse
// for many records.
func (r *Rule) EvalVM(m *vm.VM, rec dxtrack.Record, i int) (hit bool, x float64, p *Problem) {
	hit = true
	if r.where != nil {
		if b, ok := rec[r.whereField].(bool); ok && r.whereField != "" {
			hit = b == r.whereWant
		} else if v, err := m.Run(r.where, map[string]any(rec)); err != nil {
			return false, 0, &Problem{Field: "rules[" + strconv.Itoa(i) + "].where", MsgID: "error.ingest_eval",
				Args: map[string]any{"Value": firstLine(err)}}
		} else {
			hit, _ = v.(bool)
		}
	}
	if !hit || r.expr == nil {
		return hit, 0, nil
	}
	if f, ok := rec[r.exprField].(float64); ok && r.exprField != "" && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return true, f, nil
	}
	v, err := m.Run(r.expr, map[string]any(rec))
	if err == nil {
		var ok bool
		if x, ok = v.(float64); !ok || math.IsNaN(x) || math.IsInf(x, 0) {
			err = fmt.Errorf("%v is not a finite number", v)
		}
	}
	if err != nil {
		return false, 0, &Problem{Field: "rules[" + strconv.Itoa(i) + "].expr", MsgID: "error.ingest_eval",
			Args: map[string]any{"Value": firstLine(err)}}
	}
	return true, x, nil
}

// Value is a rule's figure from its accumulated records: n records, hits
// of them meeting the condition, sum the total of the expression over the
// hits. ok is false when there is no figure (the mean of no records).
func Value(agg dxtrack.MapAgg, n, hits int64, sum float64) (v float64, ok bool) {
	switch agg {
	case dxtrack.MapCount:
		return float64(hits), true
	case dxtrack.MapSum:
		return sum, true
	case dxtrack.MapShare:
		if n == 0 {
			return 0, false
		}
		return 100 * float64(hits) / float64(n), true
	case dxtrack.MapAvg:
		if hits == 0 {
			return 0, false
		}
		return sum / float64(hits), true
	}
	return 0, false
}
