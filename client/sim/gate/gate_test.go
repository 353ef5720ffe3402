package gate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"matui/client/auth"
)

// Credentials of the reference's §7.1 test vectors.
const (
	vecAK      = "AKTESTEXAMPLE0000000"
	vecSK      = "SKtestExampleSecretKey0000000000000000000"
	vecProject = "0123456789abcdef0123456789abcdef"

	tmpAK    = "AKTEMPORARY000000000"
	tmpSK    = "SKtemporarySecret000000000000000000000000"
	tmpToken = "security-token-value"

	otherProject = "fedcba9876543210fedcba9876543210"
)

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// recorder is the wrapped "simulator": it remembers what reached it.
type recorder struct {
	mu     sync.Mutex
	calls  int
	bodies []string
}

func (h *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		panic(err)
	}
	h.mu.Lock()
	h.calls++
	h.bodies = append(h.bodies, string(b))
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func (h *recorder) count() int { h.mu.Lock(); defer h.mu.Unlock(); return h.calls }

type fixture struct {
	clock *fakeClock
	gate  *Gate
	next  *recorder
	h     http.Handler
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: &fakeClock{t: t0}, next: &recorder{}}
	f.gate = New(Options{
		Keys: map[string]Key{
			vecAK: {SK: vecSK},
			tmpAK: {SK: tmpSK, SecurityToken: tmpToken},
		},
		Users: []User{
			{Name: "alice", Password: "pw-alice", Domain: "acme", ProjectName: "eu-de"},
			{Name: "bob", Password: "pw-bob", Domain: "acme", ProjectID: otherProject, ProjectName: "eu-nl"},
		},
		ProjectID: vecProject,
		Now:       f.clock.Now,
	})
	f.h = f.gate.Wrap(f.next)
	return f
}

func (f *fixture) do(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, r)
	return rec
}

// signed builds a request signed at date with ak/sk (via client/auth, the
// code matui's client uses).
func signed(t *testing.T, method, target, body, ak, sk string, date time.Time, extra map[string]string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, "https://modelarts.eu-de.otc.t-systems.com"+target, rd)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Project-Id", vecProject)
	for k, v := range extra {
		r.Header.Set(k, v)
	}
	if err := auth.Sign(r, []byte(body), ak, sk, date); err != nil {
		t.Fatal(err)
	}
	return r
}

const listTarget = "/v1/" + vecProject + "/notebooks?limit=10"

type apigBody struct {
	Code      string `json:"error_code"`
	Msg       string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

// wantAPIG checks an APIG.0301-style failure and that the message contains
// want; it also checks nothing reached the simulator through this request.
func wantAPIG(t *testing.T, rec *httptest.ResponseRecorder, status int, code, want string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d; want %d (body %s)", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var b apigBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	if b.Code != code || !strings.Contains(b.Msg, want) {
		t.Errorf("body %+v; want %s containing %q", b, code, want)
	}
	if code == "APIG.0301" && !strings.HasPrefix(b.Msg, "Incorrect IAM authentication information: ") {
		t.Errorf("message %q lacks the APIG prefix", b.Msg)
	}
	if len(b.RequestID) != 32 || b.RequestID != rec.Header().Get("X-Request-Id") {
		t.Errorf("request_id %q, X-Request-Id %q", b.RequestID, rec.Header().Get("X-Request-Id"))
	}
}

func wantPass(t *testing.T, f *fixture, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code != http.StatusOK || rec.Body.String() != `{"ok":true}` {
		t.Fatalf("status %d body %s; want the simulator's answer", rec.Code, rec.Body)
	}
}

// TestVectorV1 checks the gate against the reference's vector V1, built by
// hand (not by auth.Sign), so gate and signer are checked independently.
func TestVectorV1(t *testing.T) {
	mk := func(sig string) *http.Request {
		r := httptest.NewRequest("GET", "https://modelarts.eu-de.otc.t-systems.com/v1/"+vecProject+"/notebooks?status=RUNNING&limit=10&name=my%20nb", nil)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Project-Id", vecProject)
		r.Header.Set("X-Sdk-Date", "20240101T000000Z")
		r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+vecAK+", SignedHeaders=x-project-id;x-sdk-date, Signature="+sig)
		return r
	}
	const good = "f74c4eaaaa6d8ce85a1025495b9b2a1852f12577d87e8bfb2fd487b3f6b80c3d"
	f := newFixture(t)
	wantPass(t, f, f.do(mk(good)))
	wantAPIG(t, f.do(mk(strings.Replace(good, "f7", "f8", 1))), 401, "APIG.0301", "verify aksk signature fail")
}

func TestValidPassesWithFullBody(t *testing.T) {
	f := newFixture(t)
	body := `{"name":"nb-1","flavor":"modelarts.vm.cpu.2u","image":{"id":"x"}}` + "\n"
	wantPass(t, f, f.do(signed(t, "POST", "/v1/"+vecProject+"/notebooks", body, vecAK, vecSK, t0, nil)))
	wantPass(t, f, f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, t0, nil)))
	if f.next.count() != 2 || f.next.bodies[0] != body || f.next.bodies[1] != "" {
		t.Errorf("simulator saw %q", f.next.bodies)
	}
}

func TestTamperingFails(t *testing.T) {
	const body = `{"name":"nb-1"}` + "\n"
	target := "/v1/" + vecProject + "/notebooks/nb1?x=1"
	for _, tc := range []struct {
		name   string
		mutate func(r *http.Request) *http.Request
	}{
		{"body", func(r *http.Request) *http.Request {
			r.Body = io.NopCloser(strings.NewReader(`{"name":"nb-2"}` + "\n"))
			return r
		}},
		{"body dropped", func(r *http.Request) *http.Request { r.Body = http.NoBody; return r }},
		{"method", func(r *http.Request) *http.Request { r.Method = "POST"; return r }},
		{"path", func(r *http.Request) *http.Request { r.URL.Path = "/v1/" + vecProject + "/notebooks/nb2"; return r }},
		{"query value", func(r *http.Request) *http.Request { r.URL.RawQuery = "x=2"; return r }},
		{"query added", func(r *http.Request) *http.Request { r.URL.RawQuery = "x=1&y=1"; return r }},
		{"signed header value", func(r *http.Request) *http.Request { r.Header.Set("X-Project-Id", otherProject); return r }},
		{"date within window", func(r *http.Request) *http.Request {
			r.Header.Set("X-Sdk-Date", t0.Add(time.Second).Format(auth.DateFormat))
			return r
		}},
		{"signature", func(r *http.Request) *http.Request {
			a := r.Header.Get("Authorization")
			last := a[len(a)-1]
			repl := byte('0')
			if last == '0' {
				repl = '1'
			}
			r.Header.Set("Authorization", a[:len(a)-1]+string(repl))
			return r
		}},
		{"signed header list", func(r *http.Request) *http.Request {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "x-project-id;", "", 1))
			return r
		}},
		{"declared signed header not sent", func(r *http.Request) *http.Request {
			r.Header.Del("X-Project-Id")
			return r
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			r := signed(t, "PUT", target, body, vecAK, vecSK, t0, nil)
			wantAPIG(t, f.do(tc.mutate(r)), 401, "APIG.0301", "verify aksk signature fail")
			if f.next.count() != 0 {
				t.Error("a tampered request reached the simulator")
			}
		})
	}
	// An extra header that is not signed does not matter: the gateway
	// checks exactly the declared list.
	f := newFixture(t)
	r := signed(t, "PUT", target, body, vecAK, vecSK, t0, nil)
	r.Header.Set("X-Unsigned", "whatever")
	wantPass(t, f, f.do(r))
}

func TestDeclaredSignedHeaderMissing(t *testing.T) {
	f := newFixture(t)
	r := signed(t, "GET", listTarget, "", vecAK, vecSK, t0, map[string]string{"X-Custom": "v"})
	if !strings.Contains(r.Header.Get("Authorization"), "x-custom") {
		t.Fatalf("X-Custom not signed: %s", r.Header.Get("Authorization"))
	}
	r.Header.Del("X-Custom")
	wantAPIG(t, f.do(r), 401, "APIG.0301", "verify aksk signature fail")
}

func TestUnknownAKAndMalformedHeaders(t *testing.T) {
	f := newFixture(t)
	wantAPIG(t, f.do(signed(t, "GET", listTarget, "", "AKUNKNOWN", vecSK, t0, nil)), 401, "APIG.0301",
		"Get secretKey failed,ak:AKUNKNOWN,err:ak not exist")

	r := signed(t, "GET", listTarget, "", vecAK, vecSK, t0, nil)
	r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+vecAK+", Signature=abc")
	rec := f.do(r)
	wantAPIG(t, rec, 401, "APIG.0301", "invalid Authorization header")
	if strings.Contains(rec.Body.String(), "abc") {
		t.Error("the malformed header was echoed")
	}

	r = signed(t, "GET", listTarget, "", vecAK, vecSK, t0, nil)
	r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	wantAPIG(t, f.do(r), 401, "APIG.0301", "unsupported Authorization scheme")

	r = httptest.NewRequest("GET", listTarget, nil)
	wantAPIG(t, f.do(r), 401, "APIG.0301", "x-auth-token not found")
	if f.next.count() != 0 {
		t.Error("an unauthenticated request reached the simulator")
	}
}

func TestSDKDate(t *testing.T) {
	f := newFixture(t)
	r := signed(t, "GET", listTarget, "", vecAK, vecSK, t0, nil)
	r.Header.Del("X-Sdk-Date")
	wantAPIG(t, f.do(r), 401, "APIG.0301", "x-sdk-date not found")

	r = signed(t, "GET", listTarget, "", vecAK, vecSK, t0, nil)
	r.Header.Set("X-Sdk-Date", "2024-01-01T00:00:00Z")
	wantAPIG(t, f.do(r), 401, "APIG.0301", "x-sdk-date is invalid")

	for _, tc := range []struct {
		skew time.Duration
		ok   bool
	}{
		{14*time.Minute + 59*time.Second, true},
		{-(14*time.Minute + 59*time.Second), true},
		{15 * time.Minute, true},
		{15*time.Minute + time.Second, false},
		{-(15*time.Minute + time.Second), false},
		{15*time.Minute + 61*time.Second, false},
		{48 * time.Hour, false},
	} {
		// The request is signed at t0+skew; the gateway's clock is t0.
		rec := f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, t0.Add(tc.skew), nil))
		if tc.ok {
			wantPass(t, f, rec)
		} else {
			wantAPIG(t, rec, 401, "APIG.0301", "signature expired, signature time:"+t0.Add(tc.skew).Format(auth.DateFormat)+",server time:20240101T000000Z")
		}
	}
	// Date failures do not count toward the lockout.
	for range 2 * MaxFailures {
		wantAPIG(t, f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, t0.Add(time.Hour), nil)), 401, "APIG.0301", "signature expired")
	}
	wantPass(t, f, f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, t0, nil)))
}

func TestLockout(t *testing.T) {
	f := newFixture(t)
	good := func() *http.Request { return signed(t, "GET", listTarget, "", vecAK, vecSK, f.clock.Now(), nil) }
	bad := func() *http.Request { return signed(t, "GET", listTarget, "", vecAK, "wrong-sk", f.clock.Now(), nil) }

	for i := range MaxFailures {
		wantAPIG(t, f.do(bad()), 401, "APIG.0301", "verify aksk signature fail")
		if i == 0 {
			f.clock.Add(time.Minute) // the count is consecutive, not per time window
		}
	}
	// Locked now (at t0+1m): a correct signature is refused, and so is a
	// wrong one, without extending the lock.
	wantAPIG(t, f.do(good()), 401, "APIG.0301", "AK access failed to reach the limit,forbidden")
	wantAPIG(t, f.do(bad()), 401, "APIG.0301", "AK access failed to reach the limit,forbidden")
	// Another AK is unaffected.
	wantPass(t, f, f.do(signed(t, "GET", listTarget, "", tmpAK, tmpSK, f.clock.Now(), map[string]string{"X-Security-Token": tmpToken})))

	f.clock.Add(LockDuration - time.Second)
	wantAPIG(t, f.do(good()), 401, "APIG.0301", "AK access failed to reach the limit,forbidden")
	f.clock.Add(time.Second)
	wantPass(t, f, f.do(good()))

	// After the lock the AK gets a fresh count: four failures do not lock.
	for range MaxFailures - 1 {
		wantAPIG(t, f.do(bad()), 401, "APIG.0301", "verify aksk signature fail")
	}
	wantPass(t, f, f.do(good()))
}

func TestSuccessResetsCounter(t *testing.T) {
	f := newFixture(t)
	good := func() *http.Request { return signed(t, "GET", listTarget, "", vecAK, vecSK, t0, nil) }
	bad := func() *http.Request { return signed(t, "GET", listTarget, "", vecAK, "wrong-sk", t0, nil) }
	for range 3 {
		for range MaxFailures - 1 {
			wantAPIG(t, f.do(bad()), 401, "APIG.0301", "verify aksk signature fail")
		}
		wantPass(t, f, f.do(good()))
	}
	// Without the reset, 12 failures would have locked it long ago; now
	// exactly five more do.
	for range MaxFailures {
		wantAPIG(t, f.do(bad()), 401, "APIG.0301", "verify aksk signature fail")
	}
	wantAPIG(t, f.do(good()), 401, "APIG.0301", "forbidden")
}

func TestTemporaryCredential(t *testing.T) {
	f := newFixture(t)
	withTok := map[string]string{"X-Security-Token": tmpToken}

	wantPass(t, f, f.do(signed(t, "GET", listTarget, "", tmpAK, tmpSK, t0, withTok)))

	rec := f.do(signed(t, "GET", listTarget, "", tmpAK, tmpSK, t0, nil))
	wantAPIG(t, rec, 401, "APIG.0301", "x-security-token not found")

	// Present but added after signing, so not in SignedHeaders.
	r := signed(t, "GET", listTarget, "", tmpAK, tmpSK, t0, nil)
	r.Header.Set("X-Security-Token", tmpToken)
	wantAPIG(t, f.do(r), 401, "APIG.0301", "x-security-token must be a signed header")

	rec = f.do(signed(t, "GET", listTarget, "", tmpAK, tmpSK, t0, map[string]string{"X-Security-Token": "another-token"}))
	wantAPIG(t, rec, 401, "APIG.0301", "verify security token fail")
	if strings.Contains(rec.Body.String(), "another-token") || strings.Contains(rec.Body.String(), tmpToken) {
		t.Error("a security token was echoed")
	}
	if f.next.count() != 1 {
		t.Errorf("%d requests reached the simulator; want 1", f.next.count())
	}
}

func TestBodyTooLarge(t *testing.T) {
	f := newFixture(t)
	big := `{"x":"` + strings.Repeat("a", MaxSignedBody) + `"}`
	wantAPIG(t, f.do(signed(t, "POST", "/v1/"+vecProject+"/notebooks", big, vecAK, vecSK, t0, nil)), 413, "APIG.0201", "too large")
}

func TestIAMPathIsNotAuthenticated(t *testing.T) {
	f := newFixture(t)
	wantPass(t, f, f.do(httptest.NewRequest("POST", "/v3/auth/tokens", strings.NewReader("{}"))))
}

func iamBody(user, pw, domain, scope string) string {
	return fmt.Sprintf(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":%q,"password":%q,"domain":{"name":%q}}}}%s}}`,
		user, pw, domain, scope)
}

func TestTokenFlow(t *testing.T) {
	f := newFixture(t)
	iam := f.gate.IAMHandler()
	rec := httptest.NewRecorder()
	iam.ServeHTTP(rec, httptest.NewRequest("POST", "/v3/auth/tokens",
		strings.NewReader(iamBody("alice", "pw-alice", "acme", `,"scope":{"project":{"name":"eu-de"}}`))))
	if rec.Code != http.StatusCreated {
		t.Fatalf("IAM status %d body %s", rec.Code, rec.Body)
	}
	tok := rec.Header().Get("X-Subject-Token")
	if tok == "" {
		t.Fatal("no X-Subject-Token")
	}
	if strings.Contains(rec.Body.String(), tok) || strings.Contains(rec.Body.String(), "pw-alice") {
		t.Error("the body repeats the token or the password")
	}
	var body struct {
		Token struct {
			ExpiresAt string   `json:"expires_at"`
			IssuedAt  string   `json:"issued_at"`
			Methods   []string `json:"methods"`
			Project   struct{ ID, Name string }
			User      struct {
				Name   string
				Domain struct{ Name string }
			}
			Catalog []any `json:"catalog"`
		} `json:"token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	b := body.Token
	exp, err := time.Parse(time.RFC3339, b.ExpiresAt)
	if err != nil || !exp.Equal(t0.Add(DefaultTokenTTL)) || b.IssuedAt != "2024-01-01T00:00:00.000000Z" {
		t.Errorf("expires_at %q (%v), issued_at %q", b.ExpiresAt, err, b.IssuedAt)
	}
	if len(b.Methods) != 1 || b.Methods[0] != "password" || b.Project.ID != vecProject || b.Project.Name != "eu-de" ||
		b.User.Name != "alice" || b.User.Domain.Name != "acme" || b.Catalog == nil {
		t.Errorf("token body %+v", b)
	}

	use := func(token string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", listTarget, nil)
		r.Header.Set("X-Auth-Token", token)
		return f.do(r)
	}
	wantPass(t, f, use(tok))
	f.clock.Add(DefaultTokenTTL - time.Second)
	wantPass(t, f, use(tok))
	f.clock.Add(time.Second)
	rec = use(tok)
	wantAPIG(t, rec, 401, "APIG.0301", "token expires, expires_at: 2024-01-02T00:00:00.000000Z")
	if strings.Contains(rec.Body.String(), tok) {
		t.Error("the token was echoed")
	}
	wantAPIG(t, use("MIIforged"), 401, "APIG.0301", "decrypt token fail")
}

func TestTokenScope(t *testing.T) {
	f := newFixture(t)
	use := func(token, path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("X-Auth-Token", token)
		return f.do(r)
	}
	bobTok, _ := f.gate.IssueToken("bob") // scoped to otherProject
	rec := use(bobTok, listTarget)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d; want 403", rec.Code)
	}
	var b map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || b["error_code"] != "ModelArts.0210" || b["error_msg"] == "" {
		t.Errorf("body %s (%v)", rec.Body, err)
	}
	wantPass(t, f, use(bobTok, "/v1/"+otherProject+"/notebooks"))

	// IssueToken for a user not configured: scoped to Options.ProjectID.
	anon, exp := f.gate.IssueToken("ci")
	if !exp.Equal(t0.Add(DefaultTokenTTL)) {
		t.Errorf("expires %v", exp)
	}
	wantPass(t, f, use(anon, listTarget))

	// An unscoped IAM token passes APIG but not ModelArts.
	iamRec := httptest.NewRecorder()
	f.gate.IAMHandler().ServeHTTP(iamRec, httptest.NewRequest("POST", "/v3/auth/tokens",
		strings.NewReader(iamBody("alice", "pw-alice", "acme", ""))))
	if iamRec.Code != 201 || strings.Contains(iamRec.Body.String(), `"project"`) {
		t.Fatalf("unscoped IAM: %d %s", iamRec.Code, iamRec.Body)
	}
	rec = use(iamRec.Header().Get("X-Subject-Token"), listTarget)
	if rec.Code != 401 || !strings.Contains(rec.Body.String(), "ModelArts.0212") {
		t.Errorf("unscoped token: %d %s", rec.Code, rec.Body)
	}
}

func TestIAMErrors(t *testing.T) {
	f := newFixture(t)
	iam := f.gate.IAMHandler()
	post := func(body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		iam.ServeHTTP(rec, httptest.NewRequest("POST", "/v3/auth/tokens", strings.NewReader(body)))
		return rec
	}
	scopeDE := `,"scope":{"project":{"name":"eu-de"}}`
	// Scoping by id works too.
	if rec := post(iamBody("alice", "pw-alice", "acme", `,"scope":{"project":{"id":"`+vecProject+`"}}`)); rec.Code != 201 {
		t.Errorf("scope by id: %d %s", rec.Code, rec.Body)
	}
	for name, body := range map[string]string{
		"wrong password":    iamBody("alice", "nope", "acme", scopeDE),
		"unknown user":      iamBody("mallory", "pw-alice", "acme", scopeDE),
		"wrong domain":      iamBody("alice", "pw-alice", "other", scopeDE),
		"foreign project":   iamBody("alice", "pw-alice", "acme", `,"scope":{"project":{"name":"eu-nl"}}`),
		"foreign projectID": iamBody("alice", "pw-alice", "acme", `,"scope":{"project":{"id":"`+otherProject+`"}}`),
	} {
		rec := post(body)
		const want = `{"error":{"code":401,"title":"Unauthorized","message":"The request you have made requires authentication."}}`
		if rec.Code != 401 || strings.TrimSpace(rec.Body.String()) != want || rec.Header().Get("X-Subject-Token") != "" {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
	for name, body := range map[string]string{
		"not json":        `{"auth":`,
		"empty":           ``,
		"no identity":     `{"auth":{}}`,
		"token method":    `{"auth":{"identity":{"methods":["token"],"token":{"id":"x"}}}}`,
		"no user":         `{"auth":{"identity":{"methods":["password"],"password":{}}}}`,
		"no password":     iamBody("alice", "", "acme", scopeDE),
		"no domain":       `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","password":"pw-alice"}}}}}`,
		"empty project":   iamBody("alice", "pw-alice", "acme", `,"scope":{"project":{}}`),
		"wrong JSON type": `{"auth":{"identity":{"methods":"password"}}}`,
	} {
		rec := post(body)
		var e struct {
			Error struct {
				Code    int
				Title   string
				Message string
			}
		}
		if rec.Code != 400 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code != 400 || e.Error.Message == "" {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
	rec := httptest.NewRecorder()
	iam.ServeHTTP(rec, httptest.NewRequest("GET", "/v3/auth/tokens", nil))
	if rec.Code != 405 || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET: %d", rec.Code)
	}
}

// TestOverHTTP runs both schemes through a real server and client: the
// signature must survive net/http on both ends, and the body must reach
// the simulator intact.
func TestOverHTTP(t *testing.T) {
	f := newFixture(t)
	mux := http.NewServeMux()
	mux.Handle("/v3/auth/tokens", f.gate.IAMHandler())
	mux.Handle("/", f.next)
	srv := httptest.NewServer(f.gate.Wrap(mux))
	defer srv.Close()

	body := `{"name":"nb-over-http"}` + "\n"
	req, _ := http.NewRequest("POST", srv.URL+"/v1/"+vecProject+"/notebooks?a=b%20c", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("User-Agent", "matui-test")
	req.Header.Set("X-Project-Id", vecProject)
	if err := auth.Sign(req, []byte(body), vecAK, vecSK, t0); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("signed POST: %d", resp.StatusCode)
	}

	resp, err = srv.Client().Post(srv.URL+"/v3/auth/tokens", "application/json",
		strings.NewReader(iamBody("alice", "pw-alice", "acme", `,"scope":{"project":{"name":"eu-de"}}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	tok := resp.Header.Get("X-Subject-Token")
	if resp.StatusCode != 201 || tok == "" {
		t.Fatalf("IAM: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("PUT", srv.URL+"/v1/"+vecProject+"/notebooks/nb1", bytes.NewReader([]byte(`{"description":"d"}`)))
	req.Header.Set("X-Auth-Token", tok)
	resp, err = srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("token PUT: %d", resp.StatusCode)
	}
	if got := f.next.bodies; len(got) != 2 || got[0] != body || got[1] != `{"description":"d"}` {
		t.Errorf("simulator saw %q", got)
	}
}

func TestConcurrent(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 30 {
				var r *http.Request
				switch (i + j) % 3 {
				case 0:
					r = signed(t, "GET", listTarget, "", tmpAK, tmpSK, t0, map[string]string{"X-Security-Token": tmpToken})
				case 1:
					r = signed(t, "GET", listTarget, "", vecAK, "wrong", t0, nil)
				default:
					tok, _ := f.gate.IssueToken("alice")
					r = httptest.NewRequest("GET", listTarget, nil)
					r.Header.Set("X-Auth-Token", tok)
				}
				rec := f.do(r)
				if (i+j)%3 != 1 && rec.Code != 200 {
					t.Errorf("status %d: %s", rec.Code, rec.Body)
					return
				}
				if (i+j)%3 == 1 && rec.Code != 401 {
					t.Errorf("bad signature: %d", rec.Code)
					return
				}
				f.clock.Add(time.Millisecond)
			}
		}()
	}
	wg.Wait()
}

// A sped-up simulator sets WallNow: a signature dated by the real clock and
// one dated by the gateway's (sim) clock are both fresh, however far the two
// clocks have drifted apart; one dated by neither is not.
func TestDateWindowAcceptsEitherClock(t *testing.T) {
	sim, wall := &fakeClock{t: t0}, &fakeClock{t: t0}
	g := New(Options{Keys: map[string]Key{vecAK: {SK: vecSK}}, ProjectID: vecProject, Now: sim.Now, WallNow: wall.Now})
	f := &fixture{clock: sim, gate: g, next: &recorder{}}
	f.h = g.Wrap(f.next)

	// One hour of real time at 50× speed: the sim clock is 50 h ahead.
	wall.Add(time.Hour)
	sim.Add(50 * time.Hour)
	wantPass(t, f, f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, wall.Now(), nil)))
	wantPass(t, f, f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, sim.Now(), nil)))
	wantPass(t, f, f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, wall.Now().Add(-15*time.Minute), nil)))
	wantPass(t, f, f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, sim.Now().Add(15*time.Minute), nil)))
	for _, at := range []time.Time{
		wall.Now().Add(-15*time.Minute - time.Second), wall.Now().Add(15*time.Minute + time.Second),
		sim.Now().Add(-15*time.Minute - time.Second), sim.Now().Add(15*time.Minute + time.Second),
		wall.Now().Add(25 * time.Hour), // between the two clocks
	} {
		// The error names the gateway's own (sim) time, as without WallNow.
		wantAPIG(t, f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, at, nil)), 401, "APIG.0301",
			"signature expired, signature time:"+at.UTC().Format(auth.DateFormat)+",server time:"+sim.Now().UTC().Format(auth.DateFormat))
	}

	// Without WallNow only the gateway's clock counts (the existing rule).
	plain := newFixture(t)
	plain.clock.Add(50 * time.Hour)
	wantAPIG(t, plain.do(signed(t, "GET", listTarget, "", vecAK, vecSK, t0.Add(time.Hour), nil)), 401, "APIG.0301", "signature expired")
}

// A client that read the (50×) gateway clock from a Date header and carries
// it forward at real speed signs with a date far behind the gateway's
// clock; it is fresh while that reading is about 15 real minutes old or
// less (a little more: the date itself advances, at 1/50 of the clock's
// pace, so the limit is 15 min / (1 − 1/50) ≈ 15 min 18 s).
func TestDateWindowAcceptsAServerReadingCarriedForward(t *testing.T) {
	const speed = 50
	start := t0
	wall := &fakeClock{t: start}
	simNow := func() time.Time { return start.Add(wall.Now().Sub(start) * speed) }
	toWall := func(s time.Time) time.Time { return start.Add(s.Sub(start) / speed) }
	g := New(Options{Keys: map[string]Key{vecAK: {SK: vecSK}}, ProjectID: vecProject, Now: simNow, WallNow: wall.Now, NowToWall: toWall})
	f := &fixture{gate: g, next: &recorder{}}
	f.h = g.Wrap(f.next)

	wall.Add(time.Hour)
	read := simNow() // the Date of the last response
	for _, c := range []struct {
		later time.Duration // real time since that response
		ok    bool
	}{{30 * time.Second, true}, {10 * time.Minute, true}, {15 * time.Minute, true}, {15*time.Minute + 18*time.Second, true},
		{15*time.Minute + 19*time.Second, false}, {time.Hour, false}} {
		wall.Add(c.later)
		at := read.Add(c.later) // what the client's ServerNow says now
		rec := f.do(signed(t, "GET", listTarget, "", vecAK, vecSK, at, nil))
		if c.ok {
			wantPass(t, f, rec)
		} else {
			wantAPIG(t, rec, 401, "APIG.0301", "signature expired")
		}
		wall.Add(-c.later)
	}
}

// Under a sped-up clock a token lives 24 real hours, and expires_at says so
// in real time, which is what a client compares it with.
func TestTokenLifetimeIsRealTimeWithAWallClock(t *testing.T) {
	sim, wall := &fakeClock{t: t0}, &fakeClock{t: t0}
	g := New(Options{ProjectID: vecProject, Now: sim.Now, WallNow: wall.Now})
	f := &fixture{gate: g, next: &recorder{}}
	f.h = g.Wrap(f.next)
	tok, exp := g.IssueToken("ci")
	if !exp.Equal(t0.Add(DefaultTokenTTL)) {
		t.Fatalf("expires %v, want 24 h of real time after %v", exp, t0)
	}
	withToken := func() *http.Request {
		r := httptest.NewRequest("GET", listTarget, nil)
		r.Header.Set(auth.HeaderAuthToken, tok)
		return r
	}
	wall.Add(time.Hour)
	sim.Add(50 * time.Hour) // two days of sim time: still one real hour
	wantPass(t, f, f.do(withToken()))
	wall.Add(23 * time.Hour)
	wantAPIG(t, f.do(withToken()), 401, "APIG.0301", "token expires")
}
