-- +goose Up
-- Candidate search finds any part of a name, email or phone through a
-- trigram index (LIKE '%q%' uses it for three characters or more). pg_trgm
-- goes into public so every schema sees it; where the server lacks it or
-- the role may not create it, search keeps working without the index.
-- +goose StatementBegin
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%); candidate search reads without an index', SQLERRM;
    END;
    IF EXISTS (SELECT 1 FROM pg_opclass WHERE opcname = 'gin_trgm_ops') THEN
        EXECUTE 'CREATE INDEX candidates_search_trgm ON candidates USING gin (search_text ' ||
            (SELECT quote_ident(n.nspname) FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace WHERE c.opcname = 'gin_trgm_ops' LIMIT 1) ||
            '.gin_trgm_ops)';
    END IF;
END
$$;
-- +goose StatementEnd

-- The "waiting for Zoom" banner on every page counts one state of one
-- account: an index range, not the account's whole meeting history.
CREATE INDEX meetings_account_state ON meetings(account_id, state);

-- +goose Down
DROP INDEX meetings_account_state;
DROP INDEX IF EXISTS candidates_search_trgm;
