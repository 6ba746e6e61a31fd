package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/dxtrack/dxtrack"
)

// Decode reads a batch of records: a JSON array of objects, or NDJSON
// (one object per line; objects separated by any white space are read
// too). It tells them apart by the first character. More than max records
// is ErrTooLarge. A body that is not records is EINVALID on the field
// "body"; an error of the reader itself (a size limit) is returned
// wrapped, so that callers can tell it with errors.As.
func Decode(r io.Reader, max int) ([]dxtrack.Record, error) {
	src := &errReader{r: r}
	br := bufio.NewReaderSize(src, 64<<10)
	// bad is the error of a body that is not records, unless the reader
	// failed: then that.
	bad := func(i int, err error) error {
		if src.err != nil {
			return fmt.Errorf("ingest: decode: %w", src.err)
		}
		return dxtrack.Invalid("body", "error.ingest_body", map[string]any{"Value": fmt.Sprintf("record %d: %v", i, err)})
	}
	first, err := firstByte(br)
	if err == io.EOF {
		return []dxtrack.Record{}, nil
	} else if err != nil {
		return nil, bad(0, err)
	}
	var in io.Reader = br
	if first == '{' {
		// NDJSON of flat objects, as sources send it, is read a line at a
		// time without reflection; at the first line that is anything
		// else, the general decoder reads the body again from the start.
		out, seen, err := decodeFlatLines(br, max)
		if err == errNotFlat {
			in = io.MultiReader(bytes.NewReader(seen), br)
		} else if err == ErrTooLarge {
			return nil, err
		} else if err != nil {
			return nil, bad(len(out), err)
		} else {
			return out, nil
		}
	}
	dec := json.NewDecoder(in)
	out := []dxtrack.Record{}
	add := func() error {
		if len(out) >= max {
			return ErrTooLarge
		}
		var rec dxtrack.Record
		if err := dec.Decode(&rec); err != nil {
			return bad(len(out), err)
		}
		if rec == nil {
			return bad(len(out), errors.New("null is not a record"))
		}
		out = append(out, rec)
		return nil
	}
	if first == '[' {
		if _, err := dec.Token(); err != nil {
			return nil, bad(0, err)
		}
		for dec.More() {
			if err := add(); err != nil {
				return nil, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, bad(len(out), err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, bad(len(out), errors.New("data after the array"))
		}
		return out, nil
	}
	for dec.More() {
		if err := add(); err != nil {
			return nil, err
		}
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = fmt.Errorf("unexpected %v", tok)
		}
		return nil, bad(len(out), err)
	}
	return out, nil
}

// errReader remembers the error of its reader other than io.EOF.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// firstByte returns the first byte of br that is not white space, leaving
// it unread.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		br.UnreadByte()
		return b, nil
	}
}

// errNotFlat: a line is not a flat JSON object decodeFlatLines reads.
var errNotFlat = errors.New("ingest: not a flat object")

// decodeFlatLines reads NDJSON whose lines are each one JSON object of
// strings without escapes, numbers, booleans and nulls, as encoding/json
// would decode them into a Record. At the first other line it returns
// errNotFlat with the bytes it consumed; it returns ErrTooLarge past max
// records, and the reader's error.
func decodeFlatLines(br *bufio.Reader, max int) ([]dxtrack.Record, []byte, error) {
	var seen []byte
	out := []dxtrack.Record{}
	keys := map[string]string{} // interned: every record has the same keys
	size := 8
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			seen = append(seen, line...)
			return nil, seen, errNotFlat
		}
		seen = append(seen, line...)
		if body := bytes.TrimLeft(line, " \t\r\n"); len(body) > 0 {
			if len(out) >= max {
				return nil, nil, ErrTooLarge
			}
			rec := make(dxtrack.Record, size)
			if !parseFlat(body, rec, keys) {
				return nil, seen, errNotFlat
			}
			size = len(rec)
			out = append(out, rec)
		}
		if err == io.EOF {
			return out, nil, nil
		} else if err != nil {
			return out, nil, err
		}
	}
}

// parseFlat reads one flat object, alone on its line, into rec.
func parseFlat(s []byte, rec dxtrack.Record, keys map[string]string) bool {
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return false
	}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		return skipSpace(s, i+1) == len(s)
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return false
		}
		kb, j, ok := plainString(s, i)
		if !ok {
			return false
		}
		key, ok := keys[string(kb)]
		if !ok {
			key = string(kb)
			keys[key] = key
		}
		i = skipSpace(s, j)
		if i >= len(s) || s[i] != ':' {
			return false
		}
		i = skipSpace(s, i+1)
		if i >= len(s) {
			return false
		}
		switch c := s[i]; {
		case c == '"':
			vb, j, ok := plainString(s, i)
			if !ok {
				return false
			}
			rec[key], i = string(vb), j
		case c == 't' && bytes.HasPrefix(s[i:], []byte("true")):
			rec[key], i = true, i+4
		case c == 'f' && bytes.HasPrefix(s[i:], []byte("false")):
			rec[key], i = false, i+5
		case c == 'n' && bytes.HasPrefix(s[i:], []byte("null")):
			rec[key], i = nil, i+4
		case c == '-' || c >= '0' && c <= '9':
			j, ok := number(s, i)
			if !ok {
				return false
			}
			x, err := strconv.ParseFloat(string(s[i:j]), 64)
			if err != nil {
				return false
			}
			rec[key], i = x, j
		default:
			return false
		}
		i = skipSpace(s, i)
		if i >= len(s) {
			return false
		}
		switch s[i] {
		case ',':
			i = skipSpace(s, i+1)
		case '}':
			return skipSpace(s, i+1) == len(s)
		default:
			return false
		}
	}
}

func skipSpace(s []byte, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// plainString returns the content of the string at s[i] ('"') and the
// index after it, if it has no escapes nor control characters and is
// valid UTF-8 (encoding/json would change neither).
func plainString(s []byte, i int) ([]byte, int, bool) {
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			b := s[i+1 : j]
			return b, j + 1, utf8.Valid(b)
		case c == '\\' || c < 0x20:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// number returns the end of the JSON number at s[i], if it is one.
func number(s []byte, i int) (int, bool) {
	digits := func(i int) int {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digits(i)
	default:
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return 0, false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return 0, false
		}
		i = j
	}
	return i, true
}
