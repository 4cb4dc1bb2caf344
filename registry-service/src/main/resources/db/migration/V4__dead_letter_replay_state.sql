-- Issue 15: a dead-letter replay is recorded before it is published (state PENDING) and marked DONE
-- once the broker acknowledged it; a PENDING row (a crash or a broker outage in between) is published
-- by the next replay of the record. replayed_at is when it was asked for, published_at when it went out.
alter table dead_letter_replay add column state varchar(10) not null default 'PENDING'
    check (state in ('PENDING', 'DONE'));
alter table dead_letter_replay add column published_at timestamptz;
alter table dead_letter_replay add column build_id uuid;
