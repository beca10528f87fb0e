-- The waitlist's offers as webhook events (decision 0052). The waitlist grain hands an offer to
-- the outbox after its own state is written and again after a silo's death when it cannot tell
-- whether it did; the enqueue skips an offer already in the outbox, found through this index.
CREATE INDEX outbox_waitlist_offered ON webhooks.outbox (clinic_id, subject_id)
    WHERE event_type = 'waitlist.offered';
