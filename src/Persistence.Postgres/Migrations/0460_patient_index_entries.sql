-- The patient index partitions (MRN registry, name index) keep one row per entry instead of one
-- grain state written whole on every change (decision 0030): a registration writes a few rows of
-- bounded size however many patients the clinic has.
--
-- No column holds PHI in the clear: partition_key is the partition's grain key (clinic id and a
-- keyed hash), entry_key a patient id or an MRN's blind index, payload the search hit encrypted
-- and bound to its patient and field. The primary key is what keeps an MRN unique per clinic and
-- blind-index generation: a claim is one INSERT ... ON CONFLICT that only the holder may update.
CREATE TABLE orleans.patient_index_entries (
    partition_key text        NOT NULL,
    entry_key     text        NOT NULL,
    owner_id      text        NOT NULL,   -- the patient the entry belongs to
    payload       text        NOT NULL,
    modified_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partition_key, entry_key)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON orleans.patient_index_entries TO clinic_app;
