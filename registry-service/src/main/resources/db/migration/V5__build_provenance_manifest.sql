-- Issue 17 (manifest and provenance): what a build was made of, as VerificationFinished carried it
-- (source image, ansible/ revision, digests of the roles, the extra vars and the report), as JSON
-- (dev.goldsmith.events.Provenance). Null for builds verified before provenance existed.
alter table build add column provenance_json text;
