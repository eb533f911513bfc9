// Package mail sends InterviewPlanner's emails: invitations to join an
// account, interview invitations with iCalendar attachments, itineraries.
// Without SMTP settings, messages are kept in an outbox (the database, per
// company, shown to admins) and logged, so the demo and the tests can show
// what would have been sent.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Attachment is a file sent with a message, e.g. an invite.ics.
type Attachment struct {
	Name        string
	ContentType string // e.g. `text/calendar; method=REQUEST; charset=UTF-8`
	Data        []byte
}

// Message is one email.
type Message struct {
	// AccountID is the company the email is sent for (0: none); the
	// outbox keeps it per company.
	AccountID   int64 `json:",omitempty"`
	To          []string
	Subject     string
	Text        string
	Attachments []Attachment
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// New returns an SMTP sender for smtpURL, or an Outbox when it is empty.
func New(smtpURL, from string, log *slog.Logger) (Sender, error) {
	if smtpURL == "" {
		return &Outbox{log: log}, nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
		return nil, fmt.Errorf("IP_SMTP_URL must look like smtp://user:password@host:587")
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("IP_MAIL_FROM: %w", err)
	}
	return &SMTP{url: u, from: from, tls: &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}, timeout: sendTimeout}, nil
}

// Outbox keeps messages instead of sending them: through Keep (the
// database, per company, for the admins' Outbox page), in memory (the
// latest few, for tests) and in the log.
type Outbox struct {
	// Keep stores a message of a company (AccountID set); nil keeps it
	// in memory only. An error fails the send, so its job is retried.
	Keep func(ctx context.Context, m Message) error

	log  *slog.Logger
	mu   sync.Mutex
	sent []Message
}

// outboxMemory is how many messages the in-memory copy holds.
const outboxMemory = 1000

// Send records m.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	if o.Keep != nil && m.AccountID != 0 {
		if err := o.Keep(ctx, m); err != nil {
			return fmt.Errorf("mail: keeping the email in the outbox: %w", err)
		}
	}
	o.mu.Lock()
	o.sent = append(o.sent, m)
	if len(o.sent) > outboxMemory {
		o.sent = append([]Message(nil), o.sent[len(o.sent)-outboxMemory:]...)
	}
	o.mu.Unlock()
	if o.log != nil {
		o.log.Info("email not sent (no IP_SMTP_URL); kept in the outbox", "to", strings.Join(m.To, ", "), "subject", m.Subject, "attachments", len(m.Attachments))
	}
	return nil
}

// Sent returns a copy of the messages so far.
func (o *Outbox) Sent() []Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Message(nil), o.sent...)
}

// SMTP delivers through an SMTP server: STARTTLS when the server offers
// it for smtp://, TLS from the first byte for smtps:// (port 465).
type SMTP struct {
	url  *url.URL
	from string
	// tls verifies the server; tests add their own root.
	tls *tls.Config
	// timeout bounds each step of a delivery (connect, each command).
	timeout time.Duration
}

// sendTimeout is how long one SMTP step may take before the send fails
// (and the job that sent it is retried).
const sendTimeout = 30 * time.Second

// Send delivers m. Cancelling ctx closes the connection at once, so a send
// never outlives its job.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	implicit := s.url.Scheme == "smtps"
	port := 587
	if implicit {
		port = 465
	}
	if p := s.url.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return fmt.Errorf("mail: port %q: %w", p, err)
		}
	}
	var stops []func() bool
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		var conn net.Conn
		var err error
		if implicit {
			conn, err = (&tls.Dialer{Config: s.tls}).DialContext(dctx, network, addr)
		} else {
			conn, err = (&net.Dialer{}).DialContext(dctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		// The library bounds each step by its timeout but does not watch
		// ctx once connected: closing the connection ends a blocked step.
		stops = append(stops, context.AfterFunc(ctx, func() { conn.Close() }))
		return conn, nil
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(s.timeout), gomail.WithTLSConfig(s.tls),
		gomail.WithTLSPolicy(gomail.TLSOpportunistic), gomail.WithDialContextFunc(dial)}
	if s.url.User != nil {
		pw, _ := s.url.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.url.User.Username()), gomail.WithPassword(pw))
	}
	c, err := gomail.NewClient(s.url.Hostname(), opts...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	err = c.DialAndSendWithContext(ctx, msg)
	if ctx.Err() != nil {
		return fmt.Errorf("mail: %w", context.Cause(ctx))
	}
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return nil
}

// message renders m with its text part and attachments.
func (s *SMTP) message(m Message) (*gomail.Msg, error) {
	if len(m.To) == 0 {
		return nil, fmt.Errorf("mail: no recipient")
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("mail: from %q: %w", s.from, err)
	}
	for _, to := range m.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return nil, fmt.Errorf("mail: bad recipient %q", to)
		}
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("mail: recipients: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("mail: attachment %s: %w", a.Name, err)
		}
	}
	return msg, nil
}
