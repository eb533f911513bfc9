-- +goose Up
-- One Zoom account, one company. Earlier a second company's connect took the
-- Zoom account over (Zoom revokes the older tokens); all but the newest live
-- row are ended (their tokens are dead) before the rule is enforced.
UPDATE zoom_connections SET state = 'disconnected', key_id = '', access_token = NULL, refresh_token = NULL,
    token_expires_at = NULL, disconnect_reason = 'token_dead', disconnected_at = updated_at
WHERE state IN ('connected', 'needs_reconnecting') AND zoom_account_id <> '' AND EXISTS (
    SELECT 1 FROM zoom_connections newer
    WHERE newer.zoom_account_id = zoom_connections.zoom_account_id
      AND newer.state IN ('connected', 'needs_reconnecting')
      AND (newer.connected_at > zoom_connections.connected_at
           OR (newer.connected_at = zoom_connections.connected_at AND newer.account_id > zoom_connections.account_id)));
CREATE UNIQUE INDEX zoom_connections_one_company ON zoom_connections(zoom_account_id)
    WHERE state IN ('connected', 'needs_reconnecting') AND zoom_account_id <> '';

-- +goose Down
DROP INDEX zoom_connections_one_company;
