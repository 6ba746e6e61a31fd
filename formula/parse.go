package formula

import (
	"fmt"
	"strconv"
	"strings"
)

type tokKind int

const (
	tEOF tokKind = iota
	tNum
	tIdent
	tOp     // + - * / < <= > >= = !=
	tLParen // (
	tRParen // )
	tComma  // ,
)

type token struct {
	kind tokKind
	text string
	num  float64
	pos  int // 1-based, in characters
}

type lexer struct {
	src []rune
	i   int
}

func isIdentStart(r rune) bool {
	return r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z')
}

func isIdentPart(r rune) bool { return isIdentStart(r) || isDigit(r) || r == '.' }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// scan returns the next token.
func (l *lexer) scan() (token, error) {
	for l.i < len(l.src) && (l.src[l.i] == ' ' || l.src[l.i] == '\t' || l.src[l.i] == '\n' || l.src[l.i] == '\r') {
		l.i++
	}
	start := l.i
	pos := start + 1
	if l.i >= len(l.src) {
		return token{kind: tEOF, pos: pos}, nil
	}
	r := l.src[l.i]
	switch {
	case isDigit(r) || (r == '.' && l.i+1 < len(l.src) && isDigit(l.src[l.i+1])):
		for l.i < len(l.src) && isDigit(l.src[l.i]) {
			l.i++
		}
		if l.i < len(l.src) && l.src[l.i] == '.' {
			l.i++
			for l.i < len(l.src) && isDigit(l.src[l.i]) {
				l.i++
			}
		}
		// An exponent only when digits follow, so "2e" stays an error
		// about 'e' rather than a bad number.
		if l.i < len(l.src) && (l.src[l.i] == 'e' || l.src[l.i] == 'E') {
			j := l.i + 1
			if j < len(l.src) && (l.src[j] == '+' || l.src[j] == '-') {
				j++
			}
			if j < len(l.src) && isDigit(l.src[j]) {
				for j < len(l.src) && isDigit(l.src[j]) {
					j++
				}
				l.i = j
			}
		}
		text := string(l.src[start:l.i])
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return token{}, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("number %s out of range", text)}
		}
		return token{kind: tNum, text: text, num: v, pos: pos}, nil
	case isIdentStart(r):
		for l.i < len(l.src) && isIdentPart(l.src[l.i]) {
			l.i++
		}
		return token{kind: tIdent, text: string(l.src[start:l.i]), pos: pos}, nil
	case r == '(':
		l.i++
		return token{kind: tLParen, text: "(", pos: pos}, nil
	case r == ')':
		l.i++
		return token{kind: tRParen, text: ")", pos: pos}, nil
	case r == ',':
		l.i++
		return token{kind: tComma, text: ",", pos: pos}, nil
	case strings.ContainsRune("+-*/=", r):
		l.i++
		return token{kind: tOp, text: string(r), pos: pos}, nil
	case r == '<' || r == '>' || r == '!':
		l.i++
		if l.i < len(l.src) && l.src[l.i] == '=' {
			l.i++
			return token{kind: tOp, text: string(r) + "=", pos: pos}, nil
		}
		if r == '!' {
			return token{}, &SyntaxError{Pos: pos, Msg: "unexpected '!', did you mean '!='?"}
		}
		return token{kind: tOp, text: string(r), pos: pos}, nil
	}
	return token{}, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("unexpected %s", strconv.QuoteRune(r))}
}

type parser struct {
	lex   lexer
	tok   token
	depth int
}

func (p *parser) next() error {
	t, err := p.lex.scan()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) unexpected() error {
	if p.tok.kind == tEOF {
		return &SyntaxError{Pos: p.tok.pos, Msg: "unexpected end of formula"}
	}
	return &SyntaxError{Pos: p.tok.pos, Msg: fmt.Sprintf("unexpected '%s'", p.tok.text)}
}

// Binding strength of the binary operators; higher binds tighter.
var precedence = map[string]int{
	"<": 1, "<=": 1, ">": 1, ">=": 1, "=": 1, "!=": 1,
	"+": 2, "-": 2,
	"*": 3, "/": 3,
}

// expr parses a chain of binary operators binding tighter than min, by
// precedence climbing; all are left-associative.
func (p *parser) expr(min int) (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, &SyntaxError{Pos: p.tok.pos, Msg: fmt.Sprintf("formula nested deeper than %d", maxDepth)}
	}
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tOp && precedence[p.tok.text] > min {
		op := p.tok.text
		if err := p.next(); err != nil {
			return nil, err
		}
		right, err := p.expr(precedence[op])
		if err != nil {
			return nil, err
		}
		left = &binNode{op: op, l: left, r: right}
	}
	return left, nil
}

func (p *parser) unary() (node, error) {
	if p.tok.kind == tOp && (p.tok.text == "-" || p.tok.text == "+") {
		neg := p.tok.text == "-"
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, &SyntaxError{Pos: p.tok.pos, Msg: fmt.Sprintf("formula nested deeper than %d", maxDepth)}
		}
		if err := p.next(); err != nil {
			return nil, err
		}
		x, err := p.unary()
		if err != nil || !neg {
			return x, err
		}
		return &negNode{x: x}, nil
	}
	return p.primary()
}

// arity gives each function's least and greatest number of arguments
// (-1: no greatest).
var arity = map[string][2]int{
	"sum": {1, -1}, "avg": {1, -1}, "min": {1, -1}, "max": {1, -1},
	"if": {3, 3}, "round": {1, 2}, "prev": {1, 1},
}

func (p *parser) primary() (node, error) {
	t := p.tok
	switch t.kind {
	case tNum:
		return &numNode{v: t.num}, p.next()
	case tLParen:
		if err := p.next(); err != nil {
			return nil, err
		}
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRParen {
			return nil, p.unexpected()
		}
		return x, p.next()
	case tIdent:
		if err := p.next(); err != nil {
			return nil, err
		}
		if p.tok.kind != tLParen {
			return &refNode{code: t.text}, nil
		}
		fn := strings.ToLower(t.text)
		ar, ok := arity[fn]
		if !ok {
			return nil, &SyntaxError{Pos: t.pos, Msg: fmt.Sprintf("unknown function '%s'", t.text)}
		}
		if err := p.next(); err != nil {
			return nil, err
		}
		if fn == "prev" {
			return p.prev(t)
		}
		var args []node
		for more := p.tok.kind != tRParen; more; {
			a, err := p.expr(0)
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			switch p.tok.kind {
			case tComma:
				if err := p.next(); err != nil {
					return nil, err
				}
			case tRParen:
				more = false
			default:
				return nil, p.unexpected()
			}
		}
		if len(args) < ar[0] || (ar[1] >= 0 && len(args) > ar[1]) {
			return nil, &SyntaxError{Pos: t.pos, Msg: fmt.Sprintf("%s takes %s, got %d", fn, arityText(ar), len(args))}
		}
		return &callNode{fn: fn, args: args}, p.next()
	}
	return nil, p.unexpected()
}

// prev parses the rest of prev(CODE), after its "(".
func (p *parser) prev(fn token) (node, error) {
	if p.tok.kind != tIdent {
		if p.tok.kind == tRParen || p.tok.kind == tEOF {
			return nil, p.unexpected()
		}
		return nil, &SyntaxError{Pos: p.tok.pos, Msg: "prev takes an indicator code"}
	}
	code := p.tok.text
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.tok.kind == tLParen {
		return nil, &SyntaxError{Pos: fn.pos, Msg: "prev takes an indicator code"}
	}
	if p.tok.kind != tRParen {
		return nil, p.unexpected()
	}
	return &refNode{code: code, prev: true}, p.next()
}

func arityText(ar [2]int) string {
	switch {
	case ar[1] < 0:
		return fmt.Sprintf("at least %d argument(s)", ar[0])
	case ar[0] == ar[1]:
		return fmt.Sprintf("%d argument(s)", ar[0])
	}
	return fmt.Sprintf("%d to %d arguments", ar[0], ar[1])
}
