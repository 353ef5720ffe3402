// Package gate authenticates requests to the embedded ModelArts simulator
// the way Huawei's API gateway (APIG) does in front of the real service, so
// that matui's AK/SK signing, temporary credentials and IAM token handling
// are exercised against the same rules and error bodies as in production.
//
// Wrap verifies every request except POST /v3/auth/tokens, which
// IAMHandler serves:
//
//   - Authorization: SDK-HMAC-SHA256 … — AK/SK signature, checked with
//     client/auth.Verify (the same code that signs matui's requests, so the
//     two cannot drift). Checks, in order: header syntax, AK known, AK not
//     locked, X-Sdk-Date present and within ±15 minutes of Now (or of
//     real time, see Options.WallNow), security
//     token of temporary credentials, body size (12 MB, as APIG), signature.
//     Five consecutive bad signatures lock the AK for five minutes; a good
//     signature resets the count. Only signature failures count.
//   - X-Auth-Token — a token IAMHandler (or IssueToken) issued, not expired,
//     scoped to the project in the URL's /v1/{project_id}.
//
// Failures are 401 with the APIG body
// {"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication
// information: …","request_id":"…"} and an X-Request-Id header; a token for
// another project is 403 ModelArts.0210 and a token without a project 401
// ModelArts.0212, as ModelArts itself answers once APIG let the call pass.
//
// Nothing here logs, and no error body contains an SK, a password, a
// security token or an auth token. The AK is echoed on "ak not exist",
// as the real gateway does: an AK is an identifier, not a secret.
package gate

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"matui/client/auth"
)

// Limits of the gateway (reference §7.1 point 12 and §6.1).
const (
	// DateWindow is how far X-Sdk-Date may be from the gateway's clock,
	// either way.
	DateWindow = 15 * time.Minute
	// MaxFailures consecutive bad signatures lock an AK …
	MaxFailures = 5
	// … for LockDuration.
	LockDuration = 5 * time.Minute
	// MaxSignedBody is the largest body APIG accepts on AK/SK requests.
	MaxSignedBody = 12 << 20
	// DefaultTokenTTL is IAM's token lifetime.
	DefaultTokenTTL = 24 * time.Hour
)

// Key is one AK/SK credential the gateway accepts.
type Key struct {
	SK string
	// SecurityToken, when non-empty, makes this a temporary credential:
	// requests must carry it, signed, in X-Security-Token.
	SecurityToken string
}

// User is an IAM user that may obtain tokens by password.
type User struct {
	Name, Password, Domain string
	// ProjectID and ProjectName are the one project the user may scope a
	// token to; an empty ProjectID defaults to Options.ProjectID.
	ProjectID, ProjectName string
}

// Options configure a Gate.
type Options struct {
	Keys      map[string]Key // by AK
	Users     []User
	ProjectID string // the project this simulator serves
	// Now is the gateway's clock: the date window, the AK lock and (without
	// WallNow) token lifetimes are measured on it.
	Now func() time.Time
	// WallNow, when set, is the real clock behind a Now that runs at
	// another speed (a sped-up simulator). The date window is then real
	// time: a signature is also fresh when its date is within DateWindow
	// of WallNow — clients that sign with their own clock (the Huawei SDK,
	// the Terraform provider's library) — or when it is a Now reading
	// taken within DateWindow of real time ago, as NowToWall maps it:
	// clients that sign with the server time they learnt from a Date
	// header and carry it forward at real speed (matui's), which at 50×
	// lags Now by far more than DateWindow after a 30 s poll interval.
	// Token lifetimes are real time too.
	WallNow func() time.Time
	// NowToWall maps a reading of Now to the real time it was taken at;
	// used with WallNow.
	NowToWall func(time.Time) time.Time
	TokenTTL  time.Duration // default DefaultTokenTTL
}

// Gate is the gateway. Its methods are safe for concurrent use; several
// Gates may live in one process.
type Gate struct {
	keys      map[string]Key
	users     []User
	projectID string
	now       func() time.Time
	wallNow   func() time.Time          // nil: only now
	nowToWall func(time.Time) time.Time // nil: no mapping
	ttl       time.Duration

	mu     sync.Mutex
	akFail map[string]*akState   // by AK; only known AKs get entries
	tokens map[string]*tokenInfo // by token
}

type akState struct {
	failures    int       // consecutive bad signatures
	lockedUntil time.Time // zero when not locked
}

type tokenInfo struct {
	user, domain           string
	projectID, projectName string // empty for unscoped tokens
	issued, expires        time.Time
}

// New returns a Gate. Options are copied; later changes to opts.Keys or
// opts.Users do not affect it.
func New(opts Options) *Gate {
	g := &Gate{
		keys:      make(map[string]Key, len(opts.Keys)),
		users:     slices.Clone(opts.Users),
		projectID: opts.ProjectID,
		now:       opts.Now,
		wallNow:   opts.WallNow,
		nowToWall: opts.NowToWall,
		ttl:       opts.TokenTTL,
		akFail:    make(map[string]*akState),
		tokens:    make(map[string]*tokenInfo),
	}
	for ak, k := range opts.Keys {
		g.keys[ak] = k
	}
	for i := range g.users {
		if g.users[i].ProjectID == "" {
			g.users[i].ProjectID = opts.ProjectID
		}
	}
	if g.now == nil {
		g.now = time.Now
	}
	if g.ttl <= 0 {
		g.ttl = DefaultTokenTTL
	}
	return g
}

// iamPath is the only path Wrap lets through unauthenticated.
const iamPath = "/v3/auth/tokens"

// Wrap returns next behind the gateway.
func (g *Gate) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.TrimSuffix(r.URL.Path, "/") == iamPath {
			next.ServeHTTP(w, r)
			return
		}
		authz := r.Header.Get(auth.HeaderAuthorization)
		switch {
		case strings.HasPrefix(authz, auth.Algorithm):
			g.serveAKSK(w, r, next)
		case r.Header.Get(auth.HeaderAuthToken) != "":
			g.serveToken(w, r, next)
		case authz != "":
			// Basic, Bearer, the outdated Credential=… form and the like.
			writeAPIG(w, http.StatusUnauthorized, "APIG.0301", msgPrefix+"unsupported Authorization scheme, want "+auth.Algorithm)
		default:
			writeAPIG(w, http.StatusUnauthorized, "APIG.0301", msgPrefix+"x-auth-token not found")
		}
	})
}

const msgPrefix = "Incorrect IAM authentication information: "

func (g *Gate) serveAKSK(w http.ResponseWriter, r *http.Request, next http.Handler) {
	fail := func(msg string) { writeAPIG(w, http.StatusUnauthorized, "APIG.0301", msgPrefix+msg) }

	ak, signed, _, err := auth.ParseAuthorization(r.Header.Get(auth.HeaderAuthorization))
	if err != nil {
		fail("invalid Authorization header, want " + auth.Algorithm + " Access=AK, SignedHeaders=h1;h2, Signature=hex")
		return
	}
	key, ok := g.keys[ak]
	if !ok {
		fail("Get secretKey failed,ak:" + ak + ",err:ak not exist")
		return
	}
	now := g.now()
	if g.locked(ak, now) {
		fail("AK access failed to reach the limit,forbidden")
		return
	}

	date := r.Header.Get(auth.HeaderDate)
	if date == "" {
		fail("x-sdk-date not found")
		return
	}
	t, err := auth.ParseSDKDate(date)
	if err != nil {
		fail("x-sdk-date is invalid, want format " + auth.DateFormat)
		return
	}
	if !g.inDateWindow(t, now) {
		// Same wording as APIG's app-auth variant of this error.
		fail("signature expired, signature time:" + t.Format(auth.DateFormat) +
			",server time:" + now.UTC().Format(auth.DateFormat))
		return
	}

	if key.SecurityToken != "" {
		got, present := r.Header[http.CanonicalHeaderKey(auth.HeaderSecurityToken)]
		switch {
		case !present:
			fail("x-security-token not found, temporary AK requires it")
			return
		case !slices.ContainsFunc(signed, func(h string) bool { return strings.EqualFold(h, auth.HeaderSecurityToken) }):
			fail("x-security-token must be a signed header")
			return
		case len(got) != 1 || !constantTimeEqual(got[0], key.SecurityToken):
			fail("verify security token fail")
			return
		}
	}

	body, status, msg := readBody(r)
	if status != 0 {
		writeAPIG(w, status, "APIG.0201", msg)
		return
	}
	if err := auth.Verify(r, body, key.SK); err != nil {
		// The failure that reaches the limit is still reported as a bad
		// signature; only the following requests see the lock.
		g.recordFailure(ak, now)
		fail("verify aksk signature fail")
		return
	}
	g.recordSuccess(ak)
	next.ServeHTTP(w, r)
}

// inDateWindow reports whether a signature dated t is fresh: within
// DateWindow of now, or (with a wall clock, see Options.WallNow) within
// DateWindow of real time read as a wall-clock time or as a reading of now.
func (g *Gate) inDateWindow(t, now time.Time) bool {
	within := func(ref, t time.Time) bool {
		d := ref.Sub(t)
		return d <= DateWindow && d >= -DateWindow
	}
	if within(now, t) {
		return true
	}
	if g.wallNow == nil {
		return false
	}
	wall := g.wallNow()
	return within(wall, t) || g.nowToWall != nil && within(wall, g.nowToWall(t))
}

// readBody reads the whole body so it can be hashed and puts an identical
// reader back for next. A non-zero status is an APIG.0201 failure with msg.
func readBody(r *http.Request) (body []byte, status int, msg string) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, 0, ""
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxSignedBody+1))
	_ = r.Body.Close()
	if err != nil {
		return nil, http.StatusBadRequest, "Failed to read the request body"
	}
	if len(b) > MaxSignedBody {
		return nil, http.StatusRequestEntityTooLarge, "Request entity too large: AK/SK requests are limited to 12 MB, use token authentication"
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.ContentLength = int64(len(b))
	return b, 0, ""
}

// locked reports whether ak is locked at now, clearing an expired lock (and
// its failure count, so the AK gets a fresh five attempts).
func (g *Gate) locked(ak string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.akFail[ak]
	if st == nil || st.lockedUntil.IsZero() {
		return false
	}
	if now.Before(st.lockedUntil) {
		return true
	}
	delete(g.akFail, ak)
	return false
}

// recordFailure counts a bad signature and locks ak at the limit.
func (g *Gate) recordFailure(ak string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.akFail[ak]
	if st == nil {
		st = &akState{}
		g.akFail[ak] = st
	}
	if !st.lockedUntil.IsZero() {
		return // a concurrent request locked it after our locked() check
	}
	st.failures++
	if st.failures >= MaxFailures {
		st.lockedUntil = now.Add(LockDuration)
	}
}

func (g *Gate) recordSuccess(ak string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if st := g.akFail[ak]; st != nil && st.lockedUntil.IsZero() {
		delete(g.akFail, ak)
	}
}

// tokenNow is the clock token lifetimes run on: real time when there is a
// wall clock (Options.WallNow), as for the date window. A client compares
// expires_at with its own clock to know when to fetch a new token, and an
// IAM token lives 24 real hours, not 24 hours of a sped-up simulation
// (29 real minutes at 50×).
func (g *Gate) tokenNow() time.Time {
	if g.wallNow != nil {
		return g.wallNow()
	}
	return g.now()
}

func (g *Gate) serveToken(w http.ResponseWriter, r *http.Request, next http.Handler) {
	tok := r.Header.Get(auth.HeaderAuthToken)
	now := g.tokenNow()
	g.mu.Lock()
	ti, ok := g.tokens[tok]
	var info tokenInfo
	if ok {
		info = *ti
	}
	g.mu.Unlock()
	switch {
	case !ok:
		writeAPIG(w, http.StatusUnauthorized, "APIG.0301", msgPrefix+"decrypt token fail")
		return
	case !now.Before(info.expires):
		writeAPIG(w, http.StatusUnauthorized, "APIG.0301", msgPrefix+"token expires, expires_at: "+formatIAMTime(info.expires))
		return
	}
	// APIG passes any valid token; ModelArts then insists on a project
	// scope matching the URL. Paths outside /v1/{project_id} have no
	// project to compare.
	if project, ok := urlProject(r.URL.Path); ok {
		switch {
		case info.projectID == "":
			writeModelArts(w, http.StatusUnauthorized, "ModelArts.0212",
				"The token has no project. Use a project-scoped token.")
			return
		case project != info.projectID:
			writeModelArts(w, http.StatusForbidden, "ModelArts.0210",
				"The project ID in the URL does not match the project ID in the token.")
			return
		}
	}
	next.ServeHTTP(w, r)
}

// urlProject returns the {project_id} of a /v1/{project_id}/… path.
func urlProject(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/v1/")
	if !ok {
		return "", false
	}
	p, _, _ := strings.Cut(rest, "/")
	return p, p != ""
}

// IssueToken issues a token for the named user as a password login would,
// for tests. A user not in Options.Users gets a token scoped to
// Options.ProjectID in an empty domain.
func (g *Gate) IssueToken(user string) (token string, expires time.Time) {
	u := User{Name: user, ProjectID: g.projectID}
	for _, c := range g.users {
		if c.Name == user {
			u = c
			break
		}
	}
	ti := g.issue(u, u.ProjectID, u.ProjectName)
	return ti.token, ti.expires
}

type issued struct {
	token           string
	issued, expires time.Time
}

// issue stores a new token. Tokens that expired more than a TTL ago are
// pruned here: by then no client still holds them usefully, and keeping
// them that long still lets recent ones get "token expires" rather than
// "decrypt token fail".
func (g *Gate) issue(u User, projectID, projectName string) issued {
	now := g.tokenNow()
	tok := newToken()
	ti := &tokenInfo{
		user: u.Name, domain: u.Domain,
		projectID: projectID, projectName: projectName,
		issued: now, expires: now.Add(g.ttl),
	}
	g.mu.Lock()
	for k, v := range g.tokens {
		if now.Sub(v.expires) > g.ttl {
			delete(g.tokens, k)
		}
	}
	g.tokens[tok] = ti
	g.mu.Unlock()
	return issued{token: tok, issued: ti.issued, expires: ti.expires}
}

// newToken returns an opaque token. Real IAM tokens are long base64 PKI
// blobs starting "MII"; the prefix keeps log excerpts recognisable.
func newToken() string {
	var b [48]byte
	_, _ = rand.Read(b[:])
	return "MIIsim" + hex.EncodeToString(b[:])
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// constantTimeEqual compares secrets without leaking their common prefix
// length through timing.
func constantTimeEqual(a, b string) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func writeAPIG(w http.ResponseWriter, status int, code, msg string) {
	rid := newRequestID()
	w.Header().Set("X-Request-Id", rid)
	writeJSON(w, status, struct {
		Code      string `json:"error_code"`
		Msg       string `json:"error_msg"`
		RequestID string `json:"request_id"`
	}{code, msg, rid})
}

func writeModelArts(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("X-Request-Id", newRequestID())
	writeJSON(w, status, struct {
		Code string `json:"error_code"`
		Msg  string `json:"error_msg"`
	}{code, msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // only plain structs of strings: cannot fail
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
