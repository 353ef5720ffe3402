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
// IsConflict, IsAuth and IsThrottled classify them. ListInstances returns
// *PartialError when only some listings failed. No error, log record or
// formatted value contains a credential.
//
// # Server clock
//
// Every response's Date header updates the estimate of server − local time;
// ServerNow applies it, so lease countdowns are right even on a skewed
// laptop.
package client
