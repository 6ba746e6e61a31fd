// Package formula is the expression language of formula indicators: a
// formula computes an indicator from other indicators of the same unit and
// period, such as "100 * DVC_ONLINE / DVC_TOTAL" or
// "round(avg(A, B, C), 1)".
//
// The language has numbers, + - * / and unary minus, parentheses,
// comparisons (< <= > >= = !=) that yield 1 or 0, references to indicator
// codes ([A-Za-z_][A-Za-z0-9_.]*), prev(CODE) for the value of the period
// before, and the functions sum, avg, min, max (one or more arguments),
// if(cond, a, b) and round(x) or round(x, digits). Function names are not
// case-sensitive; an identifier that is not followed by "(" is always a
// reference, so an indicator may be coded SUM.
//
// A formula is parsed once into an Expr and evaluated many times. A missing
// input, a division by zero or a result that is not a finite number makes
// the result missing: no figure is better than a wrong one.
package formula

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Expr is a parsed formula.
type Expr struct {
	root node
}

// SyntaxError says where a formula cannot be read: Pos is the 1-based
// position of the offending character (counted in characters, not bytes).
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("formula: at %d: %s", e.Pos, e.Msg) }

// Limits that keep a hostile formula from exhausting the stack or memory.
const (
	maxLen   = 4096
	maxDepth = 64
)

// Parse reads a formula. The error is a *SyntaxError naming the position.
func Parse(src string) (*Expr, error) {
	if n := len([]rune(src)); n > maxLen {
		return nil, &SyntaxError{Pos: maxLen + 1, Msg: fmt.Sprintf("formula longer than %d characters", maxLen)}
	}
	p := &parser{lex: lexer{src: []rune(src)}}
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.tok.kind == tEOF {
		return nil, &SyntaxError{Pos: p.tok.pos, Msg: "empty formula"}
	}
	root, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.unexpected()
	}
	return &Expr{root: root}, nil
}

// Refs returns the codes the formula refers to, each once, in order of
// first appearance. A reference to the previous period is written
// "prev(CODE)"; SplitRef takes it apart.
func (e *Expr) Refs() []string {
	var out []string
	seen := map[string]bool{}
	walk(e.root, func(n node) {
		if r, ok := n.(*refNode); ok {
			s := r.code
			if r.prev {
				s = "prev(" + r.code + ")"
			}
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	})
	return out
}

// SplitRef reads an element of Refs: the code, and whether it is a
// reference to the previous period.
func SplitRef(ref string) (code string, prev bool) {
	if c, ok := strings.CutPrefix(ref, "prev("); ok && strings.HasSuffix(c, ")") {
		return strings.TrimSuffix(c, ")"), true
	}
	return ref, false
}

// Eval computes the formula. env returns the value of an indicator for the
// period being computed (prev false) or the period before (prev true), and
// whether there is one. The result is not ok when an input it needs is
// missing, on division by zero, or when it is not a finite number.
func (e *Expr) Eval(env func(code string, prev bool) (float64, bool)) (float64, bool) {
	v, ok := e.root.eval(env)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// String returns the formula in a canonical form: single spaces around
// operators, parentheses only where needed, functions in lower case.
// Parsing it gives the same Expr.
func (e *Expr) String() string {
	var b strings.Builder
	e.root.format(&b)
	return b.String()
}

// node is one element of the syntax tree.
type node interface {
	eval(env func(string, bool) (float64, bool)) (float64, bool)
	format(b *strings.Builder)
}

type numNode struct{ v float64 }

type refNode struct {
	code string
	prev bool
}

type negNode struct{ x node }

type binNode struct {
	op   string // + - * / < <= > >= = !=
	l, r node
}

type callNode struct {
	fn   string // sum avg min max if round
	args []node
}

func walk(n node, f func(node)) {
	f(n)
	switch n := n.(type) {
	case *negNode:
		walk(n.x, f)
	case *binNode:
		walk(n.l, f)
		walk(n.r, f)
	case *callNode:
		for _, a := range n.args {
			walk(a, f)
		}
	}
}

func (n *numNode) eval(func(string, bool) (float64, bool)) (float64, bool) { return n.v, true }

func (n *refNode) eval(env func(string, bool) (float64, bool)) (float64, bool) {
	v, ok := env(n.code, n.prev)
	if !ok || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

func (n *negNode) eval(env func(string, bool) (float64, bool)) (float64, bool) {
	v, ok := n.x.eval(env)
	return -v, ok
}

func (n *binNode) eval(env func(string, bool) (float64, bool)) (float64, bool) {
	l, ok := n.l.eval(env)
	if !ok {
		return 0, false
	}
	r, ok := n.r.eval(env)
	if !ok {
		return 0, false
	}
	switch n.op {
	case "+":
		return l + r, true
	case "-":
		return l - r, true
	case "*":
		return l * r, true
	case "/":
		if r == 0 {
			return 0, false
		}
		return l / r, true
	case "<":
		return truth(l < r), true
	case "<=":
		return truth(l <= r), true
	case ">":
		return truth(l > r), true
	case ">=":
		return truth(l >= r), true
	case "=":
		return truth(l == r), true
	case "!=":
		return truth(l != r), true
	}
	return 0, false
}

func truth(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (n *callNode) eval(env func(string, bool) (float64, bool)) (float64, bool) {
	switch n.fn {
	case "if":
		// Only the branch taken needs its inputs.
		c, ok := n.args[0].eval(env)
		if !ok {
			return 0, false
		}
		if c != 0 {
			return n.args[1].eval(env)
		}
		return n.args[2].eval(env)
	case "round":
		x, ok := n.args[0].eval(env)
		if !ok {
			return 0, false
		}
		digits := 0.0
		if len(n.args) == 2 {
			if digits, ok = n.args[1].eval(env); !ok {
				return 0, false
			}
		}
		return roundDecimal(x, int(math.Max(-20, math.Min(20, math.Round(digits))))), true
	}
	var acc float64
	for i, a := range n.args {
		v, ok := a.eval(env)
		if !ok {
			return 0, false
		}
		switch {
		case i == 0:
			acc = v
		case n.fn == "sum" || n.fn == "avg":
			acc += v
		case n.fn == "min":
			acc = math.Min(acc, v)
		case n.fn == "max":
			acc = math.Max(acc, v)
		}
	}
	if n.fn == "avg" {
		acc /= float64(len(n.args))
	}
	return acc, true
}

// roundDecimal rounds x to digits decimal places, half away from zero, on
// the shortest decimal form of x: round(2.675, 2) is 2.68 as a person
// reading "2.675" expects, although the nearest double is 2.67499….
func roundDecimal(x float64, digits int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	neg := x < 0
	// "d.ddddde±x": the digits and the power of ten of the first one.
	s := strconv.FormatFloat(math.Abs(x), 'e', -1, 64)
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	ds := []byte(strings.Replace(mant, ".", "", 1))
	keep := exp + 1 + digits // digits kept before the cut
	var r float64
	switch {
	case keep < 0:
		r = 0
	case keep >= len(ds):
		return x
	default:
		up := ds[keep] >= '5'
		kept := append([]byte("0"), ds[:keep]...) // a leading 0 takes a carry
		if up {
			i := len(kept) - 1
			for kept[i] == '9' {
				kept[i] = '0'
				i--
			}
			kept[i]++
		}
		// kept holds the value × 10^(digits) as an integer.
		r, _ = strconv.ParseFloat(string(kept)+"e"+strconv.Itoa(-digits), 64)
	}
	if neg {
		r = -r
	}
	return r
}

func (n *numNode) format(b *strings.Builder) {
	b.WriteString(strconv.FormatFloat(n.v, 'g', -1, 64))
}

func (n *refNode) format(b *strings.Builder) {
	if n.prev {
		b.WriteString("prev(" + n.code + ")")
		return
	}
	b.WriteString(n.code)
}

func (n *negNode) format(b *strings.Builder) {
	b.WriteString("-")
	group(b, n.x, func(c *binNode) bool { return true })
}

func (n *binNode) format(b *strings.Builder) {
	p := precedence[n.op]
	// Left-associative: a right operand of the same strength needs
	// parentheses, a left one does not.
	group(b, n.l, func(c *binNode) bool { return precedence[c.op] < p })
	b.WriteString(" " + n.op + " ")
	group(b, n.r, func(c *binNode) bool { return precedence[c.op] <= p })
}

// group writes n, in parentheses when it is an operation that needs them
// there.
func group(b *strings.Builder, n node, needs func(*binNode) bool) {
	if c, ok := n.(*binNode); ok && needs(c) {
		b.WriteString("(")
		n.format(b)
		b.WriteString(")")
		return
	}
	n.format(b)
}

func (n *callNode) format(b *strings.Builder) {
	b.WriteString(n.fn + "(")
	for i, a := range n.args {
		if i > 0 {
			b.WriteString(", ")
		}
		a.format(b)
	}
	b.WriteString(")")
}
