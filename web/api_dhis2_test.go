package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/dhis2"
	"github.com/dxtrack/dxtrack/store"
)

// dhis2Answer is DHIS2's web message as a client reads it.
type dhis2Answer struct {
	HTTPStatus     string `json:"httpStatus"`
	HTTPStatusCode int    `json:"httpStatusCode"`
	Status         string `json:"status"`
	Message        string `json:"message"`
	Response       struct {
		ResponseType string `json:"responseType"`
		Status       string `json:"status"`
		Description  string `json:"description"`
		ImportCount  struct {
			Imported, Updated, Ignored, Deleted int
		} `json:"importCount"`
		Conflicts []struct {
			Object    string `json:"object"`
			Value     string `json:"value"`
			ErrorCode string `json:"errorCode"`
			Indexes   []int  `json:"indexes"`
		} `json:"conflicts"`
		ImportOptions struct {
			DryRun         bool   `json:"dryRun"`
			ImportStrategy string `json:"importStrategy"`
		} `json:"importOptions"`
		DataSetComplete string `json:"dataSetComplete"`
	} `json:"response"`
}

// dhis2Fixture is the reporting fixture with the DHIS2 endpoint wired and
// a code table row for the total.
func dhis2Fixture(t *testing.T) (*rfixture, map[string]*dxtrack.Indicator) {
	t.Helper()
	f := newRFixture(t)
	d := store.NewDHIS2Service(f.db)
	f.srv.DHIS2 = d
	rg, ins := f.seedRegime(t)
	_ = rg
	if err := d.SaveElementMap(f.sys, &dhis2.ElementMap{DataElement: "deTONG00001", IndicatorID: ins["TONG"].ID}); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveOrgUnitMap(f.sys, &dhis2.OrgUnitMap{OrgUnit: "ouHOABINH01", UnitID: f.communeA.ID}); err != nil {
		t.Fatal(err)
	}
	return f, ins
}

// push sends a data value set as a DHIS2 client does, signed in with
// HTTP Basic.
func push(t *testing.T, f *rfixture, user, pass, contentType, query, body string) (*http.Response, dhis2Answer) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.ts.URL+"/api/v1/dataValueSets"+query, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept-Language", "en")
	req.SetBasicAuth(user, pass)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a dhis2Answer
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatalf("answer: %v", err)
	}
	return res, a
}

func (a dhis2Answer) counts() [4]int {
	c := a.Response.ImportCount
	return [4]int{c.Imported, c.Updated, c.Ignored, c.Deleted}
}

func TestDHIS2DataValueSetsJSON(t *testing.T) {
	t.Parallel()
	f, ins := dhis2Fixture(t)
	values := store.NewValueService(f.db)
	set := `{"dataSet":"dsCDS","period":"202301","orgUnit":"ouHOABINH01","dataValues":[
	  {"dataElement":"deTONG00001","categoryOptionCombo":"HllvX50cXC0","value":"120"},
	  {"dataElement":"TT","orgUnit":"XB","value":80},
	  {"dataElement":"deNOSUCH001","value":"1"},
	  {"dataElement":"TT","period":"2023W2","value":"1"}]}`

	res, a := push(t, f, "admin", password, "application/json", "", set)
	if res.StatusCode != http.StatusConflict || a.HTTPStatus != "Conflict" || a.HTTPStatusCode != 409 || a.Status != "WARNING" {
		t.Fatalf("answer %d %+v, want 409 Conflict WARNING", res.StatusCode, a)
	}
	if a.Response.ResponseType != "ImportSummary" || a.Response.Status != "WARNING" || a.Response.DataSetComplete != "false" ||
		a.Response.ImportOptions.ImportStrategy != "CREATE_AND_UPDATE" {
		t.Errorf("response = %+v", a.Response)
	}
	if got, want := a.counts(), [4]int{2, 0, 2, 0}; got != want {
		t.Errorf("importCount = %v, want %v", got, want)
	}
	if len(a.Response.Conflicts) != 2 {
		t.Fatalf("conflicts = %+v", a.Response.Conflicts)
	}
	c0, c1 := a.Response.Conflicts[0], a.Response.Conflicts[1]
	if c0.Object != "deNOSUCH001" || c0.ErrorCode != "E7610" || len(c0.Indexes) != 1 || c0.Indexes[0] != 2 ||
		!strings.Contains(c0.Value, "Data element “deNOSUCH001”") {
		t.Errorf("conflict 0 = %+v", c0)
	}
	if c1.Object != "2023W2" || c1.ErrorCode != "E7611" || c1.Indexes[0] != 3 || !strings.Contains(c1.Value, "weekly") {
		t.Errorf("conflict 1 = %+v", c1)
	}
	got, err := values.FindValues(f.sys, dxtrack.ValueFilter{IndicatorID: ins["TONG"].ID, UnitID: f.communeA.ID})
	if err != nil || len(got) != 1 || got[0].Value != 120 || got[0].Provenance != dxtrack.FromMachine || got[0].Period != jan2023 {
		t.Fatalf("stored = %+v, %v", got, err)
	}

	// The same push again: every value is ignored.
	_, a = push(t, f, "admin", password, "application/json", "", set)
	if got, want := a.counts(), [4]int{0, 0, 4, 0}; got != want {
		t.Errorf("second push importCount = %v, want %v", got, want)
	}

	// A dry run of a change counts it and stores nothing; the push updates.
	changed := `{"period":"202301","orgUnit":"ouHOABINH01","dataValues":[{"dataElement":"deTONG00001","value":"125"}]}`
	res, a = push(t, f, "admin", password, "application/json", "?dryRun=true", changed)
	if res.StatusCode != http.StatusOK || a.HTTPStatus != "OK" || a.Status != "OK" || a.Response.Status != "SUCCESS" ||
		!a.Response.ImportOptions.DryRun || a.counts() != [4]int{0, 1, 0, 0} {
		t.Errorf("dry run: %d %+v", res.StatusCode, a)
	}
	if got, _ := values.FindValues(f.sys, dxtrack.ValueFilter{IndicatorID: ins["TONG"].ID, UnitID: f.communeA.ID}); got[0].Value != 120 {
		t.Errorf("after a dry run the value is %v", got[0].Value)
	}
	_, a = push(t, f, "admin", password, "application/json", "", changed)
	if a.counts() != [4]int{0, 1, 0, 0} {
		t.Errorf("update: %+v", a.Response.ImportCount)
	}

	// A wrong password: 401 in DHIS2's shape, nothing read.
	res, a = push(t, f, "admin", "wrong", "application/json", "", changed)
	if res.StatusCode != http.StatusUnauthorized || a.HTTPStatusCode != 401 || a.Status != "ERROR" ||
		res.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("wrong password: %d %+v", res.StatusCode, a)
	}

	// A reporter of commune A may not push commune B's figures.
	res, a = push(t, f, "reporter-a", password, "application/json", "",
		`{"period":"202301","dataValues":[{"dataElement":"TT","orgUnit":"XB","value":"81"},{"dataElement":"TT","orgUnit":"XA","value":"7"}]}`)
	if res.StatusCode != http.StatusConflict || a.counts() != [4]int{1, 0, 1, 0} || len(a.Response.Conflicts) != 1 ||
		a.Response.Conflicts[0].ErrorCode != "E7617" || a.Response.Conflicts[0].Indexes[0] != 0 {
		t.Errorf("reporter of another unit: %d %+v", res.StatusCode, a)
	}

	// A bad body is refused as a whole.
	res, a = push(t, f, "admin", password, "application/json", "", `{"dataValues":`)
	if res.StatusCode != http.StatusBadRequest || a.Status != "ERROR" {
		t.Errorf("bad body: %d %+v", res.StatusCode, a)
	}
	res, _ = push(t, f, "admin", password, "application/xml", "", `<dataValueSet/>`)
	if res.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("XML: %d, want 415", res.StatusCode)
	}
}

func TestDHIS2DataValueSetsCSV(t *testing.T) {
	t.Parallel()
	f, ins := dhis2Fixture(t)
	csv := "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup,deleted\n" +
		"deTONG00001,202301,ouHOABINH01,HllvX50cXC0,HllvX50cXC0,120,dhis,2023-01-14,,false,false\n" +
		"TT,202301,XA,,,80,,,,,\n" +
		"TT,2023S2,XA,,,80,,,,,\n"
	res, a := push(t, f, "admin", password, "application/csv", "", csv)
	if res.StatusCode != http.StatusConflict || a.counts() != [4]int{2, 0, 1, 0} ||
		len(a.Response.Conflicts) != 1 || a.Response.Conflicts[0].ErrorCode != "E7611" || a.Response.Conflicts[0].Indexes[0] != 2 {
		t.Fatalf("CSV: %d %+v", res.StatusCode, a)
	}
	// Without header, in DHIS2's column order, with a bearer token.
	admin, err := f.users.Authenticate(t.Context(), "admin", password)
	if err != nil {
		t.Fatal(err)
	}
	token, err := f.users.CreateToken(dxtrack.NewContextWithUser(t.Context(), admin), "dhis2")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+"/api/dataValueSets", strings.NewReader("TT,202301,XA,,,81\n"))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || a.counts() != [4]int{0, 1, 0, 0} || a.Message != "Nhập dữ liệu thành công." {
		t.Errorf("headerless CSV with a token: %d %+v", res.StatusCode, a)
	}
	got, err := store.NewValueService(f.db).FindValues(f.sys, dxtrack.ValueFilter{IndicatorID: ins["TT"].ID, UnitID: f.communeA.ID})
	if err != nil || len(got) != 1 || got[0].Value != 81 {
		t.Errorf("stored TT = %+v, %v", got, err)
	}
}

func TestDHIS2CodesPage(t *testing.T) {
	t.Parallel()
	f, _ := dhis2Fixture(t)
	admin := f.login("admin")
	_, body := admin.get("/dhis2")
	wantText(t, body, "deTONG00001", "ouHOABINH01", "/api/v1/dataValueSets", "Thêm phần tử dữ liệu")
	res, body := admin.post("/dhis2/elements", url.Values{"dhis2_element": {"deTT0000001"}, "dhis2_combo": {"cocFEMALE01"}, "indicator": {"TT"}})
	wantRedirect(t, res, body, "/dhis2")
	_, body = admin.get("/dhis2")
	wantText(t, body, "deTT0000001", "cocFEMALE01")
	res, body = admin.post("/dhis2/elements", url.Values{"dhis2_element": {""}, "indicator": {""}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, body, "dhis2_element", "Phần tử dữ liệu (UID hoặc mã)")
	res, body = admin.post("/dhis2/org-units", url.Values{"dhis2_org_unit": {"ouDONGSON01"}, "unit": {"NOPE"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	// A reporter reads the tables but may not change them.
	r := f.login("reporter-a")
	_, body = r.get("/dhis2")
	noText(t, body, "Thêm phần tử dữ liệu")
	res, _ = r.post("/dhis2/org-units", url.Values{"dhis2_org_unit": {"ouDONGSON01"}, "unit": {"XB"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("reporter adds a row: %d", res.StatusCode)
	}
}
