package gso_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/gso"
)

func TestMergers2025(t *testing.T) {
	ms, err := gso.Mergers2025()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 63 {
		t.Fatalf("%d former provinces, want 63", len(ms))
	}
	units, err := gso.Units2025()
	if err != nil {
		t.Fatal(err)
	}
	provinces := map[string]string{} // code → name of the 34
	for _, u := range units {
		if u.Type == dxtrack.UnitProvince {
			provinces[u.Code] = u.NameVI
		}
	}
	parts := map[string][]string{} // new code → old names
	for _, m := range ms {
		if name, ok := provinces[m.NewCode]; !ok || name != m.NewName {
			t.Errorf("%s %s → %s %s: not a province of the 2025 list (%q)", m.OldCode, m.OldName, m.NewCode, m.NewName, name)
		}
		parts[m.NewCode] = append(parts[m.NewCode], m.OldName)
	}
	if len(parts) != 34 {
		t.Errorf("%d successors, want 34", len(parts))
	}
	for code, want := range map[string]string{
		"25": "Phú Thọ,Hòa Bình,Vĩnh Phúc", // three into one
		"79": "Hồ Chí Minh,Bình Dương,Bà Rịa - Vũng Tàu",
		"24": "Bắc Giang,Bắc Ninh", // new Bắc Ninh has old Bắc Giang's code
		"15": "Lào Cai,Yên Bái",
		"91": "An Giang,Kiên Giang",
		"22": "Quảng Ninh", // unchanged
	} {
		got := parts[code]
		for _, name := range strings.Split(want, ",") {
			if !slices.Contains(got, name) {
				t.Errorf("successor %s: former %v, want %s among them", code, got, name)
			}
		}
		if len(got) != len(strings.Split(want, ",")) {
			t.Errorf("successor %s: former %v, want %s", code, got, want)
		}
	}
	continuing := 0
	for _, m := range ms {
		if m.Continues() {
			continuing++
		}
	}
	if continuing != 34 {
		t.Errorf("%d successors keep a former code, want all 34", continuing)
	}
}

func TestReadMergersErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "gso: line 1: empty file, expected a header row"},
		{"old_code,old_name,new_code\n", "gso: line 1: header has 3 columns, expected 4: old_code,old_name,new_code,new_name"},
		{"old_code,old_name,new_code,new_name\n", "gso: line 2: no units after the header"},
		{"old_code,old_name,new_code,new_name\n02,Hà Giang,,Tuyên Quang\n", "gso: line 2, column new_code: required"},
		{"old_code,old_name,new_code,new_name\n02,A,08,B\n02,A,08,B\n", "gso: line 3, column old_code: duplicate code '02', first on line 2"},
	} {
		_, err := gso.ReadMergers(strings.NewReader(tt.in))
		var pe *gso.ParseError
		if err == nil || !errors.As(err, &pe) || err.Error() != tt.want {
			t.Errorf("ReadMergers(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}
