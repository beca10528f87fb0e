-- The durable queue behind the audit stream (Orleans' ADO.NET streaming provider, package
-- Microsoft.Orleans.Streaming.AdoNet, which ships no PostgreSQL script; this is ours).
--
-- The API inserts one row per published batch and answers only after the insert. A silo's pulling
-- agent leases visible rows (dequeued + 1, invisible until the lease ends), hands them to
-- AuditLogGrain, and deletes them once delivered. A lease that ends unconfirmed (the silo died)
-- makes the row deliverable again, so delivery is at least once; AuditLogGrain makes it exactly
-- once by the event id. "dequeued" doubles as the lease receipt: a confirmation or release only
-- counts if it names the current lease, so a stale silo cannot delete or free a row that another
-- silo holds.
--
-- Rows that run out of attempts or expire are moved to the dead-letter table, which is kept:
-- nothing here deletes it (see EvictStreamDeadLettersKey), and the application role cannot.
-- Timestamps are timestamptz so the session time zone never matters; the provider reads them as UTC.

CREATE TABLE orleans.stream_messages (
    service_id  text        NOT NULL,
    provider_id text        NOT NULL,   -- the stream provider name, e.g. "audit"
    queue_id    text        NOT NULL,   -- the Orleans queue, e.g. "audit-0"
    message_id  bigint      GENERATED ALWAYS AS IDENTITY,
    dequeued    integer     NOT NULL DEFAULT 0,
    visible_on  timestamptz NOT NULL,   -- leased until then, deliverable from then on
    expires_on  timestamptz NOT NULL,
    created_on  timestamptz NOT NULL,
    modified_on timestamptz NOT NULL,
    payload     bytea       NOT NULL,   -- the batch as Orleans serialised it
    PRIMARY KEY (service_id, provider_id, queue_id, message_id)
);

CREATE TABLE orleans.stream_dead_letters (
    service_id  text        NOT NULL,
    provider_id text        NOT NULL,
    queue_id    text        NOT NULL,
    message_id  bigint      NOT NULL,
    dequeued    integer     NOT NULL,
    visible_on  timestamptz NOT NULL,
    expires_on  timestamptz NOT NULL,
    created_on  timestamptz NOT NULL,
    modified_on timestamptz NOT NULL,
    dead_on     timestamptz NOT NULL,
    reason      text        NOT NULL CHECK (reason IN ('attempts', 'expired')),
    payload     bytea       NOT NULL,
    PRIMARY KEY (service_id, provider_id, queue_id, message_id)
);

-- When each queue is next due for housekeeping (moving spent rows to the dead letters). Whoever
-- reads the queue after that moment advances it and does the work, so it runs once per interval
-- however many silos there are.
CREATE TABLE orleans.stream_housekeeping (
    service_id  text        NOT NULL,
    provider_id text        NOT NULL,
    queue_id    text        NOT NULL,
    next_run_on timestamptz NOT NULL,
    PRIMARY KEY (service_id, provider_id, queue_id)
);

INSERT INTO orleans.orleansquery (querykey, querytext) VALUES

-- Appends one batch, deliverable at once, and answers its id.
('QueueStreamMessageKey', $sql$
INSERT INTO orleans.stream_messages (service_id, provider_id, queue_id, visible_on, expires_on,
                                     created_on, modified_on, payload)
VALUES (@ServiceId, @ProviderId, @QueueId, now(), now() + @ExpiryTimeout * interval '1 second',
        now(), now(), @Payload)
RETURNING service_id AS "ServiceId",
          provider_id AS "ProviderId",
          queue_id AS "QueueId",
          message_id AS "MessageId";
$sql$),

-- Leases up to @MaxCount deliverable rows, oldest first, for @VisibilityTimeout seconds. Rows
-- another reader has locked are skipped, not waited for. When the queue's housekeeping is due, the
-- same statement first moves up to @EvictionBatchSize spent rows (out of attempts with their last
-- lease over, or expired) to the dead letters. The two sets of rows cannot overlap.
('GetStreamMessagesKey', $sql$
WITH due AS (
    INSERT INTO orleans.stream_housekeeping AS h (service_id, provider_id, queue_id, next_run_on)
    SELECT @ServiceId, @ProviderId, @QueueId, now() + @EvictionInterval * interval '1 second'
     WHERE NOT EXISTS (SELECT 1 FROM orleans.stream_housekeeping
                        WHERE service_id = @ServiceId AND provider_id = @ProviderId
                          AND queue_id = @QueueId AND next_run_on > now())
    ON CONFLICT (service_id, provider_id, queue_id) DO UPDATE
       SET next_run_on = excluded.next_run_on
     WHERE h.next_run_on <= now()
    RETURNING 1
), spent AS (
    SELECT message_id
      FROM orleans.stream_messages
     WHERE service_id = @ServiceId AND provider_id = @ProviderId AND queue_id = @QueueId
       AND ((dequeued >= @MaxAttempts AND visible_on <= now()) OR expires_on <= now())
       AND EXISTS (SELECT 1 FROM due)
     ORDER BY message_id
     LIMIT @EvictionBatchSize
       FOR UPDATE SKIP LOCKED
), removed AS (
    DELETE FROM orleans.stream_messages AS m
     USING spent AS s
     WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId
       AND m.queue_id = @QueueId AND m.message_id = s.message_id
    RETURNING m.*
), buried AS (
    INSERT INTO orleans.stream_dead_letters (service_id, provider_id, queue_id, message_id, dequeued,
                                             visible_on, expires_on, created_on, modified_on,
                                             dead_on, reason, payload)
    SELECT service_id, provider_id, queue_id, message_id, dequeued,
           visible_on, expires_on, created_on, modified_on,
           now(), CASE WHEN expires_on <= now() THEN 'expired' ELSE 'attempts' END, payload
      FROM removed
), leased AS (
    SELECT message_id
      FROM orleans.stream_messages
     WHERE service_id = @ServiceId AND provider_id = @ProviderId AND queue_id = @QueueId
       AND dequeued < @MaxAttempts AND visible_on <= now() AND expires_on > now()
     ORDER BY message_id
     LIMIT @MaxCount
       FOR UPDATE SKIP LOCKED
)
UPDATE orleans.stream_messages AS m
   SET dequeued = m.dequeued + 1,
       visible_on = now() + @VisibilityTimeout * interval '1 second',
       modified_on = now()
  FROM leased AS l
 WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId
   AND m.queue_id = @QueueId AND m.message_id = l.message_id
RETURNING m.service_id AS "ServiceId",
          m.provider_id AS "ProviderId",
          m.queue_id AS "QueueId",
          m.message_id AS "MessageId",
          m.dequeued AS "Dequeued",
          m.visible_on AS "VisibleOn",
          m.expires_on AS "ExpiresOn",
          m.created_on AS "CreatedOn",
          m.modified_on AS "ModifiedOn",
          m.payload AS "Payload";
$sql$),

-- @Items is "id:receipt|id:receipt|...". A positive receipt confirms delivery: the row is deleted.
-- A negative one releases the lease of a silo that is shutting down: the row is deliverable again
-- at once (its attempt stays counted, so receipts never repeat). Either only when the receipt is
-- the row's current lease; answers the rows it touched.
('ConfirmStreamMessagesKey', $sql$
WITH items AS (
    SELECT split_part(item, ':', 1)::bigint AS message_id,
           split_part(item, ':', 2)::integer AS receipt
      FROM unnest(string_to_array(@Items, '|')) AS item
), confirmed AS (
    DELETE FROM orleans.stream_messages AS m
     USING items AS i
     WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId AND m.queue_id = @QueueId
       AND m.message_id = i.message_id AND i.receipt > 0 AND m.dequeued = i.receipt
    RETURNING m.service_id, m.provider_id, m.queue_id, m.message_id
), released AS (
    UPDATE orleans.stream_messages AS m
       SET visible_on = now(), modified_on = now()
      FROM items AS i
     WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId AND m.queue_id = @QueueId
       AND m.message_id = i.message_id AND i.receipt < 0 AND m.dequeued = -i.receipt
    RETURNING m.service_id, m.provider_id, m.queue_id, m.message_id
)
SELECT service_id AS "ServiceId", provider_id AS "ProviderId", queue_id AS "QueueId", message_id AS "MessageId"
  FROM confirmed
UNION ALL
SELECT service_id, provider_id, queue_id, message_id
  FROM released;
$sql$),

-- A delivery failed after the pulling agent's own retries. With attempts left the row is left
-- alone: it is redelivered when its lease ends, which paces retries against a failing consumer.
-- With none left it moves to the dead letters now.
('FailStreamMessageKey', $sql$
WITH removed AS (
    DELETE FROM orleans.stream_messages
     WHERE service_id = @ServiceId AND provider_id = @ProviderId AND queue_id = @QueueId
       AND message_id = @MessageId AND dequeued >= @MaxAttempts
    RETURNING *
)
INSERT INTO orleans.stream_dead_letters (service_id, provider_id, queue_id, message_id, dequeued,
                                         visible_on, expires_on, created_on, modified_on,
                                         dead_on, reason, payload)
SELECT service_id, provider_id, queue_id, message_id, dequeued,
       visible_on, expires_on, created_on, modified_on,
       now(), 'attempts', payload
  FROM removed;
$sql$),

-- The housekeeping of GetStreamMessagesKey on its own: moves up to @MaxCount spent rows to the
-- dead letters.
('EvictStreamMessagesKey', $sql$
WITH spent AS (
    SELECT message_id
      FROM orleans.stream_messages
     WHERE service_id = @ServiceId AND provider_id = @ProviderId AND queue_id = @QueueId
       AND ((dequeued >= @MaxAttempts AND visible_on <= now()) OR expires_on <= now())
     ORDER BY message_id
     LIMIT @MaxCount
       FOR UPDATE SKIP LOCKED
), removed AS (
    DELETE FROM orleans.stream_messages AS m
     USING spent AS s
     WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId
       AND m.queue_id = @QueueId AND m.message_id = s.message_id
    RETURNING m.*
)
INSERT INTO orleans.stream_dead_letters (service_id, provider_id, queue_id, message_id, dequeued,
                                         visible_on, expires_on, created_on, modified_on,
                                         dead_on, reason, payload)
SELECT service_id, provider_id, queue_id, message_id, dequeued,
       visible_on, expires_on, created_on, modified_on,
       now(), CASE WHEN expires_on <= now() THEN 'expired' ELSE 'attempts' END, payload
  FROM removed;
$sql$),

-- Deliberately removes nothing: an undelivered audit event is evidence, so dead letters stay until
-- an operator has replayed or archived them (as the owner role). The provider's removal timeout is
-- therefore ignored. The query only counts what it could have removed.
('EvictStreamDeadLettersKey', $sql$
SELECT count(*) AS "Kept"
  FROM orleans.stream_dead_letters
 WHERE service_id = @ServiceId AND provider_id = @ProviderId AND queue_id = @QueueId
   AND @MaxCount > 0;
$sql$);

-- The runtime role (silos publish and consume, the API publishes) gets row access only, and no
-- DELETE on the dead letters.
GRANT SELECT, INSERT, UPDATE, DELETE ON orleans.stream_messages TO clinic_app;
GRANT SELECT, INSERT ON orleans.stream_dead_letters TO clinic_app;
GRANT SELECT, INSERT, UPDATE ON orleans.stream_housekeeping TO clinic_app;
