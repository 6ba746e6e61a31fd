package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/cube"
)

// TestLiveAnalytics runs the serving wiring: values saved after the cube
// is loaded count within a second, through the UI form and the API, and a
// unit or indicator created later is picked up on the first query that
// names it, a merge by the periodic look.
func TestLiveAnalytics(t *testing.T) {
	ctx := context.Background()
	sys := dxtrack.NewContextWithUser(ctx, dxtrack.SystemUser)
	dbPath := filepath.Join(t.TempDir(), "dx.db")
	a, err := openApp(ctx, &config{db: dbPath})
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	s := a.services
	from := dxtrack.MustDate("2020-01-01")
	qn := &dxtrack.Unit{Code: "22", NameVI: "Quảng Ninh", Type: dxtrack.UnitProvince, ValidFrom: from}
	must(t, s.Units.CreateUnit(sys, qn))
	xa := &dxtrack.Unit{Code: "XA", NameVI: "Xã A", Type: dxtrack.UnitCommune, ParentID: qn.ID, ValidFrom: from}
	must(t, s.Units.CreateUnit(sys, xa))
	tong := &dxtrack.Indicator{Code: "TONG", NameVI: "Tổng", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
	must(t, s.Indicators.CreateIndicator(sys, tong))
	jan := dxtrack.Period{Freq: dxtrack.Monthly, Year: 2026, N: 1}
	must(t, s.Values.SetValues(sys, []dxtrack.Value{{UnitID: xa.ID, IndicatorID: tong.ID, Period: jan, Value: 10}}, ""))
	must(t, s.Users.CreateUser(sys, &dxtrack.User{Username: "rep", Name: "Rep", Role: dxtrack.RoleReporter, UnitID: xa.ID}, "mật khẩu tốt"))

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := a.server(false)
	srv.Logger = logger
	stop, err := wireAnalytics(ctx, a, srv, dbPath, &analyticsFlags{watch: 50 * time.Millisecond}, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if got := srv.Boundaries.Path; got != filepath.Join(filepath.Dir(dbPath), "dxtrack.geojson") {
		t.Errorf("boundaries at %s", got)
	}
	live := srv.Analytics
	figure := func(code, unit string) (float64, bool) {
		u, err := s.Units.FindUnitByCode(sys, unit)
		if err != nil {
			t.Fatal(err)
		}
		res, err := live.Query(cube.Query{Codes: []string{code}, UnitID: u.ID, From: jan, To: jan})
		if err != nil {
			t.Fatalf("query %s at %s: %v", code, unit, err)
		}
		return res.Value(0, 0, 0)
	}
	eventually := func(what string, cond func() bool, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within %v", what, within)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if v, _ := figure("TONG", "22"); v != 10 {
		t.Fatalf("loaded figure %v, want 10", v)
	}

	// Through the UI form, as the commune's reporter.
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := loginClient(t, ts.URL, "rep", "mật khẩu tốt")
	res := postForm(t, c, ts.URL+"/values", url.Values{"unit": {"XA"}, "indicator": {"TONG"}, "period": {"2026-01"}, "figure": {"25"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", res.StatusCode)
	}
	eventually("UI value in the province", func() bool { v, _ := figure("TONG", "22"); return v == 25 }, time.Second)

	// A unit created after the load: its value reaches the cube by a
	// rebuild.
	xb := &dxtrack.Unit{Code: "XB", NameVI: "Xã B", Type: dxtrack.UnitCommune, ParentID: qn.ID, ValidFrom: from}
	must(t, s.Units.CreateUnit(sys, xb))
	must(t, s.Values.SetValues(sys, []dxtrack.Value{{UnitID: xb.ID, IndicatorID: tong.ID, Period: jan, Value: 5}}, ""))
	eventually("new unit's value", func() bool { v, _ := figure("TONG", "22"); return v == 30 }, 3*time.Second)

	// A new indicator is known to the first query naming it.
	tt := &dxtrack.Indicator{Code: "TT", NameVI: "Trực tuyến", Type: dxtrack.ValueCount, Direction: dxtrack.DirectionUp}
	must(t, s.Indicators.CreateIndicator(sys, tt))
	time.Sleep(minRebuildGap) // past the rebuild the new unit caused
	if _, ok := figure("TT", "22"); ok {
		t.Error("a figure for an indicator without values")
	}

	// A merge of a unit holding values, seen by the periodic look.
	old := &dxtrack.Unit{Code: "OLD", NameVI: "Huyện cũ", Type: dxtrack.UnitDistrict, ValidFrom: from}
	must(t, s.Units.CreateUnit(sys, old))
	time.Sleep(minRebuildGap)
	must(t, s.Values.SetValues(sys, []dxtrack.Value{{UnitID: old.ID, IndicatorID: tong.ID, Period: jan, Value: 100}}, ""))
	eventually("old unit's own figure", func() bool { v, _ := figure("TONG", "OLD"); return v == 100 }, 3*time.Second)
	must(t, s.Units.MergeUnits(sys, []int64{old.ID}, qn.ID, dxtrack.Day(time.Now()).AddDate(0, 0, -1)))
	eventually("merged unit in the province", func() bool { v, _ := figure("TONG", "22"); return v == 130 }, 3*time.Second)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func loginClient(t *testing.T, base, username, password string) *http.Client {
	t.Helper()
	c := &http.Client{Jar: newJar(t), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res := postForm(t, c, base+"/login", url.Values{"username": {username}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", res.StatusCode)
	}
	return c
}

func postForm(t *testing.T, c *http.Client, target string, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func newJar(t *testing.T) http.CookieJar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}
