// Package client speaks the ModelArts DevEnviron API for both generations:
// request signing and tokens (via client/auth), retries with backoff, a
// client-side rate limit, pagination, typed errors and the server clock offset.
//
// # Requests
//
// Every request carries X-Project-Id (signed, as the Huawei SDK does),
// User-Agent and Content-Type (application/json; application/json;charset=UTF-8
// with a body, as the SDK sends). Bodies are encoding/json Encoder output,
// trailing newline included, produced once and reused byte for byte on every
// attempt. The Authenticator runs on every attempt so that each carries a
// fresh X-Sdk-Date.
//
// # Retries
//
// GET, PUT, DELETE and PATCH are retried on 429, 500, 502, 503, 504 and
// transport errors (including the per-attempt timeout), with full-jitter
// exponential backoff or the server's Retry-After (seconds or HTTP date,
// capped at one minute). A POST (create, start, stop, open, action) is
// retried only when it cannot have reached ModelArts: the dial failed, or
// the gateway answered 429 (throttling happens before the request is
// forwarded). 401/403 are never retried: five bad signatures lock the AK.
// Redirects are never followed.
//
// # Rate limit
//
// One token bucket per Client (default 10 requests/s, burst 10) spaces all
// calls, retries included, so a busy dashboard cannot trip API throttling.
//
// # Errors
//
// Non-2xx answers become *APIError (code, message, request ID), whichever
// of the Gen 1, Gen 2 or API-gateway body shapes arrived; IsNotFound,
// IsConflict, IsAuth, IsThrottled and IsNotAdmin classify them.
// ListInstances and StreamInstances return *PartialError when only some
// listings failed. No error, log record or
// formatted value contains a credential.
//
// # Listing
//
// StreamInstances lists Gen 2 notebooks, CodeLab and Gen 1 and hands each
// page (a Page: its Source, normalised instances, the server's total,
// First/Last/Complete, the error if the source failed) to a sink as it
// arrives. The first request goes alone and decides whether the rest is
// worth sending (refused credentials, a refused all-users scope or no
// answer at all stop there); then the sources run
// concurrently and independently, each within the rate limit — one slow
// generation never holds back the other. The first page of the first
// listing does not wait for the flavor catalog (fetched after it): it is
// delivered at once with specs guessed from the flavor ID, and again with
// the catalog's specs before the listing ends. ListInstances collects a
// stream into a slice; ListOptions.AllUsers lists every user's instances
// (Gen 2 from /notebooks/all, Gen 1 with show_self=false), and a
// non-administrator gets a *NotAdminError (IsNotAdmin) after one request.
//
// A dashboard (Bubble Tea: Update does no I/O and receives one message at
// a time) should consume a listing as a Listing — StartListing, or
// Poller.Start for polls — with one command per page: the command calls
// Next (it blocks until the page arrives) and returns the page as a
// message; Update applies it and returns the command for the next page;
// when Next reports the end, Err is the listing's result. Close cancels a
// listing (quit, profile or scope change). The listing fetches at most a
// few pages ahead of the consumer. Apply pages with the rules Snapshot
// implements (and documents): upsert by (Generation, ID), delete Removed,
// at a Last page with Complete drop the source's rows that listing did
// not carry, at a Last page with Err keep the source's rows and mark them
// stale. Listed/Total on full listings' pages give the progress ("loading
// 2,350 / 10,000"); rows already shown keep their place as pages arrive.
//
// # Polling
//
// A Poller decides per poll what must be asked for, so that a poll costs
// what changed, not what exists. Its rules:
//
//   - Gen 2 notebooks are listed in full (server order, every page) on
//     the first poll, every PollerOptions.ResyncEvery (default 5 min),
//     after Resync, after a failed or incomplete listing, and when the
//     server cannot serve incremental polls (it refused
//     sort_key=update_at, or its notebooks carry no update_at).
//   - Otherwise a poll is incremental: pages of sort_key=update_at,
//     sort_dir=DESC, followed only while the oldest instance on a page is
//     not older than the newest update_at already known. Only instances
//     that are new or whose update_at (or DELETING state) moved are
//     delivered (Incremental pages: the other rows stand). With nothing
//     changed that is one request at any project size.
//   - Then the server's total must equal the number of notebooks known.
//     A lower total is explained by looking up, one by one (at most
//     maxDeleteChecks), the notebooks last seen DELETING or that Touched
//     named: those gone are Removed. Anything unexplained — a higher total
//     (a creation the pages did not show), more missing than candidates,
//     a failed lookup — makes the same poll list in full.
//   - A full listing is Complete only when it saw as many distinct
//     notebooks as the total and the total did not go down while it paged
//     (offset paging over a list that lost an instance can skip one);
//     otherwise its rows stand and the next poll lists in full again.
//   - CodeLab (one free instance per user) is listed on the first poll,
//     on resyncs, after Touched with a CodeLab instance (opening it), after
//     a failure, while a known CodeLab instance is transitional or queued,
//     and once its auto-stop deadline has passed; otherwise skipped. A
//     CodeLab instance opened elsewhere shows at the next resync.
//   - Gen 1 has no incremental listing: one request (limit 0) lists it
//     whole on every poll.
//   - Touched(inst) after an action (the instance as the action answered)
//     makes sure its source is listed next time and that a deletion is
//     checked by ID instead of a full listing.
//
// A steady-state poll with nothing changed therefore sends two requests
// (one Gen 2 page, the Gen 1 listing) whatever the project's size; the
// flavor catalog adds two every flavorCacheTTL. What a Poller keeps is
// per Gen 2 notebook its ID, update_at and DELETING flag and the newest
// update_at; the rows themselves are the dashboard's.
//
// # Server clock
//
// Every response's Date header updates the estimate of server − local time;
// ServerNow applies it, so lease countdowns are right even on a skewed
// laptop.
package client
