package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// Boundaries keeps the units' boundaries for the dashboard's map: one
// GeoJSON FeatureCollection whose features carry the unit code in their
// "code" property. It lives in a file of its own, beside the database, so
// that it survives restarts without a table.
type Boundaries struct {
	Path string

	mu     sync.Mutex
	loaded bool
	data   []byte // nil while none is imported
}

// Get returns the imported collection, or nil.
func (b *Boundaries) Get() ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.loaded {
		data, err := os.ReadFile(b.Path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("web: boundaries: %w", err)
		}
		b.data, b.loaded = data, true
	}
	return b.data, nil
}

// Put replaces the collection, writing a new file and renaming it over
// the old one so that a crash leaves one or the other whole.
func (b *Boundaries) Put(data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	tmp, err := os.CreateTemp(filepath.Dir(b.Path), ".dxtrack-geojson-*")
	if err != nil {
		return fmt.Errorf("web: boundaries: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("web: boundaries: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("web: boundaries: %w", err)
	}
	if err := os.Rename(tmp.Name(), b.Path); err != nil {
		return fmt.Errorf("web: boundaries: %w", err)
	}
	b.data, b.loaded = data, true
	return nil
}

// maxGeoJSON bounds an upload: a province's communes simplified for the
// screen weigh a few megabytes.
const maxGeoJSON = 30 << 20

type geoFeature struct {
	Type       string                     `json:"type"`
	Properties map[string]json.RawMessage `json:"properties"`
	Geometry   json.RawMessage            `json:"geometry"`
}

// normalizeGeoJSON reads an uploaded FeatureCollection and keeps its
// polygons whose property names a known unit, with that unit's code and
// name as their only properties. It reports how many features it kept
// and skipped; none kept is an error on the property.
func normalizeGeoJSON(data []byte, property string, units map[string]*dxtrack.Unit) ([]byte, int, int, error) {
	var fc struct {
		Type     string       `json:"type"`
		Features []geoFeature `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil || fc.Type != "FeatureCollection" {
		return nil, 0, 0, dxtrack.Invalid("file", "error.geojson", nil)
	}
	type outFeature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   json.RawMessage   `json:"geometry"`
	}
	out := struct {
		Type     string       `json:"type"`
		Features []outFeature `json:"features"`
	}{Type: "FeatureCollection", Features: []outFeature{}}
	skipped := 0
	for _, f := range fc.Features {
		var g struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(f.Geometry, &g)
		code := geoCode(f.Properties[property])
		u := units[code]
		if u == nil || (g.Type != "Polygon" && g.Type != "MultiPolygon") {
			skipped++
			continue
		}
		out.Features = append(out.Features, outFeature{Type: "Feature", Geometry: f.Geometry,
			Properties: map[string]string{"code": u.Code, "name": u.NameVI}})
	}
	if len(out.Features) == 0 {
		return nil, 0, skipped, dxtrack.Invalid("property", "error.geojson_no_units", map[string]any{"Value": property})
	}
	b, err := json.Marshal(out)
	return b, len(out.Features), skipped, err
}

// geoCode reads a code property written as a string or a number.
func geoCode(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n float64
	if json.Unmarshal(raw, &n) == nil && n == math.Trunc(n) {
		return fmt.Sprintf("%.0f", n)
	}
	return ""
}

// serveBoundaries sends the imported collection to the dashboard's map
// (GET /dashboard/boundaries.json); 404 while there is none.
func (s *Server) serveBoundaries(w http.ResponseWriter, r *http.Request) {
	var data []byte
	if s.Boundaries != nil {
		var err error
		if data, err = s.Boundaries.Get(); err != nil {
			s.internalError(w, r, err)
			return
		}
	}
	if data == nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
		return
	}
	setSecurityHeaders(w.Header())
	w.Header().Set("Content-Type", "application/geo+json")
	w.Header().Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "boundaries.geojson", modTime(s.Boundaries.Path), bytes.NewReader(data))
}

// uploadBoundaries imports a GeoJSON FeatureCollection (POST
// /dashboard/boundaries, admins): the "property" field names the feature
// property that holds the unit code.
func (s *Server) uploadBoundaries(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	if !s.adminOnly(w, r) {
		return
	}
	back := safeNext(r.FormValue("next"), "/dashboard")
	fail := func(err error) {
		if dxtrack.ErrorCode(err) == dxtrack.EINVALID {
			s.Sessions.Put(ctx, geoErrorKey, p.Error(err)+": "+strings.Join(fieldMessages(p, err), "; "))
			http.Redirect(w, r, back, http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
	}
	if s.Boundaries == nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxGeoJSON+1<<20)
	file, _, err := r.FormFile("file")
	if err != nil {
		fail(dxtrack.Invalid("file", "error.required", nil))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxGeoJSON+1))
	if err != nil {
		fail(err)
		return
	}
	if len(data) > maxGeoJSON {
		fail(dxtrack.Invalid("file", "error.file_too_large", map[string]any{"Max": maxGeoJSON >> 20}))
		return
	}
	property := strings.TrimSpace(r.FormValue("property"))
	if property == "" {
		fail(dxtrack.Invalid("property", "error.required", nil))
		return
	}
	list, _, err := s.Units.FindUnits(ctx, dxtrack.UnitFilter{Page: dxtrack.Page{Limit: math.MaxInt32}})
	if err != nil {
		fail(err)
		return
	}
	units := make(map[string]*dxtrack.Unit, len(list))
	for _, u := range list {
		units[u.Code] = u
	}
	out, kept, skipped, err := normalizeGeoJSON(data, property, units)
	if err != nil {
		fail(err)
		return
	}
	if err := s.Boundaries.Put(out); err != nil {
		fail(err)
		return
	}
	s.Sessions.Put(ctx, geoErrorKey, "")
	s.Sessions.Put(ctx, geoResultKey, p.T("dashboard.geo_imported", map[string]any{"Total": kept, "Value": skipped}))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// Session keys of the upload's outcome, shown once on the dashboard.
const (
	geoErrorKey  = "geo_error"
	geoResultKey = "geo_result"
)

func fieldMessages(p *locale.Printer, err error) []string {
	var out []string
	for _, fe := range dxtrack.ErrorFields(err) {
		out = append(out, p.FieldError(fe))
	}
	return out
}

func modTime(path string) (t time.Time) {
	if fi, err := os.Stat(path); err == nil {
		return fi.ModTime()
	}
	return t
}
