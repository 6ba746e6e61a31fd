package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// actReport performs a review step on /reports/{id}/{action}: submit
// (which first saves the form as posted, so that a value typed just
// before pressing the button counts), approve, return (with a comment)
// or unlock (admins, with a reason).
func (s *Server) actReport(action dxtrack.ReportAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		p := locale.For(langFrom(ctx))
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := r.ParseForm(); err != nil {
			s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
			return
		}
		if action == dxtrack.ActionSubmit && r.PostForm.Has("version") {
			if _, issues, err := s.storeReportForm(r, id); err != nil {
				s.reportSaveFailed(w, r, id, issues, err, false)
				return
			}
		}
		if _, err := s.Reports.Act(ctx, id, action, r.PostForm.Get("comment")); err != nil {
			code := dxtrack.ErrorCode(err)
			if code != dxtrack.EINVALID && code != dxtrack.ECONFLICT {
				s.fail(w, r, err)
				return
			}
			var data *reportPage
			var derr error
			if action == dxtrack.ActionSubmit && code == dxtrack.EINVALID {
				// Blocking issues: shown beside their inputs.
				issues := issuesOf(err)
				data, derr = s.reportPage(ctx, id, nil, issues)
				if data != nil {
					data.Notice = p.T("reports.cannot_submit", nil)
				}
			} else {
				data, derr = s.reportPage(ctx, id, nil, nil)
				if data != nil {
					data.Act = newForm(r.PostForm)
					data.Act.Values.Set("action", string(action))
					if !data.Act.addError(p, err, nil) {
						data.Notice = p.Error(err)
					}
				}
			}
			if derr != nil {
				s.fail(w, r, derr)
				return
			}
			s.renderReport(w, r, errorStatus(err), data)
			return
		}
		s.flash(r, "reports.flash_"+string(action))
		http.Redirect(w, r, "/reports/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	}
}
