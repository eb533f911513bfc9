package app

import (
	"context"

	"interviewplanner/mail"
	"interviewplanner/store/outboxstore"
	weboutbox "interviewplanner/web/outbox"
)

// openOutbox keeps emails in the database when no SMTP server is
// configured, says so at start, and adds the admins' Outbox page.
func (m *Main) openOutbox() {
	box, ok := m.Mail.(*mail.Outbox)
	if !ok {
		return
	}
	st := outboxstore.New(m.DB)
	box.Keep = func(ctx context.Context, msg mail.Message) error {
		e := outboxstore.Email{To: msg.To, Subject: msg.Subject, Text: msg.Text}
		for _, a := range msg.Attachments {
			e.Attachments = append(e.Attachments, outboxstore.Attachment{Name: a.Name, ContentType: a.ContentType, Data: a.Data})
		}
		_, err := st.CreateEmail(ctx, msg.AccountID, e)
		return err
	}
	m.Log.Warn("email is not being delivered: no SMTP server is configured (IP_SMTP_URL); emails are kept in the Outbox (admins: /outbox)")
	m.features.Outbox = &weboutbox.Feature{Store: st}
}
