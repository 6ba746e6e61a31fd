package web

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
	"github.com/dxtrack/dxtrack/sheet"
)

// tablePage is the data of the province's consolidated table.
type tablePage struct {
	C          *dxtrack.Consolidated
	PeriodName string
	Picker     periodPicker
}

// showTable shows the consolidated table of a regime's period: a row per
// reporting unit, a column per indicator, totals and reporting rates.
func (s *Server) showTable(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	rg, pd, due, ok := s.regimePeriod(w, r)
	if !ok {
		return
	}
	c, err := s.Reports.Consolidated(ctx, rg.ID, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := tablePage{C: c, PeriodName: periodName(p, pd), Picker: newPeriodPicker(p, "/regimes/"+itoa(rg.ID)+"/table", rg, pd, due)}
	s.render(w, r, http.StatusOK, "regime_table", p.T("page.table.title", map[string]any{"Name": rg.Name(p.Lang()), "Value": data.PeriodName}), data)
}

// downloadTable sends the consolidated table as .xlsx.
func (s *Server) downloadTable(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rg, pd, _, ok := s.regimePeriod(w, r)
	if !ok {
		return
	}
	c, err := s.Reports.Consolidated(ctx, rg.ID, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := sheet.WriteConsolidated(&buf, c, langFrom(ctx)); err != nil {
		s.internalError(w, r, err)
		return
	}
	sendXLSX(w, rg.Code+"_"+pd.Key()+".xlsx", buf.Bytes())
}

// sendXLSX writes an Excel workbook as a download.
func sendXLSX(w http.ResponseWriter, name string, data []byte) {
	setSecurityHeaders(w.Header())
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(data)
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
