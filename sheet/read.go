package sheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// ReadForm reads a workbook written by WriteForm for f and filled by the
// unit. It returns a copy of f.Report whose values, tasks and targets are
// those of the file (an empty cell gives nil), or, when anything is wrong,
// no report and every problem found, each naming its sheet and cell: the
// upload is all or nothing. Numbers typed as text are read as lang writes
// them ("12,5" and "1.234,5" in Vietnamese, "1,234.5" in English). The
// error is for failures that are not the file's fault.
func ReadForm(r io.Reader, size int64, f *dxtrack.ReportForm, lang string) (*dxtrack.Report, []CellError, error) {
	if f == nil || f.Report == nil || f.Regime == nil || f.Unit == nil {
		return nil, nil, fmt.Errorf("sheet: read form: incomplete report form")
	}
	tooLarge := []CellError{{MsgID: "sheet.too_large", Args: map[string]any{"Max": MaxUpload >> 20}}}
	// Refuse a declared oversize before reading a byte; the limit below
	// catches a size that lied.
	if size > MaxUpload {
		return nil, tooLarge, nil
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxUpload+1))
	if err != nil {
		return nil, nil, fmt.Errorf("sheet: read upload: %w", err)
	}
	if len(data) > MaxUpload {
		return nil, tooLarge, nil
	}
	if errs := checkZip(data); errs != nil {
		return nil, errs, nil
	}
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true,
		// Equal limits keep every part in memory: excelize would spill
		// larger parts to temporary files.
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped,
	})
	if err != nil {
		return nil, []CellError{{MsgID: "sheet.not_xlsx"}}, nil
	}
	defer x.Close()
	rd := &reader{x: x, p: locale.For(lang), f: f}
	if rd.checkSheets(); len(rd.errs) > 0 {
		return nil, rd.errs, nil
	}
	// A file of another report says nothing about this one: stop there
	// rather than list its values as errors.
	if rd.checkIdentity(); len(rd.errs) > 0 {
		return nil, rd.errs, nil
	}
	out := *f.Report
	out.Sections = maps.Clone(f.Report.Sections)
	out.Values = rd.readValues()
	out.Tasks = slices.Clone(f.Report.Tasks)
	if f.Regime.IncludeTasks {
		out.Tasks = rd.readTasks()
	}
	out.Targets = slices.Clone(f.Report.Targets)
	if f.Regime.IncludeTargets {
		out.Targets = rd.readTargets()
	}
	if len(rd.errs) > 0 {
		return nil, rd.errs, nil
	}
	return &out, nil, nil
}

// checkZip refuses what is not a zip holding a workbook, and archives that
// would unpack to more than maxUnzipped. The sizes checked are the ones
// the archive declares; Go's zip reader stops an entry at its declared
// size with an error, so a lying header cannot get past.
func checkZip(data []byte) []CellError {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return []CellError{{MsgID: "sheet.not_xlsx"}}
	}
	bomb := []CellError{{MsgID: "sheet.unzip_too_large", Args: map[string]any{"Max": maxUnzipped >> 20}}}
	if len(zr.File) > maxZipEntries {
		return bomb
	}
	var total uint64
	workbook := false
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > maxUnzipped {
			return bomb
		}
		workbook = workbook || strings.EqualFold(zf.Name, "xl/workbook.xml")
	}
	if !workbook {
		return []CellError{{MsgID: "sheet.not_xlsx"}}
	}
	// Inflate every part once: a part that is corrupt, or larger than it
	// claims, makes the file unreadable, rather than silently cut short.
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err != nil {
			return []CellError{{MsgID: "sheet.not_xlsx"}}
		}
	}
	return nil
}

// reader reads an opened upload and collects the problems it finds.
type reader struct {
	x    *excelize.File
	p    *locale.Printer
	f    *dxtrack.ReportForm
	errs []CellError
}

func (rd *reader) fail(sheet, ref, msgID string, args map[string]any) {
	rd.errs = append(rd.errs, CellError{Sheet: sheet, Cell: ref, MsgID: msgID, Args: args})
}

func (rd *reader) checkSheets() {
	have := rd.x.GetSheetList()
	for _, name := range sheetsOf(rd.f) {
		if !slices.Contains(have, name) {
			quoted := make([]string, len(have))
			for i, h := range have {
				quoted[i] = "'" + h + "'"
			}
			rd.fail("", "", "sheet.missing_sheet", map[string]any{"Name": name, "Other": strings.Join(quoted, ", ")})
		}
	}
}

func (rd *reader) checkIdentity() {
	checks := []struct{ ref, msgID, want string }{
		{CellReportID, "sheet.other_report", strconv.FormatInt(rd.f.Report.ID, 10)},
		{CellRegimeCode, "sheet.other_regime", rd.f.Regime.Code},
		{CellUnitCode, "sheet.other_unit", rd.f.Unit.Code},
		{CellPeriodKey, "sheet.other_period", rd.f.Period.Key()},
	}
	for _, c := range checks {
		v, ok := rd.read(SheetInfo, c.ref)
		if !ok {
			continue
		}
		if got := strings.TrimSpace(v.raw); v.formula != "" || got != c.want {
			rd.fail(SheetInfo, c.ref, c.msgID, map[string]any{"Value": shorten(got), "Other": c.want})
		}
	}
}

// checkCode checks that the locked code cell of a row still holds the
// form's code, so that a moved, deleted or inserted row cannot put a value
// on the wrong item.
func (rd *reader) checkCode(sheet string, row int, want string) bool {
	v, ok := rd.read(sheet, cell("A", row))
	if !ok {
		return false
	}
	got := strings.TrimSpace(v.raw)
	switch {
	case got == want && v.formula == "":
		return true
	case got == "":
		rd.fail(sheet, cell("A", row), "sheet.row_missing", map[string]any{"Other": want})
	default:
		rd.fail(sheet, cell("A", row), "sheet.wrong_code", map[string]any{"Value": shorten(got), "Other": want})
	}
	return false
}

// checkEnd refuses a row added below the table's last row.
func (rd *reader) checkEnd(sheet string, last int) {
	if v, ok := rd.read(sheet, cell("A", last+1)); ok && strings.TrimSpace(v.raw) != "" {
		rd.fail(sheet, cell("A", last+1), "sheet.extra_row", map[string]any{"Value": shorten(v.raw)})
	}
}

func (rd *reader) readValues() []dxtrack.ReportValue {
	const sheet = SheetValues
	old := map[int64]dxtrack.ReportValue{}
	for _, v := range rd.f.Report.Values {
		old[v.IndicatorID] = v
	}
	rows, _ := indicatorRows(rd.f)
	out := make([]dxtrack.ReportValue, 0, len(rd.f.Indicators))
	last := headerRow
	for i, in := range rd.f.Indicators {
		row := rows[i]
		last = row
		if !rd.checkCode(sheet, row, in.Code) {
			continue
		}
		rv := dxtrack.ReportValue{IndicatorID: in.ID}
		rv.Value = rd.indicatorValue(sheet, cell(colValValue, row), in)
		rv.Note = rd.text(sheet, cell(colValNote, row))
		// A prefilled value the file hands back unchanged is still the
		// unit's untouched prefill.
		if o := old[in.ID]; o.Prefilled && o.Value != nil && rv.Value != nil && *o.Value == *rv.Value {
			rv.Prefilled = true
		}
		out = append(out, rv)
	}
	rd.checkEnd(sheet, last)
	return out
}

func (rd *reader) readTasks() []dxtrack.TaskEntry {
	const sheet = SheetTasks
	old := map[int64]dxtrack.TaskEntry{}
	for _, e := range rd.f.Report.Tasks {
		old[e.TaskID] = e
	}
	out := make([]dxtrack.TaskEntry, 0, len(rd.f.Tasks))
	last := headerRow
	for i, t := range rd.f.Tasks {
		row := firstRow + i
		last = row
		if !rd.checkCode(sheet, row, t.Code) {
			continue
		}
		// An uploaded evidence file is not in the workbook: keep it.
		e := dxtrack.TaskEntry{TaskID: t.ID, EvidenceFileID: old[t.ID].EvidenceFileID}
		ref := cell(colTaskProgress, row)
		if v, shown, ok := rd.number(sheet, ref, true); ok && v != nil {
			if *v < 0 || *v > 100 || *v != math.Trunc(*v) {
				rd.fail(sheet, ref, "sheet.not_progress", map[string]any{"Value": shown})
			} else {
				n := int(*v)
				e.Progress = &n
			}
		} else if !ok && shown != "" {
			rd.fail(sheet, ref, "sheet.not_progress", map[string]any{"Value": shown})
		}
		e.Narrative = rd.text(sheet, cell(colTaskNarr, row))
		e.EvidenceNumber = rd.text(sheet, cell(colTaskEvNumber, row))
		e.EvidenceURL = rd.link(sheet, cell(colTaskEvURL, row))
		out = append(out, e)
	}
	rd.checkEnd(sheet, last)
	return out
}

func (rd *reader) readTargets() []dxtrack.TargetEntry {
	const sheet = SheetTargets
	out := make([]dxtrack.TargetEntry, 0, len(rd.f.Targets))
	last := headerRow
	for i, t := range rd.f.Targets {
		row := firstRow + i
		last = row
		if !rd.checkCode(sheet, row, t.Code) {
			continue
		}
		e := dxtrack.TargetEntry{TargetID: t.ID}
		ref := cell(colTgtCurrent, row)
		if t.Kind == dxtrack.TargetQualitative {
			e.Done = rd.choice(sheet, ref)
		} else if v, shown, ok := rd.number(sheet, ref, false); ok {
			e.Current = v
		} else if shown != "" {
			rd.fail(sheet, ref, "sheet.not_number", map[string]any{"Value": shown})
		}
		e.Note = rd.text(sheet, cell(colTgtNote, row))
		out = append(out, e)
	}
	rd.checkEnd(sheet, last)
	return out
}

// indicatorValue reads an indicator's value cell and checks it against
// the indicator's type and range.
func (rd *reader) indicatorValue(sheet, ref string, in *dxtrack.Indicator) *float64 {
	v, shown, ok := rd.number(sheet, ref, in.Type == dxtrack.ValuePercent)
	if !ok {
		if shown != "" {
			rd.fail(sheet, ref, notNumberMsg(in.Type), map[string]any{"Value": shown})
		}
		return nil
	}
	if v == nil {
		return nil
	}
	msgID, _ := in.CheckValue(*v)
	switch msgID {
	case "":
		return v
	case "error.below_min":
		rd.fail(sheet, ref, "sheet.below_min", map[string]any{"Value": shown, "Min": rd.p.Decimal(*in.Min, 6)})
	case "error.above_max":
		rd.fail(sheet, ref, "sheet.above_max", map[string]any{"Value": shown, "Max": rd.p.Decimal(*in.Max, 6)})
	default:
		rd.fail(sheet, ref, notNumberMsg(in.Type), map[string]any{"Value": shown})
	}
	return nil
}

// notNumberMsg is the message for a value unfit for the type: each says
// what the cell should hold.
func notNumberMsg(t dxtrack.ValueType) string {
	switch t {
	case dxtrack.ValuePercent:
		return "sheet.not_percent"
	case dxtrack.ValueCount:
		return "sheet.not_count"
	}
	return "sheet.not_number"
}

// cellValue is a cell as stored: its raw value, type and formula.
type cellValue struct {
	raw     string
	typ     excelize.CellType
	formula string
}

// read fetches a cell; a sheet excelize cannot parse is reported once.
func (rd *reader) read(sheet, ref string) (cellValue, bool) {
	var c cellValue
	var err error
	if c.formula, err = rd.x.GetCellFormula(sheet, ref); err == nil {
		if c.typ, err = rd.x.GetCellType(sheet, ref); err == nil {
			c.raw, err = rd.x.GetCellValue(sheet, ref)
		}
	}
	if err != nil {
		if !slices.ContainsFunc(rd.errs, func(e CellError) bool { return e.Sheet == sheet && e.MsgID == "sheet.unreadable" }) {
			rd.fail(sheet, "", "sheet.unreadable", nil)
		}
		return c, false
	}
	return c, true
}

// input reads an input cell, refusing a formula: the upload takes values,
// and evaluating a user's formula is neither safe nor what they see.
func (rd *reader) input(sheet, ref string) (cellValue, bool) {
	c, ok := rd.read(sheet, ref)
	if ok && c.formula != "" {
		rd.fail(sheet, ref, "sheet.formula", map[string]any{"Value": shorten("=" + c.formula)})
		return c, false
	}
	return c, ok
}

// number reads a number cell: a numeric cell, or text written as the
// reader's language writes numbers. percent accepts a trailing "%" and
// reads a cell formatted as a percentage (0.125 shown as 12.5%) as 12.5.
// It returns nil for an empty cell; ok false with the cell's text shown
// for one that is not a number (shown is "" when the problem is already
// reported).
func (rd *reader) number(sheet, ref string, percent bool) (v *float64, shown string, ok bool) {
	c, ok := rd.input(sheet, ref)
	if !ok {
		return nil, "", false
	}
	switch c.typ {
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
		if strings.TrimSpace(c.raw) == "" {
			return nil, "", true
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(c.raw), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, shorten(c.raw), false
		}
		if percent && rd.percentFormat(sheet, ref) {
			f *= 100
		}
		return &f, rd.p.Decimal(f, 6), true
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
		s := strings.TrimSpace(c.raw)
		if s == "" {
			return nil, "", true
		}
		num := s
		if percent {
			num = strings.TrimSpace(strings.TrimSuffix(num, "%"))
		}
		f, err := rd.p.ParseDecimal(num)
		if err != nil {
			return nil, shorten(s), false
		}
		return &f, shorten(s), true
	case excelize.CellTypeBool:
		if c.raw == "1" {
			return nil, "TRUE", false
		}
		return nil, "FALSE", false
	}
	return nil, shorten(c.raw), false
}

// percentFormat reports whether the cell's number format shows a
// percentage.
func (rd *reader) percentFormat(sheet, ref string) bool {
	id, err := rd.x.GetCellStyle(sheet, ref)
	if err != nil {
		return false
	}
	st, err := rd.x.GetStyle(id)
	if err != nil || st == nil {
		return false
	}
	return st.NumFmt == 9 || st.NumFmt == 10 || st.CustomNumFmt != nil && strings.Contains(*st.CustomNumFmt, "%")
}

// text reads a free-text input cell.
func (rd *reader) text(sheet, ref string) string {
	c, ok := rd.input(sheet, ref)
	if !ok {
		return ""
	}
	s := strings.TrimSpace(c.raw)
	if c.typ == excelize.CellTypeBool {
		s = map[string]string{"1": "TRUE", "0": "FALSE"}[s]
	}
	if utf8.RuneCountInString(s) > maxText {
		rd.fail(sheet, ref, "sheet.too_long", map[string]any{"Max": maxText})
		return ""
	}
	return s
}

// link reads an evidence link: a web address or nothing, so that no
// javascript: or file: link reaches a page.
func (rd *reader) link(sheet, ref string) string {
	s := rd.text(sheet, ref)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		rd.fail(sheet, ref, "sheet.not_url", map[string]any{"Value": shorten(s)})
		return ""
	}
	return s
}

// choice reads a qualitative target's dropdown, in either language.
func (rd *reader) choice(sheet, ref string) *bool {
	c, ok := rd.input(sheet, ref)
	if !ok {
		return nil
	}
	s := strings.TrimSpace(c.raw)
	if s == "" {
		return nil
	}
	done, notDone := doneLabels()
	for _, d := range done {
		if strings.EqualFold(s, d) {
			return new(true)
		}
	}
	for _, d := range notDone {
		if strings.EqualFold(s, d) {
			return new(false)
		}
	}
	rd.fail(sheet, ref, "sheet.not_choice", map[string]any{"Value": shorten(s)})
	return nil
}

// shorten keeps a quoted cell value readable in a message.
func shorten(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}
