-- Issue 15: stage deadlines (the watchdog) and dead-letter replays.

-- One row per build still being watched: the stage (build status) it entered, when, its deadline, how often the
-- watchdog re-drove it, and when it gave up on it (expired_at; the build ended FAILED with reason deadline).
create table stage_deadline (
    build_id         uuid         primary key references build (build_id),
    status           varchar(20)  not null,
    entered_at       timestamptz  not null,
    deadline_at      timestamptz  not null,
    redrives         int          not null default 0,
    last_redrive_at  timestamptz,
    expired_at       timestamptz
);
create index stage_deadline_due on stage_deadline (deadline_at) where expired_at is null;

-- Each dead-letter record an operator replayed, by its place on the dead-letter topic: a second replay of the
-- same record is a no-op.
create table dead_letter_replay (
    dl_partition     int          not null,
    dl_offset        bigint       not null,
    original_topic   varchar(249) not null,
    ce_id            varchar(200),
    replayed_by      varchar(200) not null,
    replayed_at      timestamptz  not null,
    primary key (dl_partition, dl_offset)
);
