package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"matui/model"
)

const (
	// maxResponseBytes bounds what we read from one response. The largest
	// legitimate answer (a 50-item notebook page with every field) is a few
	// hundred KiB; anything bigger is a misbehaving proxy.
	maxResponseBytes = 32 << 20

	// Backoff: full jitter, sleep = rand[0, min(backoffMax, backoffBase·2^n)).
	backoffBase = 500 * time.Millisecond
	backoffMax  = 20 * time.Second

	// maxRetryAfter caps a server's Retry-After so that a misconfigured
	// gateway cannot park the dashboard for hours; the user can always
	// refresh by hand.
	maxRetryAfter = 60 * time.Second

	contentTypeJSON     = "application/json"
	contentTypeJSONBody = "application/json;charset=UTF-8" // what the SDK sends with a body
)

// request is one logical API call; the transport may send it several times.
type request struct {
	method string
	path   string // below /v1/{project_id}, e.g. "/notebooks/abc"
	query  url.Values
	body   any // nil: no body
}

// do performs r and decodes a 2xx JSON answer into out (nil: ignore body).
func (c *Client) do(ctx context.Context, r request, out any) error {
	raw, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	if out == nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: decoding response: %w", r.method, r.path, err)
	}
	return nil
}

// encodeBody renders a request body exactly as the Huawei SDK does: JSON
// from encoding/json's Encoder, which appends "\n". The signature hashes these
// very bytes, so they are produced once and reused for every attempt.
func encodeBody(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// send runs the retry loop and returns the body of a 2xx response.
//
// Retry policy:
//   - GET, PUT, DELETE and PATCH are idempotent here (PUT/PATCH set absolute
//     values; DELETE of a gone instance answers "not found", which callers
//     treat as done) and are retried on 429, 500, 502, 503, 504 and on
//     transport errors, including a per-attempt timeout.
//   - POST (create, start, stop, open, action) is retried only when it
//     cannot have reached ModelArts: the dial failed (nothing was sent), or
//     the API gateway throttled it — a 429 with an APIG code (APIG.0308,
//     "The throttling threshold has been reached"), which the gateway
//     answers before forwarding the request (reference §6.1: APIG errors
//     come from the layer before ModelArts). A 429 with a ModelArts code
//     (ModelArts.6101, "system busy", also the simulator's) or with no code
//     at all came from behind the gateway, so the request reached the
//     service and is not repeated: repeating a create could make a second
//     instance. Neither are a 5xx, a timeout or a connection lost after the
//     request was written.
//   - 401/403 are never retried: five bad signatures in a row lock the AK for
//     five minutes.
//
// A request that changes something (any method but GET) and failed in a way
// that leaves its effect unknown — a timeout, a connection lost after
// sending, a 5xx, a 408 or a 429 from the service, an unreadable answer —
// returns an *AmbiguousError (IsAmbiguous): it may have been applied. The
// create API has no client token or idempotency key to make a repeat safe
// (neither the SDK's CreateNotebookRequest nor the Gen 1 create body has
// one), so the caller looks before it offers to send again (e.g.
// FindNotebooksByName).
func (c *Client) send(ctx context.Context, r request) ([]byte, error) {
	body, err := encodeBody(r.body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: encoding request: %w", r.method, r.path, err)
	}
	u := c.url(r.path, r.query)
	idempotent := r.method != http.MethodPost

	var lastErr error
	attempts := 0
	ambiguous := false // some attempt may have been applied
	fail := func(err error) ([]byte, error) {
		if ambiguous && r.method != http.MethodGet {
			err = &AmbiguousError{Err: err}
		}
		return nil, err
	}
	for attempt := 0; attempt <= c.maxRetries; attempt++ {
		if attempt > 0 {
			wait := backoff(attempt)
			var re *retryableAPIError
			if errors.As(lastErr, &re) && re.retryAfter > 0 {
				wait = re.retryAfter
			}
			c.log.DebugContext(ctx, "modelarts retry", "method", r.method, "path", u.Path, "attempt", attempt+1, "wait", wait)
			if err := c.sleep(ctx, wait); err != nil {
				return fail(c.finalErr(r, u, lastErr, attempts, err))
			}
		}
		if err := c.waitRate(ctx); err != nil {
			return fail(c.finalErr(r, u, lastErr, attempts, err))
		}
		if err := ctx.Err(); err != nil {
			return fail(c.finalErr(r, u, lastErr, attempts, err))
		}
		attempts++
		res := c.attempt(ctx, r.method, u, body, idempotent)
		if res.err == nil {
			return limitDepth(res.raw), nil
		}
		lastErr = res.err
		ambiguous = ambiguous || res.ambiguous
		if !res.retry || ctx.Err() != nil {
			break
		}
	}
	return fail(c.finalErr(r, u, lastErr, attempts, ctx.Err()))
}

// finalErr turns the last failure into the error the caller sees: an
// *APIError as is (its Error() already names the request), a transport error
// wrapped with method, path and attempt count. ctxErr, when set, explains why
// the loop stopped early.
func (c *Client) finalErr(r request, u *url.URL, last error, attempts int, ctxErr error) error {
	if last == nil {
		return fmt.Errorf("%s %s: %w", r.method, u.Path, ctxErr)
	}
	if re, ok := last.(*retryableAPIError); ok {
		last = re.APIError
	}
	if ae, ok := last.(*APIError); ok {
		if ctxErr != nil {
			return fmt.Errorf("%w (then: %w)", ae, ctxErr)
		}
		return ae
	}
	s := "attempt"
	if attempts != 1 {
		s = "attempts"
	}
	if ctxErr != nil && !errors.Is(last, ctxErr) {
		return fmt.Errorf("%s %s: %w after %d %s (then: %w)", r.method, u.Path, last, attempts, s, ctxErr)
	}
	return fmt.Errorf("%s %s: %w after %d %s", r.method, u.Path, last, attempts, s)
}

// waitRate takes one token from the shared bucket. It reserves against the
// injected clock and waits with the injected Sleep, so tests can observe the
// limiter without real time passing.
func (c *Client) waitRate(ctx context.Context) error {
	now := c.now()
	res := c.limiter.ReserveN(now, 1)
	if !res.OK() {
		return errors.New("rate limiter: burst too small")
	}
	d := res.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := c.sleep(ctx, d); err != nil {
		res.CancelAt(c.now())
		return err
	}
	return nil
}

// outcome is what one attempt came to.
type outcome struct {
	raw []byte // the body of a 2xx answer
	err error
	// retry: the failure may be retried under the policy described at send.
	retry bool
	// ambiguous: the request may have been applied although it failed.
	ambiguous bool
}

// attempt sends one request.
func (c *Client) attempt(ctx context.Context, method string, u *url.URL, body []byte, idempotent bool) outcome {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, method, u.String(), rd)
	if err != nil {
		return outcome{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", contentTypeJSONBody)
	} else {
		req.Header.Set("Content-Type", contentTypeJSON)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("X-Project-Id", c.projectID)
	// Authenticate on every attempt: the signature covers X-Sdk-Date, which
	// must be fresh (the gateway allows ±15 min, and a token may have been
	// refreshed in between).
	if err := c.auth.Authenticate(actx, req, body); err != nil {
		return outcome{err: fmt.Errorf("authenticating: %w", err)}
	}

	sent := c.now()
	resp, err := c.hc.Do(req)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err // the URL is added back by finalErr's method + path
		}
		c.log.DebugContext(ctx, "modelarts request failed", "method", method, "path", u.Path, "error", err.Error())
		// Unless the connection was never opened, some or all of the
		// request may have been written, and the server may act on it.
		dial := isDialError(err)
		return outcome{err: err, retry: idempotent || dial, ambiguous: !dial}
	}
	received := c.now()
	defer resp.Body.Close()
	c.clock.observe(resp.Header, sent, received)

	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		// The request reached the server; only idempotent calls may repeat.
		return outcome{err: fmt.Errorf("reading response (HTTP %d): %w", resp.StatusCode, err), retry: idempotent, ambiguous: true}
	}
	if int64(len(raw)) > c.maxBody {
		return outcome{err: fmt.Errorf("response larger than %d bytes (HTTP %d)", c.maxBody, resp.StatusCode), ambiguous: true}
	}
	c.log.DebugContext(ctx, "modelarts request", "method", method, "path", u.Path, "status", resp.StatusCode,
		"request_id", resp.Header.Get("X-Request-Id"), "elapsed", received.Sub(sent))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return outcome{raw: raw}
	}
	ae := newAPIError(method, u.Path, resp.StatusCode, resp.Header, raw)
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		gateway := isGatewayError(ae)
		return outcome{err: &retryableAPIError{ae, retryAfter(resp.Header, c.ServerNow())},
			retry: idempotent || gateway, ambiguous: !gateway}
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return outcome{err: &retryableAPIError{ae, retryAfter(resp.Header, c.ServerNow())}, retry: idempotent, ambiguous: true}
	case http.StatusRequestTimeout:
		return outcome{err: ae, ambiguous: true} // ModelArts.6100: the service gave up on it, maybe half-way
	}
	if resp.StatusCode >= 500 {
		return outcome{err: ae, ambiguous: true}
	}
	return outcome{err: ae}
}

// isGatewayError reports an answer of the API gateway in front of
// ModelArts (APIG.xxxx / APIGW.xxxx codes), which it gives instead of
// forwarding the request.
func isGatewayError(e *APIError) bool {
	return strings.HasPrefix(e.Code, "APIG.") || strings.HasPrefix(e.Code, "APIGW.")
}

// retryableAPIError carries the server's Retry-After to the retry loop
// without putting transport detail on the exported APIError.
type retryableAPIError struct {
	*APIError
	retryAfter time.Duration
}

func (e *retryableAPIError) Unwrap() error { return e.APIError }

// isDialError reports a failure to open the connection, i.e. no byte of the
// request was sent and even a POST may be repeated safely.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// backoff returns the full-jitter wait before retry n (n ≥ 1).
func backoff(n int) time.Duration {
	ceil := backoffBase << min(n-1, 16)
	if ceil > backoffMax || ceil <= 0 {
		ceil = backoffMax
	}
	return rand.N(ceil)
}

// retryAfter parses Retry-After as delay-seconds or an HTTP date, capped at
// maxRetryAfter. 0 means absent or unparsable (use the backoff). An HTTP date
// is in the server's clock, so now should be ServerNow (the offset has just
// been updated from the same response's Date header).
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
		if d <= 0 {
			return 0
		}
	} else {
		return 0
	}
	return min(d, maxRetryAfter)
}

// url builds base + /v1/{project_id} + path + query. Path segments are
// escaped by url.URL; the query is encoded like the SDK does (url.Values
// with %20 for spaces), which the signer canonicalises independently.
func (c *Client) url(path string, q url.Values) *url.URL {
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + "/v1/" + c.projectID + path
	u.RawPath = ""
	if len(q) > 0 {
		u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	}
	return &u
}

// limitDepth is model.LimitDepth at the depth any answer of the API needs.
func limitDepth(b []byte) []byte { return model.LimitDepth(b, model.MaxJSONDepth) }
