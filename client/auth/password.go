package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

const (
	// RefreshMargin is how long before expires_at a cached IAM token is
	// replaced. IAM tokens live 24 h; five minutes leaves room for clock
	// skew and for slow requests that started with the old token. For
	// tokens that live less than twice the margin (simulators, short STS
	// policies) half the lifetime is used instead, so a fresh token is not
	// immediately "due".
	RefreshMargin = 5 * time.Minute

	// iamFetchTimeout bounds one token request. The request runs detached
	// from the caller's context (other callers wait for it), so it needs a
	// limit of its own.
	iamFetchTimeout = 60 * time.Second

	// iamMaxBody caps how much of an IAM answer is read; the service
	// catalogue in a token response is large but far below this.
	iamMaxBody = 8 << 20

	// refreshRetry spaces background refresh attempts after a failure while
	// the cached token is still valid, so an IAM outage is not hammered.
	refreshRetry = 30 * time.Second
)

// PasswordConfig configures IAM password authentication (API reference
// §7.2). IAMEndpoint may be given with or without a trailing /v3 and without
// a scheme (https is assumed). ProjectID scopes the token by ID; otherwise
// ProjectName (the region name on OTC, e.g. "eu-de") is used. HTTPClient
// defaults to a client with a 60 s timeout; Now defaults to time.Now.
//
// PasswordConfig redacts Password under every fmt verb.
type PasswordConfig struct {
	IAMEndpoint string
	Username    string
	Password    string
	DomainName  string
	ProjectName string
	ProjectID   string
	HTTPClient  *http.Client
	Now         func() time.Time
}

// Format prints the configuration without the password.
func (c PasswordConfig) Format(f fmt.State, verb rune) {
	redactedFormat(f, verb, fmt.Sprintf("auth.PasswordConfig{IAMEndpoint:%s Username:%s Password:<redacted> DomainName:%s ProjectName:%s ProjectID:%s}",
		c.IAMEndpoint, c.Username, c.DomainName, c.ProjectName, c.ProjectID))
}

// String returns the redacted form of Format.
func (c PasswordConfig) String() string { return fmt.Sprint(c) }

// GoString returns the redacted form of Format.
func (c PasswordConfig) GoString() string { return fmt.Sprint(c) }

// IAMError reports a non-2xx answer from IAM's token API. Message is IAM's
// own text with the password scrubbed from it.
type IAMError struct {
	StatusCode int
	Code       string
	Message    string
}

func (e *IAMError) Error() string {
	s := fmt.Sprintf("auth: IAM rejected the password login: HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.StatusCode == http.StatusUnauthorized {
		s += " — check user name, password and domain (account) name"
	}
	return s
}

// Password obtains a project-scoped IAM token with a user name and password
// and sends it as X-Auth-Token. The token is fetched on first use, cached,
// and refreshed in the background from RefreshMargin before it expires.
// Concurrent callers share one IAM request (single flight).
type Password struct {
	cfg      PasswordConfig
	tokenURL string
	urlErr   error

	mu        sync.Mutex
	token     string
	fetchedAt time.Time
	expiresAt time.Time
	projectID string
	failedAt  time.Time // last failed login, throttles background refreshes
	inflight  *tokenFetch
}

// tokenFetch is one in-flight IAM request; done closes when it finishes.
type tokenFetch struct {
	done  chan struct{}
	token string
	err   error
}

// NewPassword returns a password authenticator. Configuration errors are
// reported by the first Authenticate call, which keeps the constructor
// infallible for callers that build authenticators from optional settings.
func NewPassword(cfg PasswordConfig) *Password {
	p := &Password{cfg: cfg}
	if p.cfg.HTTPClient == nil {
		p.cfg.HTTPClient = &http.Client{Timeout: iamFetchTimeout}
	}
	if p.cfg.Now == nil {
		p.cfg.Now = time.Now
	}
	p.tokenURL, p.urlErr = iamTokenURL(cfg.IAMEndpoint)
	return p
}

// iamTokenURL turns an IAM endpoint into its /v3/auth/tokens URL. OTC
// documents endpoints ending in /v3, HWC without; both are accepted.
func iamTokenURL(endpoint string) (string, error) {
	ep := strings.TrimSpace(endpoint)
	if ep == "" {
		return "", errors.New("auth: IAM endpoint is empty")
	}
	if !strings.Contains(ep, "://") {
		ep = "https://" + ep
	}
	u, err := url.Parse(ep)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("auth: IAM endpoint %q is not an http(s) URL", endpoint)
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/v3")
	u.Path = strings.TrimRight(p, "/") + "/v3/auth/tokens"
	u.RawPath = ""
	u.RawQuery = ""
	u.Fragment = ""
	return u.String(), nil
}

// Describe returns e.g. "IAM password (alice@acme, project eu-de)".
func (p *Password) Describe() string {
	project := p.cfg.ProjectID
	if project == "" {
		project = p.cfg.ProjectName
	}
	return fmt.Sprintf("IAM password (%s@%s, project %s)", p.cfg.Username, p.cfg.DomainName, project)
}

func (p *Password) String() string                { return p.Describe() }
func (p *Password) GoString() string              { return "auth.Password{" + p.Describe() + "}" }
func (p *Password) Format(f fmt.State, verb rune) { redactedFormat(f, verb, p.Describe()) }

// Authenticate sets X-Auth-Token, fetching or refreshing the token first if
// needed. Waiting for another caller's IAM request honours ctx.
func (p *Password) Authenticate(ctx context.Context, req *http.Request, _ []byte) error {
	if req == nil {
		return errors.New("auth: nil request")
	}
	tok, err := p.Token(ctx)
	if err != nil {
		return err
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	req.Header.Set(HeaderAuthToken, tok)
	return nil
}

// ProjectID returns the project ID: token.project.id from the last token
// (useful when only a project name was configured), else the configured
// ProjectID, else "" before the first successful login.
func (p *Password) ProjectID() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.projectID != "" {
		return p.projectID
	}
	return p.cfg.ProjectID
}

// ResolveProjectID logs in if needed and returns ProjectID, so callers can
// build /v1/{project_id} URLs from a project name alone.
func (p *Password) ResolveProjectID(ctx context.Context) (string, error) {
	if _, err := p.Token(ctx); err != nil {
		return "", err
	}
	if id := p.ProjectID(); id != "" {
		return id, nil
	}
	return "", errors.New("auth: IAM token carries no project ID (is the scope a project?)")
}

// Invalidate drops the cached token so the next call logs in again; use it
// when ModelArts reports the token expired or invalid (ModelArts.0202/0203)
// before its expires_at. An IAM request already in flight is unaffected.
func (p *Password) Invalidate() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.token = ""
	p.expiresAt = time.Time{}
}

// Token returns a valid token, logging in to IAM if none is cached. Once a
// cached token is due for refresh it keeps being returned while a
// background request replaces it, so callers see no latency spike and an
// IAM outage in the last minutes of a token's life is harmless; failed
// refreshes are retried at most every refreshRetry. Exported for callers
// that need the raw token (e.g. to hand it to another tool); never log it.
func (p *Password) Token(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	p.mu.Lock()
	now := p.cfg.Now()
	if p.token != "" && now.Before(p.expiresAt) {
		tok := p.token
		if p.dueLocked(now) && p.inflight == nil && now.Sub(p.failedAt) >= refreshRetry {
			p.startFetchLocked(ctx)
		}
		p.mu.Unlock()
		return tok, nil
	}
	f := p.inflight
	if f == nil {
		f = p.startFetchLocked(ctx)
	}
	p.mu.Unlock()

	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// startFetchLocked starts one IAM login. It runs detached from ctx (keeping
// only its values): other callers wait on the same request, and one caller
// giving up must not fail them all.
func (p *Password) startFetchLocked(ctx context.Context) *tokenFetch {
	f := &tokenFetch{done: make(chan struct{})}
	p.inflight = f
	go p.fetch(context.WithoutCancel(ctx), f)
	return f
}

// dueLocked reports whether the cached token should be replaced at now.
func (p *Password) dueLocked(now time.Time) bool {
	margin := RefreshMargin
	if life := p.expiresAt.Sub(p.fetchedAt); life < 2*RefreshMargin {
		margin = max(life/2, 0)
	}
	return !now.Before(p.expiresAt.Add(-margin))
}

// fetch performs one IAM login and publishes the result to f and the cache.
func (p *Password) fetch(ctx context.Context, f *tokenFetch) {
	ctx, cancel := context.WithTimeout(ctx, iamFetchTimeout)
	defer cancel()
	started := p.cfg.Now()
	tok, exp, projectID, err := p.login(ctx)

	p.mu.Lock()
	if err == nil {
		p.token, p.fetchedAt, p.expiresAt = tok, started, exp
		if projectID != "" {
			p.projectID = projectID
		}
	} else {
		p.failedAt = p.cfg.Now()
	}
	p.inflight = nil
	f.token, f.err = tok, err
	p.mu.Unlock()
	close(f.done)
}

type iamName struct {
	Name string `json:"name"`
}

type iamAuthRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password struct {
				User struct {
					Name     string  `json:"name"`
					Password string  `json:"password"`
					Domain   iamName `json:"domain"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope struct {
			Project map[string]string `json:"project"`
		} `json:"scope"`
	} `json:"auth"`
}

type iamTokenResponse struct {
	Token struct {
		ExpiresAt string `json:"expires_at"`
		Project   struct {
			ID string `json:"id"`
		} `json:"project"`
	} `json:"token"`
}

// iamErrorBody covers Keystone's {"error":{code,message,title}} and the
// gateway's {"error_code","error_msg"}.
type iamErrorBody struct {
	Error *struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Title   string          `json:"title"`
	} `json:"error"`
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

func (p *Password) validate() error {
	if p.urlErr != nil {
		return p.urlErr
	}
	var missing []string
	if p.cfg.Username == "" {
		missing = append(missing, "user name")
	}
	if p.cfg.Password == "" {
		missing = append(missing, "password")
	}
	if p.cfg.DomainName == "" {
		missing = append(missing, "domain (account) name")
	}
	if p.cfg.ProjectID == "" && p.cfg.ProjectName == "" {
		missing = append(missing, "project name or ID")
	}
	if len(missing) > 0 {
		return fmt.Errorf("auth: IAM password login needs %s", strings.Join(missing, ", "))
	}
	return nil
}

// requestBody returns the §7.2 body, scoped by project ID when given.
func (p *Password) requestBody() ([]byte, error) {
	var r iamAuthRequest
	r.Auth.Identity.Methods = []string{"password"}
	u := &r.Auth.Identity.Password.User
	u.Name, u.Password, u.Domain.Name = p.cfg.Username, p.cfg.Password, p.cfg.DomainName
	if p.cfg.ProjectID != "" {
		r.Auth.Scope.Project = map[string]string{"id": p.cfg.ProjectID}
	} else {
		r.Auth.Scope.Project = map[string]string{"name": p.cfg.ProjectName}
	}
	return json.Marshal(r)
}

func (p *Password) login(ctx context.Context) (token string, expires time.Time, projectID string, err error) {
	if err := p.validate(); err != nil {
		return "", time.Time{}, "", err
	}
	body, err := p.requestBody()
	if err != nil {
		return "", time.Time{}, "", fmt.Errorf("auth: encode IAM request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.tokenURL, bytes.NewReader(body))
	if err != nil {
		return "", time.Time{}, "", fmt.Errorf("auth: build IAM request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("Accept", "application/json")
	resp, err := p.cfg.HTTPClient.Do(req)
	if err != nil {
		// *url.Error names the token URL only; the password is in the body.
		return "", time.Time{}, "", fmt.Errorf("auth: IAM token request: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, iamMaxBody))
	if err != nil {
		return "", time.Time{}, "", fmt.Errorf("auth: read IAM response: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", time.Time{}, "", p.iamError(resp.StatusCode, raw)
	}
	token = resp.Header.Get("X-Subject-Token")
	if token == "" {
		return "", time.Time{}, "", fmt.Errorf("auth: IAM answered HTTP %d without an X-Subject-Token header", resp.StatusCode)
	}
	var tr iamTokenResponse
	if err := json.Unmarshal(raw, &tr); err != nil {
		return "", time.Time{}, "", fmt.Errorf("auth: decode IAM token response: %w", err)
	}
	expires, err = time.Parse(time.RFC3339Nano, tr.Token.ExpiresAt)
	if err != nil {
		return "", time.Time{}, "", fmt.Errorf("auth: IAM token response has no valid token.expires_at (%q)", tr.Token.ExpiresAt)
	}
	return token, expires, tr.Token.Project.ID, nil
}

// iamError builds an IAMError from IAM's body, keeping its message (useful:
// "The username or password is wrong.") but scrubbing the password in case
// a proxy or IAM echoes the request.
func (p *Password) iamError(status int, raw []byte) error {
	e := &IAMError{StatusCode: status}
	var b iamErrorBody
	if json.Unmarshal(raw, &b) == nil {
		switch {
		case b.Error != nil:
			e.Message = b.Error.Message
			if e.Message == "" {
				e.Message = b.Error.Title
			}
		case b.ErrorCode != "" || b.ErrorMsg != "":
			e.Code, e.Message = b.ErrorCode, b.ErrorMsg
		}
	}
	e.Code = scrub(e.Code, p.cfg.Password)
	e.Message = scrub(e.Message, p.cfg.Password)
	return e
}

// scrub removes secret from s and bounds its length for display.
func scrub(s, secret string) string {
	if secret != "" {
		s = strings.ReplaceAll(s, secret, "<redacted>")
	}
	const maxLen = 300
	if r := []rune(s); len(r) > maxLen {
		s = string(r[:maxLen]) + "…"
	}
	return s
}
