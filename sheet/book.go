package sheet

import (
	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack/locale"
)

// book wraps a workbook being written. The first error sticks and stops
// further writing, so that the layout code reads as a list of cells.
type book struct {
	f   *excelize.File
	st  *styles
	p   *locale.Printer
	err error
}

func newBook(lang string) *book {
	f := excelize.NewFile()
	return &book{f: f, st: newStyles(f), p: locale.For(lang)}
}

// t translates a message ID.
func (b *book) t(id string, args map[string]any) string { return b.p.T(id, args) }

// sheets creates the named sheets in order, the first replacing the
// default one.
func (b *book) sheets(names ...string) {
	if b.err != nil {
		return
	}
	first := b.f.GetSheetName(0)
	for i, name := range names {
		if i == 0 {
			b.err = b.f.SetSheetName(first, name)
		} else {
			_, b.err = b.f.NewSheet(name)
		}
		if b.err != nil {
			return
		}
	}
}

// set writes a value (nil or "" leaves the cell empty) with a style.
func (b *book) set(sheet, ref string, v any, style func() (int, error)) {
	if b.err != nil {
		return
	}
	if s, ok := v.(string); v != nil && (!ok || s != "") {
		if b.err = b.f.SetCellValue(sheet, ref, v); b.err != nil {
			return
		}
	}
	if style != nil {
		b.style(sheet, ref, ref, style)
	}
}

// style applies a style to a range.
func (b *book) style(sheet, from, to string, style func() (int, error)) {
	if b.err != nil {
		return
	}
	var id int
	if id, b.err = style(); b.err != nil {
		return
	}
	b.err = b.f.SetCellStyle(sheet, from, to, id)
}

func (b *book) merge(sheet, from, to string) {
	if b.err == nil {
		b.err = b.f.MergeCell(sheet, from, to)
	}
}

// widths sets column widths from column A on.
func (b *book) widths(sheet string, w ...float64) {
	for i, x := range w {
		if b.err != nil {
			return
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		b.err = b.f.SetColWidth(sheet, col, col, x)
	}
}

// freeze keeps the rows above row (and the columns before col, 1 for
// none) in view.
func (b *book) freeze(sheet string, row, col int) {
	if b.err != nil {
		return
	}
	pane := "bottomLeft"
	if col > 1 {
		pane = "bottomRight"
	}
	b.err = b.f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, XSplit: col - 1, YSplit: row - 1,
		TopLeftCell: cellName(col, row), ActivePane: pane,
	})
}

func (b *book) validate(sheet string, dv *excelize.DataValidation) {
	if b.err == nil {
		b.err = b.f.AddDataValidation(sheet, dv)
	}
}

// protect locks every cell of the sheet but those styled unlocked. No
// password: the lock guards against slips, not against the unit, and the
// upload checks everything anyway.
func (b *book) protect(sheet string) {
	if b.err == nil {
		b.err = b.f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{
			SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true,
		})
	}
}

// landscape prints the sheet across, one page wide.
func (b *book) landscape(sheet string) {
	if b.err != nil {
		return
	}
	orient, wide, tall, fit := "landscape", 1, 0, true
	if b.err = b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &orient, FitToWidth: &wide, FitToHeight: &tall}); b.err == nil {
		b.err = b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
	}
}
