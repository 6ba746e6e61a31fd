package ingest_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
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

// TestDecodeNDJSONAsJSON: NDJSON bodies read line by line come out as
// encoding/json reads them, also when a line is not a flat object.
func TestDecodeNDJSONAsJSON(t *testing.T) {
	for _, body := range []string{
		`{"unit":"00004","received_at":"2026-11-03T10:00:00+07:00","online":true,"on_time":false,"fee":20000,"x":null}` + "\n",
		"{ \"a\" : -0.5e+3 , \"b\":\"vi\u1ec7t\" }\r\n\n  {}\n{\"a\":0}",
		`{"a":"esc\"aped","b":1}` + "\n" + `{"a":2}`,
		`{"a":{"nested":true}}` + "\n" + `{"a":[1,2]}`,
		`{"a":1}{"a":2}` + "\n" + `{"a":3}`,
		"{\"a\":1}\n{\"a\":\n2}\n",
		`{"a":1, "a":2}`,
		`{"a":12345678901234567890123}`,
	} {
		recs, err := ingest.Decode(strings.NewReader(body), 100)
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		dec := json.NewDecoder(strings.NewReader(body))
		var want []dxtrack.Record
		for dec.More() {
			var r dxtrack.Record
			if err := dec.Decode(&r); err != nil {
				t.Fatal(err)
			}
			want = append(want, r)
		}
		if !reflect.DeepEqual(recs, want) {
			t.Errorf("%q: Decode = %v, want %v", body, recs, want)
		}
	}
	for _, body := range []string{"{\"a\":01}\n", "{\"a\":1.}\n", "{\"a\":tru}\n", "{\"a\":1,}\n", "{\"a\":1}\nnull\n"} {
		if _, err := ingest.Decode(strings.NewReader(body), 100); dxtrack.ErrorCode(err) != dxtrack.EINVALID {
			t.Errorf("%q: err = %v, want invalid", body, err)
		}
	}
}
