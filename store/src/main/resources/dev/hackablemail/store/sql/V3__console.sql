-- The web console: one-time sign-in codes (see PostgresSignInCodes) and each guest's recent
-- mail (see PostgresMailLog).
CREATE TABLE hackable_signin (
    code_sha256 text PRIMARY KEY,
    address     text NOT NULL,
    expires     timestamptz NOT NULL
);

CREATE TABLE hackable_mail (
    id        bigserial PRIMARY KEY,
    guest_key text NOT NULL,
    at        timestamptz NOT NULL,
    sender    text NOT NULL,
    subject   text,
    plugin    text,
    code      integer,
    outcome   text NOT NULL,
    detail    text,
    micros    bigint NOT NULL
);
CREATE INDEX hackable_mail_guest ON hackable_mail (guest_key, id DESC);
