package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/composite"
	"github.com/dxtrack/dxtrack/store"
)

// indicesFixture is the shared fixture with the index service and the
// real EGDI 2022 edition.
type indicesFixture struct {
	*fixture
	indices dxtrack.IndexService
	egdi    *dxtrack.IndexEdition
}

// setupIndices wires the index service over the fixture's store and
// loads EGDI 2022 as an imported table.
func setupIndices(t *testing.T) *indicesFixture {
	t.Helper()
	f := &indicesFixture{fixture: newFixture(t)}
	f.indices = store.NewIndexService(f.db)
	f.srv.Indices = f.indices
	d, _, err := composite.EGDI2022()
	if err != nil {
		t.Fatal(err)
	}
	f.egdi = &dxtrack.IndexEdition{IndexCode: "EGDI", IndexVersion: "2022", Year: 2022, NameVI: "EGDI 2022",
		Source: dxtrack.FromTable}
	if err := f.indices.CreateEdition(f.sys, f.egdi, store.TableOf(d)); err != nil {
		t.Fatal(err)
	}
	return f
}

// postMultipart submits a multipart form with fields and one file.
func (c *client) postMultipart(path string, fields url.Values, fileField, fileName string, data []byte) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				c.t.Fatal(err)
			}
		}
	}
	if fileField != "" {
		fw, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.base+path, &buf)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

func edPath(e *dxtrack.IndexEdition, rest string) string {
	return "/indices/editions/" + strconv.FormatInt(e.ID, 10) + rest
}

func TestIndicesEGDIRanking(t *testing.T) {
	f := setupIndices(t)
	c := f.login("leader")
	res, body := c.get(edPath(f.egdi, ""))
	wantStatus(t, res, body, http.StatusOK)
	// Rank, name, code, EGDI to four decimals in Vietnamese; ties share 5th.
	wantText(t, body, "1 Denmark DNK 0,9717", "5 Iceland ISL 0,9410", "5 Sweden SWE 0,9410", "7 Australia AUS 0,9405")

	// The same in English, and in the workbook.
	res, body = c.get("/lang?to=en&next=/")
	res, body = c.get(edPath(f.egdi, ""))
	wantText(t, body, "1 Denmark DNK 0.9717", "5 Sweden SWE 0.9410")
	res, data := c.getBytes(edPath(f.egdi, "/xlsx"))
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(data, []byte("PK")) {
		t.Fatalf("xlsx: status %d, %d bytes", res.StatusCode, len(data))
	}

	// The unit page and the API agree.
	res, body = c.get(edPath(f.egdi, "/units/DNK"))
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "0.9717")
	res, body = c.get("/api/v1/indices/editions/" + strconv.FormatInt(f.egdi.ID, 10) + "/ranking")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `{"unit":"DNK","name":"Denmark","value":0.9717,"rank":1,"stage":"data"}`) {
		t.Errorf("API ranking lacks Denmark first: %s", excerpt(body))
	}
}

// communeIndex is a small index of the province's own.
const communeIndex = `code: QN-XA
version: "2025"
name_vi: Chỉ số xã
decimals: 4
root:
  code: QN-XA
  name_vi: Chỉ số xã
  aggregator: weighted_mean
  children:
    - code: CQS
      name_vi: Chính quyền số
      level: main
      weight: 0.6
      aggregator: weighted_mean
      children:
        - code: ONLINE
          name_vi: Hồ sơ trực tuyến
          weight: 1
          rule: {kind: target, input: ONLINE, target: 100}
    - code: KTS
      name_vi: Kinh tế số
      level: main
      weight: 0.4
      aggregator: weighted_mean
      children:
        - code: CASHLESS
          name_vi: Thanh toán không dùng tiền mặt
          weight: 1
          rule: {kind: target, input: CASHLESS, target: 100}
`

func TestIndicesImportDefinition(t *testing.T) {
	f := setupIndices(t)
	c := f.login("admin")
	bad := strings.Replace(communeIndex, "weight: 0.4", "weight: -0.4", 1)
	res, body := c.postMultipart("/indices/import", url.Values{"definition_text": {bad}}, "", "", nil)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	m := regexp.MustCompile(`(?s)id="definition-errors">(.*?)</div>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no error table\n%s", excerpt(text(body)))
	}
	// The fault is shown at its node, and the document is kept to fix.
	wantText(t, m[1], "QN-XA/KTS weight")
	wantText(t, body, "weight: -0.4")
	res, body = c.get("/indices")
	noText(t, body, "QN-XA")

	res, body = c.postMultipart("/indices/import", url.Values{"definition_text": {communeIndex}}, "", "", nil)
	wantRedirect(t, res, body, "/indices/definitions/")
	res, body = c.get(res.Header.Get("Location"))
	wantText(t, body, "QN-XA · Phiên bản 2025 Chỉ số xã", "CQS Chính quyền số Chỉ số chính 0,6", "So với mục tiêu · ONLINE → 100")
	res, body = c.get(res.Request.URL.Path + "/export?format=yaml")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, "code: QN-XA") {
		t.Errorf("YAML export: %s", excerpt(body))
	}

	// The API refuses a bad definition with 422 naming the node.
	req, _ := http.NewRequest(http.MethodPost, c.base+"/api/v1/indices", strings.NewReader(bad))
	req.Header.Set("Content-Type", "application/yaml")
	res, body = c.do(req)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `"field":"nodes.QN-XA/KTS.weight"`) {
		t.Errorf("API error: %s", body)
	}
}

// tenCommunes is a table where commune C08 ranks 8th.
func tenCommunes() string {
	var b strings.Builder
	b.WriteString("unit_code,unit_name,ONLINE,CASHLESS\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "C%02d,Xã số %d,%d,%d\n", i, i, 95-3*i, 80-2*i)
	}
	return b.String()
}

func TestIndicesGapPlan(t *testing.T) {
	f := setupIndices(t)
	if _, err := f.indices.ImportIndexDefinition(f.sys, []byte(communeIndex)); err != nil {
		t.Fatal(err)
	}
	c := f.login("admin")
	res, body := c.postMultipart("/indices/editions", url.Values{"index": {defID(t, f, "QN-XA")}, "year": {"2025"},
		"name_vi": {"Chỉ số xã 2025"}}, "table", "xa.csv", []byte(tenCommunes()))
	wantRedirect(t, res, body, "/indices/editions/")
	ed := res.Header.Get("Location")

	res, body = c.get(ed + "/gap?unit=C08&n=5")
	wantStatus(t, res, body, http.StatusOK)
	if got := kpi(body, "gap-current"); got != "8" {
		t.Fatalf("current rank %q, want 8", got)
	}
	wantText(t, body, "Các chỉ số thành phần cần cải thiện")
	if !strings.Contains(body, `id="gap-plan"`) {
		t.Fatalf("no plan shown\n%s", excerpt(text(body)))
	}
	newRank, _ := strconv.Atoi(kpi(body, "gap-new"))
	if newRank < 1 || newRank > 5 {
		t.Fatalf("plan reaches rank %d", newRank)
	}
	// Applied as a what-if, the recomputed index ranks the unit ≤ 5.
	res, body = c.get(ed + "/gap?unit=C08&n=5&apply=1")
	m := regexp.MustCompile(`(?s)<td class="num ix-rank-after"[^>]*>(\d+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no applied ranking\n%s", excerpt(text(body)))
	}
	if r, _ := strconv.Atoi(m[1]); r > 5 {
		t.Errorf("rank after applying the plan: %d", r)
	}

	// What-if on an input moves the unit too.
	res, body = c.post(ed+"/whatif", url.Values{"unit": {"C08"}, "in.ONLINE": {"100"}, "in.CASHLESS": {"100"}})
	wantStatus(t, res, body, http.StatusOK)
	m = regexp.MustCompile(`(?s)<td class="num ix-rank-after"[^>]*>(\d+)`).FindStringSubmatch(body)
	if m == nil || m[1] != "1" {
		t.Errorf("what-if rank %v, want 1", m)
	}
	// htmx gets the result alone, to swap in.
	res, body = c.htmxPost(ed+"/whatif", url.Values{"unit": {"C08"}, "in.ONLINE": {"100"}, "in.CASHLESS": {"100"}})
	wantStatus(t, res, body, http.StatusOK)
	if !strings.HasPrefix(body, `<section class="card flush" id="whatif-result">`) || strings.Contains(body, "<html") {
		t.Errorf("htmx what-if answer: %s", excerpt(body))
	}
	wantText(t, body, "QN-XA Chỉ số xã")
}

func defID(t *testing.T, f *indicesFixture, code string) string {
	t.Helper()
	d, err := f.indices.FindIndexDefinition(f.sys, code, "")
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(d.ID, 10)
}

// kpi returns the figure of a KPI box by its ID.
func kpi(body, id string) string {
	m := regexp.MustCompile(`id="` + id + `">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

func TestIndicesTableBadCell(t *testing.T) {
	f := setupIndices(t)
	if _, err := f.indices.ImportIndexDefinition(f.sys, []byte(communeIndex)); err != nil {
		t.Fatal(err)
	}
	c := f.login("admin")
	bad := strings.Replace(tenCommunes(), "C02,Xã số 2,89,76", "C02,Xã số 2,tám chín,76", 1)
	res, body := c.postMultipart("/indices/editions", url.Values{"index": {defID(t, f, "QN-XA")}, "year": {"2025"},
		"name_vi": {"Chỉ số xã 2025"}}, "table", "xa.csv", []byte(bad))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "table", "Dòng 3")
	wantFieldError(t, body, "table", "ONLINE")
	eds, err := f.indices.FindEditions(f.sys, dxtrack.EditionFilter{IndexCode: "QN-XA"})
	if err != nil || len(eds) != 0 {
		t.Fatalf("editions after a refused table: %d, %v", len(eds), err)
	}
}

func TestIndicesScoreWorkflow(t *testing.T) {
	f := setupIndices(t)
	if _, err := f.indices.ImportIndexDefinition(f.sys, []byte(communeIndex)); err != nil {
		t.Fatal(err)
	}
	admin := f.login("admin")
	table := "unit_code,unit_name,ONLINE,CASHLESS\nXA,Xã Hòa Bình,60,50\nXB,Xã Đông Sơn,70,40\n"
	res, body := admin.postMultipart("/indices/editions", url.Values{"index": {defID(t, f, "QN-XA")}, "year": {"2025"},
		"name_vi": {"Chỉ số xã 2025"}, "owned": {"1"}}, "table", "xa.csv", []byte(table))
	wantRedirect(t, res, body, "/indices/editions/")
	ed := res.Header.Get("Location")

	// Commune A's reporter self-assesses its own row …
	a := f.login("reporter-a")
	res, body = a.postMultipart(ed+"/scores", url.Values{"unit": {"XA"}, "node": {"ONLINE"}, "action": {"self_assess"},
		"value": {"0,9"}, "note": {"Báo cáo 12/BC-UBND"}}, "file", "bien-ban.pdf", []byte("%PDF-1.4"))
	wantRedirect(t, res, body, ed+"/scores?unit=XA")
	// … but not commune B's, and cannot appraise.
	res, body = a.postMultipart(ed+"/scores", url.Values{"unit": {"XB"}, "node": {"ONLINE"}, "action": {"self_assess"},
		"value": {"0,9"}}, "", "", nil)
	wantStatus(t, res, body, http.StatusForbidden)
	res, body = a.postMultipart(ed+"/scores", url.Values{"unit": {"XA"}, "node": {"ONLINE"}, "action": {"appraise"},
		"value": {"0,9"}}, "", "", nil)
	wantStatus(t, res, body, http.StatusForbidden)
	// Another commune's reporter may not touch A's row.
	b := f.login("reporter-b")
	res, body = b.postMultipart(ed+"/scores", url.Values{"unit": {"XA"}, "node": {"ONLINE"}, "action": {"self_assess"},
		"value": {"1"}}, "", "", nil)
	wantStatus(t, res, body, http.StatusForbidden)

	res, body = a.get(ed + "/scores?unit=XA")
	wantText(t, body, "0,9000", "Tự đánh giá", "Báo cáo 12/BC-UBND", "Minh chứng")

	// The reviewer of the office appraises; the ranking uses it and says so.
	rv := f.login("reviewer")
	res, body = rv.postMultipart(ed+"/scores", url.Values{"unit": {"XA"}, "node": {"ONLINE"}, "action": {"appraise"},
		"value": {"0,8"}}, "", "", nil)
	wantRedirect(t, res, body, ed+"/scores?unit=XA")
	res, body = rv.get(ed + "/scores?unit=XA")
	wantText(t, body, "0,8000 — Đã thẩm định")
	// Every step is in the trail, with who and why.
	wantText(t, body, "Người dùng reviewer XA.ONLINE.appraised 0,8", "Người dùng reporter-a XA.ONLINE.self 0,9 Báo cáo 12/BC-UBND")
	// XA: 0.6·0.8 + 0.4·0.5 = 0.68 > XB: 0.6·0.7 + 0.4·0.4 = 0.58.
	res, body = rv.get(ed)
	wantText(t, body, "1 Xã Hòa Bình XA 0,6800 TĐ", "2 Xã Đông Sơn XB 0,5800")
	// After appraisal the reporter can no longer self-assess.
	res, body = a.postMultipart(ed+"/scores", url.Values{"unit": {"XA"}, "node": {"ONLINE"}, "action": {"self_assess"},
		"value": {"1"}}, "", "", nil)
	wantStatus(t, res, body, http.StatusConflict)

	// After Xã Hòa Bình merges into Xã Đông Sơn, the edition carries over
	// by the lineage rule: each main index is the mean of the former
	// communes' (CQS (0.8 + 0.7) / 2, KTS (0.5 + 0.4) / 2), then
	// aggregated again: 0.6·0.75 + 0.4·0.45 = 0.63.
	if err := f.units.MergeUnits(f.sys, []int64{f.communeA.ID}, f.communeB.ID, dxtrack.MustDate("2025-07-01")); err != nil {
		t.Fatal(err)
	}
	res, body = admin.post(ed+"/derive", url.Values{"cohort": {"sau sáp nhập"}})
	wantRedirect(t, res, body, "/indices/editions/")
	res, body = admin.get(res.Header.Get("Location"))
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "1 Xã Đông Sơn XB 0,6300")
}

func TestIndicesRankOverYears(t *testing.T) {
	f := setupIndices(t)
	if _, err := f.indices.ImportIndexDefinition(f.sys, []byte(communeIndex)); err != nil {
		t.Fatal(err)
	}
	// In 2024 the order was the reverse of 2025's.
	var prev strings.Builder
	prev.WriteString("unit_code,unit_name,ONLINE,CASHLESS\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&prev, "C%02d,Xã số %d,%d,%d\n", i, i, 50+3*i, 40+2*i)
	}
	for year, table := range map[int]string{2024: prev.String(), 2025: tenCommunes()} {
		e := &dxtrack.IndexEdition{IndexCode: "QN-XA", IndexVersion: "2025", Year: year, NameVI: fmt.Sprintf("Chỉ số xã %d", year),
			Cohort: "10 xã"}
		if err := f.indices.ImportEdition(f.sys, e, "xa.csv", []byte(table)); err != nil {
			t.Fatal(err)
		}
	}
	eds, err := f.indices.FindEditions(f.sys, dxtrack.EditionFilter{IndexCode: "QN-XA"})
	if err != nil || len(eds) != 2 || eds[0].Year != 2025 {
		t.Fatalf("editions %v, %v", eds, err)
	}
	c := f.login("leader")
	res, body := c.get(edPath(eds[0], ""))
	wantStatus(t, res, body, http.StatusOK)
	// Rank, unit, 2025 value, rank in 2024, places gained: C01 scores
	// 0.6·0.92 + 0.4·0.78 = 0.864, C10 0.6·0.65 + 0.4·0.60 = 0.63.
	wantText(t, body, "Hạng 2024", "So với 2024", "1 Xã số 1 C01 0,8640 10 ▲ 9", "10 Xã số 10 C10 0,6300 1 ▼ 9")

	// The API lists the index with both editions and plans and simulates on them.
	res, body = c.get("/api/v1/indices")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `"code":"QN-XA"`) || strings.Count(body, `"year":202`) < 3 {
		t.Errorf("API list: %s", excerpt(body))
	}
	res, body = c.get("/api/v1/indices/editions/" + strconv.FormatInt(eds[0].ID, 10) + "/gap?unit=C08&n=5")
	wantStatus(t, res, body, http.StatusOK)
	if !strings.Contains(body, `"current_rank":8`) || !strings.Contains(body, `"feasible":true`) {
		t.Errorf("API gap: %s", body)
	}
	res, body = c.get("/api/v1/indices/editions/" + strconv.FormatInt(eds[0].ID, 10) + "/uncertainty?draws=100&norm=zscore")
	wantStatus(t, res, body, http.StatusOK)
	if strings.Count(body, `"nominal":`) != 10 {
		t.Errorf("API uncertainty: %s", excerpt(body))
	}
	res, body = c.get(edPath(eds[0], "/uncertainty?share=30&norm=zscore"))
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Xã số 1 1 1")
}
