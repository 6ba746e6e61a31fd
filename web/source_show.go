package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// sourceShowPage is the data of a source's page.
type sourceShowPage struct {
	S          *dxtrack.DataSource
	Owner      *dxtrack.Unit
	Status     string
	PushPath   string
	Token      string // just issued: shown this once
	Last       *dxtrack.BatchResult
	Batches    []*dxtrack.BatchResult
	Examples   []sourceErrorExample
	Rules      []sourceRuleRow
	Runs       []*dxtrack.PullRun
	Week       struct{ Accepted, Refused, Batches int }
	Chart      sourceChart
	CanAdmin   bool
	TokenError string // the rotate or revoke form was sent unconfirmed
}

// Class is the badge colour of the source's status.
func (d sourceShowPage) Class() string { return sourceStatusClass(d.Status) }

// sourceErrorExample is a refused record of a recent batch.
type sourceErrorExample struct {
	Batch *dxtrack.BatchResult
	dxtrack.RecordError
	Text string // the reason in the reader's language
}

// sourceRuleRow is a mapping rule with the indicator it feeds.
type sourceRuleRow struct {
	dxtrack.MapRule
	Indicator *dxtrack.Indicator // nil: no indicator has the code
}

// sourceChart is the JSON island source.js draws the volume from.
type sourceChart struct {
	AcceptedName string   `json:"accepted_name"`
	RefusedName  string   `json:"refused_name"`
	Labels       []string `json:"labels"`
	Accepted     []int    `json:"accepted"`
	Refused      []int    `json:"refused"`
}

const (
	sourceChartDays    = 30
	sourceBatchesShown = 10
	sourceExamples     = 10
)

// showSource shows a source (GET /sources/{code}), for any signed-in user.
func (s *Server) showSource(w http.ResponseWriter, r *http.Request) {
	src, err := s.Sources.FindSource(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderSource(w, r, http.StatusOK, src, "", "")
}

// renderSource renders a source's page; token is shown when it was just
// issued.
func (s *Server) renderSource(w http.ResponseWriter, r *http.Request, status int, src *dxtrack.DataSource, token, tokenErr string) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	d := sourceShowPage{S: src, PushPath: "/api/v1/ingest/" + src.Code, Token: token, CanAdmin: isAdmin(ctx), TokenError: tokenErr}
	units, err := s.unitsByID(ctx, src.OwnerUnitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Owner = units[src.OwnerUnitID]
	if d.Batches, err = s.Sources.Batches(ctx, src.ID, sourceBatchesShown); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(d.Batches) > 0 {
		d.Last = d.Batches[0]
	}
	for _, b := range d.Batches {
		for _, e := range b.Errors {
			if len(d.Examples) < sourceExamples {
				text := e.Reason
				if e.MsgID != "" {
					text = p.FieldError(dxtrack.FieldError{Field: e.Field, MsgID: e.MsgID, Args: e.Args})
				}
				d.Examples = append(d.Examples, sourceErrorExample{Batch: b, RecordError: e, Text: text})
			}
		}
	}
	var lastRun *dxtrack.PullRun
	if s.SourceRuns != nil && src.Pull != nil {
		if d.Runs, err = s.SourceRuns.Runs(ctx, src.ID, 20); err != nil {
			s.fail(w, r, err)
			return
		}
		if len(d.Runs) > 0 {
			lastRun = d.Runs[0]
		}
	}
	d.Status = sourceStatus(src, d.Last, lastRun)

	_, byCode, err := s.indicatorMaps(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, ru := range src.Mapping.Rules {
		d.Rules = append(d.Rules, sourceRuleRow{MapRule: ru, Indicator: byCode[ru.Indicator]})
	}

	today := dxtrack.Day(s.Now())
	from := today.AddDate(0, 0, -(sourceChartDays - 1))
	vol, err := s.Sources.Volume(ctx, src.ID, from)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byDay := map[string]dxtrack.VolumePoint{}
	weekFrom := today.AddDate(0, 0, -6).Format(dxtrack.DateLayout)
	for _, v := range vol {
		byDay[v.Day] = v
		if v.Day >= weekFrom {
			d.Week.Accepted += v.Accepted
			d.Week.Refused += v.Refused
			d.Week.Batches += v.Batches
		}
	}
	d.Chart = sourceChart{AcceptedName: p.T("sources.accepted", nil), RefusedName: p.T("sources.refused", nil)}
	for day := from; !day.After(today); day = day.AddDate(0, 0, 1) {
		v := byDay[day.Format(dxtrack.DateLayout)]
		d.Chart.Labels = append(d.Chart.Labels, p.Date(day))
		d.Chart.Accepted = append(d.Chart.Accepted, v.Accepted)
		d.Chart.Refused = append(d.Chart.Refused, v.Refused)
	}
	s.render(w, r, status, "source_show", src.Name, d)
}
