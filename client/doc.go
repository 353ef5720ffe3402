// Package client speaks the ModelArts DevEnviron API for both generations:
// request signing and tokens (via client/auth), retries with backoff, a
// client-side rate limit, pagination, typed errors and the server clock offset.
package client
