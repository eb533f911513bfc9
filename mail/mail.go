// Package mail sends InterviewPlanner's emails: invitations to join an
// account, interview invitations with iCalendar attachments, itineraries.
// Without SMTP settings, messages go to the log and an in-memory outbox, so
// the demo and the tests can show what would have been sent.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Attachment is a file sent with a message, e.g. an invite.ics.
type Attachment struct {
	Name        string
	ContentType string // e.g. `text/calendar; method=REQUEST; charset=UTF-8`
	Data        []byte
}

// Message is one email.
type Message struct {
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
		return nil, fmt.Errorf("IP_MAIL_FROM: %v", err)
	}
	return &SMTP{url: u, from: from}, nil
}

// Outbox keeps messages in memory and logs them (without their bodies'
// secrets: links are logged because, with no SMTP, the admin needs them).
type Outbox struct {
	log  *slog.Logger
	mu   sync.Mutex
	sent []Message
}

// Send records m.
func (o *Outbox) Send(_ context.Context, m Message) error {
	o.mu.Lock()
	o.sent = append(o.sent, m)
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

// SMTP delivers through an SMTP server with STARTTLS when offered.
type SMTP struct {
	url  *url.URL
	from string
}

// Send delivers m.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	raw, err := Build(s.from, m)
	if err != nil {
		return err
	}
	host := s.url.Hostname()
	addr := s.url.Host
	if s.url.Port() == "" {
		addr = net.JoinHostPort(host, "587")
	}
	var auth smtp.Auth
	if s.url.User != nil {
		pw, _ := s.url.User.Password()
		auth = smtp.PlainAuth("", s.url.User.Username(), pw, host)
	}
	from, _ := mail.ParseAddress(s.from)
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(addr, auth, from.Address, m.To, raw) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Build renders m as an RFC 5322 message.
func Build(from string, m Message) ([]byte, error) {
	if len(m.To) == 0 {
		return nil, fmt.Errorf("mail: no recipient")
	}
	for _, to := range m.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return nil, fmt.Errorf("mail: bad recipient %q", to)
		}
	}
	var b bytes.Buffer
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", from)
	hdr("To", strings.Join(m.To, ", "))
	hdr("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	hdr("Date", time.Now().UTC().Format(time.RFC1123Z))
	hdr("Message-ID", "<"+hex.EncodeToString(id)+"@interviewplanner>")
	hdr("MIME-Version", "1.0")
	mw := multipart.NewWriter(&b)
	hdr("Content-Type", `multipart/mixed; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	part, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=UTF-8"}, "Content-Transfer-Encoding": {"quoted-printable"}})
	if err != nil {
		return nil, err
	}
	qp := quotedprintable.NewWriter(part)
	_, _ = qp.Write([]byte(m.Text))
	qp.Close()
	for _, a := range m.Attachments {
		part, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {a.ContentType},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(part)
		_, _ = qp.Write(a.Data)
		qp.Close()
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
