package ingest_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest"
)

func TestDecode(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       int
		err        string // "invalid", "large"
	}{
		{"array", `[{"a":1},{"a":2}]`, 2, ""},
		{"empty array", ` [ ] `, 0, ""},
		{"empty body", "  \n", 0, ""},
		{"ndjson", "{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n", 3, ""},
		{"ndjson without last newline", "{\"a\":1}\r\n{\"a\":2}", 2, ""},
		{"too many", `[{"a":1},{"a":2},{"a":3},{"a":4}]`, 0, "large"},
		{"not an object", `[{"a":1}, 2]`, 0, "invalid"},
		{"truncated", `[{"a":1}, {"a"`, 0, "invalid"},
		{"bad line", "{\"a\":1}\n{a:2}\n", 0, "invalid"},
		{"null", "null", 0, "invalid"},
		{"trailing", `[{"a":1}] x`, 0, "invalid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs, err := ingest.Decode(strings.NewReader(c.body), 3)
			switch c.err {
			case "":
				if err != nil || len(recs) != c.want {
					t.Fatalf("Decode = %d records, %v; want %d", len(recs), err, c.want)
				}
			case "large":
				if !errors.Is(err, ingest.ErrTooLarge) {
					t.Fatalf("err = %v, want ErrTooLarge", err)
				}
			case "invalid":
				if f := dxtrack.ErrorFields(err); len(f) != 1 || f[0].Field != "body" || f[0].MsgID != "error.ingest_body" {
					t.Fatalf("err = %v, want invalid body", err)
				}
			}
		})
	}
	// A size limit of the reader comes through as itself.
	body := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(`[{"a":"`+strings.Repeat("x", 100)+`"}]`)), 20)
	_, err := ingest.Decode(body, 10)
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) {
		t.Fatalf("err = %v, want a MaxBytesError", err)
	}
}
