package googleconnect

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"time"

	calendar "google.golang.org/api/calendar/v3"

	"interviewplanner/domain"
	"interviewplanner/store/calendarstore"
	"interviewplanner/store/googlestore"
)

// Push channels: each interviewer's calendar (with delegation) has an
// events.watch channel, so a change reaches the busy cache within seconds
// instead of at the next poll. Channels are made on a successful sync when
// none will outlive RenewBefore — the new one first, then the old one
// stopped, so there is no gap. Polling (the calendar layer's sweep) goes
// on regardless: Google's notifications are not guaranteed.
const (
	ChannelTTL  = 7 * 24 * time.Hour
	RenewBefore = 24 * time.Hour
)

func tokenHash(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// ensureChannel renews the source's channel when it is about to lapse.
func (s *Service) ensureChannel(ctx context.Context, cal *calendar.Service, src *calendarstore.Source) {
	if s.pushURL == "" {
		return
	}
	chans, err := s.store.ListChannels(ctx, src.AccountID, src.ID)
	if err != nil {
		s.log.WarnContext(ctx, "google channels not read", "source_id", src.ID, "err", err)
		return
	}
	now := time.Now()
	for _, ch := range chans {
		if ch.ExpiresAt.After(now.Add(RenewBefore)) {
			return
		}
	}
	token, id := randomHex(24), "ip-"+randomHex(16)
	// Recorded first: Google's "sync" message may arrive before its answer.
	if err := s.store.CreateChannel(ctx, googlestore.Channel{ID: id, AccountID: src.AccountID, SourceID: src.ID, TokenHash: tokenHash(token),
		ExpiresAt: now.Add(ChannelTTL)}); err != nil {
		s.log.WarnContext(ctx, "google channel not recorded", "source_id", src.ID, "err", err)
		return
	}
	got, err := cal.Events.Watch("primary", &calendar.Channel{Id: id, Type: "web_hook", Address: s.pushURL, Token: token,
		Expiration: now.Add(ChannelTTL).UnixMilli()}).Context(ctx).Do()
	if err != nil {
		_ = s.store.DeleteChannel(context.WithoutCancel(ctx), src.AccountID, id)
		s.log.WarnContext(ctx, "google push channel refused; polling only", "source_id", src.ID, "err", err)
		return
	}
	if err := s.store.UpdateChannel(ctx, src.AccountID, id, got.ResourceId, time.UnixMilli(got.Expiration)); err != nil {
		s.log.WarnContext(ctx, "google channel not updated", "source_id", src.ID, "err", err)
	}
	for _, old := range chans {
		s.stopChannel(ctx, cal, old)
	}
}

func (s *Service) stopChannel(ctx context.Context, cal *calendar.Service, ch googlestore.Channel) {
	if cal != nil && ch.ResourceID != "" {
		if err := cal.Channels.Stop(&calendar.Channel{Id: ch.ID, ResourceId: ch.ResourceID}).Context(ctx).Do(); err != nil && !isCode(err, http.StatusNotFound) {
			s.log.WarnContext(ctx, "google channel not stopped", "channel_id", ch.ID, "err", err)
		}
	}
	_ = s.store.DeleteChannel(context.WithoutCancel(ctx), ch.AccountID, ch.ID)
}

// stopChannels stops every channel of the account (on disconnect).
func (s *Service) stopChannels(ctx context.Context, c *googlestore.Connection) {
	chans, err := s.store.ListChannels(ctx, c.AccountID, 0)
	if err != nil || len(chans) == 0 {
		return
	}
	cal, err := s.calendarAs(ctx, c, "")
	if err != nil {
		cal = nil
	}
	for _, ch := range chans {
		s.stopChannel(ctx, cal, ch)
	}
}

// HandlePush takes one notification. It answers ENOTFOUND for an unknown
// or expired channel and EFORBIDDEN for a token or resource that does not
// match (forged): nothing happens then. A "sync" message only confirms
// the channel; anything else queues a sync of the calendar.
func (s *Service) HandlePush(ctx context.Context, h http.Header) error {
	id := h.Get("X-Goog-Channel-ID")
	if id == "" {
		return domain.Errorf(domain.EINVALID, "Not a Google push notification.")
	}
	ch, err := s.store.GetChannel(ctx, id)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(tokenHash(h.Get("X-Goog-Channel-Token"))), []byte(ch.TokenHash)) != 1 ||
		(ch.ResourceID != "" && h.Get("X-Goog-Resource-ID") != ch.ResourceID) {
		s.log.WarnContext(ctx, "google push with a wrong token or resource refused", "channel_id", id)
		return domain.Errorf(domain.EFORBIDDEN, "The notification does not match its channel.")
	}
	if time.Now().After(ch.ExpiresAt) {
		return domain.Errorf(domain.ENOTFOUND, "The channel expired.")
	}
	// Nothing is written for the message itself: a write here waited on
	// the channel's row while the sync that made it still held it, and the
	// time of the last message was read by nothing.
	if h.Get("X-Goog-Resource-State") == "sync" {
		return nil
	}
	return s.cals.SyncNow(ctx, ch.AccountID, ch.SourceID)
}
