-- Files an author pushed with a version (their own simulations, a mock host, mail cases):
-- kept, and pruned, with the version.
CREATE TABLE hackable_attachments (
    guest_key   text NOT NULL,
    version     integer NOT NULL,
    name        text NOT NULL,
    kind        text NOT NULL,
    content     bytea NOT NULL,
    PRIMARY KEY (guest_key, version, name),
    FOREIGN KEY (guest_key, version) REFERENCES hackable_versions ON DELETE CASCADE
);
