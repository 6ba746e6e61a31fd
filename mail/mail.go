// Package mail sends dxtrack's e-mail over SMTP: the reminders to units
// whose periodic report is due or overdue, and the leaders' weekly digest.
//
// Messages are built and sent with github.com/wneessen/go-mail: it writes
// correct MIME (UTF-8 bodies in quoted-printable, RFC 2047 headers, a
// text/plain and text/html alternative) and speaks SMTP with STARTTLS,
// implicit TLS and the common AUTH mechanisms. The standard library's
// net/smtp is frozen and builds no messages, so with it all of that would
// be ours to write and get right.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes of Config.TLS.
const (
	TLSNone     = "none"     // plain SMTP; passwords go only to a server on loopback
	TLSStartTLS = "starttls" // upgrade with STARTTLS, refusing a server that cannot
	TLSImplicit = "tls"      // TLS from the first byte (SMTPS, port 465)
)

// Config holds the SMTP settings.
type Config struct {
	Host     string
	Port     int // 0: 465 for "tls", 587 otherwise
	Username string
	Password string
	From     string // "dxtrack <noreply@example.gov.vn>"
	TLS      string // TLSNone, TLSStartTLS (the default when empty) or TLSImplicit
	// TLSConfig, when set, replaces the default TLS settings, e.g. to trust
	// a province's private certificate authority.
	TLSConfig *tls.Config
	// Timeout bounds each connection; 0 means 30 seconds.
	Timeout time.Duration
}

// Message is one e-mail. Text is required; HTML, when set, is sent as the
// alternative a mail client prefers.
type Message struct {
	To, Cc  []string
	Subject string
	Text    string
	HTML    string
}

// Sender sends messages over SMTP with one configuration.
type Sender struct {
	cfg Config
}

// NewSender returns a sender for the configuration. Nothing is dialled
// until Send.
func NewSender(cfg Config) *Sender {
	return &Sender{cfg: cfg}
}

// Send delivers one message: one connection, one SMTP transaction.
func (s *Sender) Send(ctx context.Context, msg Message) error {
	m, err := s.build(msg)
	if err != nil {
		return err
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("mail: send %q to %s: %w", msg.Subject, strings.Join(msg.To, ", "), err)
	}
	return nil
}

// build writes the message's headers and bodies.
func (s *Sender) build(msg Message) (*gomail.Msg, error) {
	if len(msg.To) == 0 {
		return nil, errors.New("mail: a message needs a recipient")
	}
	from, err := netmail.ParseAddress(s.cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: sender address %q: %w", s.cfg.From, err)
	}
	m := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP), gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(from)
	if err := m.To(msg.To...); err != nil {
		return nil, fmt.Errorf("mail: recipients: %w", err)
	}
	if len(msg.Cc) > 0 {
		if err := m.Cc(msg.Cc...); err != nil {
			return nil, fmt.Errorf("mail: copy recipients: %w", err)
		}
	}
	m.Subject(msg.Subject)
	m.SetDateWithValue(time.Now())
	m.SetMessageIDWithValue(messageID(from.Address))
	m.SetUserAgent("dxtrack")
	// Automated mail: no out-of-office replies to the sender.
	m.SetBulk()
	m.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	return m, nil
}

// messageID is unique and names the sender's domain, as RFC 5322 advises.
func messageID(from string) string {
	domain := "dxtrack.invalid"
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		domain = d
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:]) + "@" + domain
}

// client prepares an SMTP client for the configuration.
func (s *Sender) client() (*gomail.Client, error) {
	if s.cfg.Host == "" {
		return nil, errors.New("mail: no SMTP host configured")
	}
	timeout := s.cfg.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	port := s.cfg.Port
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	if s.cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.cfg.TLSConfig))
	}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS, "":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
		if port == 0 {
			port = 465
		}
	default:
		return nil, fmt.Errorf("mail: TLS mode %q is not none, starttls or tls", s.cfg.TLS)
	}
	if port == 0 {
		port = 587
	}
	opts = append(opts, gomail.WithPort(port))
	if s.cfg.Username != "" {
		// Over TLS take the strongest mechanism the server offers; without
		// it only PLAIN, which go-mail sends to a loopback server alone.
		auth := gomail.SMTPAuthAutoDiscover
		if s.cfg.TLS == TLSNone {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP client: %w", err)
	}
	return c, nil
}
