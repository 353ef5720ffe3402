// Package auth authenticates matui's calls to ModelArts: AK/SK request
// signing compatible with the Huawei Cloud Go SDK (v0.1.207), IAM tokens
// given directly, and IAM password authentication with a cached,
// auto-refreshed token. The same signer code is exported for the embedded
// simulator, which verifies requests with Verify so that client and server
// cannot drift apart.
//
// # Which headers are signed
//
// Sign signs every header present in req.Header at signing time, lower-cased
// and sorted, except names starting with "content-type" and names containing
// "_" (the SDK's rule; the gateway verifies whatever list the client
// declares in SignedHeaders). In practice that is user-agent (when set),
// x-project-id, x-security-token for temporary credentials,
// x-sdk-content-sha256 for non-JSON bodies, and x-sdk-date. Headers added
// later by net/http (Accept-Encoding, Content-Length, a default User-Agent)
// are not signed because they are not in the map when Sign runs.
//
// Host is not signed: the Go SDK keeps the host outside its header map, and
// net/http does the same (req.Host / req.URL.Host, never req.Header). Signing
// it would also break behind proxies and in the simulator, where the Host the
// server sees differs from the one the client dialled. Verify still supports
// a declared "host" entry (taken from r.Host) so that requests produced by
// Huawei's other signers, which do sign host, can be checked.
//
// # Secrets
//
// No value in this package prints a secret: credential types redact
// themselves under every fmt verb, Describe shows at most the first and last
// four characters of an access key, and errors never contain an SK, token or
// password.
package auth
