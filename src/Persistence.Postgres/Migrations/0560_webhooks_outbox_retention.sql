-- Retention of delivered outbox rows (issue 24, decision 0053). Each dispatcher deletes its
-- subscription's delivered rows finished before now - Webhooks:DeliveredRetention, a bounded batch
-- per statement, oldest first: this partial index answers that without reading pending or dead
-- rows, and stays as small as the retention window.
CREATE INDEX outbox_delivered_by_finish ON webhooks.outbox (clinic_id, subscription_id, finished_at)
    WHERE state = 'delivered';
