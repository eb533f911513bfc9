package zoomconnect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"interviewplanner/store/zoomstore"
	"interviewplanner/zoom/webhook"
)

// DeauthorizePath is where Zoom must send app_deauthorized: enter
// BASE_URL + DeauthorizePath as the app's "Deauthorization Notification
// Endpoint URL" in the Zoom app settings.
const DeauthorizePath = "/integrations/zoom/deauthorize"

// CallbackPath is the OAuth redirect path: register BASE_URL + CallbackPath
// as the app's Redirect URL (and in its allow list).
const CallbackPath = "/integrations/zoom/callback"

// WebhookResult is the answer to a webhook request.
type WebhookResult struct {
	Status int
	Body   []byte // JSON, or nil
}

// HandleDeauthorization verifies and applies a webhook from Zoom. rawBody
// must be the exact bytes received: the signature covers them. An invalid
// request changes nothing and gets 401 (signature, timestamp) or 400
// (malformed). A deauthorization is applied once per body, and never to a
// connection made after it, so a replayed request cannot end a newer one.
func (s *Service) HandleDeauthorization(ctx context.Context, header http.Header, rawBody []byte) WebhookResult {
	now := s.db.Now()
	if err := webhook.Verify(s.webhookSecret, header, rawBody, now); err != nil {
		s.log.WarnContext(ctx, "zoom webhook refused", "err", err)
		return WebhookResult{Status: http.StatusUnauthorized}
	}
	ev, err := webhook.ParseEvent(rawBody)
	if err != nil {
		s.log.WarnContext(ctx, "zoom webhook malformed", "err", err)
		return WebhookResult{Status: http.StatusBadRequest}
	}
	switch ev.Name {
	case webhook.EventURLValidation:
		return WebhookResult{Status: http.StatusOK, Body: webhook.URLValidationResponse(s.webhookSecret, ev.PlainToken)}
	case webhook.EventAppDeauthorized:
		// A signed request can be replayed while its signature is valid:
		// each body is applied once.
		sum := sha256.Sum256(rawBody)
		bodyHash := hex.EncodeToString(sum[:])
		first, err := s.store.CreateWebhookDelivery(ctx, bodyHash, 2*webhook.MaxSkew)
		if err != nil {
			s.log.ErrorContext(ctx, "zoom deauthorization not recorded", "err", err)
			return WebhookResult{Status: http.StatusInternalServerError}
		}
		if !first {
			s.log.WarnContext(ctx, "zoom deauthorization delivered again; ignored")
			return WebhookResult{Status: http.StatusOK}
		}
		if err := s.uninstalled(ctx, ev.Deauthorization, now); err != nil {
			// 5xx makes Zoom retry later; the retry must not count as a replay.
			_ = s.store.DeleteWebhookDelivery(context.WithoutCancel(ctx), bodyHash)
			s.log.ErrorContext(ctx, "zoom deauthorization not applied", "err", err)
			return WebhookResult{Status: http.StatusInternalServerError}
		}
		return WebhookResult{Status: http.StatusOK}
	}
	s.log.InfoContext(ctx, "zoom webhook ignored", "event", ev.Name)
	return WebhookResult{Status: http.StatusOK}
}

func (s *Service) uninstalled(ctx context.Context, d *webhook.Deauthorization, now time.Time) error {
	if s.clientID != "" && d.ClientID != "" && d.ClientID != s.clientID {
		s.log.WarnContext(ctx, "zoom deauthorization for another app ignored", "client_id", d.ClientID)
		return nil
	}
	at := d.DeauthorizedAt
	if at.IsZero() || at.After(now) {
		at = now
	}
	conns, err := s.store.ListConnectionsByZoomAccount(ctx, d.AccountID)
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range conns {
		var changed bool
		err := s.store.WriteTx(ctx, func(tx *zoomstore.Tx) error {
			var err error
			if changed, err = tx.End(ctx, c.AccountID, zoomstore.ReasonUninstalled, at); err != nil || !changed {
				return err
			}
			return tx.CreateAuditEvent(ctx, c.AccountID, nil, AuditUninstalled,
				fmt.Sprintf("the app was uninstalled in Zoom (Zoom account %s, by Zoom user %s)", d.AccountID, d.UserID))
		})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.forget(c.AccountID)
		if changed {
			s.log.InfoContext(ctx, "zoom uninstalled; connection ended", "account_id", c.AccountID)
		}
	}
	return errors.Join(errs...)
}
