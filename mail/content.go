package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// ReportURL links to a unit's report when it has been opened, else to
// "My reports", where the unit's due report is one click away; "" without
// a base URL. The paths are the web UI's (web/routes.go).
func ReportURL(base string, reportID int64) string {
	if base == "" {
		return ""
	}
	if reportID == 0 {
		return strings.TrimRight(base, "/") + "/reports"
	}
	return strings.TrimRight(base, "/") + "/reports/" + strconv.FormatInt(reportID, 10)
}

// PeriodURL links to the completeness page of a regime's period; "" without
// a base URL.
func PeriodURL(base string, regimeID int64, p dxtrack.Period) string {
	if base == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + "/regimes/" + strconv.FormatInt(regimeID, 10) + "/completeness?" +
		url.Values{"period": {p.Key()}}.Encode()
}

// PeriodName names a period in the language: "tháng 5/2026", "quý
// II/2026", "6 tháng đầu năm 2026"; "May 2026", "Q2 2026".
func PeriodName(p *locale.Printer, per dxtrack.Period) string {
	// Catalogue messages use the argument names the locale tests fill in:
	// Number is the Vietnamese form (Roman for quarters), Code the Arabic.
	args := map[string]any{"Year": per.Year, "Number": strconv.Itoa(per.N), "Code": strconv.Itoa(per.N)}
	switch per.Freq {
	case dxtrack.Monthly:
		args["Name"] = time.Month(per.N).String()
		return p.T("mail.period.month", args)
	case dxtrack.Quarterly:
		args["Number"] = [...]string{"", "I", "II", "III", "IV"}[min(max(per.N, 0), 4)]
		return p.T("mail.period.quarter", args)
	case dxtrack.SixMonths:
		return p.T("mail.period.6months", args)
	case dxtrack.NineMonths:
		return p.T("mail.period.9months", args)
	}
	return p.T("mail.period.year", args)
}

// unitName is how a message addresses a unit: its official name in
// Vietnamese ("Xã Tiên Yên"), its English name in English.
func unitName(p *locale.Printer, u *dxtrack.Unit) string {
	if p.Lang() == "vi" && u.FullName != "" {
		return u.FullName
	}
	return u.Name(p.Lang())
}

// fact is one "label: value" line of a message.
type fact struct{ Label, Value string }

// letter is what the templates lay out; every text in it is translated.
type letter struct {
	Lang       string
	Title      string
	Greeting   string
	Paragraphs []string
	Facts      []fact
	Blocks     []block // the digest's regimes
	LinkText   string
	URL        string
	Footer     string
}

// block is one regime of the digest.
type block struct {
	Title    string
	Facts    []fact
	Note     string // "all in", or the heading of the list below
	Header   []string
	Rows     [][]string
	LinkText string
	URL      string
}

// days counts whole calendar days from a to b.
func days(a, b time.Time) int {
	return int(dxtrack.Day(b).Sub(dxtrack.Day(a)).Hours() / 24)
}

// reminderMessage writes the e-mail of a reminder to the unit of line
// about the period of completeness c.
func reminderMessage(p *locale.Printer, base string, c *dxtrack.Completeness, line dxtrack.UnitCompleteness, r dxtrack.Reminder, now time.Time) (Message, error) {
	u := line.Unit
	args := map[string]any{
		"Name":     c.Regime.Name(p.Lang()),
		"Value":    PeriodName(p, c.Period),
		"Deadline": p.Date(r.Deadline),
		"Unit":     unitName(p, u),
	}
	kind := string(r.Kind)
	deadline := p.Date(r.Deadline)
	switch left := days(now, r.Deadline); {
	case left > 0:
		deadline += " (" + p.T("mail.days_left", map[string]any{"Count": left}) + ")"
	case left < 0:
		deadline += " (" + p.T("mail.days_late", map[string]any{"Count": -left}) + ")"
	}
	from, to := c.Period.Window()
	l := letter{
		Lang:       p.Lang(),
		Title:      p.T("mail."+kind+".subject", args),
		Greeting:   p.T("mail.greeting", args),
		Paragraphs: []string{p.T("mail."+kind+".body", args)},
		Facts: []fact{
			{p.T("mail.fact.regime", nil), args["Name"].(string)},
			{p.T("mail.fact.period", nil), args["Value"].(string)},
			{p.T("mail.fact.window", nil), p.T("mail.window", map[string]any{"From": p.Date(from), "To": p.Date(to)})},
			{p.T("mail.fact.deadline", nil), deadline},
			{p.T("mail.fact.unit", nil), args["Unit"].(string)},
		},
		URL:    ReportURL(base, line.ReportID),
		Footer: p.T("mail.footer", nil),
	}
	if l.URL != "" {
		l.LinkText = p.T("mail.open_report", nil)
	}
	if len(r.Cc) > 0 {
		l.Paragraphs = append(l.Paragraphs, p.T("mail.overdue.escalated", nil))
	}
	return render(l, r.To, r.Cc)
}

// digestMessage writes the leaders' weekly digest over the regimes'
// latest periods.
func digestMessage(p *locale.Printer, base string, periods []*dxtrack.Completeness, to string, now time.Time) (Message, error) {
	today := p.Date(now)
	l := letter{
		Lang:     p.Lang(),
		Title:    p.T("mail.digest.subject", map[string]any{"Date": today}),
		Greeting: p.T("mail.digest.greeting", nil),
		Footer:   p.T("mail.footer", nil),
	}
	if len(periods) == 0 {
		l.Paragraphs = []string{p.T("mail.digest.none", nil)}
	} else {
		l.Paragraphs = []string{p.T("mail.digest.intro", map[string]any{"Date": today})}
	}
	for _, c := range periods {
		n := func(t dxtrack.Timeliness) string { return p.Number(int64(c.Counts[t])) }
		b := block{
			Title: c.Regime.Name(p.Lang()) + " – " + PeriodName(p, c.Period),
			Facts: []fact{
				{p.T("mail.fact.deadline", nil), p.Date(c.Deadline)},
				{p.T("mail.digest.submitted", nil), p.Completion(c.Submitted)},
				{p.T("mail.digest.on_time", nil), n(dxtrack.OnTime)},
				{p.T("mail.digest.late", nil), n(dxtrack.Late)},
				{p.T("mail.digest.missing", nil), n(dxtrack.Missing)},
				{p.T("mail.digest.pending", nil), n(dxtrack.Pending)},
			},
			URL: PeriodURL(base, c.Regime.ID, c.Period),
		}
		if b.URL != "" {
			b.LinkText = p.T("mail.digest.open", nil)
		}
		missing := c.NotReported()
		if len(missing) == 0 {
			b.Note = p.T("mail.digest.all_in", nil)
		} else {
			b.Note = p.T("mail.digest.not_reported", nil)
			b.Header = []string{p.T("mail.fact.unit", nil), p.T("mail.digest.status", nil), p.T("mail.digest.officers", nil)}
			for _, line := range missing {
				status := p.T("mail.digest.missing", nil)
				if line.Timeliness == dxtrack.Pending {
					status = p.T("mail.digest.pending", nil)
				}
				b.Rows = append(b.Rows, []string{unitName(p, line.Unit), status, strings.Join(line.Officers, ", ")})
			}
		}
		l.Blocks = append(l.Blocks, b)
	}
	return render(l, []string{to}, nil)
}

// render lays a letter out as text and HTML.
func render(l letter, to, cc []string) (Message, error) {
	var text, html bytes.Buffer
	if err := textLetter.Execute(&text, l); err != nil {
		return Message{}, fmt.Errorf("mail: text of %q: %w", l.Title, err)
	}
	if err := htmlLetter.Execute(&html, l); err != nil {
		return Message{}, fmt.Errorf("mail: HTML of %q: %w", l.Title, err)
	}
	return Message{To: to, Cc: cc, Subject: l.Title, Text: text.String(), HTML: html.String()}, nil
}

var textLetter = texttemplate.Must(texttemplate.New("text").Parse(`{{.Greeting}}
{{range .Paragraphs}}
{{.}}
{{end}}{{if .Facts}}
{{range .Facts}}- {{.Label}}: {{.Value}}
{{end}}{{end}}{{if .URL}}
{{.LinkText}}: {{.URL}}
{{end}}{{range .Blocks}}
== {{.Title}} ==
{{range .Facts}}- {{.Label}}: {{.Value}}
{{end}}
{{.Note}}
{{range .Rows}}  * {{index . 0}} ({{index . 1}}){{with index . 2}}: {{.}}{{end}}
{{end}}{{if .URL}}{{.LinkText}}: {{.URL}}
{{end}}{{end}}
-- 
{{.Footer}}
`))

var htmlLetter = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2933">
<p>{{.Greeting}}</p>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Facts}}<table style="border-collapse:collapse;margin:12px 0">
{{range .Facts}}<tr><th style="text-align:left;padding:4px 12px 4px 0;font-weight:600">{{.Label}}</th><td style="padding:4px 0">{{.Value}}</td></tr>
{{end}}</table>
{{end}}{{if .URL}}<p><a href="{{.URL}}" style="display:inline-block;padding:8px 16px;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">{{.LinkText}}</a></p>
{{end}}{{range .Blocks}}<h2 style="font-size:17px;margin:24px 0 8px">{{.Title}}</h2>
<table style="border-collapse:collapse">
{{range .Facts}}<tr><th style="text-align:left;padding:2px 12px 2px 0;font-weight:600">{{.Label}}</th><td>{{.Value}}</td></tr>
{{end}}</table>
<p>{{.Note}}</p>
{{if .Rows}}<table style="border-collapse:collapse;width:100%">
<tr>{{range .Header}}<th style="text-align:left;border-bottom:1px solid #cbd2d9;padding:4px 8px">{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td style="border-bottom:1px solid #e4e7eb;padding:4px 8px">{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{if .URL}}<p><a href="{{.URL}}">{{.LinkText}}</a></p>
{{end}}{{end}}<p style="color:#7b8794;font-size:13px;margin-top:24px">{{.Footer}}</p>
</body></html>
`))
