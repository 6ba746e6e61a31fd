package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/ingest"
	"github.com/dxtrack/dxtrack/store"
)

// sfixture is the fixture with two machine indicators, the data-source
// service and a pipeline to push batches through.
type sfixture struct {
	*fixture
	sources  dxtrack.DataSourceService
	pipeline *ingest.Pipeline
}

func newSFixture(t *testing.T) *sfixture {
	t.Helper()
	f := &sfixture{fixture: newFixture(t)}
	f.sources = store.NewDataSourceService(f.db)
	f.srv.Sources = f.sources
	f.srv.SourceRuns = store.NewConnectors(f.db)
	inds := store.NewIndicatorService(f.db)
	for _, in := range []*dxtrack.Indicator{
		{Code: "HS", NameVI: "Hồ sơ tiếp nhận", Type: dxtrack.ValueCount, Source: dxtrack.SourceMachine, Direction: dxtrack.DirectionUp, PillarID: f.pillar.ID},
		{Code: "HS_TT", NameVI: "Tỷ lệ hồ sơ trực tuyến", Type: dxtrack.ValuePercent, Measure: "%", Source: dxtrack.SourceMachine, Direction: dxtrack.DirectionUp, PillarID: f.pillar.ID},
	} {
		if err := inds.CreateIndicator(f.sys, in); err != nil {
			t.Fatal(err)
		}
	}
	f.pipeline = ingest.New(f.db, ingest.Options{})
	f.pipeline.Start(context.Background())
	t.Cleanup(func() { f.pipeline.Close() })
	return f
}

// sourceForm is a filled-in form for a push source of dossiers.
func sourceForm() url.Values {
	return url.Values{
		"code": {"dvc"}, "name": {"Cổng dịch vụ công"}, "owner_unit": {"22"}, "policy": {"accept_valid"},
		"unit_field": {"unit"}, "time_field": {"received_at"}, "freq": {"month"},
		"rules_n":           {"3"},
		"rules.0.indicator": {"HS"}, "rules.0.agg": {"count"},
		"rules.1.indicator": {"HS_TT"}, "rules.1.agg": {"share"}, "rules.1.where": {"online == true"},
		"rules.2.indicator": {""}, "rules.2.agg": {"count"},
		"mode": {"push"}, "format": {"json"}, "every_min": {"60"},
	}
}

var tokenPattern = regexp.MustCompile(`<code class="token">([^<]+)</code>`)

func TestSourceTokenShownOnce(t *testing.T) {
	f := newSFixture(t)
	admin := f.login("admin")
	res, body := admin.post("/sources", sourceForm())
	wantStatus(t, res, body, http.StatusCreated)
	wantText(t, body, "Token mới của nguồn", "chỉ hiện một lần", "POST /api/v1/ingest/dvc")
	m := tokenPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no token on the page after creating the source")
	}
	token := m[1]
	if src, err := f.sources.SourceByToken(context.Background(), "dvc", token); err != nil || src.Name != "Cổng dịch vụ công" {
		t.Fatalf("the token shown does not authenticate the source: %v, %v", src, err)
	}

	res, body = admin.get("/sources/dvc")
	wantStatus(t, res, body, http.StatusOK)
	if strings.Contains(body, token) {
		t.Error("the token is shown again on the source's page")
	}
	noText(t, body, "Token mới của nguồn")
	wantText(t, body, token[:6]+"…")

	// Rotating asks for the confirmation box, then shows the new token once.
	res, body = admin.post("/sources/dvc/rotate", url.Values{})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantText(t, body, "Hãy đánh dấu ô xác nhận")
	res, body = admin.post("/sources/dvc/rotate", url.Values{"confirm": {"1"}})
	wantStatus(t, res, body, http.StatusOK)
	m = tokenPattern.FindStringSubmatch(body)
	if m == nil || m[1] == token {
		t.Fatalf("rotation showed no new token: %v", m)
	}
	if _, err := f.sources.SourceByToken(context.Background(), "dvc", token); dxtrack.ErrorCode(err) != dxtrack.EUNAUTHORIZED {
		t.Errorf("the old token still works after rotation: %v", err)
	}
	res, body = admin.post("/sources/dvc/revoke", url.Values{"confirm": {"1"}})
	wantRedirect(t, res, body, "/sources/dvc")
	_, body = admin.get("/sources/dvc")
	wantText(t, body, "Đã thu hồi token", "Chưa có token")
}

func TestSourcePageShowsBatches(t *testing.T) {
	f := newSFixture(t)
	admin := f.login("admin")
	res, body := admin.post("/sources", sourceForm())
	wantStatus(t, res, body, http.StatusCreated)
	src, err := f.sources.FindSource(f.sys, "dvc")
	if err != nil {
		t.Fatal(err)
	}
	// Two good dossiers and one of a commune that does not exist.
	batch := []dxtrack.Record{
		{"unit": "XA", "received_at": "2023-01-10T08:00:00+07:00", "online": true},
		{"unit": "XB", "received_at": "2023-01-11T08:00:00+07:00", "online": false},
		{"unit": "XZ", "received_at": "2023-01-12T08:00:00+07:00", "online": true},
	}
	if _, err := f.pipeline.Push(context.Background(), src, "b-1", batch); err != nil && !errors.Is(err, ingest.ErrRefused) {
		t.Fatal(err)
	}

	res, body = admin.get("/sources")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Cổng dịch vụ công", "Quảng Ninh", "Có bản ghi bị từ chối")

	res, body = admin.get("/sources/dvc")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Nhận 2, từ chối 1", "XZ", "HS · Hồ sơ tiếp nhận", "HS_TT · Tỷ lệ hồ sơ trực tuyến")
	// The refused record's example: its place in the batch and its field.
	if !regexp.MustCompile(`<td class="num" data-label="Bản ghi">2</td>\s*<td data-label="Trường"><span class="code">unit</span>`).MatchString(body) {
		t.Errorf("no example of the refused record 2 (unit):\n%s", excerpt(text(body)))
	}
	if !strings.Contains(body, `href="/values?indicator=HS&amp;unit=22"`) {
		t.Error("no link to the values of the indicator the source feeds")
	}
	if !strings.Contains(body, `id="source-data"`) || !strings.Contains(body, `"accepted":[`) {
		t.Error("no volume chart data")
	}
}

func TestSourceFormErrors(t *testing.T) {
	f := newSFixture(t)
	admin := f.login("admin")
	form := sourceForm()
	form.Set("name", "")
	form.Set("mode", "pull")
	form.Set("url", "ftp://x")
	form.Set("rules.1.where", "")
	res, body := admin.post("/sources", form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "name", "Tên nguồn là thông tin bắt buộc")
	wantFieldError(t, body, "url", "phải là địa chỉ http:// hoặc https://")
	wantText(t, body, "Quy tắc 2: cách tính tỷ lệ cần điều kiện")
	if strings.Contains(body, `name="client_secret" type="password" value="`+"x") {
		t.Error("the client secret is sent back")
	}

	// The store's check: an indicator fed by no such code.
	form = sourceForm()
	form.Set("rules.0.indicator", "KHONG")
	res, body = admin.post("/sources", form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantText(t, body, "Quy tắc 1")
}

func TestSourceSecretWriteOnly(t *testing.T) {
	f := newSFixture(t)
	admin := f.login("admin")
	form := sourceForm()
	form.Set("mode", "pull")
	form.Set("url", "https://lgsp.example.gov.vn/api/dossiers")
	form.Set("token_url", "https://lgsp.example.gov.vn/oauth/token")
	form.Set("client_id", "dxtrack")
	form.Set("client_secret", "bí-mật-lgsp")
	res, body := admin.post("/sources", form)
	wantRedirect(t, res, body, "/sources/dvc")
	res, body = admin.get("/sources/dvc/edit")
	wantStatus(t, res, body, http.StatusOK)
	if strings.Contains(body, "bí-mật-lgsp") {
		t.Fatal("the edit form shows the client secret")
	}
	wantText(t, body, "Đã lưu; để trống để giữ nguyên")
	// Saved with the secret left empty: it is kept.
	form.Set("client_secret", "")
	form.Set("name", "Trục LGSP")
	res, body = admin.post("/sources/dvc", form)
	wantRedirect(t, res, body, "/sources/dvc")
	src, err := f.sources.FindSource(f.sys, "dvc")
	if err != nil {
		t.Fatal(err)
	}
	if src.Name != "Trục LGSP" || src.Pull == nil || src.Pull.ClientSecret != "bí-mật-lgsp" {
		t.Errorf("after the edit: %q, %+v", src.Name, src.Pull)
	}
	_, body = admin.get("/sources/dvc")
	wantText(t, body, "Nhật ký lấy dữ liệu", "Trình kết nối chưa chạy lần nào")
}

func TestNonAdminCannotCreateSource(t *testing.T) {
	f := newSFixture(t)
	leader := f.login("leader")
	res, body := leader.get("/sources/new")
	wantStatus(t, res, body, http.StatusForbidden)
	res, body = leader.post("/sources", sourceForm())
	wantStatus(t, res, body, http.StatusForbidden)
	if srcs, err := f.sources.FindSources(f.sys); err != nil || len(srcs) != 0 {
		t.Errorf("sources after a leader's post: %v, %v", srcs, err)
	}
}
