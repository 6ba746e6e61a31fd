// Package e2e_test drives dxtrack as a user would: the real binary started
// with the README's command, and headless Chromium (Debian's chromium).
package e2e_test

import (
	"bufio"
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium or skips the test, saying why.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed: skipping the browser test (apt-get install chromium, or run bash .ci/run)")
	return ""
}

type login struct{ username, password, role string }

// touchSources stats every file of the module: the test builds the binary
// in a subprocess, whose reads go test cannot see, so without this a
// changed source would not invalidate a cached pass.
func touchSources(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != ".." && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// startDemo builds dxtrack, starts "dxtrack serve --demo" on a fresh store
// and a free port, and returns its URL and the demo logins it printed.
func startDemo(t *testing.T) (string, []login) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "dxtrack")
	touchSources(t)
	build := exec.Command("go", "build", "-o", bin, "../cmd/dxtrack")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--demo", "--db", filepath.Join(dir, "dxtrack.db"), "--addr", "127.0.0.1:0")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})

	type started struct {
		url    string
		logins []login
	}
	ready := make(chan started, 1)
	go func() {
		var s started
		sc := bufio.NewScanner(stdout)
		inLogins := false
		// serve prints the demo logins first and the address last.
		for sc.Scan() {
			line := sc.Text()
			t.Log(line)
			if strings.HasPrefix(line, "Demo logins") {
				inLogins = true
			} else if inLogins && strings.HasPrefix(line, "  ") {
				if f := strings.Fields(line); len(f) >= 3 {
					s.logins = append(s.logins, login{f[0], f[1], strings.TrimSuffix(f[2], ",")})
				}
			} else if i := strings.Index(line, "serving http://"); i >= 0 {
				s.url = strings.Fields(line[i+len("serving "):])[0]
				break
			}
		}
		ready <- s
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case s := <-ready:
		if s.url == "" {
			t.Fatal("dxtrack exited before serving")
		}
		return s.url, s.logins
	case <-time.After(3 * time.Minute):
		t.Fatal("dxtrack did not start within 3 minutes")
	}
	return "", nil
}

// TestBrowser runs the browser scenarios against one demo server.
func TestBrowser(t *testing.T) {
	browser := chromiumPath(t)
	if testing.Short() {
		t.Skip("-short: skipping the browser tests")
	}
	url, logins := startDemo(t)
	byRole := map[string]login{}
	for _, l := range logins {
		if _, ok := byRole[l.username]; !ok {
			byRole[l.username] = l
		}
	}
	t.Run("leader sees the overview rates", func(t *testing.T) {
		leaderSeesOverviewRates(t, browser, url, byRole["leader"])
	})
	t.Run("leader ranks on EGDI and plans the gap to top 5", func(t *testing.T) {
		leaderPlansGapToTop5(t, browser, url, byRole["leader"])
	})
	t.Run("reporter's draft survives a closed browser", func(t *testing.T) {
		draftSurvivesClosedBrowser(t, browser, url, byRole["reporter.tienyen"])
	})
}

// newBrowser starts a fresh headless Chromium with an empty profile: closing
// it forgets everything a user's browser would.
func newBrowser(t *testing.T, browser string) (context.Context, func()) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	return ctx, func() { cancelTimeout(); cancel(); cancelAlloc() }
}

// signIn opens a page, which redirects to the login form, and signs in.
func signIn(ctx context.Context, url string, l login) error {
	return chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), l.username),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), l.password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main`)),
	)
}

// waitText polls the text of a selector until it contains want.
func waitText(ctx context.Context, sel, want string) (string, error) {
	var text string
	var err error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		text, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err == nil && strings.Contains(text, want) {
			return text, nil
		}
	}
	return text, err
}

func draftSurvivesClosedBrowser(t *testing.T, browser, url string, reporter login) {
	if reporter.username == "" {
		t.Fatal("serve --demo printed no login for reporter.tienyen")
	}
	ctx, closeBrowser := newBrowser(t, browser)
	defer closeBrowser()
	if err := signIn(ctx, url+"/reports", reporter); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	value := chromedp.CSS(`input[name="v.1"]`)
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href^="/reports/"].btn, main a[href^="/reports/"]`)),
		chromedp.WaitVisible(value),
		chromedp.Clear(value),
		chromedp.SendKeys(value, "1234\t"),
	)
	if err != nil {
		t.Fatalf("open the report and type: %v", err)
	}
	if status, err := waitText(ctx, "#save-status", "Đã lưu"); err != nil || !strings.Contains(status, "Đã lưu") {
		t.Fatalf("autosave status = %q, %v", status, err)
	}
	reportURL, _ := chromedp.Run(ctx, chromedp.Location())
	closeBrowser() // the user closes the browser without pressing any button

	ctx2, closeBrowser2 := newBrowser(t, browser)
	defer closeBrowser2()
	if err := signIn(ctx2, reportURL, reporter); err != nil {
		t.Fatalf("sign in again: %v", err)
	}
	if err := chromedp.Do(ctx2, chromedp.WaitVisible(value)); err != nil {
		t.Fatalf("reopen %s: %v", reportURL, err)
	}
	got, err := chromedp.Run(ctx2, chromedp.Value(value))
	if err != nil || got != "1234" {
		t.Fatalf("after reopening %s the value is %q (%v), want the draft's 1234", reportURL, got, err)
	}
}

func leaderSeesOverviewRates(t *testing.T, browser, url string, leader login) {
	if leader.username == "" {
		t.Fatal("serve --demo printed no leader login")
	}
	ctx, closeBrowser := newBrowser(t, browser)
	defer closeBrowser()

	// Signing in from the overview's redirect lands back on the overview.
	if err := signIn(ctx, url+"/", leader); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	body, _ := waitText(ctx, "body", "40,7%")
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		shot := filepath.Join(t.TempDir(), "overview.png")
		if dir := os.Getenv("DXTRACK_SCREENSHOTS"); dir != "" {
			shot = filepath.Join(dir, "overview.png")
		}
		_ = os.WriteFile(shot, png, 0o644)
		t.Logf("screenshot: %s", shot)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	for _, want := range []string{"40,7%", "37,3%", "80%", "11/27", "19/51", "16/20"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview at %s does not show %q", loc, want)
		}
	}
}

// leaderPlansGapToTop5 opens the EGDI 2022 ranking from the indices list
// (Iceland and Sweden share 5th), then the commune index's gap planner:
// the cheapest plan to the top 5, applied as a what-if, reaches rank 5.
func leaderPlansGapToTop5(t *testing.T, browser, url string, leader login) {
	ctx, closeBrowser := newBrowser(t, browser)
	defer closeBrowser()
	if err := signIn(ctx, url+"/indices", leader); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Click(`//a[contains(., "(EGDI) 2022")]`),
		chromedp.WaitVisible(chromedp.CSS(`table`)),
	)
	if err != nil {
		t.Fatalf("open the EGDI edition: %v", err)
	}
	for _, country := range []string{"Iceland", "Sweden"} {
		row, err := chromedp.Run(ctx, chromedp.Text(`//tr[td//a[normalize-space(text())="`+country+`"]]`))
		if err != nil || !strings.HasPrefix(strings.TrimSpace(row), "5") || !strings.Contains(row, "0,9410") {
			t.Errorf("EGDI row of %s = %q (%v), want rank 5 and 0,9410", country, row, err)
		}
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(url+"/indices"),
		chromedp.Click(`//a[contains(., "cấp xã 2025")]`),
		chromedp.WaitVisible(chromedp.CSS(`table`)),
	)
	if err != nil {
		t.Fatalf("open the commune index: %v", err)
	}
	// The unit ranked 8th is the one to lift.
	eighth, err := chromedp.Run(ctx, chromedp.Text(`//tbody/tr[td[1][normalize-space(text())="8"]]/td[2]//a`))
	if err != nil || eighth == "" {
		t.Fatalf("no unit at rank 8: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`//a[contains(@href, "/gap")]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-unit`)),
	)
	if err != nil {
		t.Fatalf("open the gap planner: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#f-unit`), unitCodeOf(ctx, eighth)),
		chromedp.SetValue(chromedp.CSS(`#f-n`), "5"),
		chromedp.Submit(chromedp.CSS(`#f-n`)),
		chromedp.WaitVisible(chromedp.CSS(`#gap-plan`)),
	)
	if err != nil {
		t.Fatalf("plan the gap for %s: %v", eighth, err)
	}
	if cur, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#gap-current`))); strings.TrimSpace(cur) != "8" {
		t.Errorf("current rank of %s = %q, want 8", eighth, cur)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`//button[@type="submit" and ../input[@name="apply"]]`),
		chromedp.WaitVisible(chromedp.CSS(`#whatif-result`)),
	)
	if err != nil {
		t.Fatalf("apply the plan: %v", err)
	}
	after, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#whatif-result tbody tr:first-child td.ix-rank-after`)))
	if err != nil || !strings.HasPrefix(strings.TrimSpace(after), "5") {
		t.Errorf("after applying the plan %s ranks %q (%v), want 5", eighth, after, err)
	}
}

// unitCodeOf finds the option value of the gap form's unit select whose
// label is name.
func unitCodeOf(ctx context.Context, name string) string {
	attr, _ := chromedp.Run(ctx, chromedp.AttributeValue(`//select[@id="f-unit"]/option[normalize-space(text())="`+name+`"]`, "value"))
	return attr.Value
}
