package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestOverviewShowsCompletion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("leader")
	res, body := c.get("/")
	wantStatus(t, res, body, http.StatusOK)
	// 11 of 27 targets completed, one task of one not completed.
	wantText(t, body, "Tổng quan", "40,7%", "11/27 = 40,7%", "0/1 = 0%", "59/KH-UBND",
		"Sở Khoa học và Công nghệ", "1.500.000.000 ₫", "Tỷ lệ hoàn thành theo trụ cột", f.pillar.NameVI)
	noText(t, body, "(chưa phân loại)")
	// 16 targets are past their deadline and not done.
	wantText(t, body, "16 mục tiêu · 0 nhiệm vụ")
	noText(t, body, "40.7%")

	// The charts' data island carries the formatted labels.
	m := regexp.MustCompile(`(?s)<script type="application/json" id="overview-data">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no chart data island")
	}
	if !strings.Contains(m[1], `11/27 = 40,7%`) || !strings.Contains(m[1], `"key":"completed"`) {
		t.Errorf("chart data: %s", m[1])
	}
}

func TestOverviewDocumentFilter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	res, body := c.get("/?document=" + fmtID(f.plan.ID))
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "11/27 = 40,7%")
	res, body = c.get("/?document=999999")
	wantStatus(t, res, body, http.StatusNotFound)
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("leader")
	res, body := c.get("/lang?to=en&next=/")
	wantRedirect(t, res, body, "/")
	res, body = c.get("/")
	wantStatus(t, res, body, http.StatusOK)
	wantText(t, body, "Overview", "Targets completed", "40.7%", "11/27 = 40.7%", "1,500,000,000 ₫", "Department of Science and Technology")
	noText(t, body, "40,7%", "Tổng quan")

	// A foreign next is not followed.
	res, body = c.get("/lang?to=vi&next=//evil.example/")
	wantRedirect(t, res, body, "/")
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("redirect to %q, want /", loc)
	}
	res, body = c.get("/")
	wantText(t, body, "40,7%")
}

func TestPagesSendStrictCSP(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login("admin")
	res, _ := f.client().get("/login")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("/login: CSP %q", csp)
	}
	for _, path := range []string{"/", "/documents", "/targets/" + fmtID(f.targetIDs[0]), "/units", "/static/app.css"} {
		res, body := c.get(path)
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		// Every script is a file of this site or a JSON data island.
		for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
			if !strings.Contains(tag, `src="/static/`) && !strings.Contains(tag, `type="application/json"`) {
				t.Errorf("%s: inline script %s", path, tag)
			}
		}
		if strings.Contains(body, " style=") || strings.Contains(body, "<style") {
			t.Errorf("%s: inline style", path)
		}
	}
	_, body := c.get("/")
	if !strings.Contains(body, `name="htmx-config"`) || !strings.Contains(body, "includeIndicatorStyles") {
		t.Error("the htmx config meta tag is missing")
	}
}
