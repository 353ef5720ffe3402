// Package sim is matui's embedded ModelArts simulator: an http.Handler that
// serves the DevEnviron API of both generations with the real service's
// validation, error codes, state machine and lease expiry, as documented in
// shared/api/modelarts-devenviron.md and the seed pages.
//
// # Time
//
// There are no background goroutines. Every request reads the Clock (a
// fake in tests, the wall clock scaled by Options.Speed otherwise) and
// applies, under one mutex, every transition that has come due since the
// last request — each at its own timestamp, from a heap of per-instance
// deadlines — so a clock that jumps hours ahead yields exactly the
// timestamps a real service would have produced. Durations of transient
// states (sim time): Gen 2 create 15 s (3 s WAITING, then four 3 s
// action_progress steps), start 5 s, stop 4 s, delete 3 s, EVS resize
// 10 s, save as image (SNAPSHOTTING) 20 s; dynamic storage mount 5 s,
// unmount 3 s; Gen 1 create 10 s; free-tier queue slot 2 min per instance
// ahead.
//
// The clock the gateway checks signature dates against is the sim clock,
// and also the wall clock when the sim clock is the built-in, sped-up one:
// matui's client signs with the server time it reads from Date, other
// clients with their own (see New).
//
// # The rest of the notebook API
//
// Dynamic storage (storage.go), tags and the lists' tags filter (tags.go),
// save as image (images.go) and resource pools (pools.go) each document
// their rules and the choices made where the sources are silent; what
// counts as a change in an update is in update_change.go.
//
// # Leases and auto-stop
//
// Gen 2: expiry = lease.create_at + lease.duration; duration is re-based
// at each start, run, renew and stop to (event time + requested duration)
// — reference §5. A RUNNING instance with an enabled TIMING lease goes
// STOPPING at its expiry and STOPPED 4 s later. IDLE leases never expire
// (the simulator has no notion of activity). duration=-1 disables
// auto-stop. Gen 1: stop_timestamp = running time + duration; remain_time
// is computed per response; a duration edit on a RUNNING instance applies
// from the next start, disabling auto-stop cancels the pending stop.
//
// # Failures on demand
//
// (*Server).FailNext(id, op) makes the next "create" or "start" (of one
// instance, or of any with id "") end in CREATE_FAILED / START_FAILED with a
// fail_reason. Instance names containing "fail-create" or "fail-start"
// always fail that operation, so demos can trigger failures from the UI.
// The fault rule key fail=p (package fault) does the same at random for
// creates and starts, and makes mounts end MOUNT_FAILED, unmounts
// UNMOUNT_FAILED and saved images CREATE_FAILED.
//
// # Choices where the reference is silent
//
//   - Gen 2 list limit: 1–100 accepted (SDK documents 10/20/50), default
//     10; current = offset/limit (0-based); size = limit.
//   - Query-parameter errors: ModelArts.0107; body type errors 6332,
//     malformed JSON 6400; unknown API 404 APIG.0101; wrong project 0210.
//   - Sold-out flavors: Gen 2 rejects with 6716 (no queue status exists);
//     Gen 1 queues free flavors (CREATE_QUEUING/START_QUEUING) and rejects
//     paid ones with 6329. Starting an instance whose flavor sold out: 6360.
//   - Affinity needs a dedicated pool: create → 6335 ('pool_id' required,
//     from model's validators), update of an instance without pool → 6336.
//   - CodeLab (POST /notebooks/open): one per user; opening again returns
//     the existing instance. Creating a second DEFAULT instance via POST
//     /notebooks → 6302. The CodeLab lease has no "type" (seed 003).
//   - GET /images defaults to type=BUILD_IN, as the SDK documents.
//   - /notebooks lists the caller's instances, /notebooks/all (SDK
//     ListAllNotebooks) everyone's, for the account's administrator: the
//     simulator's user is one unless Options.NotAdmin (`matui sim
//     --admin=false`), and others are refused with HTTP 403
//     ModelArts.0108 (§6.2 "not authorized for operation"; the reference
//     documents no answer of its own). An administrator's owner=USER_ID
//     filters either list by owner; others' is ignored, and so is their
//     Gen 1 show_self=false. The demo includes four colleagues' instances
//     (li.wei, maria.schmidt) that only these scopes show.
//   - Every change to a notebook sets its update_at to the time it
//     happened — state transitions computed lazily included, at their own
//     time; lease renewals, tags and mounts too (undocumented for the real
//     service) — so sort_key=update_at&sort_dir=DESC finds changes.
//   - sort_key accepts name, create_at, update_at and status, comma
//     separated (others: 6303); ties keep creation order. update_at and
//     name are indexes kept up to date change by change, and the totals
//     per feature and owner are counted once per creation or deletion: a
//     page costs what it reads at 100,000 instances (index.go).
//   - A demo notebook on a dedicated pool names the seeded pool-a1b2c3d4;
//     a few demo notebooks carry tags (team, env, project) and MOUNTED
//     dynamic storage. Generated projects (Instances > 0) tag three in four
//     notebooks with a team.
package sim
