// Package e2e_test drives dxtrack as a user would: the real binary started
// with the README's command, and headless Chromium (Debian's chromium).
package e2e_test

import (
	"bufio"
	"context"
	"io"
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

// startDemo builds dxtrack, starts "dxtrack serve --demo" on a fresh store
// and a free port, and returns its URL and the demo logins it printed.
func startDemo(t *testing.T) (string, []login) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "dxtrack")
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

func TestLeaderSeesOverviewRates(t *testing.T) {
	browser := chromiumPath(t)
	if testing.Short() {
		t.Skip("-short: skipping the browser test")
	}
	url, logins := startDemo(t)
	var leader login
	for _, l := range logins {
		if l.role == "leader" {
			leader = l
		}
	}
	if leader.username == "" {
		t.Fatalf("serve --demo printed no leader login; logins: %+v", logins)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	// Signing in from the overview's redirect lands back on the overview.
	err := chromedp.Do(ctx,
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), leader.username),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), leader.password),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main`)),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	var body string
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		body, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`body`)))
		if err == nil && strings.Contains(body, "40,7%") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
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
