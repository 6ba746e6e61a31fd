// Package sheet writes and reads dxtrack's Excel (.xlsx) workbooks: the
// report form a unit downloads, fills and uploads back, and the province's
// consolidated table.
package sheet

import (
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// Sheet names of a report form. They stay in Vietnamese whatever the
// language of the headers, so that an upload always finds them.
const (
	SheetValues  = "Biểu 01"   // indicator values
	SheetTasks   = "Biểu 02"   // task progress, when the regime includes tasks
	SheetTargets = "Biểu 03"   // target figures, when the regime includes targets
	SheetInfo    = "Thông tin" // the report's identity
)

// Cells of SheetInfo that identify the form on upload.
const (
	CellReportID   = "B2"
	CellRegimeCode = "B3"
	CellUnitCode   = "B4"
	CellPeriodKey  = "B5"
)

// MaxUpload bounds the size of an uploaded workbook.
const MaxUpload = 10 << 20

// maxUnzipped bounds what an upload may expand to: a form of a few
// hundred rows is well under a megabyte unpacked, so this only stops zip
// bombs.
const maxUnzipped = 64 << 20

// maxZipEntries bounds the parts of an uploaded workbook; a form has a
// few dozen.
const maxZipEntries = 2000

// maxText bounds a text cell read from an upload (note, narrative,
// evidence number or link).
const maxText = 4000

// Layout of the form sheets: a header block, the column headers on
// headerRow and one line per item from firstRow.
const (
	headerRow = 6
	firstRow  = 7
)

// Columns of SheetValues.
const (
	colValCode     = "A"
	colValName     = "B"
	colValMeasure  = "C"
	colValValue    = "D"
	colValNote     = "E"
	colValPrevious = "F"
)

// Columns of SheetTasks.
const (
	colTaskCode     = "A"
	colTaskName     = "B"
	colTaskDeadline = "C"
	colTaskProgress = "D"
	colTaskNarr     = "E"
	colTaskEvNumber = "F"
	colTaskEvURL    = "G"
)

// Columns of SheetTargets.
const (
	colTgtCode    = "A"
	colTgtName    = "B"
	colTgtMeasure = "C"
	colTgtValue   = "D"
	colTgtCurrent = "E"
	colTgtNote    = "F"
)

// CellError is one problem found in an uploaded workbook. Sheet and Cell
// are empty when the problem concerns the whole file or sheet.
type CellError struct {
	Sheet string         `json:"sheet,omitempty"`
	Cell  string         `json:"cell,omitempty"`
	MsgID string         `json:"msg_id"`
	Args  map[string]any `json:"args,omitempty"`
}

// sheetLabels names the form's sheets in messages of each language.
var sheetLabels = map[string]string{
	SheetValues:  "sheet.name_values",
	SheetTasks:   "sheet.name_tasks",
	SheetTargets: "sheet.name_targets",
	SheetInfo:    "sheet.name_info",
}

// Message renders the error in the printer's language: "Biểu 01, ô D7:
// '120%' không phải số từ 0 đến 100".
func (e CellError) Message(p *locale.Printer) string {
	reason := p.T(e.MsgID, e.Args)
	if e.Sheet == "" {
		return reason
	}
	name := e.Sheet
	if id, ok := sheetLabels[e.Sheet]; ok {
		name = p.T(id, nil)
	}
	if e.Cell != "" {
		name = p.T("sheet.at_cell", map[string]any{"Name": name, "Code": e.Cell})
	}
	return name + ": " + reason
}

// indicatorRows gives the row of each of the form's indicators and the
// group headings placed above the first item of each group.
func indicatorRows(f *dxtrack.ReportForm) (rows []int, groups map[int]string) {
	groupOf := map[int64]string{}
	if f.Regime != nil {
		for _, it := range f.Regime.Items {
			groupOf[it.IndicatorID] = it.Group
		}
	}
	groups = map[int]string{}
	row, last := firstRow, ""
	for _, in := range f.Indicators {
		if g := groupOf[in.ID]; g != "" && g != last {
			groups[row] = g
			row++
			last = g
		}
		rows = append(rows, row)
		row++
	}
	return rows, groups
}

// sheetsOf lists the sheets a form's workbook has, in order.
func sheetsOf(f *dxtrack.ReportForm) []string {
	out := []string{SheetValues}
	if f.Regime != nil && f.Regime.IncludeTasks {
		out = append(out, SheetTasks)
	}
	if f.Regime != nil && f.Regime.IncludeTargets {
		out = append(out, SheetTargets)
	}
	return append(out, SheetInfo)
}

// doneLabels are the texts of the qualitative dropdown in both languages.
func doneLabels() (done, notDone []string) {
	for _, l := range locale.Langs {
		p := locale.For(l)
		done = append(done, p.T("sheet.done", nil))
		notDone = append(notDone, p.T("sheet.not_done", nil))
	}
	return done, notDone
}

// numFmt is the number format showing d decimals with digit grouping.
func numFmt(d int) string {
	if d <= 0 {
		return "#,##0"
	}
	return "#,##0." + strings.Repeat("0", min(d, 6))
}

// cell joins a column and a row: cell("D", 7) is "D7".
func cell(col string, row int) string { return col + strconv.Itoa(row) }

// cellName is cell for numeric columns (1 is A).
func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// validRange returns the bounds a value of the indicator must keep, for
// the data validation of its cell; whole says it must be an integer.
func validRange(in *dxtrack.Indicator) (lo, hi float64, whole bool) {
	lo, hi = -1e15, 1e15
	switch in.Type {
	case dxtrack.ValuePercent:
		lo, hi = 0, 100
	case dxtrack.ValueCount:
		lo, whole = 0, true
	}
	if in.Min != nil {
		lo = math.Max(lo, *in.Min)
	}
	if in.Max != nil {
		hi = math.Min(hi, *in.Max)
	}
	if whole {
		lo, hi = math.Ceil(lo), math.Floor(hi)
	}
	return lo, hi, whole
}
