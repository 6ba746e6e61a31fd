package sheet

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dxtrack/dxtrack"
)

// Layout of the consolidated table: two header rows (names, codes), then
// one row per unit.
const (
	conHeaderRow = 4
	conFirstRow  = 6
	conFirstCol  = 4 // column D, the first indicator
)

// statusMsg names a report status in the table.
var statusMsg = map[dxtrack.ReportStatus]string{
	"":                      "sheet.status_none",
	dxtrack.ReportDraft:     "sheet.status_draft",
	dxtrack.ReportSubmitted: "sheet.status_submitted",
	dxtrack.ReportReturned:  "sheet.status_returned",
	dxtrack.ReportApproved:  "sheet.status_approved",
}

// WriteConsolidated writes the province's table of a regime's period:
// one row per unit with its report's status and values, a total row (sum
// of counts, mean of the others, as the domain computes them) and how
// many units gave each value. Figures are numbers formatted with the
// indicator's decimals.
func WriteConsolidated(w io.Writer, c *dxtrack.Consolidated, lang string) error {
	if c == nil || c.Regime == nil {
		return fmt.Errorf("sheet: write consolidated: no table")
	}
	b := newBook(lang)
	defer b.f.Close()
	sheet := b.t("sheet.consolidated", nil)
	b.sheets(sheet)
	lastCol := conFirstCol - 1 + len(c.Indicators)
	lastRef := func(row int) string { return cellName(lastCol, row) }

	b.set(sheet, "A1", b.t("sheet.consolidated_title", map[string]any{"Name": c.Regime.Code + " – " + c.Regime.Name(b.p.Lang())}), b.st.title)
	b.merge(sheet, "A1", lastRef(1))
	from, to := c.Period.Window()
	b.set(sheet, "A2", b.t("sheet.label_period", nil)+": "+c.Period.Key()+" ("+b.p.Date(from)+" – "+b.p.Date(to)+")", nil)
	b.merge(sheet, "A2", lastRef(2))

	for i, id := range []string{"sheet.col_no", "sheet.col_unit", "sheet.col_status"} {
		ref, below := cellName(i+1, conHeaderRow), cellName(i+1, conHeaderRow+1)
		b.set(sheet, ref, b.t(id, nil), b.st.header)
		b.style(sheet, below, below, b.st.header)
		b.merge(sheet, ref, below)
	}
	for j, in := range c.Indicators {
		name := in.Name(b.p.Lang())
		if in.Measure != "" {
			name += " (" + in.Measure + ")"
		}
		b.set(sheet, cellName(conFirstCol+j, conHeaderRow), name, b.st.header)
		b.set(sheet, cellName(conFirstCol+j, conHeaderRow+1), in.Code, b.st.header)
	}
	if b.err == nil {
		b.err = b.f.SetRowHeight(sheet, conHeaderRow, 60)
	}

	row := conFirstRow
	for i, r := range c.Rows {
		b.set(sheet, cellName(1, row), i+1, b.st.text)
		name := ""
		if r.Unit != nil {
			name = r.Unit.Name(b.p.Lang())
		}
		b.set(sheet, cellName(2, row), name, b.st.text)
		b.set(sheet, cellName(3, row), b.t(statusMsg[r.Status], nil), b.st.text)
		for j, in := range c.Indicators {
			var v *float64
			if j < len(r.Values) {
				v = r.Values[j]
			}
			b.set(sheet, cellName(conFirstCol+j, row), floatOrNil(v), func() (int, error) { return b.st.number(in.Decimals, false, false) })
		}
		row++
	}

	// The total row: the domain's totals, bold.
	b.set(sheet, cellName(1, row), nil, b.st.bold)
	b.set(sheet, cellName(2, row), b.t("sheet.total", nil), b.st.bold)
	b.set(sheet, cellName(3, row), nil, b.st.bold)
	for j, in := range c.Indicators {
		var v *float64
		if j < len(c.Totals) {
			v = c.Totals[j]
		}
		b.set(sheet, cellName(conFirstCol+j, row), floatOrNil(v), func() (int, error) { return b.st.number(in.Decimals, false, true) })
	}
	row++
	b.set(sheet, cellName(1, row), nil, b.st.text)
	b.set(sheet, cellName(2, row), b.t("sheet.reported", nil), b.st.text)
	b.set(sheet, cellName(3, row), nil, b.st.text)
	for j := range c.Indicators {
		var text string
		if j < len(c.Reported) {
			text = b.p.Number(int64(c.Reported[j].Done)) + "/" + b.p.Number(int64(c.Reported[j].Total))
		}
		b.set(sheet, cellName(conFirstCol+j, row), text, b.st.text)
	}
	row += 2
	b.set(sheet, cellName(1, row), b.t("sheet.total_hint", nil), b.st.italic)
	row++
	var counts []string
	for _, s := range []dxtrack.ReportStatus{dxtrack.ReportApproved, dxtrack.ReportSubmitted, dxtrack.ReportReturned, dxtrack.ReportDraft} {
		if n := c.Status[s]; n > 0 {
			counts = append(counts, b.t(statusMsg[s], nil)+": "+b.p.Number(int64(n)))
		}
	}
	if len(counts) > 0 {
		b.set(sheet, cellName(1, row), b.t("sheet.col_status", nil)+": "+strings.Join(counts, "; "), b.st.italic)
	}

	b.widths(sheet, 6, 36, 16)
	for j := range c.Indicators {
		if b.err == nil {
			col, _ := excelize.ColumnNumberToName(conFirstCol + j)
			b.err = b.f.SetColWidth(sheet, col, col, 16)
		}
	}
	b.freeze(sheet, conFirstRow, conFirstCol)
	b.landscape(sheet)
	if b.err != nil {
		return fmt.Errorf("sheet: write consolidated: %w", b.err)
	}
	if err := b.f.Write(w); err != nil {
		return fmt.Errorf("sheet: write consolidated: %w", err)
	}
	return nil
}
