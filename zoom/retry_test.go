package zoom_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"

	"interviewplanner/zoom"
)

func jsonHeader(kv ...string) http.Header {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

var (
	tooMany  = `{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`
	badGate  = cannedResponse{status: http.StatusBadGateway, body: "<html><body>502 Bad Gateway</body></html>"}
	notFound = cannedResponse{status: http.StatusNotFound, header: jsonHeader(), body: `{"code":3001,"message":"Meeting does not exist: 1."}`}
)

func TestRetries(t *testing.T) {
	retryDate := func() string { return time.Now().Add(20 * time.Second).UTC().Format(http.TimeFormat) }
	tests := []struct {
		name string
		// canned answers before the fake handles the call for real
		canned    func() []cannedResponse
		call      func(ctx context.Context, api *zoom.API) error
		key       string
		wantCalls int
		wantWait  time.Duration // fake time that must pass, at least
		wantErr   error
	}{
		{
			name: "429 with Retry-After seconds",
			canned: func() []cannedResponse {
				return []cannedResponse{{status: 429, header: jsonHeader("Retry-After", "7", "X-RateLimit-Type", "QPS"), body: tooMany}}
			},
			call:      func(ctx context.Context, api *zoom.API) error { _, err := api.Me(ctx); return err },
			key:       "GET /v2/users/me",
			wantCalls: 2, wantWait: 7 * time.Second,
		},
		{
			name: "429 with Retry-After HTTP date",
			canned: func() []cannedResponse {
				return []cannedResponse{{status: 429, header: jsonHeader("Retry-After", retryDate()), body: tooMany}}
			},
			call:      func(ctx context.Context, api *zoom.API) error { _, err := api.ListRooms(ctx, 10, ""); return err },
			key:       "GET /v2/rooms",
			wantCalls: 2, wantWait: 20 * time.Second,
		},
		{
			name: "429 until midnight is not waited for",
			canned: func() []cannedResponse {
				return []cannedResponse{{status: 429, header: jsonHeader("Retry-After", time.Now().Add(5*time.Hour).UTC().Format(time.RFC3339), "X-RateLimit-Type", "Daily-limit"),
					body: `{"code":429,"message":"You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00."}`}}
			},
			call: func(ctx context.Context, api *zoom.API) error {
				return api.UpdateMeeting(ctx, firstMeetingID, zoom.MeetingRequest{Topic: "x"})
			},
			key:       "PATCH /v2/meetings/85746065123",
			wantCalls: 1, wantErr: zoom.ErrRateLimited,
		},
		{
			name:      "5xx on GET is retried",
			canned:    func() []cannedResponse { return []cannedResponse{badGate, {status: 503, body: ""}} },
			call:      func(ctx context.Context, api *zoom.API) error { _, err := api.ListUsers(ctx, 5, ""); return err },
			key:       "GET /v2/users",
			wantCalls: 3,
		},
		{
			name:   "5xx on DELETE is retried",
			canned: func() []cannedResponse { return []cannedResponse{badGate} },
			call: func(ctx context.Context, api *zoom.API) error {
				return api.DeleteMeeting(ctx, 42, zoom.DeleteOptions{})
			},
			key:       "DELETE /v2/meetings/42",
			wantCalls: 2, wantErr: zoom.ErrMeetingNotFound,
		},
		{
			name:   "5xx on POST is not retried",
			canned: func() []cannedResponse { return []cannedResponse{badGate} },
			call: func(ctx context.Context, api *zoom.API) error {
				_, err := api.CreateMeeting(ctx, "zu1", zoom.MeetingRequest{Topic: "x", StartTime: time.Now(), Duration: time.Hour})
				return err
			},
			key:       "POST /v2/users/zu1/meetings",
			wantCalls: 1, wantErr: errStatus(502),
		},
		{
			// Zoom refused it before creating anything: sending it again
			// cannot make a second meeting.
			name: "per-second 429 on POST is retried after Retry-After",
			canned: func() []cannedResponse {
				return []cannedResponse{{status: 429, header: jsonHeader("Retry-After", "1", "X-RateLimit-Type", "QPS"), body: tooMany}}
			},
			call: func(ctx context.Context, api *zoom.API) error {
				_, err := api.CreateMeeting(ctx, "zu1", zoom.MeetingRequest{Topic: "x", StartTime: time.Now(), Duration: time.Hour})
				return err
			},
			key:       "POST /v2/users/zu1/meetings",
			wantCalls: 2, wantWait: time.Second,
		},
		{
			name: "host's daily 429 on POST is not retried",
			canned: func() []cannedResponse {
				return []cannedResponse{{status: 429, header: jsonHeader("Retry-After", time.Now().Add(5*time.Hour).UTC().Format(time.RFC3339), "X-RateLimit-Type", "Daily-limit"),
					body: `{"code":429,"message":"You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00."}`}}
			},
			call: func(ctx context.Context, api *zoom.API) error {
				_, err := api.CreateMeeting(ctx, "zu1", zoom.MeetingRequest{Topic: "x", StartTime: time.Now(), Duration: time.Hour})
				return err
			},
			key:       "POST /v2/users/zu1/meetings",
			wantCalls: 1, wantErr: zoom.ErrRateLimited,
		},
		{
			name:      "persistent 5xx gives up after MaxAttempts",
			canned:    func() []cannedResponse { return []cannedResponse{badGate, badGate, badGate, badGate, badGate} },
			call:      func(ctx context.Context, api *zoom.API) error { _, err := api.Me(ctx); return err },
			key:       "GET /v2/users/me",
			wantCalls: zoom.DefaultMaxAttempts, wantErr: errStatus(502),
		},
		{
			name:      "4xx is not retried",
			canned:    func() []cannedResponse { return []cannedResponse{notFound} },
			call:      func(ctx context.Context, api *zoom.API) error { _, err := api.GetMeeting(ctx, 1); return err },
			key:       "GET /v2/meetings/1",
			wantCalls: 1, wantErr: zoom.ErrMeetingNotFound,
		},
		{
			name:      "hanging GET is cut off per attempt and retried",
			canned:    func() []cannedResponse { return []cannedResponse{{hang: true}} },
			call:      func(ctx context.Context, api *zoom.API) error { _, err := api.Me(ctx); return err },
			key:       "GET /v2/users/me",
			wantCalls: 2, wantWait: zoom.DefaultAttemptTimeout,
		},
		{
			name:   "hanging POST is cut off and not retried",
			canned: func() []cannedResponse { return []cannedResponse{{hang: true}} },
			call: func(ctx context.Context, api *zoom.API) error {
				_, err := api.CreateMeeting(ctx, "zu1", zoom.MeetingRequest{Topic: "x", StartTime: time.Now(), Duration: time.Hour})
				return err
			},
			key:       "POST /v2/users/zu1/meetings",
			wantCalls: 1, wantWait: zoom.DefaultAttemptTimeout, wantErr: errDeadline{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFakeZoom(t)
				api := mustClient(t, f, "").API(zoom.NewMemoryTokenStore(f.issueToken()))
				f.failNext(tt.key, tt.canned()...)
				start := time.Now()
				err := tt.call(t.Context(), api)
				waited := time.Since(start)
				switch want := tt.wantErr.(type) {
				case nil:
					if err != nil {
						t.Fatalf("err = %v", err)
					}
				case errStatus:
					var ae *zoom.APIError
					if !errors.As(err, &ae) || ae.Status != int(want) {
						t.Fatalf("err = %v, want HTTP %d", err, int(want))
					}
				case errDeadline:
					if !errors.Is(err, errDeadlineTarget) {
						t.Fatalf("err = %v, want deadline exceeded", err)
					}
				default:
					if !errors.Is(err, want) {
						t.Fatalf("err = %v, want %v", err, want)
					}
				}
				if got := f.calls(tt.key); got != tt.wantCalls {
					t.Fatalf("requests = %d, want %d", got, tt.wantCalls)
				}
				if waited < tt.wantWait {
					t.Fatalf("waited %v, want at least %v", waited, tt.wantWait)
				}
			})
		})
	}
}

type errStatus int

func (e errStatus) Error() string { return http.StatusText(int(e)) }

type errDeadline struct{}

var errDeadlineTarget = context.DeadlineExceeded

func (errDeadline) Error() string { return "deadline" }

func TestRetryAfterOnErrorValue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeZoom(t)
		api := mustClient(t, f, "").API(zoom.NewMemoryTokenStore(f.issueToken()))
		f.failNext("GET /v2/users/me", cannedResponse{status: 429, header: jsonHeader("Retry-After", "3600"), body: tooMany})
		_, err := api.Me(t.Context())
		var ae *zoom.APIError
		if !errors.As(err, &ae) || ae.RetryAfter != time.Hour || ae.Code != 429 {
			t.Fatalf("err = %#v, want RetryAfter 1h", err)
		}
	})
}

func TestClientRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeZoom(t)
		c := mustClient(t, f, "", func(c *zoom.Config) { c.RateLimit, c.Burst = rate.Limit(2), 1 })
		api := c.API(zoom.NewMemoryTokenStore(f.issueToken()))
		start := time.Now()
		for range 5 {
			if _, err := api.Me(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		// Burst 1 at 2/s: the 4 calls after the first wait 0.5 s each.
		if waited := time.Since(start); waited < 2*time.Second {
			t.Fatalf("5 calls took %v of (fake) time, want >= 2s", waited)
		}
	})
}

func TestCallerDeadlineStopsRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeZoom(t)
		api := mustClient(t, f, "").API(zoom.NewMemoryTokenStore(f.issueToken()))
		f.failNext("GET /v2/users/me", cannedResponse{status: 429, header: jsonHeader("Retry-After", "30"), body: tooMany})
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		if _, err := api.Me(ctx); !errors.Is(err, zoom.ErrRateLimited) {
			t.Fatalf("err = %v, want the 429", err)
		}
		if got := f.calls("GET /v2/users/me"); got != 1 {
			t.Fatalf("requests = %d, want 1", got)
		}
	})
}
