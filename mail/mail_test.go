package mail_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/dxtrack/dxtrack/mail"
)

const viSubject = "[Nhắc báo cáo] Báo cáo tháng về chuyển đổi số – kỳ tháng 6/2026"
const viText = "Kính gửi: Xã Tiên Yên,\n\nĐề nghị đơn vị hoàn thành và gửi báo cáo chậm nhất ngày 19/06/2026. Trân trọng cảm ơn! Ừ, ổ, ữ, ậ, đặc khu Vân Đồn.\n" +
	"Một dòng rất dài để kiểm tra việc ngắt dòng của quoted-printable: " + "Chuyển đổi số toàn diện, đồng bộ, hiệu quả. Chuyển đổi số toàn diện, đồng bộ, hiệu quả. Chuyển đổi số toàn diện.\n"

func TestSend(t *testing.T) {
	srv := startServer(t, nil)
	srv.setAuth("dxtrack", "mật-khẩu")
	s := mail.NewSender(srv.config())
	before := time.Now().Add(-time.Second)
	err := s.Send(context.Background(), mail.Message{
		To:      []string{"vanthu@tienyen.quangninh.gov.vn", "Nguyễn Văn An <an.nv@tienyen.quangninh.gov.vn>"},
		Cc:      []string{"chutich@tienyen.quangninh.gov.vn"},
		Subject: viSubject,
		Text:    viText,
		HTML:    "<p>Kính gửi: <b>Xã Tiên Yên</b></p>",
	})
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("received %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if srv.authCount() != 1 {
		t.Errorf("authentications = %d, want 1", srv.authCount())
	}
	if m.From != "noreply@dxtrack.quangninh.gov.vn" {
		t.Errorf("envelope sender = %q", m.From)
	}
	wantRcpt := []string{"vanthu@tienyen.quangninh.gov.vn", "an.nv@tienyen.quangninh.gov.vn", "chutich@tienyen.quangninh.gov.vn"}
	if got := slices.Sorted(slices.Values(m.Rcpt)); !slices.Equal(got, slices.Sorted(slices.Values(wantRcpt))) {
		t.Errorf("envelope recipients = %v, want %v", m.Rcpt, wantRcpt)
	}
	if !slices.Equal(m.To, wantRcpt[:2]) || !slices.Equal(m.Cc, wantRcpt[2:]) {
		t.Errorf("To = %v, Cc = %v", m.To, m.Cc)
	}
	if m.Subject != viSubject {
		t.Errorf("subject = %q, want %q", m.Subject, viSubject)
	}
	// Headers are 7-bit: RFC 2047 words, no raw UTF-8.
	raw := m.Raw[:strings.Index(m.Raw, "\r\n\r\n")]
	for _, r := range raw {
		if r > 127 {
			t.Fatalf("raw header holds non-ASCII %q:\n%s", r, raw)
		}
	}
	if !strings.Contains(raw, "=?UTF-8?q?") && !strings.Contains(raw, "=?UTF-8?Q?") {
		t.Errorf("subject not encoded per RFC 2047:\n%s", raw)
	}
	from, err := m.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Hệ thống dxtrack" || from[0].Address != "noreply@dxtrack.quangninh.gov.vn" {
		t.Errorf("From = %v, %v", from, err)
	}
	date, err := m.Header.Date()
	if err != nil || date.Before(before) || date.After(time.Now().Add(time.Second)) {
		t.Errorf("Date = %v, %v", date, err)
	}
	id := m.Header.Get("Message-Id")
	if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@dxtrack.quangninh.gov.vn>") || len(id) < 30 {
		t.Errorf("Message-ID = %q", id)
	}
	if m.Header.Get("Mime-Version") != "1.0" {
		t.Errorf("MIME-Version = %q", m.Header.Get("Mime-Version"))
	}
	if got := strings.ReplaceAll(m.Text, "\r\n", "\n"); got != viText {
		t.Errorf("text = %q, want %q", got, viText)
	}
	if !strings.Contains(m.HTML, "<b>Xã Tiên Yên</b>") {
		t.Errorf("html = %q", m.HTML)
	}
	if !slices.Equal(m.Encodings, []string{"quoted-printable", "quoted-printable"}) {
		t.Errorf("part encodings = %v", m.Encodings)
	}
	for _, line := range strings.Split(m.Raw, "\r\n") {
		if len(line) > 78 {
			t.Errorf("line longer than 78 octets: %q", line)
		}
	}

	// A second message has its own ID.
	if err := s.Send(context.Background(), mail.Message{To: []string{"a@b.vn"}, Subject: "x", Text: "y"}); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.messages(); len(msgs) != 2 || msgs[1].Header.Get("Message-Id") == id || msgs[1].HTML != "" {
		t.Errorf("second message = %+v", msgs[len(msgs)-1].Header)
	}
}

// TestSendStartTLS: the default mode upgrades the connection and refuses a
// server that offers no STARTTLS.
func TestSendStartTLS(t *testing.T) {
	// httptest carries a certificate for 127.0.0.1 and a client that trusts it.
	hs := httptest.NewTLSServer(http.NotFoundHandler())
	defer hs.Close()
	srv := startServer(t, func(s *smtp.Server) { s.TLSConfig = &tls.Config{Certificates: hs.TLS.Certificates} })
	srv.setAuth("dxtrack", "secret")
	cfg := srv.config()
	cfg.TLS = mail.TLSStartTLS
	cfg.TLSConfig = &tls.Config{RootCAs: hs.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs, ServerName: "127.0.0.1"}
	if err := mail.NewSender(cfg).Send(context.Background(), mail.Message{To: []string{"a@b.vn"}, Subject: "Thử", Text: "Thử nghiệm"}); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.messages(); len(msgs) != 1 || msgs[0].Subject != "Thử" || srv.authCount() != 1 {
		t.Fatalf("messages = %d, authed %d", len(msgs), srv.authCount())
	}

	plain := startServer(t, nil)
	cfg = plain.config()
	cfg.TLS = mail.TLSStartTLS
	if err := mail.NewSender(cfg).Send(context.Background(), mail.Message{To: []string{"a@b.vn"}, Subject: "x", Text: "y"}); err == nil {
		t.Error("sent over a server without STARTTLS in starttls mode")
	}
	if n := len(plain.messages()); n != 0 {
		t.Errorf("plain server received %d messages", n)
	}
}

func TestSendErrors(t *testing.T) {
	srv := startServer(t, nil)
	ok := mail.Message{To: []string{"a@b.vn"}, Subject: "s", Text: "t"}
	tests := []struct {
		name string
		cfg  func(*mail.Config)
		msg  mail.Message
	}{
		{"no host", func(c *mail.Config) { c.Host = "" }, ok},
		{"bad sender", func(c *mail.Config) { c.From = "not an address" }, ok},
		{"bad tls mode", func(c *mail.Config) { c.TLS = "ssl3" }, ok},
		{"no recipient", nil, mail.Message{Subject: "s", Text: "t"}},
		{"bad recipient", nil, mail.Message{To: []string{"nobody"}, Subject: "s", Text: "t"}},
		{"wrong password", func(c *mail.Config) { srv.setAuth("u", "right"); c.Username, c.Password = "u", "wrong" }, ok},
		{"nothing listening", func(c *mail.Config) { c.Port = 1 }, ok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := srv.config()
			cfg.Timeout = 5 * time.Second
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			if err := mail.NewSender(cfg).Send(context.Background(), tt.msg); err == nil {
				t.Error("no error")
			}
		})
	}
	srv.setAuth("", "")
	srv.failNext(1)
	if err := mail.NewSender(srv.config()).Send(context.Background(), ok); err == nil {
		t.Error("a refused DATA gave no error")
	}
	if n := len(srv.messages()); n != 0 {
		t.Errorf("received %d messages, want 0", n)
	}
}
