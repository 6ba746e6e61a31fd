package dhis2_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/dhis2"
)

func TestReadJSON(t *testing.T) {
	body := `{"dataSet":"pBOMPrpg1QX","completeDate":"2025-02-02","period":"202501","orgUnit":"DLA",
	  "dataValues":[
	    {"dataElement":"f7n9E0hX8qk","categoryOptionCombo":"HllvX50cXC0","value":"12","comment":"ok"},
	    {"dataElement":"Ix2HsbDMLea","period":"2025Q1","orgUnit":"XA","value":7.5,"followup":true},
	    {"dataElement":"eY5ehpbEsB7","value":null,"deleted":"true"}]}`
	set, err := dhis2.ReadJSON(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(set.DataValues), 3; got != want {
		t.Fatalf("values = %d, want %d", got, want)
	}
	v0, v1, v2 := set.DataValues[0], set.DataValues[1], set.DataValues[2]
	if v0.Period != "202501" || v0.OrgUnit != "DLA" || v0.Value != "12" || v0.Comment != "ok" {
		t.Errorf("value 0 = %+v: the set's period and orgUnit apply", v0)
	}
	if v1.Period != "2025Q1" || v1.OrgUnit != "XA" || v1.Value != "7.5" || !v1.FollowUp {
		t.Errorf("value 1 = %+v: its own period and orgUnit win, a number reads as text", v1)
	}
	if v2.Value != "" || !v2.Deleted {
		t.Errorf("value 2 = %+v", v2)
	}
	if set.DataSet != "pBOMPrpg1QX" {
		t.Errorf("dataSet = %q", set.DataSet)
	}
	if _, err := dhis2.ReadJSON(strings.NewReader(`{"dataValues":[{"value":{}}]}`)); err == nil {
		t.Error("an object as a value: no error")
	}
}

func TestReadCSV(t *testing.T) {
	for name, body := range map[string]string{
		"header": "DataElement,Period,OrgUnit,CatOptCombo,AttrOptCombo,Value,StoredBy,LastUpdated,Comment,FollowUp,Deleted\n" +
			"f7n9E0hX8qk,202501,DLA,HllvX50cXC0,,12,admin,2025-02-01,ok,false,false\n" +
			"Ix2HsbDMLea,2025Q1,XA,,,\"7,5\",,,,,\n",
		"no header": "f7n9E0hX8qk,202501,DLA,HllvX50cXC0,,12,admin,2025-02-01,ok,false,false\n" +
			"Ix2HsbDMLea,2025Q1,XA,,,\"7,5\"\n\n",
		"header in another order": "value,orgunit,period,dataelement\n12,DLA,202501,f7n9E0hX8qk\n\"7,5\",XA,2025Q1,Ix2HsbDMLea\n",
	} {
		t.Run(name, func(t *testing.T) {
			set, err := dhis2.ReadCSV(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(set.DataValues), 2; got != want {
				t.Fatalf("values = %d, want %d", got, want)
			}
			v0, v1 := set.DataValues[0], set.DataValues[1]
			if v0.DataElement != "f7n9E0hX8qk" || v0.Period != "202501" || v0.OrgUnit != "DLA" || v0.Value != "12" {
				t.Errorf("row 0 = %+v", v0)
			}
			if v1.DataElement != "Ix2HsbDMLea" || v1.Period != "2025Q1" || v1.OrgUnit != "XA" || v1.Value != "7,5" {
				t.Errorf("row 1 = %+v", v1)
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]dxtrack.Period{
		"2025":    {Freq: dxtrack.Yearly, Year: 2025, N: 1},
		"2025S1":  {Freq: dxtrack.SixMonths, Year: 2025, N: 1},
		"2025Q3":  {Freq: dxtrack.Quarterly, Year: 2025, N: 3},
		"202511":  {Freq: dxtrack.Monthly, Year: 2025, N: 11},
		"2025-11": {Freq: dxtrack.Monthly, Year: 2025, N: 11},
	} {
		got, err := dhis2.ParsePeriod(in)
		if err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, kind := range map[string]string{
		"20250115": "daily", "2025W3": "weekly", "2025BiW2": "biweekly", "202501B": "bimonthly",
		"2025April": "financial_year", "2025AprilS1": "financial_half", "2025S2": "second_half",
		"202513": "", "2025Q5": "", "abc": "", "": "",
	} {
		_, err := dhis2.ParsePeriod(in)
		var pe *dhis2.PeriodError
		if !errors.As(err, &pe) || pe.Kind != kind {
			t.Errorf("ParsePeriod(%q) error = %v, want kind %q", in, err, kind)
		}
	}
}

func TestSummary(t *testing.T) {
	s := dhis2.NewSummary(dhis2.Options{})
	s.ImportCount.Imported = 2
	s.Conflict(1, dhis2.ErrDataElement, "dataElement", "XX", "dhis2.conflict_element", map[string]any{"Code": "XX"})
	s.Conflict(3, dhis2.ErrDataElement, "dataElement", "XX", "dhis2.conflict_element", map[string]any{"Code": "XX"})
	s.Conflict(4, dhis2.ErrPeriod, "period", "2025W1", "dhis2.conflict_period_weekly", map[string]any{"Value": "2025W1"})
	s.Finish()
	s.Describe(func(id string, args map[string]any) string { f, _ := args["Field"].(string); return id + ":" + f })
	m := dhis2.Message(s)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got["httpStatus"] != "Conflict" || got["httpStatusCode"] != 409.0 || got["status"] != "WARNING" {
		t.Errorf("envelope = %v", got)
	}
	r := got["response"].(map[string]any)
	if r["responseType"] != "ImportSummary" || r["status"] != "WARNING" || r["dataSetComplete"] != "false" {
		t.Errorf("response = %v", r)
	}
	c := r["importCount"].(map[string]any)
	if c["imported"] != 2.0 || c["updated"] != 0.0 || c["ignored"] != 3.0 || c["deleted"] != 0.0 {
		t.Errorf("importCount = %v", c)
	}
	cs := r["conflicts"].([]any)
	if len(cs) != 2 {
		t.Fatalf("conflicts = %v, want the two XX grouped", cs)
	}
	c0 := cs[0].(map[string]any)
	if c0["object"] != "XX" || c0["errorCode"] != "E7610" || c0["value"] != "dhis2.conflict_element:dataElement" ||
		len(c0["indexes"].([]any)) != 2 || c0["indexes"].([]any)[1] != 3.0 {
		t.Errorf("conflict 0 = %v", c0)
	}

	ok := dhis2.NewSummary(dhis2.Options{DryRun: true})
	ok.ImportCount.Imported = 1
	ok.Finish()
	if m := dhis2.Message(ok); m.HTTPStatusCode != 200 || m.Status != "OK" || ok.Status != "SUCCESS" || !ok.ImportOptions.DryRun {
		t.Errorf("clean import: %+v %+v", m, ok)
	}
	bad := dhis2.NewSummary(dhis2.Options{})
	bad.Conflict(0, dhis2.ErrPeriod, "period", "x", "dhis2.conflict_period", nil)
	bad.Finish()
	if bad.Status != "ERROR" {
		t.Errorf("every value refused: status %s", bad.Status)
	}
}

func TestMapsValidate(t *testing.T) {
	m := dhis2.ElementMap{DataElement: "  f7n9E0hX8qk ", Combo: "default", IndicatorID: 3}
	if err := m.Validate(); err != nil || m.Combo != "" || m.DataElement != "f7n9E0hX8qk" {
		t.Errorf("Validate: %v, %+v", err, m)
	}
	var empty dhis2.OrgUnitMap
	fields := dxtrack.ErrorFields(empty.Validate())
	if len(fields) != 2 || fields[0].Field != "dhis2_org_unit" || fields[1].Field != "unit" {
		t.Errorf("empty org unit map: %+v", fields)
	}
}
