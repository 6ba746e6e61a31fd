package mail_test

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/dxtrack/dxtrack/mail"
)

// received is one message the test server accepted, decoded.
type received struct {
	From      string   // envelope sender
	Rcpt      []string // envelope recipients
	Header    netmail.Header
	Subject   string // decoded
	To, Cc    []string
	Text      string // decoded text/plain part
	HTML      string // decoded text/html part
	Encodings []string
	Raw       string
}

// server is a real SMTP server on loopback (emersion/go-smtp) that keeps
// what it receives.
type server struct {
	t    *testing.T
	addr string
	port int

	mu       sync.Mutex
	msgs     []received
	failData int    // refuse this many DATA commands with a temporary error
	user     string // when set, AUTH PLAIN with user/pass is required
	pass     string
	authed   int
}

func startServer(t *testing.T, configure func(*smtp.Server)) *server {
	t.Helper()
	s := &server{t: t}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	if configure != nil {
		configure(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	s.addr = ln.Addr().String()
	s.port = ln.Addr().(*net.TCPAddr).Port
	return s
}

// config returns a sender configuration for the server.
func (s *server) config() mail.Config {
	user, pass := s.credentials()
	return mail.Config{Host: "127.0.0.1", Port: s.port, TLS: mail.TLSNone, From: "Hệ thống dxtrack <noreply@dxtrack.quangninh.gov.vn>", Username: user, Password: pass}
}

// setAuth requires AUTH PLAIN with the user and password; "" turns it off.
func (s *server) setAuth(user, pass string) {
	s.mu.Lock()
	s.user, s.pass = user, pass
	s.mu.Unlock()
}

func (s *server) credentials() (user, pass string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user, s.pass
}

func (s *server) authCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authed
}

func (s *server) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func (s *server) failNext(n int) {
	s.mu.Lock()
	s.failData = n
	s.mu.Unlock()
}

type session struct {
	s      *server
	from   string
	rcpt   []string
	authed bool
}

func (x *session) AuthMechanisms() []string {
	if user, _ := x.s.credentials(); user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if user, pass := x.s.credentials(); username != user || password != pass {
			return smtp.ErrAuthFailed
		}
		x.authed = true
		x.s.mu.Lock()
		x.s.authed++
		x.s.mu.Unlock()
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if user, _ := x.s.credentials(); user != "" && !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.rcpt = append(x.rcpt, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.failData > 0 {
		x.s.failData--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := decode(raw)
	if err != nil {
		x.s.t.Errorf("server: undecodable message: %v\n%s", err, raw)
		return err
	}
	m.From, m.Rcpt = x.from, x.rcpt
	x.s.msgs = append(x.s.msgs, m)
	return nil
}

func (x *session) Reset()        { x.from, x.rcpt = "", nil }
func (x *session) Logout() error { return nil }

// decode reads a message the way a mail client would.
func decode(raw []byte) (received, error) {
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return received{}, err
	}
	r := received{Header: m.Header, Raw: string(raw)}
	dec := new(mime.WordDecoder)
	if r.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		return r, err
	}
	for _, h := range []struct {
		name string
		dst  *[]string
	}{{"To", &r.To}, {"Cc", &r.Cc}} {
		if m.Header.Get(h.name) == "" {
			continue
		}
		list, err := m.Header.AddressList(h.name)
		if err != nil {
			return r, err
		}
		for _, a := range list {
			*h.dst = append(*h.dst, a.Address)
		}
	}
	err = r.parts(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	return r, err
}

func (r *received) parts(contentType, encoding string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			if err := r.parts(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	if params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8") {
		return errors.New("charset " + params["charset"])
	}
	r.Encodings = append(r.Encodings, strings.ToLower(encoding))
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	switch mt {
	case "text/plain":
		r.Text = string(b)
	case "text/html":
		r.HTML = string(b)
	}
	return nil
}
