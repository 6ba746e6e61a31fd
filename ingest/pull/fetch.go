// Package pull runs dxtrack's connectors: on a schedule, it fetches each
// pull source's records over HTTP(S) (JSON or CSV, paged, behind OAuth2
// client credentials if the source asks for them) and pushes them into
// the ingestion pipeline, a page at a time.
//
// A record is counted once. A connector that fetches "all dossiers of
// this month" every run sees most records again; the connector hashes
// every record (its canonical JSON and its occurrence number among equal
// records in the run), remembers the hashes of the records the pipeline
// accepted, and pushes only records it has not delivered before. Each
// push's idempotency key is a hash of the source's mapping and the hashes
// it carries, so a run retried after a crash between the push and the
// bookkeeping is answered as a duplicate instead of counting twice. A
// record the mapping refused is offered again on the next run (and counts
// once the mapping is fixed: the key changes with the mapping). A record
// that changes at the source is a new record: sources should expose
// events (a dossier received, a dossier processed), not mutable rows.
package pull

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dxtrack/dxtrack"
)

// Backoff bounds the retries of a request that failed for a reason that
// may pass: a network error, a 5xx or a 429.
type Backoff struct {
	Initial  time.Duration // the first wait (default 500 ms)
	Max      time.Duration // the longest wait, also the cap on Retry-After (default 30 s)
	Attempts int           // tries in all, the first included (default 5)
}

func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = 500 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 30 * time.Second
	}
	if b.Attempts <= 0 {
		b.Attempts = 5
	}
	return b
}

// wait is the pause before try n (from 1): exponential with jitter
// between half and the whole of it, so that connectors that failed
// together do not come back together.
func (b Backoff) wait(n int) time.Duration {
	d := b.Initial << (n - 1)
	if d > b.Max || d <= 0 {
		d = b.Max
	}
	return d/2 + rand.N(d/2+1)
}

// maxPages stops a source whose paging never ends.
const maxPages = 10000

// maxBody bounds the reply of one page.
const maxBody = 64 << 20

// page is one fetched page: its records and, for "next" paging, the URL
// of the next page.
type page struct {
	records []dxtrack.Record
	next    string
}

// statusError is a reply the connector did not expect.
type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string {
	if e.body != "" {
		return fmt.Sprintf("HTTP %d: %s", e.status, e.body)
	}
	return fmt.Sprintf("HTTP %d", e.status)
}

// pageURL is the URL of page n (from 0) under page or offset paging,
// fetched records having come before it.
func pageURL(p *dxtrack.Pull, n, fetched int) (string, error) {
	u, err := url.Parse(p.URL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	size := p.PageSize
	switch p.Paging {
	case "page":
		q.Set(or(p.PageParam, "page"), strconv.Itoa(n+1))
	case "offset":
		q.Set(or(p.PageParam, "offset"), strconv.Itoa(fetched))
	default:
		return p.URL, nil
	}
	if size > 0 {
		q.Set(or(p.SizeParam, "size"), strconv.Itoa(size))
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// get fetches one URL with the retries of b and decodes it as a page.
func get(ctx context.Context, client *http.Client, b Backoff, src *dxtrack.DataSource, rawURL string) (*page, error) {
	var lastErr error
	for try := 1; try <= b.Attempts; try++ {
		body, retryAfter, err := getOnce(ctx, client, rawURL)
		if err == nil {
			return decode(src, rawURL, body)
		}
		lastErr = err
		if !retryable(err) || try == b.Attempts {
			break
		}
		d := b.wait(try)
		if retryAfter > 0 {
			d = min(retryAfter, b.Max)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(d):
		}
	}
	return nil, lastErr
}

// retryable: network errors, 5xx and 429 may pass; a 4xx or a reply that
// does not decode will not.
func retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var se *statusError
	if errors.As(err, &se) {
		return se.status >= 500 || se.status == http.StatusTooManyRequests
	}
	return true
}

func getOnce(ctx context.Context, client *http.Client, rawURL string) ([]byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, &statusError{status: 0, body: err.Error()}
	}
	req.Header.Set("Accept", "application/json, text/csv;q=0.9")
	res, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if err != nil {
		return nil, 0, err
	}
	if res.StatusCode/100 != 2 {
		return nil, retryAfter(res.Header.Get("Retry-After")), &statusError{status: res.StatusCode, body: snippet(body)}
	}
	return body, 0, nil
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// decodeError is a reply that is not what the source's Pull says.
type decodeError struct{ msg string }

func (e *decodeError) Error() string { return e.msg }

func decode(src *dxtrack.DataSource, rawURL string, body []byte) (*page, error) {
	if src.Pull.Format == "csv" {
		recs, err := decodeCSV(src, body)
		if err != nil {
			return nil, &decodeError{"CSV: " + err.Error()}
		}
		return &page{records: recs}, nil
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, &decodeError{"JSON: " + err.Error()}
	}
	p := &page{}
	arr, ok := at(doc, src.Pull.RecordsPath).([]any)
	if !ok {
		if at(doc, src.Pull.RecordsPath) != nil {
			return nil, &decodeError{fmt.Sprintf("JSON: %q is not an array", or(src.Pull.RecordsPath, "."))}
		}
	}
	for i, v := range arr {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, &decodeError{fmt.Sprintf("JSON: record %d is not an object", i)}
		}
		p.records = append(p.records, dxtrack.Record(numbers(m).(map[string]any)))
	}
	if src.Pull.Paging == "next" && src.Pull.NextPath != "" {
		if next, ok := at(doc, src.Pull.NextPath).(string); ok && next != "" {
			base, err := url.Parse(rawURL)
			if err != nil {
				return nil, err
			}
			ref, err := url.Parse(next)
			if err != nil {
				return nil, &decodeError{"JSON: next link: " + err.Error()}
			}
			p.next = base.ResolveReference(ref).String()
		}
	}
	return p, nil
}

// at follows a dotted path ("data.items") into a JSON document.
func at(doc any, path string) any {
	if path == "" {
		return doc
	}
	for part := range strings.SplitSeq(path, ".") {
		m, ok := doc.(map[string]any)
		if !ok {
			return nil
		}
		doc = m[part]
	}
	return doc
}

// numbers turns json.Number into float64 (or int64 when whole), which the
// mapping's expressions compute with.
func numbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = numbers(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = numbers(x)
		}
		return v
	}
	return v
}

// decodeCSV reads a header row and records. Cells that read as numbers or
// booleans become them, except the unit and time fields, which stay text
// (a unit code's leading zeros matter).
func decodeCSV(src *dxtrack.DataSource, body []byte) ([]dxtrack.Record, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.FieldsPerRecord = 0
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []dxtrack.Record
	for {
		row, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		rec := make(dxtrack.Record, len(header))
		for i, h := range header {
			cell := row[i]
			if h == src.Mapping.UnitField || h == src.Mapping.TimeField {
				rec[h] = cell
			} else {
				rec[h] = csvValue(cell)
			}
		}
		out = append(out, rec)
	}
}

func csvValue(s string) any {
	switch strings.ToLower(s) {
	case "true":
		return true
	case "false":
		return false
	}
	if s == "" || (len(s) > 1 && s[0] == '0' && s[1] != '.') {
		return s
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	return s
}
