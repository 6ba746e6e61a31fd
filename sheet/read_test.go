package sheet_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
	"github.com/dxtrack/dxtrack/sheet"
)

// at is an expected error: sheet, cell and message ID.
type at struct{ sheet, cell, msgID string }

func errsAt(errs []sheet.CellError) []at {
	out := make([]at, len(errs))
	for i, e := range errs {
		out[i] = at{e.Sheet, e.Cell, e.MsgID}
	}
	return out
}

// TestHostile feeds workbooks a user could upload by mistake or on
// purpose; each is refused whole, with every problem named by sheet and
// cell.
func TestHostile(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, x *excelize.File)
		want []at
	}{
		{"wrong sheet name", func(t *testing.T, x *excelize.File) {
			x.UnprotectWorkbook()
			if err := x.SetSheetName("Biểu 01", "Sheet1"); err != nil {
				t.Fatal(err)
			}
		}, []at{{"", "", "sheet.missing_sheet"}}},
		{"text in number cells", func(t *testing.T, x *excelize.File) {
			set(t, x, sheet.SheetValues, "D7", "bảy mươi")
			set(t, x, sheet.SheetValues, "D8", "12,5")
			set(t, x, sheet.SheetValues, "D9", "n/a")
			set(t, x, sheet.SheetTasks, "D7", "gần xong")
			set(t, x, sheet.SheetTargets, "E7", "tám mươi")
		}, []at{
			{"Biểu 01", "D7", "sheet.not_percent"}, {"Biểu 01", "D8", "sheet.not_count"}, {"Biểu 01", "D9", "sheet.not_number"},
			{"Biểu 02", "D7", "sheet.not_progress"}, {"Biểu 03", "E7", "sheet.not_number"},
		}},
		{"out of range", func(t *testing.T, x *excelize.File) {
			set(t, x, sheet.SheetValues, "D7", 120)
			set(t, x, sheet.SheetValues, "D8", -3)
			set(t, x, sheet.SheetValues, "D9", -0.5)
			set(t, x, sheet.SheetValues, "D11", 501)
			set(t, x, sheet.SheetValues, "D12", "10,5")
			set(t, x, sheet.SheetTasks, "D7", 101)
			set(t, x, sheet.SheetTasks, "D8", 40.5)
		}, []at{
			{"Biểu 01", "D7", "sheet.not_percent"}, {"Biểu 01", "D8", "sheet.not_count"}, {"Biểu 01", "D9", "sheet.below_min"},
			{"Biểu 01", "D11", "sheet.above_max"}, {"Biểu 01", "D12", "sheet.above_max"},
			{"Biểu 02", "D7", "sheet.not_progress"}, {"Biểu 02", "D8", "sheet.not_progress"},
		}},
		{"formulas in input cells", func(t *testing.T, x *excelize.File) {
			for _, c := range []struct{ sheet, ref, formula string }{
				{sheet.SheetValues, "D8", "1+1"}, {sheet.SheetValues, "E9", `"ghi chú"`},
				{sheet.SheetTasks, "D7", "SUM(1,2)"}, {sheet.SheetTargets, "E8", `IF(TRUE,"Đã hoàn thành","")`},
			} {
				if err := x.SetCellFormula(c.sheet, c.ref, c.formula); err != nil {
					t.Fatal(err)
				}
			}
		}, []at{
			{"Biểu 01", "D8", "sheet.formula"}, {"Biểu 01", "E9", "sheet.formula"},
			{"Biểu 02", "D7", "sheet.formula"}, {"Biểu 03", "E8", "sheet.formula"},
		}},
		{"another report", func(t *testing.T, x *excelize.File) {
			set(t, x, sheet.SheetInfo, sheet.CellReportID, "4243")
			set(t, x, sheet.SheetValues, "D7", "sai") // not listed: the file is refused first
		}, []at{{"Thông tin", "B2", "sheet.other_report"}}},
		{"another unit and period", func(t *testing.T, x *excelize.File) {
			set(t, x, sheet.SheetInfo, sheet.CellUnitCode, "HALONG")
			set(t, x, sheet.SheetInfo, sheet.CellPeriodKey, "2026-02")
		}, []at{{"Thông tin", "B4", "sheet.other_unit"}, {"Thông tin", "B5", "sheet.other_period"}}},
		{"another regime", func(t *testing.T, x *excelize.File) {
			set(t, x, sheet.SheetInfo, sheet.CellRegimeCode, "BC-KHAC")
		}, []at{{"Thông tin", "B3", "sheet.other_regime"}}},
		{"rows reordered", func(t *testing.T, x *excelize.File) {
			set(t, x, sheet.SheetValues, "A7", "DVC.HS")
			set(t, x, sheet.SheetValues, "A8", "DVC.TL")
		}, []at{{"Biểu 01", "A7", "sheet.wrong_code"}, {"Biểu 01", "A8", "sheet.wrong_code"}}},
		{"row deleted", func(t *testing.T, x *excelize.File) {
			x.UnprotectSheet(sheet.SheetTasks)
			if err := x.RemoveRow(sheet.SheetTasks, 7); err != nil {
				t.Fatal(err)
			}
		}, []at{{"Biểu 02", "A7", "sheet.wrong_code"}, {"Biểu 02", "A8", "sheet.row_missing"}}},
		{"row added", func(t *testing.T, x *excelize.File) {
			set(t, x, sheet.SheetTargets, "A9", "MT03")
			set(t, x, sheet.SheetTargets, "E9", 5)
		}, []at{{"Biểu 03", "A9", "sheet.extra_row"}}},
		{"bad choice and link", func(t *testing.T, x *excelize.File) {
			set(t, x, sheet.SheetTargets, "E8", "Gần xong")
			set(t, x, sheet.SheetTasks, "G7", "javascript:alert(1)")
			set(t, x, sheet.SheetTasks, "E8", strings.Repeat("x", 4001))
		}, []at{{"Biểu 02", "G7", "sheet.not_url"}, {"Biểu 02", "E8", "sheet.too_long"}, {"Biểu 03", "E8", "sheet.not_choice"}}},
		{"one bad value among good ones", func(t *testing.T, x *excelize.File) {
			fill(t, x, "vi")
			set(t, x, sheet.SheetValues, "D12", "7,2,5")
		}, []at{{"Biểu 01", "D12", "sheet.not_number"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testForm()
			x := writeForm(t, f, "vi")
			tt.edit(t, x)
			r, errs := read(t, save(t, x), f, "vi")
			if r != nil {
				t.Fatalf("a report came back: the upload must be refused whole")
			}
			if got := errsAt(errs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors\n got %v\nwant %v\n%s", got, tt.want, strings.Join(messages(errs, "vi"), "\n"))
			}
			for _, e := range errs {
				// Every message names where it is and renders fully.
				for _, lang := range locale.Langs {
					m := e.Message(locale.For(lang))
					if strings.Contains(m, "sheet.") || strings.Contains(m, "<no value>") {
						t.Errorf("%s: %q", lang, m)
					}
					if e.Cell != "" && !strings.Contains(m, e.Cell) {
						t.Errorf("%s: %q does not name cell %s", lang, m, e.Cell)
					}
				}
			}
		})
	}
}

func TestMessageExact(t *testing.T) {
	f := testForm()
	x := writeForm(t, f, "vi")
	set(t, x, sheet.SheetValues, "D7", "120,5%")
	set(t, x, sheet.SheetTasks, "D8", "40,5")
	set(t, x, sheet.SheetInfo, sheet.CellPeriodKey, "2026-02")
	_, errs := read(t, save(t, x), f, "vi")
	if got, want := messages(errs, "vi"), []string{"Thông tin, ô B5: tệp thuộc kỳ báo cáo '2026-02', không phải kỳ '2026-03'"}; !reflect.DeepEqual(got, want) {
		t.Errorf("vi: %q\nwant %q", got, want)
	}
	set(t, x, sheet.SheetInfo, sheet.CellPeriodKey, "2026-03")
	for _, lang := range []string{"vi", "en"} {
		_, errs = read(t, save(t, x), f, lang)
		want := map[string][]string{
			"vi": {"Biểu 01, ô D7: '120,5%' không phải số từ 0 đến 100", "Biểu 02, ô D8: '40,5' không phải số nguyên từ 0 đến 100"},
			"en": {"Form 01, cell D7: '120,5%' is not a number from 0 to 100", "Form 02, cell D8: '40,5' is not a whole number from 0 to 100"},
		}[lang]
		if got := messages(errs, lang); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q\nwant %q", lang, got, want)
		}
	}
	if got, want := (sheet.CellError{MsgID: "sheet.not_xlsx"}).Message(locale.For("en")), "The file is not an Excel .xlsx workbook (save it as Excel Workbook .xlsx)"; got != want {
		t.Errorf("file-level: %q, want %q", got, want)
	}
	e := sheet.CellError{Sheet: "Sheet1", Cell: "B2", MsgID: "sheet.not_number", Args: map[string]any{"Value": "x"}}
	if got, want := e.Message(locale.For("en")), "Sheet1, cell B2: 'x' is not a number"; got != want {
		t.Errorf("unknown sheet: %q, want %q", got, want)
	}
}

// TestNumbers reads numbers typed as text the way each language writes
// them, and numbers stored as numbers.
func TestNumbers(t *testing.T) {
	tests := []struct {
		lang, ref string
		value     any
		want      float64
	}{
		{"vi", "D9", "12,5", 12.5},
		{"en", "D9", "12,5", 12.5},
		{"vi", "D9", "12.5", 12.5},
		{"en", "D9", "12.5", 12.5},
		{"vi", "D9", "1.234,5", 1234.5},
		{"en", "D9", "1,234.5", 1234.5},
		{"vi", "D9", "1.500", 1500},
		{"en", "D9", "1.500", 1.5},
		{"vi", "D9", "1,500", 1.5},
		{"en", "D9", "1,500", 1500},
		{"vi", "D9", " 12,25 ", 12.25},
		{"vi", "D9", 12.5, 12.5},
		{"vi", "D7", "12,5%", 12.5},
		{"en", "D7", "12.5 %", 12.5},
		{"vi", "D8", "1.234", 1234},
		{"en", "D8", "1,234", 1234},
	}
	for _, tt := range tests {
		f := testForm()
		x := writeForm(t, f, tt.lang)
		set(t, x, sheet.SheetValues, tt.ref, tt.value)
		r, errs := read(t, save(t, x), f, tt.lang)
		if len(errs) > 0 {
			t.Errorf("%s %q: %v", tt.lang, tt.value, messages(errs, "en"))
			continue
		}
		id := map[string]int64{"D7": 101, "D8": 102, "D9": 103}[tt.ref]
		if v := r.Value(id); v == nil || *v != tt.want {
			t.Errorf("%s %q in %s read as %v, want %v", tt.lang, tt.value, tt.ref, deref(v), tt.want)
		}
	}
	// A "%" only belongs to percentages.
	f := testForm()
	x := writeForm(t, f, "vi")
	set(t, x, sheet.SheetValues, "D9", "12,5%")
	if _, errs := read(t, save(t, x), f, "vi"); !reflect.DeepEqual(errsAt(errs), []at{{"Biểu 01", "D9", "sheet.not_number"}}) {
		t.Errorf("12,5%% for a plain number: %v", errsAt(errs))
	}
}

// TestPercentFormat reads a cell a spreadsheet turned into a percentage
// (the user typed 12.5% into it: 0.125 shown as 12.5%) as 12.5.
func TestPercentFormat(t *testing.T) {
	f := testForm()
	x := writeForm(t, f, "vi")
	style, err := x.NewStyle(&excelize.Style{NumFmt: 10})
	if err != nil {
		t.Fatal(err)
	}
	set(t, x, sheet.SheetValues, "D7", 0.125)
	if err := x.SetCellStyle(sheet.SheetValues, "D7", "D7", style); err != nil {
		t.Fatal(err)
	}
	r, errs := read(t, save(t, x), f, "vi")
	if len(errs) > 0 {
		t.Fatal(messages(errs, "vi"))
	}
	if v := r.Value(101); v == nil || *v != 12.5 {
		t.Errorf("DVC.TL = %v, want 12.5", deref(v))
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// countingReader yields n bytes of zeros and counts what was read.
type countingReader struct{ n, read int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), c.n-c.read)
	clear(p[:k])
	c.read += k
	return int(k), nil
}

func TestTooLarge(t *testing.T) {
	f := testForm()
	// Declared size: refused before a byte is read.
	big := &countingReader{n: 50 << 20}
	r, errs, err := sheet.ReadForm(big, big.n, f, "vi")
	if err != nil || r != nil || !reflect.DeepEqual(errsAt(errs), []at{{"", "", "sheet.too_large"}}) {
		t.Fatalf("50 MB declared: %v %v %v", r, errsAt(errs), err)
	}
	if big.read != 0 {
		t.Errorf("read %d bytes of a file refused by its size", big.read)
	}
	if got, want := errs[0].Message(locale.For("vi")), "Tệp lớn hơn 10 MB, không tải lên được"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	// A size that lies (or is unknown): reading stops past the limit.
	big = &countingReader{n: 50 << 20}
	r, errs, err = sheet.ReadForm(big, -1, f, "vi")
	if err != nil || r != nil || !reflect.DeepEqual(errsAt(errs), []at{{"", "", "sheet.too_large"}}) {
		t.Fatalf("50 MB undeclared: %v %v %v", r, errsAt(errs), err)
	}
	if big.read > sheet.MaxUpload+64<<10 {
		t.Errorf("read %d bytes, want at most about %d", big.read, sheet.MaxUpload)
	}
}

func TestNotAWorkbook(t *testing.T) {
	f := testForm()
	onlyText := zipOf(t, map[string][]byte{"readme.txt": []byte("xin chào")})
	tests := map[string][]byte{
		"empty":         {},
		"text":          []byte("Mã,Giá trị\nDVC.TL,72.5\n"),
		"pdf":           []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"),
		"xls (OLE)":     append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...),
		"zip, no sheet": onlyText,
		"truncated":     save(t, writeForm(t, f, "vi"))[:3000],
	}
	for name, data := range tests {
		r, errs := read(t, data, f, "vi")
		if r != nil || !reflect.DeepEqual(errsAt(errs), []at{{"", "", "sheet.not_xlsx"}}) {
			t.Errorf("%s: %v", name, messages(errs, "vi"))
		}
	}
}

// zipOf writes a zip with the given parts.
func zipOf(t *testing.T, parts map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestZipBomb: a real form plus a part that inflates to 100 MB from a few
// hundred kilobytes, declared honestly or with a lying size.
func TestZipBomb(t *testing.T) {
	f := testForm()
	form := save(t, writeForm(t, f, "vi"))
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestSpeed)
	zeros := make([]byte, 1<<20)
	crc := crc32.NewIEEE()
	for range 100 {
		fw.Write(zeros)
		crc.Write(zeros)
	}
	fw.Close()
	if deflated.Len() > sheet.MaxUpload {
		t.Fatalf("the bomb itself is %d bytes", deflated.Len())
	}
	bomb := func(declared uint64) []byte {
		zr, err := zip.NewReader(bytes.NewReader(form), int64(len(form)))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, zf := range zr.File {
			if err := zw.Copy(zf); err != nil {
				t.Fatal(err)
			}
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: "xl/worksheets/sheet9.xml", Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(deflated.Len()), UncompressedSize64: declared,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(deflated.Bytes())
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	r, errs := read(t, bomb(100<<20), f, "vi")
	if r != nil || !reflect.DeepEqual(errsAt(errs), []at{{"", "", "sheet.unzip_too_large"}}) {
		t.Errorf("honest bomb: %v", messages(errs, "vi"))
	}
	// The archive claims 1 KB: Go's zip reader stops at the declared size.
	r, errs = read(t, bomb(1<<10), f, "vi")
	if r != nil || !reflect.DeepEqual(errsAt(errs), []at{{"", "", "sheet.not_xlsx"}}) {
		t.Errorf("lying bomb: %v", messages(errs, "vi"))
	}
}

// TestIncompleteForm is the caller's mistake, not the file's.
func TestIncompleteForm(t *testing.T) {
	if _, _, err := sheet.ReadForm(strings.NewReader(""), 0, &dxtrack.ReportForm{}, "vi"); err == nil {
		t.Error("ReadForm of an empty form: no error")
	}
	if err := sheet.WriteForm(io.Discard, &dxtrack.ReportForm{}, "vi"); err == nil {
		t.Error("WriteForm of an empty form: no error")
	}
}

// TestCorruptSheet replaces a sheet's XML with garbage: the file is
// refused, naming the sheet it cannot read.
func TestCorruptSheet(t *testing.T) {
	f := testForm()
	form := save(t, writeForm(t, f, "vi"))
	zr, err := zip.NewReader(bytes.NewReader(form), int64(len(form)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[zf.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	parts["xl/worksheets/sheet2.xml"] = []byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="7"><c r="D7" t="n"><v>4`)
	r, errs := read(t, zipOf(t, parts), f, "vi")
	if r != nil || !reflect.DeepEqual(errsAt(errs), []at{{"Biểu 02", "", "sheet.unreadable"}}) {
		t.Errorf("corrupt sheet: %v", messages(errs, "vi"))
	}
	if got, want := messages(errs, "vi"), []string{"Biểu 02: Không đọc được trang tính này"}; !reflect.DeepEqual(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}
