-- Goldsmith registry schema: builds and their answers, image versions, the timeline, the outbox of events to
-- publish, and cloud tasks (promotion and deletion steps that must survive a crash).

-- One row per build id ever answered: the idempotency record of intake.
create table build (
    build_id        uuid primary key,
    family          varchar(40),
    version         varchar(63),
    status          varchar(20)  not null,
    requested_by    varchar(200),
    -- The answer sent for this build id (BuildAccepted or BuildRejected JSON), republished on a repeated request.
    answer_type     varchar(40)  not null,
    answer_json     text         not null,
    spec_json       text,
    image_id        bigint,
    verdict         varchar(20),
    report_json     text,
    failure_stage   varchar(20),
    failure_reason  text,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null
);
create index build_family_created on build (family, created_at desc);
create index build_status_created on build (status, created_at desc);
create index build_created on build (created_at desc);

-- Per family and UTC day, the last allocated version number. Allocation is one atomic upsert (row lock).
create table version_counter (
    family   varchar(40) not null,
    day      char(8)     not null,
    last_n   integer     not null,
    primary key (family, day)
);

-- One row per version of a family: its build, its snapshot and where it stands.
create table image_version (
    id                bigserial primary key,
    family            varchar(40)  not null,
    version           varchar(63)  not null,
    build_id          uuid         not null references build (build_id),
    status            varchar(20)  not null,
    image_id          bigint,
    image_deleted_at  timestamptz,
    verified_at       timestamptz,
    promoted_at       timestamptz,
    -- When this version last stopped being the promoted one (superseded or rolled back from).
    superseded_at     timestamptz,
    revoked_at        timestamptz,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    constraint image_version_family_version unique (family, version),
    constraint image_version_build unique (build_id),
    constraint image_version_status check (status in
        ('BUILDING', 'CANDIDATE', 'VERIFIED', 'PROMOTED', 'UNVERIFIED', 'REJECTED', 'REVOKED', 'FAILED'))
);
-- At most one promoted version per family, whatever the application does.
create unique index image_version_one_promoted on image_version (family) where status = 'PROMOTED';
create index image_version_image on image_version (image_id);

-- Every pipeline event seen, per build. ce_id makes redelivered records idempotent.
create table timeline_event (
    id           bigserial primary key,
    build_id     uuid,
    ce_id        varchar(200),
    event_type   varchar(40)  not null,
    stage        varchar(20)  not null,
    outcome      varchar(100) not null,
    occurred_at  timestamptz  not null,
    recorded_at  timestamptz  not null,
    payload      text         not null
);
create unique index timeline_event_ce_id on timeline_event (ce_id) where ce_id is not null;
create index timeline_event_build on timeline_event (build_id, occurred_at);

-- Events to publish, written in the transaction that commits the state they report.
create table outbox_event (
    id            bigserial primary key,
    build_id      uuid,
    event_type    varchar(40)  not null,
    payload       text         not null,
    created_at    timestamptz  not null,
    published_at  timestamptz,
    attempts      integer      not null default 0,
    last_error    text
);
create index outbox_event_pending on outbox_event (id) where published_at is null;

-- Cloud work that follows a committed decision: a state machine per task, resumed after a crash.
create table cloud_task (
    id                 bigserial primary key,
    kind               varchar(20)  not null,
    family             varchar(40)  not null,
    version            varchar(63),
    build_id           uuid,
    image_id           bigint       not null,
    previous_image_id  bigint,
    step               varchar(20)  not null,
    attempts           integer      not null default 0,
    last_error         text,
    next_attempt_at    timestamptz  not null,
    created_at         timestamptz  not null,
    updated_at         timestamptz  not null,
    constraint cloud_task_kind check (kind in ('PROMOTE', 'DELETE_IMAGE')),
    constraint cloud_task_step check (step in ('PROTECT', 'CLEANUP', 'DELETE', 'DONE', 'FAILED'))
);
create index cloud_task_pending on cloud_task (next_attempt_at) where step not in ('DONE', 'FAILED');
