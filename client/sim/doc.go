// Package sim is matui's embedded ModelArts simulator: an http.Handler that
// serves the DevEnviron API of both generations with the real service's
// validation, error codes, state machine and lease expiry.
package sim
