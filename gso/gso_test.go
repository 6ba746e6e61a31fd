package gso_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/gso"
)

func countTypes(recs []dxtrack.UnitRecord) map[dxtrack.UnitType]int {
	n := map[dxtrack.UnitType]int{}
	for _, r := range recs {
		n[r.Type]++
	}
	return n
}

func byCode(recs []dxtrack.UnitRecord) map[string]dxtrack.UnitRecord {
	m := make(map[string]dxtrack.UnitRecord, len(recs))
	for _, r := range recs {
		m[r.Code] = r
	}
	return m
}

func TestEmbeddedCounts(t *testing.T) {
	for _, tt := range []struct {
		name                          string
		load                          func() ([]dxtrack.UnitRecord, error)
		provinces, municipalities     int
		communes, wards, specialZones int
	}{
		{"2025", gso.Units2025, 34, 6, 2621, 687, 13},
		{"2026", gso.Units2026, 34, 7, 2611, 697, 13},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := tt.load()
			if err != nil {
				t.Fatal(err)
			}
			n := countTypes(recs)
			if got := n[dxtrack.UnitProvince]; got != tt.provinces {
				t.Errorf("provinces = %d, want %d", got, tt.provinces)
			}
			if got := n[dxtrack.UnitCommune] + n[dxtrack.UnitWard] + n[dxtrack.UnitSpecialZone]; got != 3321 {
				t.Errorf("communes, wards and special zones = %d, want 3321", got)
			}
			if got, want := [3]int{n[dxtrack.UnitCommune], n[dxtrack.UnitWard], n[dxtrack.UnitSpecialZone]}, [3]int{tt.communes, tt.wards, tt.specialZones}; got != want {
				t.Errorf("xã/phường/đặc khu = %v, want %v", got, want)
			}
			if got := len(recs); got != 34+3321 {
				t.Errorf("records = %d, want %d", got, 34+3321)
			}
			muni := 0
			for _, r := range recs {
				if r.Type == dxtrack.UnitProvince && r.TypeNameVI == "Thành phố trực thuộc trung ương" {
					muni++
				}
			}
			if muni != tt.municipalities {
				t.Errorf("municipalities = %d, want %d", muni, tt.municipalities)
			}
		})
	}
}

func TestQuangNinh(t *testing.T) {
	recs, err := gso.Units2025()
	if err != nil {
		t.Fatal(err)
	}
	qn := byCode(recs)["22"]
	want := dxtrack.UnitRecord{Code: "22", NameVI: "Quảng Ninh", NameEN: "Quang Ninh", FullName: "Tỉnh Quảng Ninh",
		Type: dxtrack.UnitProvince, TypeNameVI: "Tỉnh", TypeNameEN: "Province"}
	if qn != want {
		t.Errorf("22 = %+v, want %+v", qn, want)
	}
	var local []dxtrack.UnitRecord
	for _, r := range recs {
		if r.ParentCode == "22" {
			local = append(local, r)
		}
	}
	n := countTypes(local)
	if got, want := [3]int{n[dxtrack.UnitCommune], n[dxtrack.UnitWard], n[dxtrack.UnitSpecialZone]}, [3]int{22, 30, 2}; got != want {
		t.Errorf("Quảng Ninh xã/phường/đặc khu = %v, want %v", got, want)
	}
	hl := byCode(recs)["06688"]
	if hl.NameVI != "Hạ Long" || hl.FullName != "Phường Hạ Long" || hl.Type != dxtrack.UnitWard || hl.TypeNameVI != "Phường" {
		t.Errorf("06688 = %+v", hl)
	}
	vd := byCode(recs)["06994"]
	if vd.NameVI != "Vân Đồn" || vd.Type != dxtrack.UnitSpecialZone || vd.TypeNameEN != "Special administrative region" {
		t.Errorf("06994 = %+v", vd)
	}
}

// TestChanges2026 checks the differences the 2026 update must bring.
func TestChanges2026(t *testing.T) {
	old, err := gso.Units2025()
	if err != nil {
		t.Fatal(err)
	}
	cur, err := gso.Units2026()
	if err != nil {
		t.Fatal(err)
	}
	o, c := byCode(old), byCode(cur)
	if len(o) != len(c) {
		t.Fatalf("codes: %d in 2025, %d in 2026", len(o), len(c))
	}
	for code := range o {
		if _, ok := c[code]; !ok {
			t.Errorf("code %s missing in 2026", code)
		}
	}

	dn0, dn1 := o["75"], c["75"]
	if dn0.NameVI != "Đồng Nai" || dn0.Type != dxtrack.UnitProvince || dn0.TypeNameVI != "Tỉnh" || dn0.TypeNameEN != "Province" || dn0.FullName != "Tỉnh Đồng Nai" {
		t.Errorf("Đồng Nai 2025 = %+v", dn0)
	}
	if dn1.NameVI != "Đồng Nai" || dn1.Type != dxtrack.UnitProvince || dn1.TypeNameVI != "Thành phố trực thuộc trung ương" || dn1.TypeNameEN != "Municipality" || dn1.FullName != "Thành phố Đồng Nai" {
		t.Errorf("Đồng Nai 2026 = %+v", dn1)
	}

	if got := [2]string{o["38"].NameVI, c["38"].NameVI}; got != [2]string{"Thanh Hóa", "Thanh Hoá"} {
		t.Errorf("Thanh Hóa names = %q", got)
	}
	if dxtrack.Fold(o["38"].NameVI) != dxtrack.Fold(c["38"].NameVI) {
		t.Errorf("respelled name folds differently: %q, %q", o["38"].NameVI, c["38"].NameVI)
	}
	if got := [2]dxtrack.UnitType{o["26368"].Type, c["26368"].Type}; got != [2]dxtrack.UnitType{dxtrack.UnitCommune, dxtrack.UnitWard} {
		t.Errorf("Long Thành types = %v, want commune then ward", got)
	}
}

const header = "code,name,full_name,name_en,level,unit_type,unit_type_en,parent_code\r\n"

func TestReadUnits(t *testing.T) {
	in := "\uFEFF" + header +
		"77,Bà Rịa - Vũng Tàu,Tỉnh Bà Rịa - Vũng Tàu,Ba Ria - Vung Tau,province,Tỉnh,Province,\r\n" +
		"00001,Xã A,Xã Xã A,A,commune,Xã,Commune,77\r\n" +
		"00002,B,Phường B,B,commune,Phường,Ward,77\r\n" +
		"00003,Côn Đảo,Đặc khu Côn Đảo,Con Dao,commune,Đặc khu tại hải đảo,Special zone,77\r\n" +
		" 00004 ,Ho\u0300a Bi\u0300nh,Xã Hòa Bình,,commune,Xã,Commune,77\r\n"
	recs, err := gso.ReadUnits(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []dxtrack.UnitRecord{
		{Code: "77", NameVI: "Bà Rịa - Vũng Tàu", NameEN: "Ba Ria - Vung Tau", FullName: "Tỉnh Bà Rịa - Vũng Tàu", Type: dxtrack.UnitProvince, TypeNameVI: "Tỉnh", TypeNameEN: "Province"},
		{Code: "00001", NameVI: "Xã A", NameEN: "A", FullName: "Xã Xã A", Type: dxtrack.UnitCommune, TypeNameVI: "Xã", TypeNameEN: "Commune", ParentCode: "77"},
		{Code: "00002", NameVI: "B", NameEN: "B", FullName: "Phường B", Type: dxtrack.UnitWard, TypeNameVI: "Phường", TypeNameEN: "Ward", ParentCode: "77"},
		{Code: "00003", NameVI: "Côn Đảo", NameEN: "Con Dao", FullName: "Đặc khu Côn Đảo", Type: dxtrack.UnitSpecialZone, TypeNameVI: "Đặc khu tại hải đảo", TypeNameEN: "Special zone", ParentCode: "77"},
		// Decomposed tone marks come out composed (NFC); spaces are trimmed.
		{Code: "00004", NameVI: "Hòa Bình", FullName: "Xã Hòa Bình", Type: dxtrack.UnitCommune, TypeNameVI: "Xã", TypeNameEN: "Commune", ParentCode: "77"},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(recs), len(want), recs)
	}
	for i := range want {
		if recs[i] != want[i] {
			t.Errorf("record %d = %+v, want %+v", i, recs[i], want[i])
		}
	}
}

func TestReadUnitsErrors(t *testing.T) {
	const prov = "77,Bà Rịa,Tỉnh Bà Rịa,Ba Ria,province,Tỉnh,Province,\r\n"
	for _, tt := range []struct {
		name, in, want string
	}{
		{"empty", "", "gso: line 1: empty file, expected a header row"},
		{"header only", header, "gso: line 2: no units after the header"},
		{"short header", "code,name\r\n", "gso: line 1: header has 2 columns, expected 8: " + strings.Join(gso.Columns, ",")},
		{"wrong header", strings.Replace(header, "level", "cap", 1) + prov, "gso: line 1, column level: header column 5 is 'cap', expected 'level'"},
		{"columns", header + prov + "00001,A,Xã A,A,commune\r\n", "gso: line 3: 5 columns, expected 8"},
		{"level", header + prov + "00001,A,Xã A,A,huyen,Huyện,District,77\r\n", "gso: line 3, column level: unknown level 'huyen'"},
		{"commune type", header + prov + "00001,A,Xã A,A,commune,Thị trấn,Township,77\r\n", "gso: line 3, column unit_type_en: unknown commune-level type 'Township'"},
		{"code required", header + prov + ",A,Xã A,A,commune,Xã,Commune,77\r\n", "gso: line 3, column code: required"},
		{"name required", header + prov + "00001, ,Xã A,A,commune,Xã,Commune,77\r\n", "gso: line 3, column name: required"},
		{"code format", header + prov + "00 01,A,Xã A,A,commune,Xã,Commune,77\r\n", "gso: line 3, column code: invalid code '00 01'"},
		{"duplicate", header + prov + "00001,A,Xã A,A,commune,Xã,Commune,77\r\n00001,B,Xã B,B,commune,Xã,Commune,77\r\n", "gso: line 4, column code: duplicate code '00001', first on line 3"},
		{"parent missing", header + prov + "00001,A,Xã A,A,commune,Xã,Commune,\r\n", "gso: line 3, column parent_code: required"},
		{"parent unknown", header + prov + "00001,A,Xã A,A,commune,Xã,Commune,78\r\n", "gso: line 3, column parent_code: unknown parent code '78'"},
		{"parent not province", header + prov + "00001,A,Xã A,A,commune,Xã,Commune,77\r\n00002,B,Xã B,B,commune,Xã,Commune,00001\r\n", "gso: line 4, column parent_code: parent '00001' is not a province"},
		{"province with parent", header + prov + "78,B,Tỉnh B,B,province,Tỉnh,Province,77\r\n", "gso: line 3, column parent_code: a province has no parent, got '77'"},
		{"bad quote", header + prov + "00001,\"A,Xã A,A,commune,Xã,Commune,77\r\n", "gso: line 3: extraneous or missing \" in quoted-field"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := gso.ReadUnits(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("no error, %d records", len(recs))
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q\n want %q", got, tt.want)
			}
			var pe *gso.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *gso.ParseError", err)
			}
		})
	}
}

// TestParentAfterChild: a province may come after its communes.
func TestParentAfterChild(t *testing.T) {
	in := header + "00001,A,Xã A,A,commune,Xã,Commune,77\r\n77,B,Tỉnh B,B,province,Tỉnh,Province,\r\n"
	recs, err := gso.ReadUnits(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].ParentCode != "77" {
		t.Errorf("records = %+v", recs)
	}
}
