package mail_test

import (
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
	"github.com/dxtrack/dxtrack/mail"
)

func TestPeriodName(t *testing.T) {
	tests := []struct {
		key    string
		vi, en string
	}{
		{"2026-01", "tháng 1/2026", "January 2026"},
		{"2026-12", "tháng 12/2026", "December 2026"},
		{"2026-Q2", "quý II/2026", "Q2 2026"},
		{"2026-Q4", "quý IV/2026", "Q4 2026"},
		{"2026-6M", "6 tháng đầu năm 2026", "the first half of 2026"},
		{"2026-9M", "9 tháng năm 2026", "the first nine months of 2026"},
		{"2026", "năm 2026", "the year 2026"},
	}
	for _, tt := range tests {
		p, err := dxtrack.ParsePeriod(tt.key)
		if err != nil {
			t.Fatal(err)
		}
		if got := mail.PeriodName(locale.For("vi"), p); got != tt.vi {
			t.Errorf("vi %s = %q, want %q", tt.key, got, tt.vi)
		}
		if got := mail.PeriodName(locale.For("en"), p); got != tt.en {
			t.Errorf("en %s = %q, want %q", tt.key, got, tt.en)
		}
	}
}

func TestURLs(t *testing.T) {
	p := dxtrack.Period{Freq: dxtrack.Quarterly, Year: 2026, N: 2}
	for _, tt := range []struct{ got, want string }{
		{mail.ReportURL("https://x.gov.vn/", 42), "https://x.gov.vn/reports/42"},
		{mail.ReportURL("https://x.gov.vn/dxtrack", 0), "https://x.gov.vn/dxtrack/reports"},
		{mail.PeriodURL("https://x.gov.vn/dxtrack/", 3, p), "https://x.gov.vn/dxtrack/regimes/3/completeness?period=2026-Q2"},
		{mail.ReportURL("", 42), ""},
		{mail.PeriodURL("", 3, p), ""},
	} {
		if tt.got != tt.want {
			t.Errorf("URL = %q, want %q", tt.got, tt.want)
		}
	}
}
