-- +goose Up
-- Webhooks processed within their signature's validity window, by a hash of
-- the raw body: a correctly signed request delivered again is ignored.
CREATE TABLE zoom_webhook_deliveries (
    body_hash TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
CREATE INDEX zoom_webhook_deliveries_received ON zoom_webhook_deliveries(received_at);

-- +goose Down
DROP TABLE zoom_webhook_deliveries;
