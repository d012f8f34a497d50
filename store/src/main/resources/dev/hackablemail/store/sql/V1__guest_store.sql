-- The guest store (see dev.hackablemail.store.PostgresStore). Guest keys are GuestKeys.of(address).
CREATE TABLE hackable_guests (
    guest_key      text PRIMARY KEY,
    address        text NOT NULL,
    registered     timestamptz,
    invited        timestamptz,
    token_sha256   text UNIQUE,
    aliases        text[] NOT NULL DEFAULT '{}',
    next_version   integer NOT NULL DEFAULT 1,
    active_version integer,
    active_sha256  text
);

CREATE TABLE hackable_versions (
    guest_key   text NOT NULL REFERENCES hackable_guests ON DELETE CASCADE,
    version     integer NOT NULL,
    sha256      text NOT NULL,
    size        bigint NOT NULL,
    pushed      text NOT NULL,
    pushed_by   text NOT NULL,
    simulations jsonb NOT NULL,
    wasm        bytea NOT NULL,
    PRIMARY KEY (guest_key, version)
);

CREATE TABLE hackable_audit (
    id        bigserial PRIMARY KEY,
    guest_key text NOT NULL,
    event     jsonb NOT NULL
);
CREATE INDEX hackable_audit_guest ON hackable_audit (guest_key, id);

-- "At most one answer per other address per period": one row per (guest, ledger, other),
-- claimed by INSERT ... ON CONFLICT DO UPDATE ... WHERE the period has passed.
CREATE TABLE hackable_ledger (
    guest_key text NOT NULL,
    ledger    text NOT NULL,
    other_key text NOT NULL,
    sent_at   bigint NOT NULL,
    previous  bigint,
    PRIMARY KEY (guest_key, ledger, other_key)
);
