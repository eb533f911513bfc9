package calendars

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"interviewplanner/calendar"
)

// errPrivateAddress: a calendar address that resolves to this machine or
// a private network is refused, so a feed URL cannot be used to probe the
// servers behind InterviewPlanner.
var errPrivateAddress = errors.New("the address points to a loopback or private network address, which is refused")

// pageError is an error already written as a sentence for the calendar's
// page: explainCalDAV passes it on as it is.
type pageError struct{ error }

func (e pageError) Unwrap() error { return e.error }

// sentencef is a pageError, formatted like fmt.Errorf.
func sentencef(format string, args ...any) error { return pageError{fmt.Errorf(format, args...)} }

// newHTTPClient is the client calendar servers are called with: bounded
// in time, at most five redirects, and — unless allowPrivate (demo and
// tests) — refusing to connect to loopback, private and link-local
// addresses. The check runs on the address actually dialled, so a
// redirect or a DNS answer cannot get around it.
func newHTTPClient(timeout time.Duration, allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: timeout}
	if !allowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return err
			}
			if !publicAddr(ap.Addr()) {
				return errPrivateAddress
			}
			return nil
		}
	}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{Transport: transport, Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirected to a %s address", req.URL.Scheme)
			}
			return nil
		}}
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate() && !a.IsLoopback() && !a.IsLinkLocalUnicast() && !cgnat.Contains(a)
}

// checkURL accepts an http or https address with a host.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not a web address", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "webcal", "webcals":
		// Calendar apps publish feeds as webcal://, which is https.
		u.Scheme = "https"
	default:
		return nil, fmt.Errorf("%q is not an http or https address", raw)
	}
	return u, nil
}

// displayURL is what the pages show of an address: the secret is in the
// path and query, so only scheme and host.
func displayURL(u *url.URL) string { return u.Scheme + "://" + u.Host }

// feedResponse is a fetched feed.
type feedResponse struct {
	notModified        bool
	body               []byte
	etag, lastModified string
}

// fetchFeed GETs a feed, conditionally when etag or lastModified are
// known, reading at most calendar.MaxFeedBytes.
func fetchFeed(ctx context.Context, client *http.Client, rawURL, etag, lastModified string) (*feedResponse, error) {
	u, err := checkURL(rawURL)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	req.Header.Set("User-Agent", "InterviewPlanner calendar sync")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, describeNetError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return &feedResponse{notModified: true, etag: etag, lastModified: lastModified}, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(resp.StatusCode)
	}
	if resp.ContentLength > calendar.MaxFeedBytes {
		return nil, sentencef("the calendar is larger than %d MB", calendar.MaxFeedBytes>>20)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, calendar.MaxFeedBytes+1))
	if err != nil {
		return nil, describeNetError(err)
	}
	if len(body) > calendar.MaxFeedBytes {
		return nil, sentencef("the calendar is larger than %d MB", calendar.MaxFeedBytes>>20)
	}
	return &feedResponse{body: body, etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}, nil
}

// statusError says what an HTTP status means for a calendar source.
func statusError(code int) error {
	hint := ""
	switch code {
	case http.StatusUnauthorized, http.StatusForbidden:
		hint = " (the address or password is no longer accepted)"
	case http.StatusNotFound, http.StatusGone:
		hint = " (the calendar is gone or its address was reset)"
	case http.StatusTooManyRequests:
		hint = " (too many requests; it will be retried)"
	}
	return sentencef("the server answered %d%s", code, hint)
}

// describeNetError turns transport errors into a sentence for the page.
func describeNetError(err error) error {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, errPrivateAddress):
		return errPrivateAddress
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return sentencef("the server did not answer in time")
	case errors.As(err, &dnsErr):
		return sentencef("the host %s could not be found", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return sentencef("the server refused the connection")
	}
	return sentencef("the server could not be reached: %w", err)
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}
