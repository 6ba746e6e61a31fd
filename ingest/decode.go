package ingest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

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
	dec := json.NewDecoder(br)
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
