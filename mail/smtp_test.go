package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"go.uber.org/goleak"
)

// received is one message as the test server got it.
type received struct {
	from, user string
	to         []string
	data       []byte
}

// smtpServer is a real SMTP server on loopback (emersion/go-smtp) that
// records what it receives.
type smtpServer struct {
	addr string
	mu   sync.Mutex
	got  []received
	// dataEntered, when set, is closed as DATA starts; DATA then blocks
	// until release is closed or the client goes away.
	dataEntered, release chan struct{}
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

type session struct {
	srv  *smtpServer
	cur  received
	conn *smtp.Conn
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "mailer" || pass != "s3cret" {
			return errors.New("bad credentials")
		}
		ss.cur.user = user
		return nil
	}), nil
}
func (ss *session) Mail(from string, _ *smtp.MailOptions) error { ss.cur.from = from; return nil }
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.cur.to = append(ss.cur.to, to)
	return nil
}
func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if ss.srv.dataEntered != nil {
		close(ss.srv.dataEntered)
		<-ss.srv.release
		return errors.New("held")
	}
	ss.cur.data = b
	ss.srv.mu.Lock()
	ss.srv.got = append(ss.srv.got, ss.cur)
	ss.srv.mu.Unlock()
	return nil
}
func (ss *session) Reset()        { ss.cur = received{user: ss.cur.user} }
func (ss *session) Logout() error { return nil }

// startSMTP serves SMTP on a loopback port: with STARTTLS offered when
// cert is set, or with TLS from the first byte when implicit.
func startSMTP(t *testing.T, cert *tls.Certificate, implicit bool) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	be := smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{srv: s, conn: c}, nil })
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = !implicit && cert == nil
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	var ln net.Listener
	var err error
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	if implicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return s
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func mustSMTP(t *testing.T, url string, roots *x509.CertPool) *SMTP {
	t.Helper()
	s, err := New(url, "InterviewPlanner <no-reply@example.com>", nil)
	if err != nil {
		t.Fatal(err)
	}
	sm := s.(*SMTP)
	if roots != nil {
		sm.tls.RootCAs = roots
	}
	return sm
}

var invite = Message{
	To: []string{"ann@example.com"}, Subject: "Invitation — join Acme",
	Text:        "Open https://example.com/invitations/abc to join.",
	Attachments: []Attachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST; charset=UTF-8", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}},
}

// checkInvite parses what the server received back into its parts.
func checkInvite(t *testing.T, got []received, user string) {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	r := got[0]
	if r.from != "no-reply@example.com" || len(r.to) != 1 || r.to[0] != "ann@example.com" || r.user != user {
		t.Fatalf("envelope from %q to %q as %q", r.from, r.to, r.user)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(r.data))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); s != "Invitation — join Acme" {
		t.Fatalf("subject %q", s)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			if b, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(string(b), "\r\n", "")); err != nil {
				t.Fatal(err)
			}
		}
		parts = append(parts, p.Header.Get("Content-Type")+"|"+string(b))
	}
	if len(parts) != 2 || !strings.Contains(parts[0], "invitations/abc") || !strings.HasPrefix(parts[1], "text/calendar; method=REQUEST") || !strings.Contains(parts[1], "BEGIN:VCALENDAR") {
		t.Fatalf("parts = %q", parts)
	}
}

func TestSMTPPlain(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, nil, false)
	if err := mustSMTP(t, "smtp://mailer:s3cret@"+srv.addr, nil).Send(t.Context(), invite); err != nil {
		t.Fatal(err)
	}
	checkInvite(t, srv.messages(), "mailer")
}

func TestSMTPStartTLS(t *testing.T) {
	t.Parallel()
	cert, roots := selfSigned(t)
	srv := startSMTP(t, cert, false)
	// The server refuses AUTH before STARTTLS: a delivery proves the upgrade.
	if err := mustSMTP(t, "smtp://mailer:s3cret@"+srv.addr, roots).Send(t.Context(), invite); err != nil {
		t.Fatal(err)
	}
	checkInvite(t, srv.messages(), "mailer")
}

func TestSMTPSImplicitTLS(t *testing.T) {
	t.Parallel()
	cert, roots := selfSigned(t)
	srv := startSMTP(t, cert, true)
	if err := mustSMTP(t, "smtps://mailer:s3cret@"+srv.addr, roots).Send(t.Context(), invite); err != nil {
		t.Fatal(err)
	}
	checkInvite(t, srv.messages(), "mailer")

	// Without trusting the self-signed certificate the send fails rather
	// than delivering in the clear.
	if err := mustSMTP(t, "smtps://mailer:s3cret@"+srv.addr, nil).Send(t.Context(), invite); err == nil {
		t.Fatal("send to an untrusted certificate succeeded")
	}
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("server has %d messages after the refused send", n)
	}
}

func TestSMTPBadCredentials(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, nil, false)
	if err := mustSMTP(t, "smtp://mailer:wrong@"+srv.addr, nil).Send(t.Context(), invite); err == nil {
		t.Fatal("send with a wrong password succeeded")
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("server has %d messages", n)
	}
}

// A cancelled send returns at once with the context's error and leaves no
// goroutine behind.
func TestSMTPCancelledSendLeavesNothingRunning(t *testing.T) {
	srv := startSMTP(t, nil, false)
	srv.dataEntered, srv.release = make(chan struct{}), make(chan struct{})
	defer close(srv.release)
	// The server is up; anything new still running after Send is the
	// client's. The server's own session stays held in Data meanwhile.
	ignore := []goleak.Option{goleak.IgnoreCurrent(), goleak.IgnoreTopFunction("interviewplanner/mail.(*session).Data")}
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-srv.dataEntered; cancel() }()
	sm := mustSMTP(t, "smtp://"+srv.addr, nil)
	sm.timeout = time.Hour // only the cancellation can end this send
	err := sm.Send(ctx, invite)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, want context.Canceled", err)
	}
	goleak.VerifyNone(t, ignore...)
}

func TestSMTPRejectsBadRecipient(t *testing.T) {
	s := mustSMTP(t, "smtp://127.0.0.1:1", nil)
	if err := s.Send(t.Context(), Message{To: []string{"not an address"}}); err == nil || !strings.Contains(err.Error(), "bad recipient") {
		t.Fatalf("Send(bad recipient) = %v", err)
	}
	if err := s.Send(t.Context(), Message{}); err == nil || !strings.Contains(err.Error(), "no recipient") {
		t.Fatalf("Send(no recipient) = %v", err)
	}
}
