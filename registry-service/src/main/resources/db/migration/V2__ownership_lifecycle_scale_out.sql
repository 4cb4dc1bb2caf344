-- Issue 14: the installation id, truthful version lifecycle, stable event ids, and claiming rows safely when
-- several registry instances run against one database.

-- The installation this database belongs to: generated once by the first registry that starts (or taken from
-- goldsmith.installation-id). Every cloud resource Goldsmith creates carries it as goldsmith.dev/installation.
create table installation (
    singleton   boolean      primary key default true check (singleton),
    id          varchar(63)  not null,
    created_at  timestamptz  not null
);

-- Version lifecycle: SUPERSEDED (was promoted, another version replaced it; snapshot kept for rollback) and
-- DELETED (retention deleted the snapshot; image_deleted_at says when, status_reason why).
alter table image_version drop constraint image_version_status;
alter table image_version add constraint image_version_status check (status in
    ('BUILDING', 'CANDIDATE', 'VERIFIED', 'PROMOTED', 'SUPERSEDED', 'DELETED', 'UNVERIFIED', 'REJECTED', 'REVOKED',
     'FAILED'));
alter table image_version add column status_reason text;
alter table image_version add column revoke_reason text;
alter table image_version add column revoked_by varchar(200);
-- Set when Goldsmith itself enabled the snapshot's delete protection: only such a protection is ever lifted.
alter table image_version add column protection_set_at timestamptz;
-- Old rows: a previously promoted version that is no longer promoted was superseded.
update image_version set status = 'SUPERSEDED' where status = 'VERIFIED' and promoted_at is not null;
update image_version set status = 'DELETED', status_reason = 'snapshot deleted'
    where status in ('VERIFIED', 'SUPERSEDED', 'UNVERIFIED') and image_deleted_at is not null;

alter table build add column status_reason text;

-- Stable CloudEvents ids: stored when the row is written, so a resend carries the same id.
alter table outbox_event add column ce_id varchar(200);
update outbox_event set ce_id = gen_random_uuid()::text where ce_id is null;
alter table outbox_event alter column ce_id set not null;
create unique index outbox_event_ce_id on outbox_event (ce_id);
alter table outbox_event add column traceparent varchar(55);
-- Backoff and parking: a row that keeps failing waits, then is parked with a reason, and never blocks the rows
-- behind it.
alter table outbox_event add column next_attempt_at timestamptz not null default now();
alter table outbox_event add column parked_at timestamptz;
alter table outbox_event add column park_reason text;
drop index outbox_event_pending;
create index outbox_event_pending on outbox_event (next_attempt_at, id) where published_at is null and parked_at is null;

-- Cloud tasks: a lease per claim (SELECT … FOR UPDATE SKIP LOCKED, then lease_until), so two instances never
-- run one task at once and a dead instance's task is taken over when its lease expires. Who and why travel with
-- a PROMOTE task into ImagePromoted; a DELETE_IMAGE task says why the snapshot goes.
alter table cloud_task add column lease_owner varchar(100);
alter table cloud_task add column lease_until timestamptz;
alter table cloud_task add column actor varchar(200);
alter table cloud_task add column reason text;
alter table cloud_task add column parked_at timestamptz;
